#pragma once
// A progress bar for long imports, on standard error, only when it is a
// terminal: a coordinator loading a site's list sees it move; a script or a
// pipe sees nothing extra.
#include <chrono>
#include <cstddef>
#include <string>

namespace trialcal::cli {

class Progress {
public:
    // `what` names the work ("import patients"); `total` rows.
    Progress(std::string what, std::size_t total);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // `done` rows so far; redraws at most ten times a second.
    void update(std::size_t done);
    // Names the current stage ("checking", "writing"): the bar restarts.
    void stage(std::string name, std::size_t total);

private:
    void draw(std::size_t done);
    std::string what_;
    std::string stage_;
    std::size_t total_;
    bool shown_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_;
};

// "1:05" or "1:02:05".
[[nodiscard]] std::string clock_text(std::chrono::seconds s);

}  // namespace trialcal::cli
