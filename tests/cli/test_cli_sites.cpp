// End-to-end: sites (course.md, Sites). `site add` registers a code with
// its name, zone and closed days; `sites` lists them; enrollment and every
// --site filter refuse an unknown code, naming the known ones; a site's
// patients are in its zone; `site set` renames, and when the closed days
// change, places the events still to come again (SEQUENCE bumped, one audit
// row per patient). Every refusal leaves the database byte for byte.
#include "tests/support/clinic.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace trialcal::test;
namespace bdata = boost::unit_test::data;

namespace {

// A unit with one Paris site closed at weekends and on French holidays.
struct ParisUnit : Clinic {
    // Today is 20 November 2027: T004's screening, on today, is within the
    // 30 days before its day 0 that it stays valid (course.md, Eligibility).
    ParisUnit() {
        now = "2027-11-20T12:00:00Z";
        BOOST_TEST_REQUIRE(ok({"site", "add", "SAT", "--name", "Hôpital Saint-Antoine, Paris", "--tz", "Europe/Paris",
                               "--country", "FR"}) ==
                           "Registered site SAT (Hôpital Saint-Antoine, Paris), time zone Europe/Paris: closed Sat, "
                           "Sun and on FR public holidays.\n");
    }
    // TRANSREG RA from 26 November 2027: D29 (dose and visit, ±2) falls on Christmas.
    std::string enroll_t004() const {
        return ok({"enroll", "T004", "--protocol", "TRANSREG", "--site", "SAT", "--day0", "2027-11-26", "--cohort", "RA"});
    }
};

std::vector<std::string> calendar_args(const std::string& patient) { return {"calendar", patient, "--format", "json"}; }

const Json& event_of(const Json& calendar, const std::string& id) {
    for (const Json& e : calendar.at("events").items())
        if (e.at("id").str() == id) return e;
    BOOST_FAIL("no event " << id);
    throw std::logic_error("unreachable");
}

struct SiteRefusal {
    std::string what;
    int code;
    std::string names;
    std::vector<std::string> args;
};
std::ostream& operator<<(std::ostream& os, const SiteRefusal& r) { return os << r.what; }

const std::vector<SiteRefusal> refusals{
    {"an unknown zone", 65, "'Mars/Olympus' is not an IANA time zone",
     {"site", "add", "MARS", "--name", "Olympus", "--tz", "Mars/Olympus"}},
    {"a code with a space", 65, "CODE 'P SL' may not contain spaces",
     {"site", "add", "P SL", "--name", "x", "--tz", "Europe/Paris"}},
    {"a code with an underscore", 65, "CODE 'P_SL': a site code has letters, digits and '-' only",
     {"site", "add", "P_SL", "--name", "x", "--tz", "Europe/Paris"}},
    {"a three-letter country", 65, "--country 'FRA' is not an ISO 3166-1 alpha-2 country code",
     {"site", "add", "X", "--name", "x", "--tz", "Europe/Paris", "--country", "FRA"}},
    {"a weekday misspelt", 65, "--closed 'sat,sunday': 'sunday' is not a weekday",
     {"site", "add", "X", "--name", "x", "--tz", "Europe/Paris", "--closed", "sat,sunday"}},
    {"a weekday twice", 65, "--closed 'sat,SAT': 'SAT' is not a weekday",
     {"site", "add", "X", "--name", "x", "--tz", "Europe/Paris", "--closed", "sat,SAT"}},
    {"closed every day", 65, "a site closed every day of the week",
     {"site", "add", "X", "--name", "x", "--tz", "Europe/Paris", "--closed", "mon,tue,wed,thu,fri,sat,sun"}},
    {"a holiday calendar there is not", 65, "no holiday calendar for 'DE'",
     {"site", "add", "X", "--name", "x", "--tz", "Europe/Berlin", "--holidays", "DE"}},
    {"no name", 2, "--name TEXT is required", {"site", "add", "X", "--tz", "Europe/Paris"}},
    {"no zone", 2, "--tz ZONE is required", {"site", "add", "X", "--name", "x"}},
    {"a name on two lines", 65, "--name", {"site", "add", "X", "--name", "a\nb", "--tz", "Europe/Paris"}},
    {"a code registered already, in another case", 1, "site 'sat' is already registered as 'SAT'",
     {"site", "add", "sat", "--name", "again", "--tz", "Europe/Paris"}},
    {"set of an unknown site", 65, "unknown site 'NOPE' (sites: SAT)", {"site", "set", "NOPE", "--name", "x"}},
    {"set with nothing to change", 2, "give what changes", {"site", "set", "SAT"}},
    {"set of the zone", 2, "--tz", {"site", "set", "SAT", "--tz", "Europe/London"}},
    {"enrollment at an unknown site", 65, "--site: unknown site 'LYON' (sites: SAT)",
     {"enroll", "T1", "--protocol", "TRANSREG", "--site", "LYON", "--day0", "2027-03-01", "--cohort", "RA"}},
    {"enrollment with a zone of its own", 2, "--tz",
     {"enroll", "T1", "--protocol", "TRANSREG", "--site", "SAT", "--day0", "2027-03-01", "--cohort", "RA", "--tz",
      "Europe/Paris"}},
    {"a report of an unknown site", 65, "--site: unknown site 'LYON' (sites: SAT)",
     {"report", "compliance", "--site", "LYON"}},
    {"the worklist of an unknown site", 65, "--site: unknown site 'LYON' (sites: SAT)", {"due", "--site", "LYON"}},
    {"the feed of an unknown site", 65, "--site: unknown site 'LYON' (sites: SAT)", {"export", "ics", "--site", "LYON"}},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_sites)

BOOST_DATA_TEST_CASE_F(ParisUnit, each_refusal_names_the_value_and_changes_nothing, bdata::make(refusals), r) {
    refused(r.code, r.names, r.args);
}

BOOST_FIXTURE_TEST_CASE(sites_lists_codes_zones_closed_days_and_patients, ParisUnit) {
    ok({"site", "add", "LYON-SUD", "--name", "Centre hospitalier Lyon-Sud", "--tz", "Europe/Paris", "--closed", "sun"});
    (void)enroll_t004();
    BOOST_TEST(ok({"sites", "--format", "csv"}) ==
               "code,name,tz,country,closed,holidays,patients\n"
               "LYON-SUD,Centre hospitalier Lyon-Sud,Europe/Paris,,sun,,0\n"
               "SAT,\"Hôpital Saint-Antoine, Paris\",Europe/Paris,FR,\"sat,sun\",FR,1\n");
    BOOST_TEST(ok({"sites"}) ==
               "Site      Name                          Time zone     Country  Closed    Holidays  Patients\n"
               "-------------------------------------------------------------------------------------------\n"
               "LYON-SUD  Centre hospitalier Lyon-Sud   Europe/Paris  -        Sun       none             0\n"
               "SAT       Hôpital Saint-Antoine, Paris  Europe/Paris  FR       Sat, Sun  FR               1\n");
}

BOOST_FIXTURE_TEST_CASE(a_code_is_found_in_any_case_and_stored_as_registered, ParisUnit) {
    ok({"enroll", "T1", "--protocol", "TRANSREG", "--site", "sat", "--day0", "2027-03-01", "--cohort", "RA"});
    BOOST_TEST(parse_json(ok(calendar_args("T1"))).at("site").str() == "SAT");
    BOOST_TEST(contains(ok({"report", "compliance", "--site", "Sat", "--format", "csv"}), "T1,"));
}

BOOST_FIXTURE_TEST_CASE(enrollment_places_site_events_off_closed_days, ParisUnit) {
    BOOST_TEST(contains(enroll_t004(), "placed off days site SAT is closed"));
    const Json cal = parse_json(ok(calendar_args("T004")));
    // D29 on Saturday 25 December: the open day nearest inside ±2 is Friday 24.
    for (const char* id : {"IL2-D29", "V-D29"}) {
        const Json& e = event_of(cal, id);
        BOOST_TEST(e.at("date").str() == "2027-12-25");
        BOOST_TEST(e.at("window").at("from").str() == "2027-12-23");
        BOOST_TEST(e.at("window").at("to").str() == "2027-12-27");
        BOOST_TEST(e.at("placed_date").str() == "2027-12-24");
        BOOST_TEST(!e.at("closed_day").boolean());
    }
    // Day 0, a Friday, is open: no placed date.
    BOOST_TEST(event_of(cal, "V-D0").at("placed_date").is_null());
    // The table shows both dates.
    const std::string t = ok({"calendar", "T004"});
    BOOST_TEST(contains(t, "2027-12-24 Fri (closed Sat)"), t);
    // The feed sends the day it takes place, at the site's name.
    const std::string ics = ok({"calendar", "T004", "--format", "ics"});
    BOOST_TEST(contains(ics, "DTSTART;VALUE=DATE:20271224\r\nDTEND;VALUE=DATE:20271225\r\nSEQUENCE:0\r\n"), ics);
    BOOST_TEST(contains(ics, "LOCATION:Hôpital Saint-Antoine\\, Paris (SAT)\r\n"), ics);
}

BOOST_FIXTURE_TEST_CASE(site_set_places_again_what_is_to_come_and_audits_it, ParisUnit) {
    ok({"site", "add", "OPEN", "--name", "Open every day", "--tz", "Europe/Paris", "--closed", "none"});
    ok({"enroll", "T5", "--protocol", "TRANSREG", "--site", "OPEN", "--day0", "2027-11-26", "--cohort", "RA"});
    BOOST_TEST(event_of(parse_json(ok(calendar_args("T5"))), "IL2-D29").at("placed_date").is_null());
    now = "2027-12-01T09:00:00Z";
    const std::string out = ok({"site", "set", "OPEN", "--closed", "sat,sun", "--holidays", "FR"});
    BOOST_TEST(contains(out, "Site OPEN (Open every day): closed Sat, Sun and on FR public holidays."), out);
    const Json after = parse_json(ok(calendar_args("T5")));
    BOOST_TEST(event_of(after, "IL2-D29").at("date").str() == "2027-12-25");
    BOOST_TEST(event_of(after, "IL2-D29").at("placed_date").str() == "2027-12-24");
    // Day 0 is past: it stays as it was planned.
    BOOST_TEST(event_of(after, "V-D0").at("placed_date").is_null());
    // The moved event's feed entry is a new SEQUENCE: clients update it.
    const std::string ics = ok({"calendar", "T5", "--format", "ics"});
    BOOST_TEST(contains(ics, "DTSTART;VALUE=DATE:20271224\r\nDTEND;VALUE=DATE:20271225\r\nSEQUENCE:1\r\n"), ics);
    const std::string audit = ok({"audit", "--patient", "T5", "--format", "csv"});
    BOOST_TEST(contains(audit, "place"), audit);
    BOOST_TEST(contains(audit, "IL2-D29 2027-12-25->2027-12-24"), audit);
    // Day 0 (26 November) is past by now: it is left as it was.
    BOOST_TEST(!contains(audit, "V-D0 "), audit);
    BOOST_TEST(contains(ok({"audit", "verify"}), "intact"));
}

BOOST_FIXTURE_TEST_CASE(an_import_names_the_row_of_a_zone_other_than_its_sites, ParisUnit) {
    const fs::path csv = dir.write("p.csv", "patient,protocol,site,day0,cohort,tz\nT1,TRANSREG,SAT,2027-03-01,RA,"
                                            "Europe/Paris\nT2,TRANSREG,SAT,2027-03-01,RA,America/New_York\n");
    screen_before(now, {"import", "patients", csv.string()});  // both rows screened: the zone is what is refused
    refused(65, "p.csv:3: column tz 'America/New_York' is not the zone of site SAT (Europe/Paris)",
            {"import", "patients", csv.string()});
}

BOOST_AUTO_TEST_CASE(enrolling_before_any_site_is_registered_names_the_command) {
    Clinic c;
    c.refused(65, "register it first: trialcal site add",
              {"enroll", "T1", "--protocol", "TRANSREG", "--site", "SAT", "--day0", "2027-03-01", "--cohort", "RA"});
}

BOOST_AUTO_TEST_SUITE_END()
