#pragma once
// The clock and the time zone database: the only places trialcal reads the
// time or the zone rules, so the core stays pure and tests can pin "now".
#include "core/datetime.hpp"

#include <date/date.h>

#include <chrono>
#include <string>

namespace trialcal::cli {

// Now, UTC. $TRIALCAL_NOW (YYYY-MM-DDTHH:MM:SSZ) pins it for tests and demos.
[[nodiscard]] date::sys_seconds now_utc();
[[nodiscard]] std::string utc_text(date::sys_seconds t);  // 2027-03-02T08:00:00Z

// Checks an IANA zone name; unknown is Exit::bad_data naming `flag`.
void check_zone(const std::string& flag, const std::string& zone);
// The zone of this machine, for sites enrolled without --tz.
[[nodiscard]] std::string local_zone_name();

// Today's date at a site.
[[nodiscard]] date::sys_days today_in(const std::string& zone);

struct SiteTime {
    date::sys_seconds utc;
    date::local_seconds local;  // wall time at the site
};
// A typed date-time in the site's zone (or with its own offset) as UTC and
// as site wall time. A wall time skipped by a clock change is refused.
[[nodiscard]] SiteTime site_time(const std::string& flag, const std::string& text, const std::string& zone);

[[nodiscard]] std::string local_text(date::local_seconds t);  // 2027-03-02T09:00

}  // namespace trialcal::cli
