#pragma once
// A holiday calendar's dates in a year, as `trialcal holidays` prints them:
// what a coordinator checks before a site's visits are placed.
#include "core/holidays.hpp"

#include <string>

namespace trialcal {

[[nodiscard]] std::string holidays_table(const HolidayCalendar& c, date::year y);
[[nodiscard]] std::string holidays_json(const HolidayCalendar& c, date::year y);

}  // namespace trialcal
