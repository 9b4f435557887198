#pragma once
// A progress bar for long imports, on standard error, only when it is a
// terminal: a coordinator loading a site's list sees it move; a script or a
// pipe sees nothing extra.
#include "trial/progress.hpp"

#include <chrono>
#include <cstddef>
#include <string>

namespace trialcal::cli {

class Progress final : public trial::Progress {
public:
    Progress();
    ~Progress() override;
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    void begin(std::string what, std::size_t total) override;
    // Redraws at most ten times a second.
    void update(std::size_t done) override;
    // The bar restarts.
    void stage(std::string name, std::size_t total) override;

private:
    void draw(std::size_t done);
    std::string what_;
    std::string stage_;
    std::size_t total_ = 0;
    bool shown_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_;
};

// "1:05" or "1:02:05".
[[nodiscard]] std::string clock_text(std::chrono::seconds s);

}  // namespace trialcal::cli
