// End-to-end: import patients, import doses, randomization import. Every row
// or none; errors name file:line and the column; the list stays sealed.
#include "tests/support/clinic.hpp"

#include <boost/test/unit_test.hpp>

using namespace trialcal::test;

namespace {

struct Site : Clinic {
    Site() { now = "2027-03-20T12:00:00Z"; }
    std::string file(const std::string& name, const std::string& text) const { return dir.write(name, text).string(); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_import)

BOOST_FIXTURE_TEST_CASE(randomization_list_assigns_sealed_arms, Site) {
    const auto list = file("r.csv", "randomization_number,arm\n101,IL2-1\n102,IL2-4\n");
    const std::string loaded = ok({"randomization", "import", list, "--protocol", "DF-IL2"});
    BOOST_TEST(loaded == "Loaded 2 randomization numbers for DF-IL2; the arms are sealed to the unblinding key.\n");
    const std::string enrolled = ok({"enroll", "P1", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01",
                                     "--randomization-number", "101"});
    BOOST_TEST(contains(enrolled, "(arm blinded)"));
    BOOST_TEST(!contains(enrolled, "IL2-1"));
    refused(1, "101", {"enroll", "P2", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01",
                       "--randomization-number", "101"});
    refused(65, "999", {"enroll", "P2", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01",
                        "--randomization-number", "999"});
    // The arm shows only unblinded, and the unblinding is audited.
    BOOST_TEST(!contains(ok({"audit"}), "IL2-1"));
    BOOST_TEST(contains(ok({"audit", "--unblinded", "--reason", "SAE"}), "arm=IL2-1"));
    BOOST_TEST(count(ok({"audit", "--format", "csv"}), ",unblind,") == 1u);
}

BOOST_FIXTURE_TEST_CASE(randomization_list_errors_never_repeat_an_arm, Site) {
    refused(65, "r.csv:3: column arm", {"randomization", "import",
                                        file("r.csv", "randomization_number,arm\n1,IL2-1\n2,IL2-9\n"), "--protocol",
                                        "DF-IL2"});
    const RunResult r = run({"randomization", "import", file("r2.csv", "randomization_number,arm\n1,IL2-1\n1,IL2-2\n"),
                             "--protocol", "DF-IL2"});
    BOOST_TEST(r.code == 65);
    BOOST_TEST(contains(r.err, "r2.csv:3: column randomization_number: 1 appears twice"), r.err);
    BOOST_TEST(!contains(r.err, "IL2-2"));
    refused(65, "TRANSREG has no arms", {"randomization", "import", file("r3.csv", "randomization_number,arm\n1,A\n"),
                                         "--protocol", "TRANSREG"});
}

BOOST_FIXTURE_TEST_CASE(doses_import_seals_each_patients_records_in_one_audit_row, Site) {
    ok({"import", "patients",
        file("p.csv", "patient,protocol,site,day0,cohort,tz\nA,TRANSREG,PSL,2027-03-01,RA,Europe/Paris\n"
                      "B,TRANSREG,PSL,2027-03-01,SLE,Europe/Paris\n")});
    // Rows of the two patients interleaved, as a day's log is: each patient's
    // records are written together, patients in id order, rows in file order
    // within a patient.
    const auto doses = file("d.csv", "patient,at,drug,kit\nB,2027-03-02T09:00,IL2,K1\nA,2027-03-02T09:05,IL2,K2\n"
                                     "B,2027-03-03T09:00,IL2,K3\nA,2027-03-03T09:05,IL2,K4\n");
    BOOST_TEST(ok({"import", "doses", doses}) == "Imported 4 doses from " + doses + ".\n");
    const std::string trail = ok({"audit", "--format", "csv"});
    BOOST_TEST(count(trail, ",import doses,") == 2u);
    BOOST_TEST(contains(trail, ",import doses,A,R1-R2,,file=d.csv doses=2,"), trail);
    BOOST_TEST(contains(trail, ",import doses,B,R3-R4,,file=d.csv doses=2,"), trail);
    BOOST_TEST(contains(trail, "R1: at=2027-03-02T09:05 (Europe/Paris) utc=2027-03-02T08:05:00Z product=IL2 "
                               "amount= event= kit=K2 note=\nR2: at=2027-03-03T09:05"),
               trail);
    BOOST_TEST(ok({"audit", "verify"}).rfind("audit trail intact: 10 rows, accounting for", 0) == 0u);  // key, 3 sites, 2 screenings, 2 enrollments, 2 imports

    // A record changed behind trialcal's back breaks the seal of its import.
    run_shell("sqlite3 " + sh_quote(db.string()) +
              " \"DROP TRIGGER record_no_update; UPDATE record SET kit = 'K9' WHERE id = 4\"");
    const RunResult broken = run({"audit", "verify"});
    BOOST_TEST(broken.code == 65);
    BOOST_TEST(contains(broken.err, "(import doses of B): the 2 row(s) it wrote were changed after they were written"),
               broken.err);
}

// A row's place is said once, at the head of the message, and each column
// named plainly after it.
BOOST_FIXTURE_TEST_CASE(a_randomised_row_without_arm_names_its_row_once, Site) {
    const std::string before = bytes();
    const RunResult r = run_at(now, {"import", "patients", file("p.csv", "patient,protocol,site,day0,weight_kg\n"
                                                                  "N1,NCT05153070,PSL,2027-03-01,60\n")}, false);
    BOOST_TEST(r.code == 65, r.err);
    BOOST_TEST(contains(r.err, "p.csv:2: NCT05153070 is randomised: give column randomization_number (or column arm "
                               "from an outside randomisation system)\n"),
               r.err);
    BOOST_TEST(count(r.err, "p.csv:2") == 1u, r.err);
    BOOST_TEST((bytes() == before));
}

BOOST_FIXTURE_TEST_CASE(patients_import_with_bom_and_crlf, Site) {
    const auto csv = file("p.csv",
                          "\xEF\xBB\xBFpatient,protocol,site,day0,arm,cohort,weight_kg,tz\r\n"
                          "P1,DF-IL2,PSL,2027-03-01,IL2-2,,,Europe/Paris\r\n"
                          "P2,TRANSREG,LYON,2027-03-02,,SLE,,Europe/Paris\r\n"
                          "P3,NCT05153070@1,PSL,2027-03-03,placebo,,60,Europe/Paris\r\n");
    BOOST_TEST(ok({"import", "patients", csv}) == "Imported 3 patients from " + csv + ".\n");
    const std::string p2 = ok({"calendar", "P2", "--format", "json"});
    BOOST_TEST(count(p2, "\"kind\": \"dose\"") == 31u);
    const std::string p3 = ok({"calendar", "P3", "--format", "json"});
    BOOST_TEST(contains(p3, "\"version\": \"1\""));
    BOOST_TEST(count(p3, "\"amount\": 425") == 60u);
    BOOST_TEST(count(ok({"audit", "--format", "csv"}), ",enroll,") == 3u);
}

// What a French spreadsheet exports: ';' between cells and decimal commas.
// The patient weighing "62,5" kg has the calendar of one weighing 62.5, and a
// dose of "2,5" mg is recorded as 2.5 mg.
BOOST_FIXTURE_TEST_CASE(semicolons_and_decimal_commas_from_a_french_spreadsheet, Site) {
    ok({"import", "patients", file("fr.csv", "patient;protocol;site;day0;arm;weight_kg;tz\r\n"
                                             "F1;NCT05153070@1;PSL;2027-03-03;placebo;62,5;Europe/Paris\r\n")});
    ok({"import", "patients", file("en.csv", "patient,protocol,site,day0,arm,weight_kg,tz\n"
                                             "E1,NCT05153070@1,PSL,2027-03-03,placebo,62.5,Europe/Paris\n")});
    const std::string f1 = ok({"calendar", "F1", "--format", "json"}), e1 = ok({"calendar", "E1", "--format", "json"});
    BOOST_TEST(f1.substr(f1.find("\"events\"")) == e1.substr(e1.find("\"events\"")));
    BOOST_TEST(!contains(f1, "\"amount\": 425"));  // not the 60 kg amounts: the weight was read as 62.5
    ok({"import", "doses", file("fr-doses.csv", "patient;at;drug;amount;unit\n"
                                                "F1;2027-03-04T08:00;ciclosporin;2,5;mg\n")});
    BOOST_TEST(contains(ok({"audit", "--patient", "F1", "--format", "csv"}), "amount=2.5 mg"));
}

BOOST_FIXTURE_TEST_CASE(a_bad_row_in_the_middle_imports_nothing, Site) {
    ok({"import", "patients", file("first.csv", "patient,protocol,site,day0,arm\nP0,DF-IL2,PSL,2027-03-01,IL2-1\n")});
    const std::string rows = "patient,protocol,site,day0,cohort\nP1,TRANSREG,LYON,2027-03-01,RA\n";
    refused(65, "bad.csv:3: column day0: '2027-02-30' is not a calendar date",
            {"import", "patients", file("bad.csv", rows + "P2,TRANSREG,LYON,2027-02-30,RA\nP3,TRANSREG,LYON,2027-03-01,RA\n")});
    refused(65, "cohort.csv:3: column cohort: missing cohort",
            {"import", "patients", file("cohort.csv", rows + "P2,TRANSREG,LYON,2027-03-01,\n")});
    refused(65, "arm.csv:3: column arm: unknown arm 'X'",
            {"import", "patients", file("arm.csv", "patient,protocol,site,day0,arm\nP1,DF-IL2,PSL,2027-03-01,IL2-1\n"
                                                    "P2,DF-IL2,PSL,2027-03-01,X\n")});
    const std::vector<std::string> dup{"import", "patients", file("dup.csv", rows + "P1,TRANSREG,LYON,2027-03-01,RA\n")};
    screen_before(now, dup);  // P1 screened: what is refused is the second row
    refused(1, "dup.csv:3: patient 'P1' is already enrolled", dup);
    refused(1, "again.csv:2: patient 'P0' is already enrolled",
            {"import", "patients", file("again.csv", "patient,protocol,site,day0,cohort\nP0,TRANSREG,LYON,2027-03-01,RA\n")});
    refused(65, "unknown protocol 'NOPE'",
            {"import", "patients", file("proto.csv", rows + "P2,NOPE,LYON,2027-03-01,RA\n")});
    refused(65, "missing column 'day0'", {"import", "patients", file("cols.csv", "patient,protocol,site\nP1,DF-IL2,PSL\n")});
    refused(65, "unknown column 'colour'",
            {"import", "patients", file("extra.csv", "patient,protocol,site,day0,colour\nP1,DF-IL2,PSL,2027-03-01,red\n")});
    refused(65, "no rows below the header", {"import", "patients", file("empty.csv", "patient,protocol,site,day0\n")});
    refused(65, "empty file", {"import", "patients", file("nothing.csv", "")});
    refused(66, "missing.csv", {"import", "patients", (dir.path() / "missing.csv").string()});
}

BOOST_FIXTURE_TEST_CASE(doses_import_matches_like_dose, Site) {
    ok({"import", "patients", file("p.csv", "patient,protocol,site,day0,arm,weight_kg,tz\n"
                                             "P1,DF-IL2,PSL,2027-03-01,IL2-2,,Europe/Paris\n"
                                             "P2,NCT05153070,PSL,2027-03-01,ILT-101,60,Europe/Paris\n")});
    const auto doses = file("d.csv",
                            "patient,at,drug,amount,unit,event,kit,note\n"
                            "P1,2027-03-02T09:00,aldesleukin or placebo,,,,K1,\n"
                            "P1,2027-03-03 09:10,IL2,,,,K1,\"late, but fine\"\n"
                            "P2,2027-03-02T08:00,ciclosporin,300,mg,CSA-D1-AM,,\n"
                            "P2,2027-03-02T20:00,ciclosporin,310,mg,,,\n");
    BOOST_TEST(ok({"import", "doses", doses}) == "Imported 4 doses from " + doses + ".\n");
    const std::string report = ok({"report", "compliance", "--as-of", "2027-03-03", "--format", "csv"});
    BOOST_TEST(contains(report, "2027-03-03,P1,DF-IL2,1,PSL,on_treatment,aldesleukin or placebo,5,2,2,2,0,0,0,0,0,0,0,0,100.0,100.0"),
               report);
    // Every row ends with the audit chain head that audit verify prints, then
    // whether the report is unblinded (docs/compliance.md: a stable header).
    const std::string verify = ok({"audit", "verify"});
    const std::size_t at = verify.find("head ") + 5;
    const std::string head = verify.substr(at, verify.find('\n', at) - at);  // SEQ:HASH
    const auto rows = lines(report);
    BOOST_TEST(rows.front().substr(rows.front().size() - 21) == ",audit_head,unblinded");
    for (std::size_t i = 1; i < rows.size(); ++i)
        BOOST_TEST(rows[i].ends_with("," + head + ",false"), rows[i]);
    // 310 mg against 300 planned is more than 1 % off: a wrong dose, still given.
    // As of 03-03 the D2 intakes are due, not yet expected. The unnamed 20:00
    // intake's slot is PM (compliance v2): CSA-D1-PM on time.
    BOOST_TEST(contains(report, "2027-03-03,P2,NCT05153070,2,PSL,on_treatment,ciclosporin,120,2,2,2,0,0,0,0,0,1,0,0,100.0,100.0"),
               report);
}

BOOST_FIXTURE_TEST_CASE(a_bad_dose_row_imports_nothing, Site) {
    ok({"import", "patients", file("p.csv", "patient,protocol,site,day0,arm,tz\nP1,DF-IL2,PSL,2027-03-01,IL2-2,Europe/Paris\n")});
    const std::string good = "patient,at,drug,amount,unit,event\nP1,2027-03-02T09:00,IL2,,,\n";
    refused(65, "d1.csv:3: unknown patient 'P9'", {"import", "doses", file("d1.csv", good + "P9,2027-03-03T09:00,IL2,,,\n")});
    refused(65, "d2.csv:3: column at:", {"import", "doses", file("d2.csv", good + "P1,2027-03-32T09:00,IL2,,,\n")});
    refused(65, "d3.csv:3: amount and unit go together", {"import", "doses", file("d3.csv", good + "P1,2027-03-03T09:00,IL2,1,,\n")});
    refused(65, "d4.csv:3: column amount: unit 'mg'", {"import", "doses", file("d4.csv", good + "P1,2027-03-03T09:00,IL2,1,mg,\n")});
    refused(65, "d5.csv:3: column drug: 'aspirin'", {"import", "doses", file("d5.csv", good + "P1,2027-03-03T09:00,aspirin,,,\n")});
    refused(1, "d6.csv:3: column at 2027-02-28T09:00: before day 0",
            {"import", "doses", file("d6.csv", good + "P1,2027-02-28T09:00,IL2,,,\n")});
    // Naming a dose another row merely matched is allowed (named first); naming one another row names is not.
    refused(1, "d7.csv:4: column event IL2-D2 is already named by line 3 of this file",
            {"import", "doses", file("d7.csv", good + "P1,2027-03-03T09:00,IL2,,,IL2-D2\nP1,2027-03-04T09:00,IL2,,,IL2-D2\n")});
    refused(1, "d8.csv:3: column at 2027-03-02T09:00: duplicate of line 2 of this file",
            {"import", "doses", file("d8.csv", good + "P1,2027-03-02T09:00,IL2,,,\n")});
    BOOST_TEST(count(ok({"audit", "--format", "csv"}), ",dose,") == 0u);
}

BOOST_AUTO_TEST_CASE(doses_into_a_missing_database_create_nothing) {
    Site s;
    s.refused(65, "no patient is enrolled yet",
              {"import", "doses", s.file("d.csv", "patient,at,drug\nP1,2027-03-02T09:00,IL2\n")});
}

BOOST_AUTO_TEST_SUITE_END()
