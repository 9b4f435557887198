// The zone read from its own TZif file against date-tz, which reads the whole
// database: the same offsets, and the same verdict on every wall time
// (skipped, doubled, or one instant), across the years trials run.
#include "trial/zone_file.hpp"
#include "tests/support/run.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <date/tz.h>

#include <string>

namespace bdata = boost::unit_test::data;
using trialcal::trial::ZoneFile;

namespace {

date::sys_seconds at(int y, unsigned m, unsigned d, int h = 0, int min = 0) {
    return date::sys_days{date::year{y} / date::month{m} / date::day{d}} + std::chrono::hours{h} +
           std::chrono::minutes{min};
}

// Half-hour DST (Lord Howe), no DST (Kolkata, UTC), southern (Sao Paulo,
// Sydney), a date-line jump (Apia), Morocco's Ramadan changes.
const char* const zones[] = {"Europe/Paris",  "Europe/London",      "America/New_York", "Australia/Lord_Howe",
                             "Asia/Kolkata",  "America/Sao_Paulo",  "Australia/Sydney", "Pacific/Apia",
                             "Africa/Casablanca", "UTC",            "America/St_Johns", "Pacific/Chatham"};

}  // namespace

BOOST_AUTO_TEST_SUITE(zone_file)

BOOST_DATA_TEST_CASE(offsets_and_wall_time_verdicts_match_date_tz_from_2020_to_2036, bdata::make(zones), name) {
    const auto file = ZoneFile::load(name);
    BOOST_TEST_REQUIRE(file.has_value());
    const date::time_zone* tz = date::locate_zone(name);
    int checked = 0, skipped = 0, doubled = 0;
    // Every 15 minutes would be 600 000 steps a zone; every 75 minutes
    // still lands on every quarter hour of the day in turn, and on each
    // transition's neighbourhood below.
    for (date::sys_seconds t = at(2020, 1, 1); t < at(2037, 1, 1); t += std::chrono::minutes{75}) {
        const auto offset = file->offset_at(t);
        BOOST_TEST_REQUIRE(offset.has_value());
        BOOST_TEST_REQUIRE(offset->count() == tz->get_info(t).offset.count(), name << " at " << t.time_since_epoch().count());

        const date::local_seconds local{t.time_since_epoch()};
        const auto instants = file->instants_at(local);
        BOOST_TEST_REQUIRE(instants.has_value());
        const auto info = tz->get_info(local);
        const int expected = info.result == date::local_info::nonexistent ? 0
                             : info.result == date::local_info::ambiguous ? 2
                                                                          : 1;
        BOOST_TEST_REQUIRE(instants->count == expected, name << " wall time " << local.time_since_epoch().count());
        if (expected > 0) {
            BOOST_TEST_REQUIRE((instants->earliest == tz->to_sys(local, date::choose::earliest)), name << " " << local.time_since_epoch().count());
            BOOST_TEST_REQUIRE((instants->latest == tz->to_sys(local, date::choose::latest)), name << " " << local.time_since_epoch().count());
        }
        skipped += expected == 0;
        doubled += expected == 2;
        ++checked;
    }
    BOOST_TEST(checked == 119232);  // 6210 days of 75-minute steps
    // Zones with clock changes meet skipped and doubled wall times.
    // Brazil gave up daylight saving in 2019.
    const std::string n = name;
    const bool changes = n != "Asia/Kolkata" && n != "UTC" && n != "America/Sao_Paulo";
    BOOST_TEST((skipped > 0) == changes, name << ": " << skipped << " skipped");
    BOOST_TEST((doubled > 0) == changes, name << ": " << doubled << " doubled");
}

BOOST_AUTO_TEST_CASE(paris_clock_changes_of_2027_are_exact) {
    const auto paris = ZoneFile::load("Europe/Paris");
    BOOST_TEST_REQUIRE(paris.has_value());
    // 2027-03-28 01:00 UTC: 02:00 -> 03:00 local.
    BOOST_TEST(paris->offset_at(at(2027, 3, 28, 0, 59))->count() == 3600);
    BOOST_TEST(paris->offset_at(at(2027, 3, 28, 1, 0))->count() == 7200);
    const auto skipped = paris->instants_at(date::local_seconds{at(2027, 3, 28, 2, 30).time_since_epoch()});
    BOOST_TEST(skipped->count == 0);
    // 2027-10-31 01:00 UTC: 03:00 -> 02:00 local; 02:30 happens twice.
    const auto doubled = paris->instants_at(date::local_seconds{at(2027, 10, 31, 2, 30).time_since_epoch()});
    BOOST_TEST(doubled->count == 2);
    BOOST_TEST((doubled->earliest == at(2027, 10, 31, 0, 30)));
    BOOST_TEST((doubled->latest == at(2027, 10, 31, 1, 30)));
    const auto winter = paris->instants_at(date::local_seconds{at(2027, 12, 31, 9, 0).time_since_epoch()});
    BOOST_TEST(winter->count == 1);
    BOOST_TEST((winter->earliest == at(2027, 12, 31, 8, 0)));
    BOOST_TEST((winter->latest == winter->earliest));
}

BOOST_AUTO_TEST_CASE(past_the_last_transition_the_file_does_not_answer) {
    const auto paris = ZoneFile::load("Europe/Paris");
    BOOST_TEST_REQUIRE(paris.has_value());
    BOOST_TEST(!paris->offset_at(at(2040, 7, 1)).has_value());
    BOOST_TEST(!paris->instants_at(date::local_seconds{at(2040, 7, 1).time_since_epoch()}).has_value());
}

BOOST_AUTO_TEST_CASE(a_zone_without_daylight_saving_answers_for_good) {
    const auto kolkata = ZoneFile::load("Asia/Kolkata");
    BOOST_TEST_REQUIRE(kolkata.has_value());
    BOOST_TEST(kolkata->offset_at(at(2040, 7, 1))->count() == 19800);
    const auto utc = ZoneFile::load("UTC");
    BOOST_TEST_REQUIRE(utc.has_value());
    BOOST_TEST(utc->offset_at(at(2027, 3, 28, 1, 30))->count() == 0);
    BOOST_TEST(utc->instants_at(date::local_seconds{at(2027, 3, 28, 2, 30).time_since_epoch()})->count == 1);
}

BOOST_AUTO_TEST_CASE(only_plain_zone_names_are_opened) {
    BOOST_TEST(ZoneFile::load("Europe/Paris").has_value());
    BOOST_TEST(!ZoneFile::load("").has_value());
    BOOST_TEST(!ZoneFile::load("/usr/share/zoneinfo/Europe/Paris").has_value());
    BOOST_TEST(!ZoneFile::load("../zoneinfo/Europe/Paris").has_value());
    BOOST_TEST(!ZoneFile::load("Europe/Nowhere").has_value());
    BOOST_TEST(!ZoneFile::load("Europe/Paris;rm").has_value());
}

BOOST_AUTO_TEST_CASE(malformed_files_are_refused) {
    BOOST_TEST(!ZoneFile::parse("").has_value());
    BOOST_TEST(!ZoneFile::parse("TZif2").has_value());
    BOOST_TEST(!ZoneFile::parse(std::string(44, '\0')).has_value());
    const std::string bytes = trialcal::test::slurp("/usr/share/zoneinfo/Europe/Paris");
    BOOST_TEST(ZoneFile::parse(bytes).has_value());
    BOOST_TEST(!ZoneFile::parse(bytes.substr(0, bytes.size() / 2)).has_value());
    std::string version1 = bytes;
    version1[4] = '\0';
    BOOST_TEST(!ZoneFile::parse(version1).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
