#pragma once
// Strict ISO 8601 dates and date-times as people type them. Pure text to
// values: the time zone rules that turn wall time into UTC live outside the core.
#include "core/result.hpp"

#include <date/date.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace trialcal {

// The dates trialcal accepts anywhere: day 0, record dates, --as-of, imported
// dates and every date a calendar plans. A year outside is a typing mistake
// (0227 for 2027, 2722 for 2027), never a trial; the range keeps every date
// four digits wide in files, reports and exports. One range, one place.
struct DateRange {
    date::sys_days first;
    date::sys_days last;
    [[nodiscard]] constexpr bool contains(date::sys_days d) const noexcept { return first <= d && d <= last; }
};
inline constexpr DateRange valid_dates{date::sys_days{date::year{1900} / 1 / 1},
                                       date::sys_days{date::year{2199} / 12 / 31}};

// YYYY-MM-DD of a date in valid_dates.
[[nodiscard]] std::string iso_date(date::sys_days d);
// The same into `buf` (16 chars at least), returning the end: digit by
// digit, for the reports that write millions of dates. A year outside
// 0..9999 is written as fmt's {:04} would ("-001", "10000").
char* iso_date_chars(date::sys_days d, char* buf) noexcept;

// "MM-DD", two digits each, as a month and day not yet checked to be a day
// of the calendar (ok() says); none when it is not of that shape.
[[nodiscard]] std::optional<date::month_day> read_month_day(std::string_view text) noexcept;

// "is outside 1900-01-01 to 2199-12-31, the dates trialcal accepts", for
// messages that start with the value at fault.
[[nodiscard]] std::string outside_valid_dates();

// YYYY-MM-DD, a real calendar date (2027-02-30 is refused) within valid_dates.
[[nodiscard]] Result<date::sys_days, std::string> parse_date(std::string_view text);

struct DateTimeText {
    date::local_seconds local;                   // the wall time as written
    std::optional<std::chrono::minutes> offset;  // from UTC, when written (Z is 0)
};

// YYYY-MM-DDTHH:MM[:SS] (or a space for T), optionally followed by Z or ±HH:MM;
// its date within valid_dates.
[[nodiscard]] Result<DateTimeText, std::string> parse_datetime(std::string_view text);

}  // namespace trialcal
