// The compliance report's JSON, CSV and table under version 2: `extra`,
// `held` and `cancelled` everywhere, and JSON's `unscheduled` kept as a copy
// of `extra` for scripts written against version 1.
#include "output/compliance_view.hpp"

#include "tests/support/check.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace date::literals;

namespace {

using trialcal::test::count;

// One patient: 5 planned, 1 held, 1 cancelled, 3 expected, 2 given on time,
// 1 missed, 2 extra; visits 4 planned, 1 cancelled.
std::vector<trialcal::PatientReport> one_patient() {
    trialcal::PatientReport p;
    p.patient = "P1";
    p.protocol = "DF-IL2";
    p.version = "1";
    p.site = "PSL";
    trialcal::ProductCompliance il2;
    il2.product = "IL2";
    il2.figures = {.planned = 5, .expected = 3, .given = 2, .on_time = 2, .missed = 1, .extra = 2, .held = 1,
                   .cancelled = 1};
    p.compliance.doses.push_back(il2);
    p.compliance.visits = {.planned = 4, .expected = 3, .given = 3, .on_time = 3, .cancelled = 1};
    p.drugs = {"aldesleukin"};
    return {p};
}

const trialcal::ReportHeader header{2027_y / 3 / 10, "abc", std::nullopt};

}  // namespace

BOOST_AUTO_TEST_SUITE(compliance_view)

BOOST_AUTO_TEST_CASE(json_has_extra_its_version_1_copy_held_and_cancelled) {
    const std::string j = trialcal::compliance_json(one_patient(), header);
    // Once for the patient, once in the totals.
    BOOST_TEST(count(j, "\"extra\": 2") == 2u, j);
    BOOST_TEST(count(j, "\"unscheduled\": 2") == 2u, j);
    BOOST_TEST(count(j, "\"held\": 1") == 2u, j);
    BOOST_TEST(count(j, "\"cancelled\": 1") == 4u, j);  // doses and visits, patient and totals
    BOOST_TEST(count(j, "\"compliance_pct\": 66.7") == 2u, j);
    // The version 1 keys keep their order; the new ones come beside them.
    BOOST_TEST(count(j, "\"skipped\": 0,\n") >= 1u, j);
    BOOST_TEST(j.find("\"extra\": 2") < j.find("\"unscheduled\": 2"), j);
}

BOOST_AUTO_TEST_CASE(csv_and_table_have_the_new_columns) {
    const std::string csv = trialcal::compliance_csv(one_patient(), header);
    BOOST_TEST(csv.find("as_of,patient,protocol,version,site,status,what,planned,expected,given,on_time,early,late,missed,"
                        "skipped,extra,wrong_dose,held,cancelled,compliance_pct,on_time_pct,audit_head,unblinded\n") == 0u,
               csv);
    BOOST_TEST(count(csv, "2027-03-10,P1,DF-IL2,1,PSL,on_treatment,aldesleukin,5,3,2,2,0,0,1,0,2,0,1,1,66.7,66.7,abc,false\n") == 1u, csv);
    BOOST_TEST(count(csv, "2027-03-10,P1,DF-IL2,1,PSL,on_treatment,visits,4,3,3,3,0,0,0,0,,,,1,100.0,100.0,abc,false\n") == 1u, csv);
    const std::string table = trialcal::compliance_table(one_patient(), header);
    for (const std::string head : {"Extra", "Held", "Cancelled"}) BOOST_TEST(count(table, head) == 1u, head);
    BOOST_TEST(count(table, "Unsched") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
