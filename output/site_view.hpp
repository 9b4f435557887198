#pragma once
// The registered sites, as `trialcal sites` prints them: what a coordinator
// checks before enrolling (the code to type, the zone records are written
// in, the days events are placed off).
#include "core/site.hpp"

#include <string>
#include <vector>

namespace trialcal {

// A site and how many patients it has.
struct SiteLine {
    Site site;
    std::size_t patients = 0;
};

[[nodiscard]] std::string sites_table(const std::vector<SiteLine>& sites);
[[nodiscard]] std::string sites_json(const std::vector<SiteLine>& sites);
[[nodiscard]] std::string sites_csv(const std::vector<SiteLine>& sites);

// "sat,sun" as people read it: "Sat, Sun"; "none".
[[nodiscard]] std::string closed_weekdays(const Site& s);

}  // namespace trialcal
