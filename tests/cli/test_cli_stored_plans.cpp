// End-to-end: a patient's plan read back from the database is judged with
// its regimens' slot times, reach and setting (compliance.md v2), exactly as
// the freshly expanded calendar would be. The stored rows hold dates only.
#include "tests/support/clinic.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace trialcal::test;

BOOST_AUTO_TEST_SUITE(cli_stored_plans)

// TRANSREG RA maintenance: D15 = 2027-03-16, window [-2, +2] (to 03-18),
// late_limit 3 (reach to 03-21). A dose on 03-20 is late, not extra.
BOOST_FIXTURE_TEST_CASE(reach_comes_from_the_regimen_of_a_stored_plan, Clinic) {
    now = "2027-06-01T12:00:00Z";
    ok({"enroll", "A", "--protocol", "TRANSREG", "--cohort", "RA", "--site", "PSL", "--day0", "2027-03-01"});
    const std::string out = ok({"dose", "A", "--at", "2027-03-20T09:00"});
    BOOST_TEST(contains(out, "matched to IL2-D15 (D15 2027-03-16)"), out);
    const std::string csv = ok({"report", "compliance", "--as-of", "2027-03-22", "--format", "csv"});
    // planned 18, expected 6 (D1-D5 missed, D15 late), given 1, late 1, missed 5, extra 0.
    BOOST_TEST(contains(csv, ",A,TRANSREG,1,PSL,on_treatment,aldesleukin (Proleukin),18,6,1,0,0,1,5,0,0,0,0,0,16.7,0.0"), csv);
    // Beyond reach (03-22 is 4 days after the window): extra.
    ok({"dose", "A", "--at", "2027-03-31T09:00"});  // IL2-D29 on time, so the next one has no dose to take
    const std::string far = ok({"dose", "A", "--at", "2027-04-05T09:00"});
    BOOST_TEST(contains(far, "extra"), far);
}

// NCT05153070 v2 ciclosporin AM 08:00 / PM 20:00 (compliance.md example 4):
// 15:00 is the PM slot, so alone it is PM on time; with 20:05 beside it, the
// matching with the most given makes 15:00 AM late and 20:05 PM on time.
BOOST_FIXTURE_TEST_CASE(slots_come_from_the_regimen_of_a_stored_plan, Clinic) {
    now = "2027-06-01T12:00:00Z";
    ok({"enroll", "N", "--protocol", "NCT05153070@2", "--arm", "ILT-101", "--weight", "60", "--site", "PSL", "--day0",
        "2027-03-01"});
    const std::string first = ok({"dose", "N", "--drug", "ciclosporin", "--at", "2027-04-03T15:00"});
    BOOST_TEST(contains(first, "CSA-D33-PM"), first);
    ok({"dose", "N", "--drug", "ciclosporin", "--at", "2027-04-03T20:05"});
    const std::string csv = ok({"report", "compliance", "--as-of", "2027-04-03", "--format", "csv"});
    // D1-D32 twice a day missed (64), D33: AM late, PM on time.
    BOOST_TEST(contains(csv, ",N,NCT05153070,2,PSL,on_treatment,ciclosporin,120,66,2,1,0,1,64,0,0,0,0,0,3.0,1.5"), csv);
}

BOOST_AUTO_TEST_SUITE_END()
