// End-to-end: the nurse's worklist (trialcal due).
#include "tests/support/clinic.hpp"

#include <boost/test/unit_test.hpp>

using namespace trialcal::test;

namespace {

// P1 (DF-IL2, PSL): D0, D1 done, IL2-D1 given, IL2-D4 skipped.
// Q1 (TRANSREG RA, LYON): induction given, V-D0, V-D1, V-D8 done.
struct Ward : Clinic {
    Ward() {
        now = "2027-03-20T12:00:00Z";
        ok({"enroll", "P1", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm", "IL2-1", "--tz",
            "Europe/Paris"});
        ok({"enroll", "Q1", "--protocol", "TRANSREG", "--site", "LYON", "--day0", "2027-03-01", "--cohort", "RA", "--tz",
            "Europe/Paris"});
        ok({"dose", "P1", "--at", "2027-03-02T09:00"});
        ok({"visit", "P1", "V-D0", "--at", "2027-03-01"});
        ok({"visit", "P1", "V-D1", "--at", "2027-03-02"});
        ok({"skip", "P1", "IL2-D4", "--reason", "adverse event"});
        for (const char* d : {"02", "03", "04", "05", "06"}) ok({"dose", "Q1", "--at", std::string("2027-03-") + d + "T09:00"});
        for (const auto& [v, d] : {std::pair{"V-D0", "01"}, {"V-D1", "02"}, {"V-D8", "09"}})
            ok({"visit", "Q1", v, "--at", std::string("2027-03-") + d});
    }
};

const std::string header =
    "section,date,patient,site,protocol,version,event,kind,day,planned_date,window_from,window_to,overdue_days,what,drug,"
    "amount,unit,route,intake,procedures\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_due)

BOOST_FIXTURE_TEST_CASE(overdue_first_then_each_day_skips_and_records_left_out, Ward) {
    const std::string out = ok({"due", "--site", "PSL", "--from", "2027-03-04", "--days", "2", "--format", "csv"});
    const std::string tolerance = "T-cell immunophenotyping; transcriptomics sample; tolerance check";
    BOOST_TEST(out ==
               header +
                   "overdue,,P1,PSL,DF-IL2,1,V-D2,visit,2,2027-03-03,2027-03-03,2027-03-03,1,\"D2: T-cell "
                   "immunophenotyping, transcriptomics sample, tolerance check\",,,,,," + tolerance + "\n"
                   "overdue,,P1,PSL,DF-IL2,1,IL2-D2,dose,2,2027-03-03,2027-03-03,2027-03-03,1,aldesleukin or placebo "
                   "SC,aldesleukin or placebo,,,SC,,\n"
                   "due,2027-03-04,P1,PSL,DF-IL2,1,V-D3,visit,3,2027-03-04,2027-03-04,2027-03-04,,\"D3: T-cell "
                   "immunophenotyping, transcriptomics sample, tolerance check\",,,,,," + tolerance + "\n"
                   "due,2027-03-04,P1,PSL,DF-IL2,1,IL2-D3,dose,3,2027-03-04,2027-03-04,2027-03-04,,aldesleukin or "
                   "placebo SC,aldesleukin or placebo,,,SC,,\n"
                   "due,2027-03-05,P1,PSL,DF-IL2,1,V-D4,visit,4,2027-03-05,2027-03-05,2027-03-05,,\"D4: T-cell "
                   "immunophenotyping, transcriptomics sample, tolerance check\",,,,,," + tolerance + "\n");
}

BOOST_FIXTURE_TEST_CASE(an_open_window_is_listed_on_the_first_day_of_the_period, Ward) {
    const std::string out = ok({"due", "--site", "LYON", "--from", "2027-03-17", "--days", "1", "--format", "csv"});
    BOOST_TEST(count(out, "\n") == 3u);
    BOOST_TEST(contains(out, "due,2027-03-17,Q1,LYON,TRANSREG,1,V-D15,visit,15,2027-03-16,2027-03-14,2027-03-18,,"));
    BOOST_TEST(contains(out, "due,2027-03-17,Q1,LYON,TRANSREG,1,IL2-D15,dose,15,2027-03-16,2027-03-14,2027-03-18,,"
                             "aldesleukin (Proleukin) 1 MIU SC,aldesleukin (Proleukin),1,MIU,SC,,"));
}

BOOST_FIXTURE_TEST_CASE(json_groups_by_day_and_counts, Ward) {
    const Json j = parse_json(ok({"due", "--from", "2027-03-04", "--days", "2", "--format", "json"}));
    BOOST_TEST(j.at("from").str() == "2027-03-04");
    BOOST_TEST(j.at("to").str() == "2027-03-05");
    // Every site: P1's two, none of Q1's (its D8 visit and induction are done).
    BOOST_TEST(j.at("overdue").size() == 2u);
    BOOST_TEST(j.at("by_day").size() == 2u);
    BOOST_TEST(j.at("by_day").at(0).at("events").size() == 2u);
    BOOST_TEST(j.at("by_day").at(1).at("events").size() == 1u);
    BOOST_TEST(j.at("overdue").at(1).at("blinded").boolean() == true);
    BOOST_TEST(j.at("overdue").at(1).at("drug").str() == "aldesleukin or placebo");
}

BOOST_FIXTURE_TEST_CASE(the_table_says_what_is_overdue_and_due, Ward) {
    const std::string out = ok({"due", "--site", "PSL", "--from", "2027-03-04", "--days", "2"});
    BOOST_TEST(contains(out, "OVERDUE"));
    BOOST_TEST(contains(out, "Thu 2027-03-04 · 2 events"));
    BOOST_TEST(contains(out, "Fri 2027-03-05 · 1 event"));
    BOOST_TEST(!contains(out, "IL2-D4"));  // skipped
    BOOST_TEST(!contains(out, "IL2-1"));   // never the arm
}

BOOST_FIXTURE_TEST_CASE(three_days_exactly_as_planned_minus_what_is_done_or_skipped, Ward) {
    const Json j = parse_json(ok({"due", "--site", "PSL", "--from", "2027-03-04", "--days", "3", "--format", "json"}));
    BOOST_TEST(j.at("from").str() == "2027-03-04");
    BOOST_TEST(j.at("to").str() == "2027-03-06");
    BOOST_TEST(j.at("days").integer() == 3);
    BOOST_TEST(j.at("site").str() == "PSL");
    auto ids = [](const Json& events) {
        std::string s;
        for (std::size_t i = 0; i < events.size(); ++i) s += (i ? " " : "") + events.at(i).at("event").str();
        return s;
    };
    // D2's visit and dose closed on 03-03 with nothing recorded.
    BOOST_TEST(ids(j.at("overdue")) == "V-D2 IL2-D2");
    BOOST_TEST(j.at("overdue").at(0).at("overdue_days").integer() == 1);
    BOOST_TEST(j.at("by_day").size() == 3u);
    BOOST_TEST(j.at("by_day").at(0).at("date").str() == "2027-03-04");
    BOOST_TEST(ids(j.at("by_day").at(0).at("events")) == "V-D3 IL2-D3");
    BOOST_TEST(ids(j.at("by_day").at(1).at("events")) == "V-D4");  // IL2-D4 was skipped
    BOOST_TEST(ids(j.at("by_day").at(2).at("events")) == "V-D5 IL2-D5");
    BOOST_TEST(j.at("by_day").at(2).at("weekday").str() == "Sat");
    const Json& visit = j.at("by_day").at(0).at("events").at(0);
    BOOST_TEST(visit.at("patient").str() == "P1");
    BOOST_TEST(visit.at("kind").str() == "visit");
    BOOST_TEST(visit.at("procedures").size() == 3u);
    BOOST_TEST(visit.at("window").at("from").str() == "2027-03-04");
    const Json& dose = j.at("by_day").at(0).at("events").at(1);
    BOOST_TEST(dose.at("drug").str() == "aldesleukin or placebo");
    BOOST_TEST(dose.at("amount").is_null());  // blinded: no volume in DF-IL2
}

BOOST_FIXTURE_TEST_CASE(without_from_the_period_starts_today_where_the_patient_is, Ward) {
    // 23:30 UTC on 03-03 is already 00:30 on 03-04 in Paris.
    const Json late = parse_json(ok_at("2027-03-03T23:30:00Z", {"due", "--site", "PSL", "--format", "json"}));
    BOOST_TEST(late.at("from").str() == "2027-03-04");
    BOOST_TEST(late.at("days").integer() == 1);
    BOOST_TEST(late.at("overdue").size() == 2u);
    BOOST_TEST(late.at("by_day").at(0).at("events").size() == 2u);
    // 22:30 UTC is still 03-03 there: D2 is due, nothing is overdue yet.
    const Json early = parse_json(ok_at("2027-03-03T22:30:00Z", {"due", "--site", "PSL", "--format", "json"}));
    BOOST_TEST(early.at("from").str() == "2027-03-03");
    BOOST_TEST(early.at("overdue").size() == 0u);
    BOOST_TEST(early.at("by_day").at(0).at("events").size() == 2u);
    BOOST_TEST(early.at("by_day").at(0).at("events").at(1).at("event").str() == "IL2-D2");
}

BOOST_FIXTURE_TEST_CASE(site_filter_and_an_unknown_site, Ward) {
    const std::string lyon = ok({"due", "--site", "LYON", "--from", "2027-03-04", "--days", "3", "--format", "csv"});
    BOOST_TEST(!contains(lyon, ",P1,"));
    BOOST_TEST(count(lyon, "\n") == 1u);  // header only: Q1 has done everything up to its D15 window (03-14)
    const std::string none = ok({"due", "--site", "NOWHERE", "--from", "2027-03-04"});
    BOOST_TEST(contains(none, "No patient is enrolled at site NOWHERE."), none);
    const Json j = parse_json(ok({"due", "--site", "NOWHERE", "--from", "2027-03-04", "--format", "json"}));
    BOOST_TEST(j.at("overdue").size() == 0u);
    BOOST_TEST(j.at("by_day").size() == 1u);
    BOOST_TEST(j.at("by_day").at(0).at("events").size() == 0u);
}

BOOST_FIXTURE_TEST_CASE(bad_values_are_refused, Ward) {
    refused(65, "2027-02-30", {"due", "--from", "2027-02-30"});
    refused(65, "--days", {"due", "--days", "0"});
    refused(65, "--days", {"due", "--days", "abc"});
    refused(2, "xml", {"due", "--format", "xml"});
}

BOOST_AUTO_TEST_SUITE_END()
