#include "cli/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace trialcal::cli {

namespace {
constexpr int bar_width = 30;
}

std::string clock_text(std::chrono::seconds s) {
    const auto h = std::chrono::duration_cast<std::chrono::hours>(s);
    const auto m = std::chrono::duration_cast<std::chrono::minutes>(s - h);
    const auto sec = s - h - m;
    if (h.count() > 0) return fmt::format("{}:{:02}:{:02}", h.count(), m.count(), sec.count());
    return fmt::format("{}:{:02}", m.count(), sec.count());
}

Progress::Progress() : shown_(isatty(STDERR_FILENO) == 1), start_(std::chrono::steady_clock::now()), last_() {}

void Progress::begin(std::string what, std::size_t total) {
    what_ = std::move(what);
    total_ = total;
    start_ = std::chrono::steady_clock::now();
}

Progress::~Progress() {
    // Leave the terminal line clean for the summary that follows.
    if (shown_ && last_ != std::chrono::steady_clock::time_point{}) std::fputs("\r\033[K", stderr);
}

void Progress::stage(std::string name, std::size_t total) {
    stage_ = std::move(name);
    total_ = total;
    start_ = std::chrono::steady_clock::now();
}

void Progress::update(std::size_t done) {
    if (!shown_) return;
    const auto now = std::chrono::steady_clock::now();
    if (done < total_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    draw(done);
}

void Progress::draw(std::size_t done) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double fraction = total_ ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
    const int filled = static_cast<int>(fraction * bar_width);
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
    const std::string left =
        rate > 0 ? clock_text(std::chrono::seconds(static_cast<long long>(static_cast<double>(total_ - done) / rate)))
                 : "?";
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(bar_width, '.');
    fmt::print(stderr, "\r\033[K{}{}{} [{}] {:3.0f}% {}/{} rows, {:.0f} rows/s, {} left", what_,
               stage_.empty() ? "" : ": ", stage_, bar, fraction * 100, done, total_, rate, left);
    std::fflush(stderr);
}

}  // namespace trialcal::cli
