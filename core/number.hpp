#pragma once
// Shortest round-trip text of a number ("0.33", "425"), without locale or I/O.
#include <charconv>
#include <string>

namespace trialcal {

[[nodiscard]] inline std::string to_text(double v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc{} ? std::string(buf, end) : std::string{"?"};
}

}  // namespace trialcal
