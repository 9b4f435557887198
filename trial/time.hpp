#pragma once
// Times as the trial writes them, and wall times at a site turned into UTC
// through the Zones port: the use cases never read a clock or zone rules
// themselves.
#include "core/datetime.hpp"
#include "trial/env.hpp"

#include <date/date.h>

#include <chrono>
#include <string>

namespace trialcal::trial {

[[nodiscard]] std::string utc_text(date::sys_seconds t);     // 2027-03-02T08:00:00Z
[[nodiscard]] std::string local_text(date::local_seconds t);  // 2027-03-02T09:00
// Now, as the audit trail and records stamp it.
[[nodiscard]] inline std::string now_text(const Env& env) { return utc_text(env.clock.now()); }

// Checks an IANA zone name; unknown is Kind::bad_data naming `flag`.
void check_zone(const Zones& zones, const std::string& flag, const std::string& zone);

// Today's date at a site.
[[nodiscard]] date::sys_days today_in(const Env& env, const std::string& zone);

struct SiteTime {
    date::sys_seconds utc;
    date::local_seconds local;  // wall time at the site
};
// A typed date-time in the site's zone (or with its own offset) as UTC and
// as site wall time. A wall time skipped by a clock change is refused, and
// so is one the clock showed twice without its offset (the message names
// both): Kind::bad_data.
[[nodiscard]] SiteTime site_time(const Zones& zones, const std::string& flag, const std::string& text,
                                 const std::string& zone);
// The current minute at a site (`--at now`).
[[nodiscard]] SiteTime site_now(const Zones& zones, const std::string& zone, date::sys_seconds now);
// The UTC offset of a wall time at an instant: +02:00, -05:00.
[[nodiscard]] std::string offset_text(date::local_seconds local, date::sys_seconds utc);

}  // namespace trialcal::trial
