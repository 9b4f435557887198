// End-to-end: shift and reconsent change a patient's plan, with the reason,
// and keep the old dates in the audit trail.
#include "tests/support/clinic.hpp"
#include "tests/support/patients.hpp"

#include <boost/test/unit_test.hpp>

using namespace trialcal::test;

namespace {

struct Amended : AmendedPatient {
    std::string json() const { return ok({"calendar", "N1", "--format", "json"}); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_plan)

BOOST_FIXTURE_TEST_CASE(reconsent_replaces_events_after_the_date_only, Amended) {
    ok({"dose", "N1", "--at", "2027-03-02T08:00", "--drug", "ciclosporin"});
    const std::string out = ok({"reconsent", "N1", "--version", "2", "--on", "2027-03-10", "--reason", "amendment 2"});
    BOOST_TEST(contains(out, "105 planned events after that date replaced by 156"), out);
    const std::string cal = json();
    BOOST_TEST(contains(cal, "\"version\": \"2\""));
    // v1 once daily D1-D9 (9), v2 twice daily D10-D60 (102), the 46 injections, 9 visits.
    BOOST_TEST(count(cal, "\"kind\": ") == 166u);
    BOOST_TEST(count(cal, "\"drug\": \"ciclosporin\"") == 111u);
    BOOST_TEST(contains(cal, "\"id\": \"CSA-D9\""));
    BOOST_TEST(!contains(cal, "\"id\": \"CSA-D10\""));
    BOOST_TEST(contains(cal, "\"id\": \"CSA-D10-AM\""));
    BOOST_TEST(count(cal, "\"amount\": 425") == 9u);
    BOOST_TEST(count(cal, "\"amount\": 300") == 102u);
    // The record made before the amendment still counts.
    const std::string report = ok({"report", "compliance", "--as-of", "2027-03-02", "--format", "csv"});
    BOOST_TEST(contains(report, ",N1,NCT05153070,2,PSL,on_treatment,ciclosporin,111,1,1,1,0,0,0,0,0,0,0,0,100.0,100.0"), report);
    BOOST_TEST(count(ok({"audit", "--format", "csv"}), ",reconsent,") == 1u);
}

BOOST_FIXTURE_TEST_CASE(reconsent_refusals, Amended) {
    refused(1, "already follows NCT05153070 version 1", {"reconsent", "N1", "--version", "1", "--on", "2027-03-10", "--reason", "x"});
    refused(65, "unknown version '7'", {"reconsent", "N1", "--version", "7", "--on", "2027-03-10", "--reason", "x"});
    refused(1, "before day 0", {"reconsent", "N1", "--version", "2", "--on", "2027-02-10", "--reason", "x"});
    refused(65, "2027-02-30", {"reconsent", "N1", "--version", "2", "--on", "2027-02-30", "--reason", "x"});
    refused(65, "unknown patient 'N9'", {"reconsent", "N9", "--version", "2", "--on", "2027-03-10", "--reason", "x"});
}

BOOST_FIXTURE_TEST_CASE(shift_moves_the_event_and_every_later_one, Amended) {
    const std::string out = ok({"shift", "N1", "V-D63", "--days", "3", "--reason", "back late from holiday"});
    // From D63 on: 8 visits (D63, D67, D88, D179, D270, D361, D536, D719) and 46 injections.
    BOOST_TEST(contains(out, "Moved 54 events of patient N1 by +3 days, from V-D63 (2027-05-03 -> 2027-05-06)"), out);
    const std::string cal = json();
    BOOST_TEST(contains(cal, "\"id\": \"V-D63\",\n      \"kind\": \"visit\",\n      \"day\": 63,\n      \"date\": \"2027-05-06\""));
    BOOST_TEST(contains(cal, "\"id\": \"CSA-D60\",\n      \"kind\": \"dose\",\n      \"day\": 60,\n      \"date\": \"2027-04-30\""));
    const std::string trail = ok({"audit", "--format", "csv"});
    BOOST_TEST(contains(trail, "V-D63=2027-05-03"));
    BOOST_TEST(contains(trail, "V-D63=2027-05-06"));
    BOOST_TEST(contains(trail, "back late from holiday"));
}

BOOST_FIXTURE_TEST_CASE(shift_refusals, Amended) {
    ok({"dose", "N1", "--at", "2027-03-02T08:00", "--drug", "ciclosporin"});
    refused(1, "CSA-D1 (2027-03-02) already has a record", {"shift", "N1", "CSA-D1", "--days", "2", "--reason", "x"});
    refused(1, "before day 0", {"shift", "N1", "CSA-D2", "--days", "-10", "--reason", "x"});
    refused(65, "--days: '0'", {"shift", "N1", "V-D63", "--days", "0", "--reason", "x"});
    refused(65, "--days: 'two'", {"shift", "N1", "V-D63", "--days", "two", "--reason", "x"});
    refused(65, "unknown event 'V-D64'", {"shift", "N1", "V-D64", "--days", "1", "--reason", "x"});
    refused(2, "--reason", {"shift", "N1", "V-D63", "--days", "1"});
}

BOOST_AUTO_TEST_SUITE_END()
