// End-to-end tests of the writing commands (enroll, dose, visit, skip, void)
// and of what reads them back (calendar PATIENT, report compliance, audit):
// shared/spec/cli.md for exit codes, blinding and "a command that fails
// changes nothing in the database", shared/spec/compliance.md for the figures
// (its worked example is replayed here record by record).
#include "tests/support/clinic.hpp"
#include "tests/support/run.hpp"

#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace trialcal::test;

// The doses of compliance.md's worked example: 03-02 09:00, 03-03 09:10,
// 03-05 08:50, 03-05 17:00, nothing on 03-04 and 03-06.
void worked_example_doses(const Clinic& c, const std::string& patient) {
    const std::string d1 = c.ok({"dose", patient, "--at", "2027-03-02T09:00"});
    BOOST_TEST(contains(d1, "IL2-D1"), d1);
    BOOST_TEST(contains(d1, "on time"), d1);
    const std::string d2 = c.ok({"dose", patient, "--at", "2027-03-03T09:10"});
    BOOST_TEST(contains(d2, "IL2-D2"), d2);
    BOOST_TEST(contains(d2, "on time"), d2);
    const std::string d4 = c.ok({"dose", patient, "--at", "2027-03-05T08:50"});
    BOOST_TEST(contains(d4, "IL2-D4"), d4);
    BOOST_TEST(contains(d4, "on time"), d4);
    // Version 2, reach 0: not D3 a day late but a second dose in D4's slot.
    const std::string extra = c.ok({"dose", patient, "--at", "2027-03-05T17:00"});
    BOOST_TEST(contains(extra, "extra: second dose on 03-05"), extra);
    BOOST_TEST(!contains(extra, "IL2-D3"), extra);
}

// Every figure of one drug's block in the compliance JSON.
void check_dose_figures(const std::string& block, const std::vector<std::string>& fields) {
    for (const auto& f : fields) BOOST_TEST(contains(block, f), "missing " << f << " in " << block);
}

// Compliance v2, worked example 1 (DF-IL2 has no early/late limits): D1, D2
// and D4 on time (03-05 08:50 is nearer D4's noon than 17:00), 03-05 17:00
// extra, D3 and D5 missed.
const std::vector<std::string> worked_example_figures{
    "\"drug\": \"aldesleukin or placebo\"", "\"planned\": 5", "\"expected\": 5", "\"given\": 3", "\"on_time\": 3",
    "\"early\": 0", "\"late\": 0", "\"missed\": 2", "\"skipped\": 0", "\"extra\": 1", "\"unscheduled\": 1",
    "\"wrong_dose\": 0", "\"held\": 0", "\"cancelled\": 0", "\"compliance_pct\": 60.0", "\"on_time_pct\": 60.0"};

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_records)

// ---------------------------------------------------------------- a whole DF-IL2 patient

