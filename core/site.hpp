#pragma once
// A site of the trial (course.md, Sites): where patients are enrolled, in
// whose time zone their records are written, and which days it is closed.
#include "core/holidays.hpp"

#include <optional>
#include <string>

namespace trialcal {

struct Site {
    std::string code;                     // an id: letters, digits, '-'
    std::string name;                     // free text: "Hôpital Saint-Antoine, Paris"
    std::string tz;                       // IANA zone of every patient there
    std::optional<std::string> country;   // ISO 3166-1 alpha-2
    Weekdays closed = Weekdays::weekend();
    std::optional<std::string> holidays;  // the holiday calendar's country code; none: no holidays
};

}  // namespace trialcal
