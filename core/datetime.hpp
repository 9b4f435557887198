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

// YYYY-MM-DD, a real calendar date (2027-02-30 is refused).
[[nodiscard]] Result<date::sys_days, std::string> parse_date(std::string_view text);

struct DateTimeText {
    date::local_seconds local;                   // the wall time as written
    std::optional<std::chrono::minutes> offset;  // from UTC, when written (Z is 0)
};

// YYYY-MM-DDTHH:MM[:SS] (or a space for T), optionally followed by Z or ±HH:MM.
[[nodiscard]] Result<DateTimeText, std::string> parse_datetime(std::string_view text);

}  // namespace trialcal