BOOST_AUTO_TEST_CASE(df_il2_patient_reproduces_the_worked_example) {
    Clinic c;
    const RunResult e = c.run({"enroll", "P001", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm",
                               "IL2-2"});
    BOOST_TEST(e.code == 0, e.err);
    BOOST_TEST(contains(e.out, "P001"), e.out);
    BOOST_TEST(contains(e.out, "arm blinded"), e.out);
    BOOST_TEST(!contains(e.out, "IL2-2"), e.out);
    BOOST_TEST(fs::exists(c.db));

    worked_example_doses(c, "P001");

    // Visits: D0-D4 on their day, D5 a day late (window [0, 0]), D6 not done.
    for (int d = 0; d <= 4; ++d) {
        const std::string out = c.ok({"visit", "P001", "V-D" + std::to_string(d), "--at", "2027-03-0" + std::to_string(d + 1)});
        BOOST_TEST(contains(out, "on time"), out);
    }
    const std::string late = c.ok({"visit", "P001", "V-D5", "--at", "2027-03-07"});
    BOOST_TEST(contains(late, "late"), late);

    const RunResult j = c.run({"report", "compliance", "--as-of", "2027-03-10", "--format", "json"});
    BOOST_TEST_REQUIRE(j.code == 0, j.err);
    BOOST_TEST(contains(j.out, "\"as_of\": \"2027-03-10\""), j.out);
    BOOST_TEST(contains(j.out, "\"patient\": \"P001\""), j.out);
    BOOST_TEST(contains(j.out, "\"protocol\": \"DF-IL2\""), j.out);
    BOOST_TEST(contains(j.out, "\"version\": \"1\""), j.out);
    BOOST_TEST(contains(j.out, "\"site\": \"PSL\""), j.out);
    // Worked example 1 of compliance v2.
    BOOST_TEST(contains(j.out, "\"compliance_pct\": 60.0"), j.out);
    BOOST_TEST(contains(j.out, "\"on_time_pct\": 60.0"), j.out);
    BOOST_TEST(contains(j.out, "\"extra\": 1"), j.out);
    // Every figure of the patient's dose block, and of the totals.
    const std::string patient_doses = json_block(j.out, "doses");
    BOOST_TEST_REQUIRE(!patient_doses.empty(), j.out);
    BOOST_TEST(count(patient_doses, "\"drug\"") == 1u, patient_doses);
    check_dose_figures(patient_doses, worked_example_figures);
    const std::string totals = json_block(j.out, "totals");
    BOOST_TEST_REQUIRE(!totals.empty(), j.out);
    check_dose_figures(json_block(totals, "doses"), worked_example_figures);
    // Visits: 10 planned; as of 03-10 only D0-D6 have closed windows.
    const std::string visits = json_block(j.out, "visits");
    for (const std::string f : {"\"planned\": 10", "\"expected\": 7", "\"done\": 6", "\"on_time\": 5",
                                "\"out_of_window\": 1", "\"missed\": 1", "\"skipped\": 0", "\"compliance_pct\": 85.7",
                                "\"on_time_pct\": 71.4"})
        BOOST_TEST(contains(visits, f), "missing " << f << " in " << visits);
    BOOST_TEST(!contains(j.out, "IL2-2"), j.out);

    // Byte for byte the same when re-run.
    const RunResult j2 = c.run({"report", "compliance", "--as-of", "2027-03-10", "--format", "json"});
    BOOST_TEST(j2.code == 0);
    BOOST_TEST(j2.out == j.out);
    // The as-of date defaults to today at the site (TRIALCAL_NOW is 2027-03-10 12:00 UTC).
    const RunResult jd = c.run({"report", "compliance", "--format", "json"});
    BOOST_TEST(jd.out == j.out);
    // The as-of date cuts records: on 03-03, D1 and D2 (given that day) are
    // expected, both on time; the 03-05 records do not count yet.
    const RunResult early = c.run({"report", "compliance", "--as-of", "2027-03-03", "--format", "json"});
    const std::string early_doses = json_block(early.out, "doses");
    check_dose_figures(early_doses, {"\"expected\": 2", "\"given\": 2", "\"on_time\": 2", "\"missed\": 0",
                                     "\"late\": 0", "\"unscheduled\": 0", "\"compliance_pct\": 100.0"});
    // On 03-04, D3 is due (A inside its window): not yet expected, not missed.
    const RunResult mid = c.run({"report", "compliance", "--as-of", "2027-03-04", "--format", "json"});
    check_dose_figures(json_block(mid.out, "doses"),
                       {"\"expected\": 2", "\"given\": 2", "\"missed\": 0", "\"compliance_pct\": 100.0"});

    const RunResult csv = c.run({"report", "compliance", "--format", "csv"});
    BOOST_TEST_REQUIRE(csv.code == 0, csv.err);
    const auto rows = lines(csv.out);
    BOOST_TEST_REQUIRE(rows.size() >= 2u, csv.out);
    BOOST_TEST(contains(rows[0], "compliance_pct"), rows[0]);
    bool found = false;
    for (const auto& row : rows)
        if (contains(row, "P001") && contains(row, "aldesleukin or placebo")) {
            found = true;
            BOOST_TEST(contains(row, "2027-03-10"), row);
            BOOST_TEST(contains(row, ",60.0,60.0"), row);
        }
    BOOST_TEST(found, csv.out);
    BOOST_TEST(!contains(csv.out, "IL2-2"), csv.out);

    // The trail is intact, and its head is the one the report prints.
    const RunResult v = c.run({"audit", "verify"});
    BOOST_TEST(v.code == 0, v.err);
    BOOST_TEST(contains(v.out, "intact"), v.out);
    const std::string head = json_string(j.out, "audit_head");
    BOOST_TEST(head.substr(head.find(':') + 1).size() == 64u, j.out);  // SEQ:HASH
    BOOST_TEST(contains(v.out, head), v.out << " / " << head);
}

