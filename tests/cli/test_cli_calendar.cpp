// End-to-end: trialcal calendar --protocol … (a preview), cli.md's JSON shape,
// exit codes and blinding.
#include "tests/support/check.hpp"
#include "tests/support/run.hpp"

#include <boost/test/unit_test.hpp>

using namespace trialcal::test;

BOOST_AUTO_TEST_SUITE(cli_calendar)

BOOST_AUTO_TEST_CASE(nct05153070_v2_preview_has_175_blinded_events) {
    const auto r = ok({"calendar", "--protocol", "NCT05153070", "--day0", "2027-03-01", "--weight", "60", "--format", "json"});
    BOOST_TEST(count(r.out, "\"kind\": ") == 175u);
    BOOST_TEST(count(r.out, "\"kind\": \"visit\"") == 9u);
    BOOST_TEST(contains(r.out, "\"patient\": null"));
    BOOST_TEST(contains(r.out, "\"arm\": \"blinded\""));
    BOOST_TEST(count(r.out, "\"drug\": \"ciclosporin\"") == 120u);
    BOOST_TEST(count(r.out, "\"amount\": 300") == 120u);
    BOOST_TEST(count(r.out, "\"drug\": \"ILT-101 or placebo\"") == 46u);
    BOOST_TEST(count(r.out, "\"unit\": \"ml\"") == 46u);
    BOOST_TEST(count(r.out, "\"blinded\": true") == 46u);
    BOOST_TEST(r.out.find("\"id\": \"V-D0\"") < r.out.find("\"id\": \"CSA-D1-AM\""));
    BOOST_TEST(contains(r.out, "\"id\": \"V-D719\""));
    BOOST_TEST(contains(r.out, "\"date\": \"2029-02-17\""));
}

BOOST_AUTO_TEST_CASE(preview_with_arm_shows_the_product) {
    const auto r = ok({"calendar", "--protocol", "NCT05153070", "--day0", "2027-03-01", "--weight", "60", "--arm",
                       "ilt-101", "--format", "json"});
    BOOST_TEST(contains(r.out, "\"arm\": \"ILT-101\""));
    BOOST_TEST(count(r.out, "\"unit\": \"MIU\"") == 46u);
    BOOST_TEST(count(r.out, "\"blinded\": true") == 0u);
}

BOOST_AUTO_TEST_CASE(version_1_preview_has_115_events_at_425_mg) {
    const auto r = ok({"calendar", "--protocol", "NCT05153070@1", "--day0", "2027-03-01", "--weight", "60", "--format", "json"});
    BOOST_TEST(count(r.out, "\"kind\": ") == 115u);
    BOOST_TEST(count(r.out, "\"amount\": 425") == 60u);
}

BOOST_AUTO_TEST_CASE(unblinded_previews_of_two_arms_differ_blinded_ones_do_not) {
    const std::vector<std::string> base{"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01", "--format", "json"};
    auto with = [&](std::vector<std::string> more) {
        auto a = base;
        a.insert(a.end(), more.begin(), more.end());
        return ok(a).out;
    };
    BOOST_TEST(with({"--arm", "IL2-1"}) != with({"--arm", "IL2-4"}));
    BOOST_TEST(contains(with({"--arm", "IL2-1"}), "\"amount\": 0.33"));
    BOOST_TEST(contains(with({}), "\"drug\": \"aldesleukin or placebo\""));
}

BOOST_AUTO_TEST_CASE(transreg_sle_cohort_in_any_case) {
    const auto r = ok({"calendar", "--protocol", "TRANSREG", "--day0", "2027-03-01", "--cohort", "sle", "--format", "json"});
    BOOST_TEST(count(r.out, "\"kind\": \"visit\"") == 10u);
    BOOST_TEST(count(r.out, "\"kind\": \"dose\"") == 31u);
    BOOST_TEST(contains(r.out, "\"cohort\": \"SLE\""));
}

BOOST_AUTO_TEST_CASE(csv_and_table_shapes) {
    const auto c = ok({"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01", "--format", "csv"});
    BOOST_TEST(count(c.out, "\n") == 16u);
    BOOST_TEST(c.out.rfind("patient,protocol,version,arm,cohort,day0,event,kind,day,date,window_from,window_to,", 0) == 0u);
    const auto t = ok({"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01"});
    BOOST_TEST(contains(t.out, "2027-03-02"));
    BOOST_TEST(contains(t.out, "IL2-D1"));
}

BOOST_AUTO_TEST_CASE(bad_values_exit_with_the_contract_codes) {
    const std::vector<std::string> df{"calendar", "--protocol", "DF-IL2", "--day0"};
    fails(65, {"calendar", "--protocol", "DF-IL2", "--day0", "2027-02-30"}, "2027-02-30");
    fails(65, {"calendar", "--protocol", "DF-IL2", "--day0", "03/01/2027"}, "03/01/2027");
    fails(65, {"calendar", "--protocol", "XX", "--day0", "2027-03-01"}, "'XX'");
    fails(65, {"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01", "--arm", "IL2-9"}, "IL2-1, IL2-2, IL2-3, IL2-4");
    fails(65, {"calendar", "--protocol", "TRANSREG", "--day0", "2027-03-01", "--cohort", "XYZ"}, "SLE");
    fails(2, {"calendar", "--protocol", "TRANSREG", "--day0", "2027-03-01"}, "--cohort");
    fails(2, {"calendar", "--protocol", "NCT05153070", "--day0", "2027-03-01"}, "--weight");
    fails(65, {"calendar", "--protocol", "NCT05153070", "--day0", "2027-03-01", "--weight", "abc"}, "'abc'");
    fails(65, {"calendar", "--protocol", "NCT05153070", "--day0", "2027-03-01", "--weight", "0"}, "--weight");
    fails(65, {"calendar", "--protocol", "NCT05153070", "--day0", "2027-03-01", "--weight", "400"}, "400");
    fails(65, {"calendar", "--protocol", "TRANSREG", "--day0", "2027-03-01", "--cohort", "RA", "--arm", "X"}, "'X'");
    fails(2, {"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01", "--format", "xml"}, "xml");
    fails(2, {"calendar"}, "PATIENT");
}

BOOST_AUTO_TEST_SUITE_END()
