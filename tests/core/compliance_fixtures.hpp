#pragma once
// Seed calendars and hand-written administrations shared by the compliance
// and matching tests: the shipped protocol files, expanded and blinded as the
// CLI's reports judge them.
#include "core/calendar.hpp"
#include "core/compliance.hpp"
#include "core/protocol_parser.hpp"
#include "tests/core/seed_protocols.hpp"

#include <boost/test/unit_test.hpp>
#include <date/date.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>

namespace compliance_fixtures {

using namespace date::literals;
using trialcal::Administration;
using trialcal::Calendar;
using trialcal::CalendarRequest;

// ---------------------------------------------------------------------------
// Calendars from the shipped protocol files

using seed_protocols::protocol;

// The plan a report is judged on: expanded for the patient, then blinded as the
// CLI shows it (unchanged for an open-label protocol).
inline Calendar plan(const std::string& file, const CalendarRequest& r) {
    const auto& p = protocol(file);
    auto c = trialcal::expand(p, r);
    if (!c) BOOST_TEST_MESSAGE("expand failed: " << c.error().message);
    BOOST_TEST_REQUIRE(c.has_value());
    return trialcal::blind(std::move(c).value(), p);
}

// DF-IL2, day 0 = 2027-03-01: doses IL2-D1..D5 on 03-02..03-06, window [0, 0];
// visits V-D0..V-D6 on 03-01..03-07 [0, 0], V-D15 03-16 [-1, +1],
// V-D22 03-23 [-1, +1], V-D60 04-30 [-3, +3].
inline Calendar df_il2() { return plan("df-il2.toml", {.day0 = 2027_y / 3 / 1, .arm = "IL2-2", .cohort = {}, .weight_kg = {}}); }

// TRANSREG, cohort RA, day 0 = 2027-01-04 (open label, 1 MIU):
// induction IL2-D1..D5 = 01-05..01-09 [0, 0]; maintenance IL2-D15, D29, ... D183
// (13 doses) [-2, +2]: D15 01-19, D29 02-02, D43 02-16, D57 03-02, D71 03-16,
// D85 03-30, D99 04-13, ... D183 07-06. 18 doses in all.
inline Calendar transreg_ra() {
    return plan("transreg.toml", {.day0 = 2027_y / 1 / 4, .arm = {}, .cohort = "RA", .weight_kg = {}});
}

// NCT05153070 v2, arm ILT-101, 60 kg, day 0 = 2027-03-01: ciclosporin
// 5 mg/kg x 60 kg = 300 mg per intake, CSA-D1-AM, CSA-D1-PM ... CSA-D60-PM
// (03-02 .. 04-30, 120 doses, [0, 0]); ILT101 blinded (1 ml shown): D63..D67
// (05-03..05-07) [0, 0] and D74..D354 weekly [-1, +1]: 46 doses.
inline Calendar nct_v2_60kg() {
    return plan("nct05153070-v2.toml", {.day0 = 2027_y / 3 / 1, .arm = "ILT-101", .cohort = {}, .weight_kg = 60.0});
}

// ---------------------------------------------------------------------------
// Records

// UTC seconds of a wall time, the site taken at UTC: any increasing numbers do.
inline std::int64_t utc(date::sys_days day, int hh, int mm) {
    const auto t = std::chrono::sys_seconds{day} + std::chrono::hours{hh} + std::chrono::minutes{mm};
    return t.time_since_epoch().count();
}

inline Administration dose(std::int64_t record, std::string product, date::sys_days day, int hh, int mm,
                    std::optional<std::string> event = {}, std::optional<double> amount = {}) {
    const auto wall = date::local_days{day.time_since_epoch()} + std::chrono::hours{hh} + std::chrono::minutes{mm};
    return Administration{record, std::move(product), day, utc(day, hh, mm), std::move(event), amount, wall};
}

}  // namespace compliance_fixtures