BOOST_AUTO_TEST_CASE(a_void_and_a_new_record_correct_a_dose) {
    Clinic c;
    c.enroll("P001", "IL2-2");
    worked_example_doses(c, "P001");
    // R4 (03-05 17:00, extra: a second dose on 03-05) was for another
    // patient: voided, it is no longer extra; D3 stays missed.
    const std::string v = c.ok({"void", "R4", "--reason", "entered for the wrong patient"});
    BOOST_TEST(contains(v, "R4"), v);
    std::string j = c.ok({"report", "compliance", "--as-of", "2027-03-10", "--format", "json"});
    check_dose_figures(json_block(j, "doses"), {"\"expected\": 5", "\"given\": 3", "\"on_time\": 3", "\"late\": 0",
                                                "\"missed\": 2", "\"extra\": 0", "\"compliance_pct\": 60.0",
                                                "\"on_time_pct\": 60.0"});
    // The true D3, given on 03-04 but entered late.
    const std::string d3 = c.ok({"dose", "P001", "--at", "2027-03-04T09:00", "--event", "IL2-D3"});
    BOOST_TEST(contains(d3, "IL2-D3"), d3);
    BOOST_TEST(contains(d3, "on time"), d3);
    j = c.ok({"report", "compliance", "--as-of", "2027-03-10", "--format", "json"});
    check_dose_figures(json_block(j, "doses"), {"\"expected\": 5", "\"given\": 4", "\"on_time\": 4", "\"late\": 0",
                                                "\"missed\": 1", "\"compliance_pct\": 80.0", "\"on_time_pct\": 80.0"});
    // --by signs instead of $TRIALCAL_USER.
    c.ok({"visit", "P001", "V-D0", "--at", "2027-03-01", "--by", "dr.martin"});
    // Both stay in the trail.
    const std::string trail = c.ok({"audit", "--format", "csv"});
    BOOST_TEST(contains(trail, "entered for the wrong patient"), trail);
    BOOST_TEST(count(trail, ",dose,") == 5u, trail);
    BOOST_TEST(count(trail, ",void,") == 1u, trail);
    BOOST_TEST(contains(trail, ",dr.martin,visit,"), trail);
}

BOOST_AUTO_TEST_CASE(a_skipped_dose_counts_as_missed_with_its_reason) {
    Clinic c;
    c.enroll("P001", "IL2-2");
    worked_example_doses(c, "P001");
    const std::string out = c.ok({"skip", "P001", "IL2-D5", "--reason", "adverse event"});
    BOOST_TEST(contains(out, "IL2-D5"), out);
    const std::string j = c.ok({"report", "compliance", "--as-of", "2027-03-10", "--format", "json"});
    // Compliance v2: D1, D2, D4 on time, 03-05 17:00 extra; D3 missed, D5
    // missed as skipped (skipped is part of missed).
    check_dose_figures(json_block(j, "doses"), {"\"expected\": 5", "\"given\": 3", "\"missed\": 2", "\"skipped\": 1",
                                                "\"extra\": 1", "\"compliance_pct\": 60.0", "\"on_time_pct\": 60.0"});
}

// ---------------------------------------------------------------- refusals change nothing

