#pragma once
// Small text pieces every output format uses.
#include <date/date.h>

#include <string>
#include <string_view>
#include <vector>

namespace trialcal {

// "a, b, c" with the separator given.
[[nodiscard]] inline std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string s;
    for (const auto& i : items) {
        if (!s.empty()) s += sep;
        s += i;
    }
    return s;
}

// "Mon": nurses plan visits by weekday.
[[nodiscard]] inline std::string weekday(date::sys_days d) {
    static constexpr const char* names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    return names[date::weekday{d}.c_encoding()];
}

}  // namespace trialcal
