#pragma once
// The public holiday calendars a trial unit's sites close on (course.md,
// Sites): one file per country, holidays/CC.toml in the protocol folder,
// read and checked like protocol files.
#include "core/holidays.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace trialcal::trial {

// The country codes with a calendar file in `calendars`/holidays, sorted.
[[nodiscard]] std::vector<std::string> holiday_countries(const std::filesystem::path& calendars);

// holidays/`country`.toml: Kind::not_found naming the codes there are when
// it is missing; Kind::bad_data with every problem at its line and column
// when it is malformed, or when it names another country than its file.
[[nodiscard]] HolidayCalendar load_holidays(const std::filesystem::path& calendars, const std::string& country);

// The same with the file's text, which a site stores as it registers it.
struct HolidayFile {
    std::string text;
    HolidayCalendar calendar;
};
[[nodiscard]] HolidayFile read_holidays(const std::filesystem::path& calendars, const std::string& country);

}  // namespace trialcal::trial