BOOST_AUTO_TEST_CASE(refused_commands_exit_with_the_contract_code_and_change_nothing) {
    Clinic c;
    c.enroll("P001", "IL2-2");
    c.ok({"dose", "P001", "--at", "2027-03-02T09:00"});                        // R1, IL2-D1
    c.ok({"visit", "P001", "V-D0", "--at", "2027-03-01"});                     // R2
    c.ok({"skip", "P001", "IL2-D5", "--reason", "patient refused"});          // R3
    c.ok({"dose", "P001", "--at", "2027-03-03T09:00"});                        // R4
    c.ok({"void", "R4", "--reason", "entered twice"});
    const std::string trail = c.ok({"audit", "--format", "csv"});
    const std::string report = c.ok({"report", "compliance", "--format", "json"});

    // 1: refused by a rule.
    c.refused(1, "P001", {"enroll", "P001", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm",
                          "IL2-3"});
    c.refused(1, "2027-02-28T09:00", {"dose", "P001", "--at", "2027-02-28T09:00"});
    c.refused(1, "R1", {"dose", "P001", "--at", "2027-03-02T09:00"});  // a duplicate
    c.refused(1, "R4", {"void", "R4", "--reason", "again"});
    c.refused(1, "IL2-D5", {"dose", "P001", "--at", "2027-03-06T09:00", "--event", "IL2-D5"});
    c.refused(1, "V-D0", {"visit", "P001", "V-D0", "--at", "2027-03-01"});
    c.refused(1, "IL2-D5", {"skip", "P001", "IL2-D5", "--reason", "again"});
    c.refused(1, "IL2-D1", {"skip", "P001", "IL2-D1", "--reason", "too late"});
    c.refused(1, "2027-03-12", {"visit", "P001", "V-D1", "--at", "2027-03-12"});

    // 65: bad input data.
    c.refused(65, "2027-03-12T09:00", {"dose", "P001", "--at", "2027-03-12T09:00"});  // in the future
    c.refused(65, "NOPE", {"dose", "NOPE", "--at", "2027-03-03T09:00"});
    c.refused(65, "NOPE", {"visit", "NOPE", "V-D1", "--at", "2027-03-02"});
    c.refused(65, "NOPE", {"skip", "NOPE", "IL2-D2", "--reason", "x"});
    c.refused(65, "IL2-D9", {"dose", "P001", "--at", "2027-03-03T09:00", "--event", "IL2-D9"});
    c.refused(65, "V-D99", {"visit", "P001", "V-D99", "--at", "2027-03-02"});
    c.refused(65, "2027-13-01T09:00", {"dose", "P001", "--at", "2027-13-01T09:00"});
    c.refused(65, "2027-02-30", {"visit", "P001", "V-D1", "--at", "2027-02-30"});
    c.refused(65, "abc", {"dose", "P001", "--at", "2027-03-03T09:00", "--amount", "abc"});
    c.refused(65, "mg", {"dose", "P001", "--at", "2027-03-03T09:00", "--amount", "1 mg"});
    c.refused(65, "penicillin", {"dose", "P001", "--at", "2027-03-03T09:00", "--drug", "penicillin"});
    c.refused(65, "R999", {"void", "R999", "--reason", "x"});
    c.refused(65, "Mars/Olympus", {"site", "add", "MARS", "--name", "Olympus", "--tz", "Mars/Olympus"});
    c.refused(65, "unknown site 'MARS' (sites: LYO, LYON, PSL)", {"enroll", "P009", "--protocol", "DF-IL2", "--site", "MARS",
                                                             "--day0", "2027-03-01", "--arm", "IL2-2"});
    c.refused(65, "IL2-9", {"enroll", "P009", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm",
                            "IL2-9"});
    c.refused(65, "NOPE-1", {"enroll", "P009", "--protocol", "NOPE-1", "--site", "PSL", "--day0", "2027-03-01"});

    // 2: usage.
    c.refused(2, "DF-IL2", {"enroll", "P009", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01"});
    c.refused(2, "--frobnicate", {"dose", "P001", "--at", "2027-03-03T09:00", "--frobnicate"});
    {
        Clinic& anonymous = c;
        const std::string saved = anonymous.user;
        anonymous.user.clear();
        c.refused(2, "--by", {"dose", "P001", "--at", "2027-03-03T09:00"});
        c.refused(2, "--by", {"enroll", "P009", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01",
                              "--arm", "IL2-2"});
        c.refused(2, "--by", {"void", "R1", "--reason", "x"});
        anonymous.user = saved;
    }

    // Nothing shows through the commands either.
    BOOST_TEST(c.ok({"audit", "--format", "csv"}) == trail);
    BOOST_TEST(c.ok({"report", "compliance", "--format", "json"}) == report);
    BOOST_TEST(c.run({"calendar", "P009"}).code == 65);
}

BOOST_AUTO_TEST_CASE(read_only_commands_never_create_the_database) {
    Clinic c;
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{{"audit"}, {"audit", "verify"}, {"audit", "--format", "json"},
                                               {"report", "compliance", "--format", "json"}, {"calendar", "P001"}}) {
        BOOST_TEST_CONTEXT(Clinic::describe(args)) {
            const RunResult r = c.run(args);
            BOOST_TEST(r.code == 66, r.err);
            BOOST_TEST(contains(r.err, c.db.string()), r.err);
            BOOST_TEST(!fs::exists(c.db));
        }
    }
    BOOST_TEST(fs::is_empty(c.dir.path()));
}

// cli.md: "A command that fails changes nothing in the database", and the file
// is "created on first write": a refused write on a missing file must not
// leave a new database behind.
BOOST_AUTO_TEST_CASE(a_refused_write_does_not_create_the_database) {
    const std::vector<std::pair<std::string, std::vector<std::string>>> cases{
        {"NOPE", {"dose", "NOPE", "--at", "2027-03-03T09:00"}},
        {"NOPE", {"visit", "NOPE", "V-D0", "--at", "2027-03-01"}},
        {"R1", {"void", "R1", "--reason", "x"}},
        {"IL2-9", {"enroll", "P009", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm", "IL2-9"}},
    };
    for (const auto& [value, args] : cases) {
        Clinic c;
        c.refused(65, value, args);
        BOOST_TEST(!fs::exists(c.db), Clinic::describe(args) << " left a database behind");
        // A reader afterwards still finds no database.
        BOOST_TEST(c.run({"audit"}).code == 66, Clinic::describe(args));
    }
    // Refused before the database is touched: no file either.
    Clinic c;
    c.refused(65, "register it first: trialcal site add", {"enroll", "P009", "--protocol", "DF-IL2", "--site", "PSL",
                                                           "--day0", "2027-03-01", "--arm", "IL2-2"});
    c.refused(65, "Mars/Olympus", {"site", "add", "MARS", "--name", "Olympus", "--tz", "Mars/Olympus"});
    BOOST_TEST(!fs::exists(c.db));
}

// ---------------------------------------------------------------- NCT05153070: two drugs

BOOST_AUTO_TEST_CASE(nct05153070_doses_of_both_drugs) {
    Clinic c;
    const std::string e = c.ok({"enroll", "N001", "--protocol", "NCT05153070", "--site", "PSL", "--day0", "2027-03-01",
                                "--arm", "ILT-101", "--weight", "60"});
    BOOST_TEST(contains(e, "arm blinded"), e);
    BOOST_TEST(!contains(e, "arm ILT-101"), e);

    // Ciclosporin is open label: 5 mg/kg x 60 kg = 300 mg per intake.
    const std::string am = c.ok({"dose", "N001", "--drug", "ciclosporin", "--amount", "300 mg", "--at", "2027-03-02T08:00"});
    BOOST_TEST(contains(am, "CSA-D1-AM"), am);
    BOOST_TEST(contains(am, "on time"), am);
    const std::string pm = c.ok({"dose", "N001", "--drug", "CSA", "--amount", "250 mg", "--at", "2027-03-02T20:00"});
    BOOST_TEST(contains(pm, "CSA-D1-PM"), pm);
    // Two products: --drug is needed.
    c.refused(2, "--drug", {"dose", "N001", "--at", "2027-03-03T08:00"});
    // The blinded product, by its label, case-insensitive, on D63.
    const std::string later = "2027-05-04T12:00:00Z";
    const std::string ilt = c.ok_at(later, {"dose", "N001", "--drug", "ilt-101 or placebo", "--at", "2027-05-03T09:00"});
    BOOST_TEST(contains(ilt, "ILT101-D63"), ilt);
    BOOST_TEST(contains(ilt, "ILT-101 or placebo"), ilt);
    BOOST_TEST(!contains(ilt, "MIU"), ilt);
    // The volume the nurse handles is accepted, ciclosporin's unit is not.
    c.refused_at(later, 65, "mg", {"dose", "N001", "--drug", "ILT-101 or placebo", "--amount", "300 mg", "--at",
                                   "2027-05-04T09:00"});
    c.ok_at(later, {"dose", "N001", "--drug", "ILT-101 or placebo", "--amount", "1 ml", "--at", "2027-05-04T09:00"});
    // A ciclosporin dose cannot be for an ILT-101 event.
    c.refused_at(later, 1, "ILT101-D65",
                 {"dose", "N001", "--drug", "ciclosporin", "--at", "2027-05-04T10:00", "--event", "ILT101-D65"});

    // Each drug reported on its own.
    const RunResult r = c.run_at(later, {"report", "compliance", "--as-of", "2027-05-04", "--format", "json"});
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    const std::string doses = json_block(r.out, "doses");
    const std::size_t split = doses.find("\"drug\": \"ILT-101 or placebo\"");
    BOOST_TEST_REQUIRE(split != std::string::npos, doses);
    const std::string csa = doses.substr(0, split), blinded = doses.substr(split);
    check_dose_figures(csa, {"\"drug\": \"ciclosporin\"", "\"planned\": 120", "\"expected\": 120", "\"given\": 2",
                             "\"on_time\": 2", "\"wrong_dose\": 1", "\"compliance_pct\": 1.7"});
    // D63 and D64 are matched (D64 is due on A and counts once given).
    check_dose_figures(blinded, {"\"planned\": 46", "\"expected\": 2", "\"given\": 2", "\"on_time\": 2",
                                 "\"wrong_dose\": 0", "\"compliance_pct\": 100.0"});
}

// ---------------------------------------------------------------- blinding

BOOST_AUTO_TEST_CASE(arms_cannot_be_told_apart_without_unblinding) {
    Clinic c;
    c.enroll("PATIENT-A", "IL2-1");
    c.enroll("PATIENT-B", "IL2-4");  // placebo
    for (const std::string format : {"json", "csv", "table"}) {
        BOOST_TEST_CONTEXT(format) {
            const RunResult a = c.run({"calendar", "PATIENT-A", "--format", format});
            const RunResult b = c.run({"calendar", "PATIENT-B", "--format", format});
            BOOST_TEST(a.code == 0, a.err);
            BOOST_TEST(b.code == 0, b.err);
            BOOST_TEST(contains(a.out, "PATIENT-A"));
            BOOST_TEST(replace_all(a.out, "PATIENT-A", "P") == replace_all(b.out, "PATIENT-B", "P"));
            for (const std::string arm : {"IL2-1", "IL2-4", "0.33", "aldesleukin 0.33 MIU"}) {
                BOOST_TEST(!contains(a.out, arm), arm);
                BOOST_TEST(!contains(b.out, arm), arm);
            }
        }
    }
    const std::string json = c.ok({"calendar", "PATIENT-A", "--format", "json"});
    BOOST_TEST(contains(json, "\"arm\": \"blinded\""), json);
    BOOST_TEST(contains(json, "\"blinded\": true"), json);
    BOOST_TEST(contains(json, "\"drug\": \"aldesleukin or placebo\""), json);

    // The same doses, recorded the same way, read the same.
    const std::string da = c.ok({"dose", "PATIENT-A", "--at", "2027-03-02T09:00"});
    const std::string db = c.ok({"dose", "PATIENT-B", "--at", "2027-03-02T09:00"});
    BOOST_TEST(replace_all(replace_all(da, "PATIENT-A", "P"), "R1", "R") ==
               replace_all(replace_all(db, "PATIENT-B", "P"), "R2", "R"));

    // The trail: no arm in any blinded listing, and the enroll rows alike.
    for (const std::string format : {"table", "csv", "json"}) {
        const std::string out = c.ok({"audit", "--format", format});
        BOOST_TEST(!contains(out, "IL2-1"), format << ": " << out);
        BOOST_TEST(!contains(out, "IL2-4"), format << ": " << out);
        BOOST_TEST(!contains(out, "\"sealed\""), format << ": " << out);
    }
    const auto rows_of = [&](const std::string& patient) {
        std::vector<std::string> out;
        const auto all = lines(c.ok({"audit", "--patient", patient, "--format", "csv"}));
        for (std::size_t i = 1; i < all.size(); ++i) {
            // Without seq (first field) and hash (last field).
            const std::string& row = all[i];
            out.push_back(replace_all(row.substr(row.find(',') + 1, row.rfind(',') - row.find(',') - 1), patient, "P"));
        }
        return out;
    };
    const auto ra = rows_of("PATIENT-A"), rb = rows_of("PATIENT-B");
    BOOST_TEST_REQUIRE(ra.size() == 3u);
    BOOST_TEST(contains(ra[0], ",screen,P,S1,"));  // the screenings differ by their number only
    BOOST_TEST(contains(rb[0], ",screen,P,S2,"));
    BOOST_TEST(ra[1] == rb[1]);  // enroll

    // Unblinding needs a reason, and is itself audited.
    const std::string before = c.bytes();
    const RunResult no_reason = c.run({"audit", "--unblinded"});
    BOOST_TEST(no_reason.code == 2, no_reason.err);
    BOOST_TEST(contains(no_reason.err, "--reason"), no_reason.err);
    BOOST_TEST((c.bytes() == before));
    const RunResult un = c.run({"audit", "--unblinded", "--reason", "SAE"});
    BOOST_TEST_REQUIRE(un.code == 0, un.err);
    BOOST_TEST(contains(un.out, "IL2-1"), un.out);
    BOOST_TEST(contains(un.out, "IL2-4"), un.out);
    const std::string after = c.ok({"audit", "--format", "csv"});
    const auto last = lines(after).back();
    BOOST_TEST(contains(last, ",unblind,"), last);
    BOOST_TEST(contains(last, "SAE"), last);
    BOOST_TEST(contains(last, "nurse"), last);
    BOOST_TEST(!contains(after, "IL2-1"), after);
    BOOST_TEST(!contains(after, "IL2-4"), after);

    // An unblinded calendar shows the arm, and is audited too.
    const RunResult cal = c.run({"calendar", "PATIENT-A", "--unblinded", "--reason", "SAE", "--format", "json"});
    BOOST_TEST_REQUIRE(cal.code == 0, cal.err);
    BOOST_TEST(contains(cal.out, "\"arm\": \"IL2-1\""), cal.out);
    BOOST_TEST(contains(cal.out, "0.33"), cal.out);
    BOOST_TEST(count(c.ok({"audit", "--format", "csv"}), ",unblind,") == 2u);
    BOOST_TEST(c.run({"audit", "verify"}).code == 0);
}

BOOST_AUTO_TEST_CASE(nct05153070_arms_read_alike_in_calendars_and_reports) {
    Clinic c;
    c.now = "2027-05-10T12:00:00Z";
    for (const auto& [patient, arm] : {std::pair{"PATIENT-A", "ILT-101"}, std::pair{"PATIENT-B", "placebo"}}) {
        c.ok({"enroll", patient, "--protocol", "NCT05153070", "--site", "PSL", "--day0", "2027-03-01", "--arm", arm,
              "--weight", "60"});
        c.ok({"dose", patient, "--at", "2027-05-03T09:00", "--drug", "ILT-101 or placebo", "--amount", "1 ml"});
        c.ok({"dose", patient, "--at", "2027-03-02T08:00", "--drug", "ciclosporin", "--amount", "300 mg"});
    }
    auto alike = [&](std::vector<std::string> args) {
        BOOST_TEST_CONTEXT(args.back()) {
            auto a = args, b = args;
            a.insert(a.begin() + 1, "PATIENT-A");
            b.insert(b.begin() + 1, "PATIENT-B");
            const std::string ra = replace_all(c.ok(a), "PATIENT-A", "P"), rb = replace_all(c.ok(b), "PATIENT-B", "P");
            BOOST_TEST(ra == rb);
            for (const std::string tell : {"\"drug\": \"ILT-101\"", "\"drug\": \"placebo\"", ",placebo,", "  placebo",
                                           "MIU", "\"arm\": \"ILT", "\"arm\": \"placebo"})
                BOOST_TEST(!contains(ra, tell), tell);
        }
    };
    for (const std::string format : {"json", "csv", "table"}) alike({"calendar", "--format", format});
    for (const std::string format : {"json", "csv", "table"}) {
        BOOST_TEST_CONTEXT(format) {
            const std::string a = c.ok({"report", "compliance", "--patient", "PATIENT-A", "--as-of", "2027-05-03",
                                        "--format", format});
            const std::string b = c.ok({"report", "compliance", "--patient", "PATIENT-B", "--as-of", "2027-05-03",
                                        "--format", format});
            BOOST_TEST(replace_all(a, "PATIENT-A", "P") == replace_all(b, "PATIENT-B", "P"));
            BOOST_TEST(!contains(a, "MIU"));
        }
    }
}

// ---------------------------------------------------------------- the audit chain

BOOST_AUTO_TEST_CASE(audit_verify_names_a_tampered_row) {
    Clinic c;
    c.enroll("P001", "IL2-2");
    worked_example_doses(c, "P001");
    const RunResult ok = c.run({"audit", "verify"});
    BOOST_TEST(ok.code == 0, ok.err);
    BOOST_TEST(contains(ok.out, "intact"), ok.out);
    BOOST_TEST(contains(ok.out, "5"), ok.out);  // rows

    // Someone with sqlite3 and the file moves D3's dose back into its window.
    c.raw_sql("DROP TRIGGER audit_no_update; UPDATE audit SET new = replace(new, '2027-03-05T17:00', "
              "'2027-03-04T17:00') WHERE seq = 10;");  // row 1 installed the key, rows 2-4 registered the sites, 5 screened
    const RunResult bad = c.run({"audit", "verify"});
    BOOST_TEST(bad.code == 65, bad.out << bad.err);
    BOOST_TEST(contains(bad.err, "audit row 10 (dose of P001) was changed after it was written"), bad.err);
    BOOST_TEST(contains(bad.err, "the trigger 'audit_no_update' that trialcal made is gone"), bad.err);
    BOOST_TEST(!contains(bad.out, "intact"), bad.out);
}

BOOST_AUTO_TEST_CASE(audit_verify_names_a_deleted_row) {
    Clinic c;
    c.enroll("P001", "IL2-2");
    worked_example_doses(c, "P001");
    c.raw_sql("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 3;");
    const RunResult bad = c.run({"audit", "verify"});
    BOOST_TEST(bad.code == 65, bad.out << bad.err);
    BOOST_TEST(contains(bad.err, "row 4"), bad.err);
}

BOOST_AUTO_TEST_CASE(the_file_refuses_changes_to_records_even_from_sqlite3) {
    Clinic c;
    c.enroll("P001", "IL2-2");
    c.ok({"dose", "P001", "--at", "2027-03-02T09:00"});
    const std::string before = c.bytes();
    const std::string cmd = "sqlite3 " + sh_quote(c.db.string()) + " " +
                            sh_quote("UPDATE record SET at_local = '2027-03-03T09:00' WHERE id = 1;") + " 2>/dev/null";
    BOOST_TEST(std::system(cmd.c_str()) != 0);
    BOOST_TEST((c.bytes() == before));
}

// The plan is judged against the protocol text stored at enrollment, parsed
// without re-proving its event ids: its SHA-256 must prove it unchanged.
BOOST_AUTO_TEST_CASE(a_tampered_stored_protocol_text_is_refused_not_used) {
    Clinic c;
    c.enroll("P001", "IL2-2");
    c.raw_sql("DROP TRIGGER protocol_file_no_update; UPDATE protocol_file SET text = text || '# edited' || char(10);");
    const std::string before = c.bytes();
    const RunResult r = c.run({"dose", "P001", "--at", "2027-03-02T09:00"});
    BOOST_TEST(r.code == 70, r.out << r.err);
    BOOST_TEST(contains(r.err, "P001"), r.err);
    BOOST_TEST(contains(r.err, "SHA-256"), r.err);
    BOOST_TEST(r.out.empty(), r.out);
    BOOST_TEST((c.bytes() == before));
}

// ---------------------------------------------------------------- time zones

BOOST_AUTO_TEST_CASE(a_wall_time_skipped_by_the_clock_change_is_refused) {
    Clinic c;
    c.now = "2027-03-29T12:00:00Z";
    c.enroll("P001", "IL2-2", "2027-03-27");
    // Europe/Paris: 2027-03-28 02:00 -> 03:00.
    c.refused(65, "2027-03-28T02:30", {"dose", "P001", "--at", "2027-03-28T02:30"});
    const std::string out = c.ok({"dose", "P001", "--at", "2027-03-28T03:30"});
    BOOST_TEST(contains(out, "2027-03-28T03:30"), out);
    BOOST_TEST(contains(out, "IL2-D1"), out);
    const std::string trail = c.ok({"audit", "--format", "csv"});
    BOOST_TEST(contains(trail, "utc=2027-03-28T01:30:00Z"), trail);
}

BOOST_AUTO_TEST_CASE(an_offset_or_utc_time_is_shown_in_site_time) {
    Clinic c;
    c.enroll("P001", "IL2-2");
    const std::string out = c.ok({"dose", "P001", "--at", "2027-03-02T08:00Z"});
    BOOST_TEST(contains(out, "2027-03-02T09:00"), out);
    const std::string trail = c.ok({"audit", "--format", "csv"});
    BOOST_TEST(contains(trail, "utc=2027-03-02T08:00:00Z"), trail);
    // 23:30 UTC on 03-02 is 00:30 on 03-03 in Paris: D2, not D1.
    const std::string late = c.ok({"dose", "P001", "--at", "2027-03-02T23:30+00:00"});
    BOOST_TEST(contains(late, "2027-03-03T00:30"), late);
    BOOST_TEST(contains(late, "IL2-D2"), late);
}

BOOST_AUTO_TEST_SUITE_END()
