// End-to-end: the patient's course (course.md: Status, Corrections, Dose
// changes, Unscheduled visits). Each command's rules through the CLI, the
// database byte for byte unchanged after each refusal, and the compliance
// of a patient withdrawn at D100 of NCT05153070 v2 against a table worked
// by hand.
#include "tests/support/clinic.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace trialcal::test;

namespace {

const Json& event_of(const Json& calendar, const std::string& id) {
    for (const Json& e : calendar.at("events").items())
        if (e.at("id").str() == id) return e;
    BOOST_FAIL("no event " << id);
    throw std::logic_error("unreachable");
}

const Json& figures_of(const Json& patient, const std::string& drug) {
    for (const Json& d : patient.at("doses").items())
        if (d.at("drug").str() == drug) return d;
    BOOST_FAIL("no drug " << drug);
    throw std::logic_error("unreachable");
}

// N1 in NCT05153070 v2 from Monday 4 January 2027 (D63 = 8 March, D100 =
// 14 April) at a site closed on no day, 60 kg: 300 mg of ciclosporin an intake.
struct Nct : Clinic {
    Nct() {
        now = "2027-06-01T12:00:00Z";
        ok({"enroll", "N1", "--protocol", "NCT05153070@2", "--site", "PSL", "--day0", "2027-01-04", "--arm", "ILT-101",
            "--weight", "60"});
    }
    [[nodiscard]] Json calendar() const { return parse_json(ok({"calendar", "N1", "--format", "json"})); }
    [[nodiscard]] Json report(const std::string& as_of = "2027-06-01") const {
        return parse_json(ok({"report", "compliance", "--as-of", as_of, "--format", "json"})).at("patients").at(0);
    }
};

// T1 in TRANSREG (open label, IL-2 1 MIU), cohort RA, from 1 March 2027:
// induction D1-D5 (2-6 March), fortnightly D15 (16 March), D29 (30 March), D43
// (13 April), D57 (27 April), …
struct Transreg : Clinic {
    Transreg() {
        now = "2027-05-01T12:00:00Z";
        ok({"enroll", "T1", "--protocol", "TRANSREG", "--site", "PSL", "--day0", "2027-03-01", "--cohort", "RA"});
    }
    [[nodiscard]] Json report(const std::string& as_of) const {
        return parse_json(ok({"report", "compliance", "--as-of", as_of, "--format", "json"})).at("patients").at(0);
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_course)

// The hand-worked table. Records: visits D0, D63, D67 on their day and D88 on
// D90 (window +-7: on time); ILT-101 D63-D67 and D74 on their day (on time),
// D81 nothing (missed), D88's dose on D90 (window [-1, +1], late limit 2:
// late), D95 skipped; ciclosporin D1 morning and evening. Withdrawn on D100;
// the early-termination visit on D105; an injection on D109 (after the
// withdrawal, matched to nothing: extra). As of 1 June 2027:
//   ILT-101: planned 46; after D100 the weekly D102-D354 cancelled, 37;
//     expected 9 (D63-D67, D74, D81, D88, D95), given 7 = 6 on time + 1 late,
//     missed 2 (D81, D95 of which skipped 1), extra 1; 77.8 % and 66.7 %.
//   ciclosporin: planned 120 (D1-D60 twice), none cancelled (all before D100),
//     expected 120, given 2 on time, missed 118: 1.7 % and 1.7 %.
//   visits: planned 9 + the early-termination one = 10; cancelled after D100:
//     D179, D270, D361, D536, D719 = 5; done 5 (D0, D63, D67, D88, ET) all on
//     time: 100.0 %.
BOOST_AUTO_TEST_CASE(withdrawn_at_d100_of_nct05153070_v2_equals_the_table_worked_by_hand) {
    const Nct c;
    for (const auto& [id, at] : std::vector<std::pair<std::string, std::string>>{
             {"V-D0", "2027-01-04"}, {"V-D63", "2027-03-08"}, {"V-D67", "2027-03-12"}, {"V-D88", "2027-04-04"}})
        c.ok({"visit", "N1", id, "--at", at});
    for (const std::string day : {"2027-03-08", "2027-03-09", "2027-03-10", "2027-03-11", "2027-03-12", "2027-03-19",
                                  "2027-04-04"})
        c.ok({"dose", "N1", "--drug", "ILT101", "--at", day + "T10:00"});
    c.ok({"skip", "N1", "ILT101-D95", "--reason", "fever"});
    c.ok({"dose", "N1", "--drug", "CSA", "--at", "2027-01-05T08:00"});
    c.ok({"dose", "N1", "--drug", "CSA", "--at", "2027-01-05T20:00"});
    const std::string withdrawn = c.ok({"withdraw", "N1", "--on", "2027-04-14", "--reason", "moved abroad"});
    BOOST_TEST(contains(withdrawn, "patient N1 withdrawn on 2027-04-14 (moved abroad); 42 planned events after it "
                                   "cancelled."),
               withdrawn);
    BOOST_TEST(contains(withdrawn, "early-termination visit V-ET (Early termination) due 2027-04-14 to 2027-04-28"),
               withdrawn);
    c.ok({"visit", "N1", "V-ET", "--at", "2027-04-19"});
    const std::string extra = c.ok({"dose", "N1", "--drug", "ILT101", "--at", "2027-04-23T10:00"});
    BOOST_TEST(contains(extra, "extra"), extra);

    const Json p = c.report();
    BOOST_TEST(p.at("status").str() == "withdrawn");
    BOOST_TEST(p.at("course").at("withdrawn").at("on").str() == "2027-04-14");
    BOOST_TEST(p.at("course").at("withdrawn").at("reason").str() == "moved abroad");
    BOOST_TEST(p.at("course").at("discontinued").is_null());
    struct Row {
        const char* key;
        long long ilt, csa;
    };
    const Json& ilt = figures_of(p, "ILT-101 or placebo");
    const Json& csa = figures_of(p, "ciclosporin");
    for (const Row& r : {Row{"planned", 46, 120}, Row{"expected", 9, 120}, Row{"given", 7, 2}, Row{"on_time", 6, 2},
                         Row{"early", 0, 0}, Row{"late", 1, 0}, Row{"missed", 2, 118}, Row{"skipped", 1, 0},
                         Row{"extra", 1, 0}, Row{"wrong_dose", 0, 0}, Row{"held", 0, 0}, Row{"cancelled", 37, 0}}) {
        BOOST_TEST(ilt.at(r.key).integer() == r.ilt, "ILT-101 " << r.key);
        BOOST_TEST(csa.at(r.key).integer() == r.csa, "ciclosporin " << r.key);
    }
    BOOST_TEST(ilt.at("compliance_pct").number_text() == "77.8");
    BOOST_TEST(ilt.at("on_time_pct").number_text() == "66.7");
    BOOST_TEST(csa.at("compliance_pct").number_text() == "1.7");
    BOOST_TEST(csa.at("on_time_pct").number_text() == "1.7");
    const Json& v = p.at("visits");
    for (const auto& [key, want] : std::vector<std::pair<std::string, long long>>{
             {"planned", 10}, {"expected", 5}, {"done", 5}, {"on_time", 5}, {"out_of_window", 0}, {"missed", 0},
             {"skipped", 0}, {"cancelled", 5}})
        BOOST_TEST(v.at(key).integer() == want, "visits " << key);
    BOOST_TEST(v.at("compliance_pct").number_text() == "100.0");

    // The calendar says the same, event by event.
    const Json cal = c.calendar();
    BOOST_TEST(event_of(cal, "ILT101-D95").at("status").str() == "skipped");
    BOOST_TEST(event_of(cal, "ILT101-D102").at("status").str() == "cancelled");
    BOOST_TEST(event_of(cal, "V-D179").at("status").str() == "cancelled");
    BOOST_TEST(event_of(cal, "ILT101-D81").at("status").str() == "missed");
    const Json& et = event_of(cal, "V-ET");
    BOOST_TEST(et.at("status").str() == "done");
    BOOST_TEST(et.at("date").str() == "2027-04-14");
    BOOST_TEST(et.at("window").at("to").str() == "2027-04-28");
    BOOST_TEST(et.at("early_termination").boolean());
    // The feed cancels what will not happen; the worklist leaves it out.
    const std::string ics = c.ok({"calendar", "N1", "--format", "ics"});
    BOOST_TEST(count(ics, "STATUS:CANCELLED") == 43u);  // the 42 cancelled and the skipped D95
    BOOST_TEST(!contains(c.ok({"due", "--patient", "N1", "--from", "2027-04-20", "--days", "300"}), "V-D179"));
}

BOOST_AUTO_TEST_CASE(status_changes_refused_leave_the_database_as_it_was) {
    const Nct c;
    c.ok({"dose", "N1", "--drug", "ILT101", "--at", "2027-03-08T10:00"});
    c.refused(65, "before day 0", {"withdraw", "N1", "--on", "2027-01-03", "--reason", "moved"});
    c.refused(65, "in the future", {"withdraw", "N1", "--on", "2027-06-02", "--reason", "moved"});
    c.refused(65, "in the future", {"discontinue", "N1", "--on", "2027-06-02", "--reason", "neutropenia"});
    c.refused(1, "R1 records a dose given on 2027-03-08", {"withdraw", "N1", "--on", "2027-03-07", "--reason", "moved"});
    c.refused(2, "--reason", {"withdraw", "N1", "--on", "2027-04-14"});
    c.refused(65, "unknown patient 'N9'", {"withdraw", "N9", "--on", "2027-04-14", "--reason", "moved"});
    c.ok({"withdraw", "N1", "--on", "2027-04-14", "--reason", "moved abroad", "--lost-to-follow-up"});
    c.refused(1, "was withdrawn on 2027-04-14", {"withdraw", "N1", "--on", "2027-04-20", "--reason", "again"});
    c.refused(1, "nothing is left to discontinue", {"discontinue", "N1", "--on", "2027-04-20", "--reason", "x"});
    c.refused(1, "ILT101-D102 is cancelled", {"dose", "N1", "--drug", "ILT101", "--at", "2027-04-16T10:00", "--event",
                                                "ILT101-D102"});
    c.refused(1, "V-D179 is cancelled", {"visit", "N1", "V-D179", "--at", "2027-05-30"});
    c.refused(1, "V-D179 is cancelled", {"skip", "N1", "V-D179", "--reason", "away"});
    c.refused(1, "V-D179 is cancelled", {"shift", "N1", "V-D179", "--days", "3", "--reason", "away"});
    c.refused(1, "V-ET is dated from the withdrawal", {"shift", "N1", "V-ET", "--days", "3", "--reason", "late"});
    const Json p = c.report();
    BOOST_TEST(p.at("course").at("withdrawn").at("lost_to_follow_up").boolean());
}

BOOST_AUTO_TEST_CASE(voiding_a_withdrawal_brings_the_events_back) {
    const Nct c;
    const std::string w = c.ok({"withdraw", "N1", "--on", "2027-04-14", "--reason", "entered for the wrong patient"});
    BOOST_TEST(contains(w, "Recorded R1:"), w);
    BOOST_TEST(c.report().at("visits").at("cancelled").integer() == 5);
    c.ok({"void", "R1", "--reason", "wrong patient"});
    const Json p = c.report();
    BOOST_TEST(p.at("status").str() == "on_treatment");
    BOOST_TEST(p.at("visits").at("cancelled").integer() == 0);
    BOOST_TEST(p.at("visits").at("planned").integer() == 9);  // no early-termination visit
    BOOST_TEST(figures_of(p, "ILT-101 or placebo").at("cancelled").integer() == 0);
    const Json cal = c.calendar();
    BOOST_TEST(cal.at("events").size() == 175u);
    // Withdrawn again, for real now.
    c.ok({"withdraw", "N1", "--on", "2027-04-20", "--reason", "consent withdrawn"});
    BOOST_TEST(c.report().at("status").str() == "withdrawn");
}

// An event's SEQUENCE and STATUS in N1's feed, "3 CANCELLED"; "absent".
std::string feed_state(const Nct& c, const std::string& id) {
    const std::string ics = c.ok({"calendar", "N1", "--format", "ics"});
    const std::size_t uid = ics.find("UID:NCT05153070-N1-" + id + "@trialcal\r\n");
    if (uid == std::string::npos) return "absent";
    const auto value = [&](const std::string& key) {
        const std::size_t at = ics.find(key, uid) + key.size();
        return ics.substr(at, ics.find("\r\n", at) - at);
    };
    return value("SEQUENCE:") + " " + value("STATUS:");
}

// RFC 5545 3.8.7.4: a client ignores an update whose SEQUENCE is not higher
// than the one it has. Each cancellation and each void that brings an event
// back is one change more; the early-termination visit comes with each
// withdrawal and goes out cancelled with each void.
BOOST_AUTO_TEST_CASE(the_feed_sends_every_status_change_and_its_void_with_a_higher_sequence) {
    const Nct c;
    BOOST_TEST(feed_state(c, "ILT101-D109") == "0 CONFIRMED");
    BOOST_TEST(feed_state(c, "V-ET") == "absent");
    c.ok({"skip", "N1", "ILT101-D95", "--reason", "fever"});  // R1
    BOOST_TEST(feed_state(c, "ILT101-D95") == "1 CANCELLED");
    c.ok({"void", "R1", "--reason", "the patient came after all"});
    BOOST_TEST(feed_state(c, "ILT101-D95") == "2 CONFIRMED");

    c.ok({"withdraw", "N1", "--on", "2027-04-14", "--reason", "entered for the wrong patient"});  // R2
    BOOST_TEST(feed_state(c, "ILT101-D109") == "1 CANCELLED");
    BOOST_TEST(feed_state(c, "V-ET") == "0 CONFIRMED");
    c.ok({"void", "R2", "--reason", "wrong patient"});
    BOOST_TEST(feed_state(c, "ILT101-D109") == "2 CONFIRMED");
    BOOST_TEST(feed_state(c, "V-ET") == "1 CANCELLED");
    c.ok({"withdraw", "N1", "--on", "2027-04-20", "--reason", "consent withdrawn"});  // R3
    BOOST_TEST(feed_state(c, "ILT101-D109") == "3 CANCELLED");
    BOOST_TEST(feed_state(c, "V-ET") == "2 CONFIRMED");
    BOOST_TEST(feed_state(c, "ILT101-D95") == "2 CONFIRMED");  // before both withdrawals
    // D102 (16 April): cancelled by the first, not by the second withdrawal.
    BOOST_TEST(feed_state(c, "ILT101-D102") == "2 CONFIRMED");
}

BOOST_AUTO_TEST_CASE(discontinued_treatment_cancels_the_doses_and_the_visits_go_on) {
    const Nct c;
    const std::string out = c.ok({"discontinue", "N1", "--on", "2027-03-10", "--reason", "neutropenia"});
    // ILT-101 after D65: D66, D67 and the 41 weekly ones.
    BOOST_TEST(contains(out, "43 planned doses after it cancelled, visits go on"), out);
    c.refused(1, "was discontinued on 2027-03-10", {"discontinue", "N1", "--on", "2027-03-11", "--reason", "again"});
    const Json p = c.report("2027-03-12");
    BOOST_TEST(p.at("status").str() == "discontinued");
    BOOST_TEST(figures_of(p, "ILT-101 or placebo").at("cancelled").integer() == 43);
    BOOST_TEST(figures_of(p, "ciclosporin").at("cancelled").integer() == 0);  // all before D65
    BOOST_TEST(p.at("visits").at("cancelled").integer() == 0);
    BOOST_TEST(event_of(c.calendar(), "V-D67").at("status").str() != "cancelled");
    // A withdrawal after a discontinuation is still possible.
    c.ok({"withdraw", "N1", "--on", "2027-04-14", "--reason", "moved"});
    BOOST_TEST(c.report().at("status").str() == "withdrawn");
}

BOOST_AUTO_TEST_CASE(a_hold_makes_doses_held_and_a_resume_ends_it) {
    const Transreg c;
    const std::string held = c.ok({"hold", "T1", "IL2", "--from", "2027-03-10", "--reason", "lab value"});
    BOOST_TEST(contains(held, "held from 2027-03-10 until resumed (lab value)"), held);
    c.refused(1, "IL2-D15 is held from 2027-03-10 until resumed",
              {"dose", "T1", "--at", "2027-03-16T10:00", "--event", "IL2-D15"});
    c.refused(1, "already held", {"hold", "T1", "IL2", "--from", "2027-03-20", "--reason", "again"});
    c.refused(1, "not after the hold's first day", {"resume", "T1", "IL2", "--on", "2027-03-10"});
    c.ok({"resume", "T1", "IL2", "--on", "2027-03-20"});
    c.refused(1, "nothing to resume", {"resume", "T1", "IL2", "--on", "2027-03-25"});
    // As of 30 April: D15 held; D1-D5, D29 and D43 missed (their reach ended); D57 due.
    const Json report = c.report("2027-04-30");
    const Json& f = figures_of(report, "aldesleukin (Proleukin)");
    BOOST_TEST(f.at("held").integer() == 1);
    BOOST_TEST(f.at("planned").integer() == 18);
    BOOST_TEST(f.at("expected").integer() == 7);
    const Json cal = parse_json(c.ok({"calendar", "T1", "--format", "json"}));
    BOOST_TEST(event_of(cal, "IL2-D15").at("status").str() == "held");
}

BOOST_AUTO_TEST_CASE(a_dose_change_is_the_amount_wrong_doses_are_judged_against) {
    const Transreg c;
    c.refused(65, "planned in MIU, not mg", {"dose-change", "T1", "IL2", "--from", "2027-03-15", "--amount", "0.5 mg",
                                             "--reason", "AE"});
    c.refused(65, "an interruption", {"dose-change", "T1", "IL2", "--from", "2027-03-15", "--amount", "0 MIU",
                                      "--reason", "AE"});
    c.ok({"dose-change", "T1", "IL2", "--from", "2027-03-15", "--amount", "0.5 MIU", "--reason", "eosinophilia"});
    const Json cal = parse_json(c.ok({"calendar", "T1", "--format", "json"}));
    BOOST_TEST(event_of(cal, "IL2-D5").at("amount").number_text() == "1");
    BOOST_TEST(event_of(cal, "IL2-D15").at("amount").number_text() == "0.5");
    c.ok({"dose", "T1", "--at", "2027-03-16T10:00", "--amount", "1 MIU"});   // the old amount: wrong now
    c.ok({"dose", "T1", "--at", "2027-03-30T10:00", "--amount", "0.5 MIU"});  // the new one
    const Json report = c.report("2027-03-31");
    const Json& f = figures_of(report, "aldesleukin (Proleukin)");
    BOOST_TEST(f.at("given").integer() == 2);
    BOOST_TEST(f.at("wrong_dose").integer() == 1);
}

BOOST_AUTO_TEST_CASE(a_new_weight_computes_the_weight_based_doses_from_its_date) {
    const Nct c;
    c.refused(65, "not a body weight", {"weight", "N1", "--kg", "0", "--on", "2027-01-10", "--reason", "x"});
    const std::string out = c.ok({"weight", "N1", "--kg", "70", "--on", "2027-01-10", "--reason", "weighed again"});
    // From D6 (10 January) to D60: 55 days x 2 intakes at 350 mg instead of 300.
    BOOST_TEST(contains(out, "110 planned doses computed again (ciclosporin 350 mg from 2027-01-10)"), out);
    const Json cal = c.calendar();
    BOOST_TEST(event_of(cal, "CSA-D5-PM").at("amount").number_text() == "300");
    BOOST_TEST(event_of(cal, "CSA-D6-AM").at("amount").number_text() == "350");
}

BOOST_AUTO_TEST_CASE(an_unscheduled_visit_is_listed_and_never_counted) {
    const Nct c;
    const Json before = c.report().at("visits");
    c.refused(2, "--unscheduled takes no event id",
              {"visit", "N1", "V-D0", "--unscheduled", "--at", "2027-02-01", "--reason", "fever"});
    c.refused(2, "--reason is required", {"visit", "N1", "--unscheduled", "--at", "2027-02-01"});
    const std::string out =
        c.ok({"visit", "N1", "--unscheduled", "--at", "2027-02-01", "--reason", "fever", "--name", "Fever check"});
    BOOST_TEST(contains(out, "unscheduled visit \"Fever check\" of patient N1 on 2027-02-01 (fever)"), out);
    const Json cal = c.calendar();
    const Json& u = event_of(cal, "R1");
    BOOST_TEST(u.at("kind").str() == "visit");
    BOOST_TEST(u.at("unscheduled").boolean());
    BOOST_TEST(u.at("name").str() == "Fever check");
    BOOST_TEST(u.at("date").str() == "2027-02-01");
    const Json p = c.report();
    BOOST_TEST(p.at("unscheduled_visits").size() == 1u);
    BOOST_TEST(p.at("unscheduled_visits").at(0).at("reason").str() == "fever");
    BOOST_TEST(p.at("visits").at("planned").integer() == before.at("planned").integer());
    BOOST_TEST(p.at("visits").at("done").integer() == before.at("done").integer());
}

BOOST_AUTO_TEST_CASE(an_enrollment_entered_in_error_is_voided_while_it_has_no_record) {
    Clinic c;
    c.enroll("P1", "IL2-2");
    c.enroll("P2", "IL2-2");
    c.ok({"dose", "P2", "--at", "2027-03-02T09:00"});
    c.refused(1, "has a live record (R1, dose)", {"void-enrollment", "P2", "--reason", "typo"});
    const std::string out = c.ok({"void-enrollment", "P1", "--reason", "entered twice"});
    BOOST_TEST(contains(out, "Voided the enrollment of patient P1 (entered twice)"), out);
    c.refused(1, "the enrollment was voided", {"dose", "P1", "--at", "2027-03-02T09:00"});
    c.refused(1, "the enrollment was voided", {"void-enrollment", "P1", "--reason", "again"});
    c.refused(1, "already enrolled", {"enroll", "P1", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01",
                                      "--arm", "IL2-2"});
    const Json r = parse_json(c.ok({"report", "compliance", "--format", "json", "--as-of", "2027-03-10"}));
    BOOST_TEST(r.at("patients").size() == 1u);
    BOOST_TEST(r.at("patients").at(0).at("patient").str() == "P2");
    BOOST_TEST(!contains(c.ok({"due", "--from", "2027-03-01"}), "P1 "));
    BOOST_TEST(contains(c.ok({"audit", "--patient", "P1"}), "void enrollment"));
}

BOOST_AUTO_TEST_CASE(a_day0_entered_wrong_is_corrected_and_records_judged_again) {
    Clinic c;
    c.enroll("P1", "IL2-2", "2027-03-01");
    c.ok({"dose", "P1", "--at", "2027-03-03T09:00"});  // meant for D1: day 0 was 2 March
    BOOST_TEST(figures_of(parse_json(c.ok({"report", "compliance", "--as-of", "2027-03-03", "--format", "json"}))
                              .at("patients").at(0),
                          "aldesleukin or placebo")
                   .at("extra")
                   .integer() == 0);
    c.refused(1, "already day 0", {"correct", "P1", "--day0", "2027-03-01", "--reason", "x"});
    c.refused(1, "before it: void it first", {"correct", "P1", "--day0", "2027-03-04", "--reason", "x"});
    const std::string out = c.ok({"correct", "P1", "--day0", "2027-03-02", "--reason", "typed the day before"});
    BOOST_TEST(contains(out, "Corrected day 0 of patient P1 from 2027-03-01 to 2027-03-02"), out);
    const Json cal = parse_json(c.ok({"calendar", "P1", "--format", "json"}));
    BOOST_TEST(cal.at("day0").str() == "2027-03-02");
    BOOST_TEST(event_of(cal, "IL2-D1").at("date").str() == "2027-03-03");
    BOOST_TEST(event_of(cal, "IL2-D1").at("status").str() == "done");
    BOOST_TEST(cal.at("events").size() == 15u);
    const Json p = parse_json(c.ok({"report", "compliance", "--as-of", "2027-03-03", "--format", "json"})).at("patients").at(0);
    BOOST_TEST(figures_of(p, "aldesleukin or placebo").at("on_time").integer() == 1);
    BOOST_TEST(contains(c.ok({"audit", "verify"}), "audit trail intact"));
}

BOOST_AUTO_TEST_CASE(patient_ids_are_unique_ignoring_case_and_ascii) {
    Clinic c;
    c.enroll("D001", "IL2-2");
    c.refused(1, "differs only by case from patient 'D001'",
              {"enroll", "d001", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm", "IL2-2"});
    c.refused(65, "a patient id is made of ASCII letters, digits",
              {"enroll", "Dé2", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm", "IL2-2"});
    c.refused(65, "'/' is not allowed",
              {"enroll", "D/2", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm", "IL2-2"});
    c.ok({"enroll", "D-002_b.3", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm", "IL2-2"});
}

// Eligibility (course.md): NCT05153070 v2's criteria as the file makes them
// exact: age 16-45, diagnosis < 90 days (strict), lymphocytes > 1000
// (strict), and weight loss <= 10 % OR fasting C-peptide >= 0.1 nmol/L.
BOOST_AUTO_TEST_CASE(screening_decides_who_may_be_enrolled) {
    Clinic c;
    c.enroll("P0", "IL2-2");  // the fixture's sites and key; screened by the fixture
    c.screen_first = false;
    const std::vector<std::string> enroll{"--protocol", "NCT05153070@2", "--site", "PSL", "--day0", "2027-03-08",
                                          "--arm", "ILT-101", "--weight", "60"};
    const auto enroll_of = [&](const std::string& patient) {
        std::vector<std::string> args{"enroll", patient};
        args.insert(args.end(), enroll.begin(), enroll.end());
        return args;
    };
    const auto screen = [&](const std::string& patient, const std::vector<std::string>& values) {
        std::vector<std::string> args{"screen", patient, "--protocol", "NCT05153070@2", "--site", "PSL", "--on",
                                      "2027-03-01"};
        for (const auto& v : values) args.insert(args.end(), {"--value", v});
        return args;
    };
    // No screening: not eligible yet.
    c.refused(1, "patient S1 has no screening for NCT05153070 version 2", enroll_of("S1"));
    // Bad values are bad data, and write nothing.
    c.refused(65, "has no criterion 'weight'", screen("S1", {"weight=60"}));
    c.refused(65, "'abc' is not a number", screen("S1", {"age=abc"}));
    c.refused(65, "age is given twice", screen("S1", {"age=20", "age=21"}));
    c.refused(65, "in the future", {"screen", "S1", "--protocol", "NCT05153070@2", "--site", "PSL", "--on",
                                    "2027-03-11", "--value", "age=20"});
    // Exactly at the strict bounds, C-peptide missing and weight loss above 10 %:
    // not eligible, each failure named with its value and bound; the screening is kept.
    const RunResult failed = c.run(screen("S1", {"age=16", "diagnosis=90", "lymphocytes=1000", "weight_loss=12"}));
    BOOST_TEST(failed.code == 1, failed.err);
    BOOST_TEST(contains(failed.out, "is NOT eligible for NCT05153070 version 2"), failed.out);
    BOOST_TEST(contains(failed.err, "diagnosis 90 days: must be below 90 (strict)"), failed.err);
    BOOST_TEST(contains(failed.err, "lymphocytes 1000 /mm3: must be above 1000 (strict)"), failed.err);
    BOOST_TEST(contains(failed.err, "none of weight_loss (12 %: at most 10), c_peptide (missing) passes"), failed.err);
    BOOST_TEST(!contains(failed.err, "age"), failed.err);  // 16 is inside [16, 45]
    c.refused(1, "patient S1 is not eligible for NCT05153070 version 2 (screening S2 on 2027-03-01): diagnosis 90 days",
              enroll_of("S1"));
    // Just inside, C-peptide passing the group: eligible, and enrolled.
    const std::string ok = c.ok(screen("S1", {"age=16", "diagnosis=89", "lymphocytes=1001", "weight_loss=12",
                                              "c_peptide=0.1"}));
    BOOST_TEST(contains(ok, "Screened S3: patient S1 is eligible for NCT05153070 version 2 on 2027-03-01"), ok);
    BOOST_TEST(contains(c.ok(enroll_of("S1")), "Enrolled S1"));
    c.refused(1, "already enrolled: screening comes before enrollment", screen("S1", {"age=20"}));
    // A screening stays valid 30 days (screening_valid_days): day 0 on 1 April is 31 days after.
    c.ok(screen("S2", {"age=30", "diagnosis=10", "lymphocytes=2000", "c_peptide=0.5"}));
    std::vector<std::string> late{"enroll", "S2", "--protocol", "NCT05153070@2", "--site", "PSL", "--day0",
                                  "2027-04-01", "--arm", "ILT-101", "--weight", "60"};
    c.refused(1, "is 31 days before day 0 2027-04-01, more than the 30 days it stays valid", late);
    // For another version, the screening does not count.
    c.refused(1, "has no screening for NCT05153070 version 1",
              {"enroll", "S2", "--protocol", "NCT05153070@1", "--site", "PSL", "--day0", "2027-03-08", "--arm",
               "ILT-101", "--weight", "60"});
    // The report lists every screening, screen failures first to the eye.
    const std::string report = c.ok({"report", "screening"});
    BOOST_TEST(contains(report, "Screenings · 4 · 1 screen failure"), report);  // and P0's
    const Json doc = parse_json(c.ok({"report", "screening", "--format", "json"}));
    const Json& json = doc.at("screenings");  // by site, patient, screening: P0, S1 twice, S2
    BOOST_TEST_REQUIRE(json.size() == 4u);
    BOOST_TEST(json.at(0).at("patient").str() == "P0");
    BOOST_TEST(!json.at(1).at("eligible").boolean());
    BOOST_TEST(json.at(1).at("failed").size() == 3u);
    BOOST_TEST(json.at(2).at("enrolled").boolean());
    BOOST_TEST(!json.at(3).at("enrolled").boolean());
    BOOST_TEST(json.at(2).at("values").at("lymphocytes").number_text() == "1001");
    // In bulk too: all rows or none.
    const fs::path file = c.dir.path() / "screenings.csv";
    std::ofstream(file) << "patient,protocol,site,on,age,diagnosis,lymphocytes,weight_loss,c_peptide,wbc\n"
                           "S3,NCT05153070@2,PSL,2027-03-02,20,10,2000,,0.5,\n"
                           "S4,NCT05153070@2,PSL,2027-03-02,50,10,2000,,0.5,\n";
    const std::string imported = c.ok({"import", "screenings", file.string()});
    BOOST_TEST(contains(imported, "Imported 2 screenings from " + file.string() + ": 1 eligible, 1 screen failure."),
               imported);
    std::ofstream(file) << "patient,protocol,site,on,age,wbc\n"
                           "S5,NCT05153070@2,PSL,2027-03-02,20,\n"
                           "S6,NCT05153070@2,PSL,2027-03-02,20,3000\n";
    c.refused(65, "screenings.csv:3: column wbc", {"import", "screenings", file.string()});
}

BOOST_AUTO_TEST_SUITE_END()
