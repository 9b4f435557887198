// End-to-end: the nurse's worklist (trialcal due).
#include "tests/support/clinic.hpp"
#include "tests/support/network.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace trialcal::test;

namespace {

// P1 (DF-IL2, PSL): D0, D1 done, IL2-D1 given, IL2-D4 skipped.
// Q1 (TRANSREG RA, LYON): induction given, V-D0, V-D1, V-D8 done.
struct Ward : Clinic {
    Ward() {
        now = "2027-03-20T12:00:00Z";
        ok({"enroll", "P1", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm", "IL2-1"});
        ok({"enroll", "Q1", "--protocol", "TRANSREG", "--site", "LYON", "--day0", "2027-03-01", "--cohort", "RA"});
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
    "amount,unit,route,intake,procedures,reach_from,reach_to,setting,placed_date,closed_day\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_due)

// DF-IL2 has no early/late limits: D2's visit and dose (03-03) are beyond
// reach on 03-04, so they are missed and left to the report, not listed as
// overdue (compliance v2).
BOOST_FIXTURE_TEST_CASE(each_day_skips_records_and_what_is_beyond_reach_left_out, Ward) {
    const std::string out = ok({"due", "--site", "PSL", "--from", "2027-03-04", "--days", "2", "--format", "csv"});
    const std::string tolerance = "T-cell immunophenotyping; transcriptomics sample; tolerance check";
    BOOST_TEST(out ==
               header +
                   "due,2027-03-04,P1,PSL,DF-IL2,1,V-D3,visit,3,2027-03-04,2027-03-04,2027-03-04,,\"D3: T-cell "
                   "immunophenotyping, transcriptomics sample, tolerance check\",,,,,," + tolerance +
                   ",2027-03-04,2027-03-04,,,false\n"
                   "due,2027-03-04,P1,PSL,DF-IL2,1,IL2-D3,dose,3,2027-03-04,2027-03-04,2027-03-04,,aldesleukin or "
                   "placebo SC,aldesleukin or placebo,,,SC,,,2027-03-04,2027-03-04,site,,false\n"
                   "due,2027-03-05,P1,PSL,DF-IL2,1,V-D4,visit,4,2027-03-05,2027-03-05,2027-03-05,,\"D4: T-cell "
                   "immunophenotyping, transcriptomics sample, tolerance check\",,,,,," + tolerance +
                   ",2027-03-05,2027-03-05,,,false\n");
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
    // Every site: nothing overdue (P1's D2 is beyond reach, DF-IL2 has no
    // limits), none of Q1's (its D8 visit and induction are done).
    BOOST_TEST(j.at("overdue").size() == 0u);
    BOOST_TEST(j.at("by_day").size() == 2u);
    BOOST_TEST(j.at("by_day").at(0).at("events").size() == 2u);
    BOOST_TEST(j.at("by_day").at(1).at("events").size() == 1u);
    const Json& dose = j.at("by_day").at(0).at("events").at(1);
    BOOST_TEST(dose.at("blinded").boolean() == true);
    BOOST_TEST(dose.at("drug").str() == "aldesleukin or placebo");
    BOOST_TEST(dose.at("reach").at("from").str() == "2027-03-04");
    BOOST_TEST(dose.at("reach").at("to").str() == "2027-03-04");
    BOOST_TEST(dose.at("setting").str() == "site");
}

BOOST_FIXTURE_TEST_CASE(the_table_says_what_is_overdue_and_due, Ward) {
    const std::string out = ok({"due", "--site", "PSL", "--from", "2027-03-04", "--days", "2"});
    BOOST_TEST(!contains(out, "OVERDUE"));  // D2 is beyond reach: missed, the report's
    BOOST_TEST(!contains(out, "IL2-D2"));
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
    // D2's visit and dose closed on 03-03 with nothing recorded: with no
    // limits their reach ended too, so they are missed, not listed.
    BOOST_TEST(ids(j.at("overdue")) == "");
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
    BOOST_TEST(late.at("overdue").size() == 0u);  // D2 beyond reach at 00:30 on 03-04
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
    // A site no patient is enrolled at is unknown (issue 12): refused, not an empty list.
    refused(65, "NOWHERE", {"due", "--site", "NOWHERE", "--from", "2027-03-04"});
    refused(65, "NOWHERE", {"due", "--site", "NOWHERE", "--from", "2027-03-04", "--format", "json"});
}

BOOST_FIXTURE_TEST_CASE(bad_values_are_refused, Ward) {
    refused(65, "2027-02-30", {"due", "--from", "2027-02-30"});
    refused(65, "--days", {"due", "--days", "0"});
    refused(65, "--days", {"due", "--days", "abc"});
    refused(2, "xml", {"due", "--format", "xml"});
}

// ---------------------------------------------------------------- compliance v2: reach, home, filters

namespace {

// The ids of the events of a worklist's JSON list, space-separated.
std::string event_ids(const Json& events) {
    std::string s;
    for (std::size_t i = 0; i < events.size(); ++i) s += (i ? " " : "") + events.at(i).at("event").str();
    return s;
}

// Q1's worklist of one day, as JSON.
Json q1_on(const Clinic& c, const std::string& day, const std::string& kind) {
    return parse_json(c.ok({"due", "--patient", "Q1", "--kind", kind, "--from", day, "--format", "json"}));
}

}  // namespace

// TRANSREG RA maintenance IL2-D15: planned 03-16, window [-2, +2] = 03-14..03-18,
// early_limit = late_limit = 3, so reach 03-11..03-21. Q1 has nothing for it.
BOOST_FIXTURE_TEST_CASE(a_dose_is_listed_exactly_while_the_day_is_within_its_reach, Ward) {
    const Json before = q1_on(*this, "2027-03-10", "dose");
    BOOST_TEST(event_ids(before.at("by_day").at(0).at("events")) == "");
    BOOST_TEST(event_ids(before.at("overdue")) == "");
    // First day of reach, three days before the window opens: it can be given early.
    const Json first = q1_on(*this, "2027-03-11", "dose");
    BOOST_TEST(event_ids(first.at("by_day").at(0).at("events")) == "IL2-D15");
    BOOST_TEST(first.at("by_day").at(0).at("events").at(0).at("reach").at("from").str() == "2027-03-11");
    BOOST_TEST(first.at("by_day").at(0).at("events").at(0).at("reach").at("to").str() == "2027-03-21");
    // Last day of the window: due that day.
    const Json last_window = q1_on(*this, "2027-03-18", "dose");
    BOOST_TEST(event_ids(last_window.at("by_day").at(0).at("events")) == "IL2-D15");
    BOOST_TEST(event_ids(last_window.at("overdue")) == "");
    // After the window, within reach: overdue, and still listed.
    const Json after = q1_on(*this, "2027-03-19", "dose");
    BOOST_TEST(event_ids(after.at("overdue")) == "IL2-D15");
    BOOST_TEST(after.at("overdue").at(0).at("overdue_days").integer() == 1);
    const Json last_reach = q1_on(*this, "2027-03-21", "dose");
    BOOST_TEST(event_ids(last_reach.at("overdue")) == "IL2-D15");
    BOOST_TEST(last_reach.at("overdue").at(0).at("overdue_days").integer() == 3);
    // Reach ended on 03-21: missed, off the worklist.
    const Json beyond = q1_on(*this, "2027-03-22", "dose");
    BOOST_TEST(event_ids(beyond.at("overdue")) == "");
    BOOST_TEST(event_ids(beyond.at("by_day").at(0).at("events")) == "");
}

// Visits have no limits: V-D15's reach is its window, 03-14..03-18.
BOOST_FIXTURE_TEST_CASE(a_visit_leaves_the_worklist_when_its_window_ends, Ward) {
    BOOST_TEST(event_ids(q1_on(*this, "2027-03-13", "visit").at("by_day").at(0).at("events")) == "");
    BOOST_TEST(event_ids(q1_on(*this, "2027-03-14", "visit").at("by_day").at(0).at("events")) == "V-D15");
    BOOST_TEST(event_ids(q1_on(*this, "2027-03-18", "visit").at("by_day").at(0).at("events")) == "V-D15");
    const Json beyond = q1_on(*this, "2027-03-19", "visit");
    BOOST_TEST(event_ids(beyond.at("overdue")) == "");
    BOOST_TEST(event_ids(beyond.at("by_day").at(0).at("events")) == "");
}

BOOST_FIXTURE_TEST_CASE(kind_patient_and_protocol_filters, Ward) {
    const auto ids_on = [&](std::vector<std::string> args) {
        args.insert(args.begin(), "due");
        args.insert(args.end(), {"--from", "2027-03-04", "--format", "json"});
        const Json j = parse_json(ok(args));
        return event_ids(j.at("by_day").at(0).at("events"));
    };
    BOOST_TEST(ids_on({}) == "V-D3 IL2-D3");
    BOOST_TEST(ids_on({"--kind", "visit"}) == "V-D3");
    BOOST_TEST(ids_on({"--kind", "dose"}) == "IL2-D3");
    BOOST_TEST(ids_on({"--patient", "P1"}) == "V-D3 IL2-D3");
    BOOST_TEST(ids_on({"--patient", "Q1"}) == "");
    BOOST_TEST(ids_on({"--protocol", "DF-IL2"}) == "V-D3 IL2-D3");
    BOOST_TEST(ids_on({"--protocol", "DF-IL2@1"}) == "V-D3 IL2-D3");
    BOOST_TEST(ids_on({"--protocol", "NCT01353833"}) == "V-D3 IL2-D3");  // DF-IL2's NCT number
    BOOST_TEST(ids_on({"--protocol", "TRANSREG"}) == "");
    refused(65, "P9", {"due", "--patient", "P9"});
    refused(65, "XX-1", {"due", "--protocol", "XX-1"});
    refused(65, "DF-IL2@7", {"due", "--protocol", "DF-IL2@7"});
    refused(65, "pill", {"due", "--kind", "pill"});
}

// NCT05153070 version 1: ciclosporin once a day D1-D60 at 08:00, taken at
// home (setting = "home"); D5 is 03-06. No visit that day.
BOOST_FIXTURE_TEST_CASE(home_doses_only_with_home, Clinic) {
    ok({"enroll", "N1", "--protocol", "NCT05153070@1", "--site", "PSL", "--day0", "2027-03-01", "--arm", "ILT-101",
        "--weight", "60"});
    const Json nurse = parse_json(ok({"due", "--patient", "N1", "--from", "2027-03-06", "--format", "json"}));
    BOOST_TEST(event_ids(nurse.at("by_day").at(0).at("events")) == "");
    const Json home =
        parse_json(ok({"due", "--patient", "N1", "--from", "2027-03-06", "--home", "--format", "json"}));
    BOOST_TEST(event_ids(home.at("by_day").at(0).at("events")) == "CSA-D5");
    BOOST_TEST(home.at("by_day").at(0).at("events").at(0).at("setting").str() == "home");
    const std::string csv = ok({"due", "--patient", "N1", "--from", "2027-03-06", "--home", "--format", "csv"});
    BOOST_TEST(contains(csv, ",CSA-D5,dose,5,2027-03-06,"), csv);
    BOOST_TEST(contains(csv, ",2027-03-06,2027-03-06,home,,false\n"), csv);
}

// The worklist is written a day (table) or an item (JSON, CSV) at a time
// from a compact list; every byte must stay what the whole-list version
// printed, overdue section, days with nothing due and --home included.
BOOST_FIXTURE_TEST_CASE(streamed_worklist_is_byte_for_byte_the_one_printed_whole, TwoSiteNetwork) {
    for (const std::string format : {"table", "json", "csv"}) {
        BOOST_TEST(ok({"due", "--from", "2027-03-04", "--days", "9", "--format", format}) ==
                       expected_output("due_busy." + format),
                   format);
        BOOST_TEST(ok({"due", "--from", "2027-03-19", "--days", "3", "--format", format}) ==
                       expected_output("due_overdue." + format),
                   format);
    }
    BOOST_TEST(ok({"due", "--from", "2027-03-04", "--days", "9", "--home"}) == expected_output("due_busy_home.table"));
}

BOOST_AUTO_TEST_SUITE_END()
