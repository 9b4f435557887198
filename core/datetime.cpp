#include "core/datetime.hpp"

#include <algorithm>

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

char* iso_date_chars(date::sys_days d, char* buf) noexcept {
    const date::year_month_day ymd{d};
    const int y = static_cast<int>(ymd.year());
    const auto m = static_cast<unsigned>(ymd.month()), day = static_cast<unsigned>(ymd.day());
    const auto digit = [](unsigned v) { return static_cast<char>('0' + v % 10); };
    // The year, zero-padded to four characters, a sign included.
    if (y < 0) *buf++ = '-';
    const unsigned uy = y < 0 ? static_cast<unsigned>(-static_cast<long>(y)) : static_cast<unsigned>(y);
    char year[12];
    char* start = year + sizeof year;
    unsigned v = uy;
    do {
        *--start = digit(v);
        v /= 10;
    } while (v > 0);
    for (long width = y < 0 ? 3 : 4; year + sizeof year - start < width;) *--start = '0';
    buf = std::copy(start, year + sizeof year, buf);
    for (const char c : {'-', digit(m / 10), digit(m), '-', digit(day / 10), digit(day)}) *buf++ = c;
    return buf;
}

// Without I/O or locale.
std::string iso_date(date::sys_days d) {
    char buf[16];
    return {buf, iso_date_chars(d, buf)};
}

std::optional<date::month_day> read_month_day(std::string_view s) noexcept {
    const auto m = digits(s, 0, 2), d = digits(s, 3, 2);
    if (s.size() != 5 || s[2] != '-' || !m || !d) return std::nullopt;
    return date::month{static_cast<unsigned>(*m)} / date::day{static_cast<unsigned>(*d)};
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
