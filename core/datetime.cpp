#include "core/datetime.hpp"

namespace trialcal {

namespace {

// Reads exactly `n` ASCII digits at `pos`.
std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t n) {
    if (pos + n > s.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace

// Without I/O or locale; a year outside 0..9999 would lose its width, which
// valid_dates rules out.
std::string iso_date(date::sys_days d) {
    const date::year_month_day ymd{d};
    const int y = static_cast<int>(ymd.year());
    const auto m = static_cast<unsigned>(ymd.month()), day = static_cast<unsigned>(ymd.day());
    std::string out;
    for (int width = 1000; width > 1 && y < width; width /= 10) out += '0';
    out += std::to_string(y) + "-";
    if (m < 10) out += '0';
    out += std::to_string(m) + "-";
    if (day < 10) out += '0';
    out += std::to_string(day);
    return out;
}

std::string outside_valid_dates() {
    return "is outside " + iso_date(valid_dates.first) + " to " + iso_date(valid_dates.last) + ", the dates trialcal accepts";
}

Result<date::sys_days, std::string> parse_date(std::string_view s) {
    const auto y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
    if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !y || !m || !d)
        return Unexpected{quoted(s) + " is not a date: expected YYYY-MM-DD"};
    const date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*m)},
                                   date::day{static_cast<unsigned>(*d)}};
    if (!ymd.ok()) return Unexpected{quoted(s) + " is not a calendar date"};
    if (!valid_dates.contains(date::sys_days{ymd})) return Unexpected{quoted(s) + " " + outside_valid_dates()};
    return date::sys_days{ymd};
}

Result<DateTimeText, std::string> parse_datetime(std::string_view s) {
    const std::string expected = " is not a date-time: expected YYYY-MM-DDTHH:MM, optionally with :SS and Z or ±HH:MM";
    if (s.size() < 16 || (s[10] != 'T' && s[10] != ' ')) return Unexpected{quoted(s) + expected};
    auto day = parse_date(s.substr(0, 10));
    if (!day) return Unexpected{quoted(s) + ": " + day.error()};
    const auto hh = digits(s, 11, 2), mm = digits(s, 14, 2);
    if (!hh || !mm || s[13] != ':') return Unexpected{quoted(s) + expected};
    std::size_t pos = 16;
    int ss = 0;
    if (pos < s.size() && s[pos] == ':') {
        const auto sec = digits(s, pos + 1, 2);
        if (!sec) return Unexpected{quoted(s) + expected};
        ss = *sec;
        pos += 3;
    }
    if (*hh > 23 || *mm > 59 || ss > 59) return Unexpected{quoted(s) + " is not a time of day"};
    DateTimeText out;
    out.local = date::local_days{date::year_month_day{*day}} + std::chrono::hours{*hh} +
                std::chrono::minutes{*mm} + std::chrono::seconds{ss};
    if (pos == s.size()) return out;
    if (s[pos] == 'Z' && pos + 1 == s.size()) {
        out.offset = std::chrono::minutes{0};
        return out;
    }
    if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
        const auto oh = digits(s, pos + 1, 2), om = digits(s, pos + 4, 2);
        if (!oh || !om || *oh > 18 || *om > 59) return Unexpected{quoted(s) + " has an impossible UTC offset"};
        const std::chrono::minutes off{*oh * 60 + *om};
        out.offset = s[pos] == '-' ? -off : off;
        return out;
    }
    return Unexpected{quoted(s) + expected};
}

}  // namespace trialcal
