#pragma once
// Whose clock a write is stamped with (trust.md: "The clock is the
// machine's"). $TRIALCAL_NOW pins it only in a test build, configured with
// -DTRIALCAL_TEST_CLOCK=ON (tools/test, tools/sanitize, tools/bench); a build
// with default options ignores it and says so on stderr, once. Header-only
// and taking the build's choice as a value, so one test covers both builds.
#include <string_view>

namespace trialcal::cli {

enum class NowSource {
    machine,  // no $TRIALCAL_NOW: the system clock
    pinned,   // a test build: $TRIALCAL_NOW
    ignored,  // $TRIALCAL_NOW set in a build without the test clock: the system clock, and a notice
};

[[nodiscard]] constexpr NowSource now_source(bool test_clock, const char* pinned) noexcept {
    if (pinned == nullptr || *pinned == '\0') return NowSource::machine;
    return test_clock ? NowSource::pinned : NowSource::ignored;
}

inline constexpr std::string_view now_ignored_notice =
    "TRIALCAL_NOW ignored: this build uses the machine's clock (configure with -DTRIALCAL_TEST_CLOCK=ON for tests)";

// Whether this build has the test clock (cli/env.cpp, TRIALCAL_TEST_CLOCK).
[[nodiscard]] bool test_clock_compiled() noexcept;

static_assert(now_source(false, nullptr) == NowSource::machine);
static_assert(now_source(true, "") == NowSource::machine);
static_assert(now_source(true, "2027-03-10T12:00:00Z") == NowSource::pinned);
static_assert(now_source(false, "2027-03-10T12:00:00Z") == NowSource::ignored);

}  // namespace trialcal::cli
