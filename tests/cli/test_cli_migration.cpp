// End-to-end: `trialcal db migrate` on a schema-1 database that trialcal
// 97b1eaf itself wrote (tests/cli/data/schema1: scenario.sh run by
// make_fixture.sh; 7 patients: DF-IL2 ×3 by randomisation number, MS-IL2 and
// NCT05153070 blinded by arm, TRANSREG and OL-IL2 open label; 11 records, a
// void, a shift, a re-consent, an import; 21 audit rows, head 21:441b…).
// Without a key it refuses and the file stays byte for byte; with one, the
// trail verifies, reports and calendars equal a fresh schema-2 trial's, the
// unblinded views show the original arms, and no plain arm is left in the file.
#include "tests/support/clinic.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <regex>
#include <string>
#include <vector>

using namespace trialcal::test;

namespace {

const fs::path data = fs::path(TRIALCAL_SOURCE_DIR) / "tests/cli/data/schema1";
const std::string v1_head = "21:441b13846f18d53d6995dcfacb760e998b83aca25801f55bd11363de863ca215";
const std::vector<std::string> all_patients{"P1", "P2", "P3", "M1", "N1", "T1", "O1"};
const std::vector<std::string> blinded_patients{"P1", "P2", "P3", "M1", "N1"};
// Each blinded patient's arm, as the fixture's schema 1 kept it in plain text.
const std::vector<std::pair<std::string, std::string>> arms{
    {"P1", "IL2-3"}, {"P2", "IL2-1"}, {"P3", "IL2-4"}, {"M1", "placebo"}, {"N1", "ILT-101"}};
// Blinded labels hold arm ids ("ILT-101 or placebo") without telling an arm.
const std::vector<std::string> labels{"aldesleukin or placebo", "IL-2 or placebo", "ILT-101 or placebo"};

struct OldSite : Clinic {
    std::string pub = TestKeys::get().unblinding.string() + ".pub";

    OldSite() {
        const RunResult r = run_shell("sqlite3 " + sh_quote(db.string()) + " < " + sh_quote((data / "fixture.sql").string()));
        BOOST_TEST_REQUIRE(r.code == 0, "loading the fixture: " << r.err);
    }
    [[nodiscard]] std::string migrate() const { return ok({"db", "migrate", "--public-key", pub}); }
    [[nodiscard]] std::string sql(const std::string& query) const {
        const RunResult r = run_shell("sqlite3 " + sh_quote(db.string()) + " " + sh_quote(query));
        BOOST_TEST_REQUIRE(r.code == 0, query);
        return r.out;
    }
    [[nodiscard]] std::string dump() const { return sql(".dump"); }
};

// The same trial written fresh by this build: the key first, then scenario.sh.
struct FreshSite : Clinic {
    FreshSite() {
        ok({"keys", "install", TestKeys::get().unblinding.string() + ".pub"});
        const std::string cmd = sh_quote((data / "scenario.sh").string()) + " " + sh_quote(TRIALCAL_EXE) + " " +
                                sh_quote(db.string()) + " " + sh_quote(data.string());
        const RunResult r = run_shell(cmd);
        BOOST_TEST_REQUIRE(r.code == 0, "scenario.sh on schema 2: " << r.err);
    }
};

std::string without_head(const std::string& report) {
    static const std::regex head("[0-9]+:[0-9a-f]{64}");
    return std::regex_replace(report, head, "<head>");
}

// What a reader of the file could get: the arm ids of the blinded patients,
// after the blinded labels are taken out, in any row but a protocol text.
std::size_t arm_ids_in_rows(const std::string& dump) {
    std::size_t found = 0;
    for (std::string line : lines(dump)) {
        if (line.rfind("INSERT INTO", 0) != 0 || line.rfind("INSERT INTO protocol_file", 0) == 0 ||
            line.rfind("INSERT INTO v1_protocol_file", 0) == 0)
            continue;
        for (const auto& label : labels) line = replace_all(line, label, "<label>");
        // O1 is open label: its arm "IL-2" is plain by design.
        if (contains(line, "'O1'")) continue;
        for (const auto& [patient, arm] : arms) found += count(line, "'" + arm + "'") + count(line, "arm=" + arm);
        found += count(line, "'IL2-1'") + count(line, "'IL2-2'");  // the list's numbers nobody was given
    }
    return found;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_migration)

BOOST_AUTO_TEST_CASE(opening_a_schema_one_file_names_the_command_that_migrates_it) {
    const OldSite s;
    s.refused(65, "trialcal db migrate --public-key FILE.pub", {"report", "compliance"});
    s.refused(65, "schema 1, arms in plain text", {"calendar", "P1"});
}

BOOST_AUTO_TEST_CASE(without_a_key_it_refuses_and_the_file_stays_byte_for_byte) {
    const OldSite s;
    // 5 blinded arms (P1-P3, M1, N1; not T1 nor the open-label O1), the list's
    // 4 numbers, and the 6 enroll rows whose sealed column said "arm=…".
    s.refused(77, "kept 5 blinded arm(s), 4 randomization number(s) and 6 audit value(s) in plain text",
              {"db", "migrate"});
    s.refused(77, "then run `trialcal db migrate --public-key FILE.pub`", {"db", "migrate"});
    s.refused(77, "a signing key, not the trial's unblinding key",
              {"db", "migrate", "--public-key", TestKeys::get().signing.string() + ".pub"});
    s.refused(66, "nope.pub", {"db", "migrate", "--public-key", (s.dir.path() / "nope.pub").string()});
    BOOST_TEST(contains(s.sql("PRAGMA user_version"), "1"));
}

BOOST_AUTO_TEST_CASE(a_broken_schema_one_chain_is_not_migrated) {
    const OldSite s;
    // Someone edits the kit of R1 in row 9's text behind schema 1's back.
    s.raw_sql("DROP TRIGGER audit_no_update; UPDATE audit SET new = replace(new, 'K-101', 'K-999') WHERE seq = 9;");
    s.refused(65, "the schema-1 audit trail is broken at row 9 (row 9 was changed after it was written",
              {"db", "migrate", "--public-key", s.pub});
}

BOOST_AUTO_TEST_CASE(a_clock_behind_the_old_trail_is_refused) {
    OldSite s;
    s.now = "2027-03-09T07:59:59Z";  // the fixture's last row: 2027-03-09T08:00:00Z
    s.refused(65, "before the schema-1 trail's last row (2027-03-09T08:00:00Z)", {"db", "migrate", "--public-key", s.pub});
}

BOOST_AUTO_TEST_CASE(migrated_trail_verifies_and_says_what_it_carried) {
    const OldSite s;
    const std::string out = s.migrate();
    BOOST_TEST(contains(out, "Migrated " + s.db.string() + " from schema 1 to schema 4."), out);
    BOOST_TEST(contains(out, "7 patient(s): 5 blinded arm(s) sealed to unblinding key "), out);
    BOOST_TEST(contains(out, "1 open-label arm(s) kept plain; 4 randomization number(s) sealed"), out);
    BOOST_TEST(contains(out, "391 planned event(s) (125 blinded dose(s) now show the label), 1 amendment(s), "
                             "11 record(s), 1 void(s), 6 protocol file(s)"),
               out);
    BOOST_TEST(contains(out, "the schema-1 trail (rows 1-21, head " + v1_head + ", intact) carried as history; "
                             "audit rows 22-33 record the migration"),
               out);
    BOOST_TEST(contains(s.sql("PRAGMA user_version"), "4"));
    // 21 carried rows, the key's row, the texts-and-list row, 7 patients' rows,
    // the 2 sites' rows and the closing row; every stored row accounted for.
    const std::string verified = s.ok({"audit", "verify"});
    BOOST_TEST(contains(verified, "audit trail intact: 33 rows, accounting for 424 stored rows"), verified);
    BOOST_TEST(contains(out, "sites registered from the patients' site codes: LYON (Europe/Paris, 2 patients), PSL "
                             "(Europe/Paris, 5 patients)"),
               out);
    BOOST_TEST(s.sql("SELECT count(*) FROM planned_event") == "391\n");
    BOOST_TEST(s.sql("SELECT count(*) FROM record") == "11\n");
    BOOST_TEST(s.sql("SELECT (SELECT count(*) FROM trial_key) + (SELECT count(*) FROM protocol_file) + "
                     "(SELECT count(*) FROM randomization) + (SELECT count(*) FROM patient) + "
                     "(SELECT count(*) FROM amendment) + (SELECT count(*) FROM void)") == "20\n");
    // Nothing of schema 1 is left in the schema, nor beside the file.
    BOOST_TEST(s.sql("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'v1_%'") == "0\n");
    BOOST_TEST(!fs::exists(s.db.string() + "-journal"));
    BOOST_TEST(!fs::exists(s.db.string() + "-wal"));
    // Again: nothing to do, nothing written.
    const std::string before = s.bytes();
    const std::string again = s.ok({"db", "migrate", "--public-key", s.pub});
    BOOST_TEST(contains(again, "is already on schema 4: nothing to migrate"), again);
    BOOST_TEST((s.bytes() == before));
    // Writes go on as on any schema-2 file, chained to the migration's rows.
    s.ok({"dose", "P1", "--at", "2027-03-04T09:00"});
    BOOST_TEST(contains(s.ok({"audit", "verify"}), "audit trail intact: 34 rows"));
}

BOOST_AUTO_TEST_CASE(old_trail_is_carried_as_history_and_closed_by_the_old_head) {
    const OldSite s;
    (void)s.migrate();
    const Json rows = parse_json(s.ok({"audit", "--format", "json"})).at("audit");
    BOOST_TEST_REQUIRE(rows.size() == 33u);
    // Rows 1-21: schema 1's, numbers, times, names, actions and texts as written.
    for (std::size_t i = 0; i < 21; ++i) {
        BOOST_TEST(rows.at(i).at("seq").integer() == static_cast<long long>(i + 1));
        BOOST_TEST(rows.at(i).at("account").str() == "schema 1: not recorded");
        BOOST_TEST(rows.at(i).at("by").str() == "coordinator");
    }
    const Json& enroll_p1 = rows.at(2);
    BOOST_TEST(enroll_p1.at("action").str() == "enroll");
    BOOST_TEST(enroll_p1.at("at").str() == "2027-03-01T08:00:00Z");
    BOOST_TEST(contains(enroll_p1.at("new").str(), "protocol=DF-IL2@1 site=PSL day0=2027-03-01"));
    BOOST_TEST(rows.at(10).at("action").str() == "void");
    BOOST_TEST(rows.at(10).at("reason").str() == "entered for the wrong patient");
    BOOST_TEST(rows.at(15).at("action").str() == "shift");
    BOOST_TEST(rows.at(15).at("old").str() == "V-D15=2027-03-16 V-D22=2027-03-23 V-D60=2027-04-30");
    // Then the migration: the key, the texts and list, a row per patient, the close.
    BOOST_TEST(rows.at(21).at("action").str() == "install key");
    BOOST_TEST(rows.at(21).at("account").str() != "schema 1: not recorded");
    BOOST_TEST(rows.at(22).at("action").str() == "migrate schema 1 to 2");
    BOOST_TEST(rows.at(22).at("new").str() == "protocol_files=6 randomization_numbers=4 (arms sealed)");
    std::vector<std::string> migrated;
    for (std::size_t i = 23; i < 30; ++i) migrated.push_back(rows.at(i).at("patient").str());
    BOOST_TEST(migrated == (std::vector<std::string>{"N1", "P1", "P2", "P3", "M1", "T1", "O1"}),
               boost::test_tools::per_element());
    BOOST_TEST(rows.at(24).at("new").str() ==
               "patient=1 planned_events=15 blinded_doses=5 amendments=0 records=2 voids=0");
    BOOST_TEST(rows.at(29).at("new").str() ==
               "patient=1 planned_events=22 blinded_doses=0 amendments=0 records=1 voids=0 arm=IL-2");
    BOOST_TEST(rows.at(30).at("action").str() == "site add");
    BOOST_TEST(rows.at(30).at("target").str() == "LYON");
    BOOST_TEST(rows.at(31).at("new").str() ==
               "code=PSL name=PSL tz=Europe/Paris country= closed= holidays=none patients=5 (by the schema-3 "
               "migration, from its patients)");
    const Json& close = rows.at(32);
    BOOST_TEST(close.at("old").str() == "schema=1 head=" + v1_head + " rows=21 chain=intact");
    BOOST_TEST(contains(close.at("new").str(), "schema=2 carried=1-21 patients=7 sealed_arms=5 plain_arms=1 "
                                               "randomization_numbers=4 planned_events=391 blinded_doses=125 "
                                               "amendments=1 records=11 voids=1 protocol_files=6 key="));
    // A patient's trail reads as before, then the migration's row.
    const Json p1 = parse_json(s.ok({"audit", "--patient", "P1", "--format", "json"})).at("audit");
    std::vector<long long> seqs;
    for (const Json& r : p1.items()) seqs.push_back(r.at("seq").integer());
    BOOST_TEST(seqs == (std::vector<long long>{3, 9, 14, 16, 25}), boost::test_tools::per_element());
    // Unblinded, the carried enroll row and the migration's row open to P1's arm.
    const std::string unblinded = s.ok({"audit", "--patient", "P1", "--format", "json", "--unblinded", "--reason",
                                        "migration check"});
    BOOST_TEST(count(unblinded, "\"sealed\": \"arm=IL2-3\"") == 2u, unblinded);
    // An import of the same file is still refused: its digest became a column.
    s.dir.write("doses.csv", slurp(data / "doses.csv"));
    s.refused(1, "already imported", {"import", "doses", (s.dir.path() / "doses.csv").string()});
}

BOOST_AUTO_TEST_CASE(reports_and_calendars_equal_a_fresh_schema_two_trial) {
    const OldSite old;
    (void)old.migrate();
    const FreshSite fresh;
    const auto both = [&](const std::vector<std::string>& args) {
        const std::string a = old.ok(args), b = fresh.ok(args);
        BOOST_TEST(!a.empty());
        BOOST_TEST(without_head(a) == without_head(b), Clinic::describe(args));
        return a;
    };
    const std::string report = both({"report", "compliance", "--format", "json"});
    BOOST_TEST(contains(report, "\"audit_head\": \"33:"), "the head is the migrated trail's");
    (void)both({"report", "compliance"});
    (void)both({"due", "--from", "2027-03-01", "--days", "30", "--format", "csv"});
    for (const std::string& p : all_patients) (void)both({"calendar", p, "--format", "csv"});
    // Blinded: the stored plan shows the label, no amount, as schema 2 stores it.
    const std::string p1 = old.ok({"calendar", "P1", "--format", "csv"});
    BOOST_TEST(contains(p1, ",IL2-D1,dose,1,2027-03-02,2027-03-02,2027-03-02,,,aldesleukin or placebo,,,SC,"), p1);
    BOOST_TEST(contains(p1, "V-D15,visit,15,2027-03-18"), "the shift moved V-D15 by 2 days");
    // Unblinded with the private key: the original arms, as schema 1 had them.
    for (const auto& [patient, arm] : arms) {
        const std::string shown =
            both({"calendar", patient, "--format", "csv", "--unblinded", "--reason", "migration check"});
        BOOST_TEST(contains(shown, "," + arm + ","), patient << ": " << shown);
    }
    const std::string p1_open =
        old.ok({"calendar", "P1", "--format", "csv", "--unblinded", "--reason", "migration check"});
    BOOST_TEST(contains(p1_open, ",IL2-D1,dose,1,2027-03-02,2027-03-02,2027-03-02,,,aldesleukin,3,MIU,SC,"), p1_open);
    const std::string p3_open =
        old.ok({"calendar", "P3", "--format", "csv", "--unblinded", "--reason", "migration check"});
    BOOST_TEST(contains(p3_open, ",IL2-D1,dose,1,2027-03-02,2027-03-02,2027-03-02,,,placebo,,,SC,"), p3_open);
    (void)both({"report", "compliance", "--format", "json", "--unblinded", "--reason", "migration check"});
}

BOOST_AUTO_TEST_CASE(no_plain_arm_is_left_in_the_file) {
    const OldSite s;
    const std::string raw_before = s.bytes();
    const std::string dump_before = s.dump();
    // Schema 1 leaked every arm: in patients, the list, plans and the trail.
    BOOST_TEST(count(raw_before, "arm=") == 6u);
    BOOST_TEST(arm_ids_in_rows(dump_before) > 100u);
    (void)s.migrate();
    const std::string raw = s.bytes();
    // In the rows: no blinded patient's arm, no number's arm.
    BOOST_TEST(arm_ids_in_rows(s.dump()) == 0u);
    BOOST_TEST(s.sql("SELECT count(*) FROM patient WHERE arm IS NOT NULL") == "1\n");  // O1, open label
    BOOST_TEST(s.sql("SELECT count(*) FROM patient WHERE sealed_arm IS NOT NULL AND key IS NOT NULL") == "5\n");
    // In the raw bytes, free pages and slack included: "arm=" only in O1's
    // open-label migration row, and DF-IL2's arm ids no more often than its
    // protocol text holds them (5 each before: texts, rows and trail).
    BOOST_TEST(count(raw, "arm=") == 1u);
    BOOST_TEST(contains(raw, "arm=IL-2"));
    for (const std::string arm : {"IL2-1", "IL2-2", "IL2-3", "IL2-4"}) {
        std::size_t in_texts = 0;
        for (const std::string& text : lines(s.sql("SELECT replace(text, char(10), ' ') FROM protocol_file")))
            in_texts += count(text, arm);
        BOOST_TEST(count(raw, arm) <= in_texts, arm);
        BOOST_TEST(count(raw_before, arm) > in_texts, arm);
    }
    // MS-IL2's "placebo" as a planned drug (M1's arm in schema 1's plan) is gone.
    BOOST_TEST(count(dump_before, "('M1','IL2-D1',0,'1',2,'dose',1,'2027-03-02','2027-03-02','2027-03-02',0,'','',"
                                  "'IL2','placebo',NULL") == 1u);
    BOOST_TEST(s.sql("SELECT count(*) FROM planned_event WHERE patient = 'M1' AND drug = 'placebo'") == "0\n");
    BOOST_TEST(!fs::exists(s.db.string() + "-journal"));
    BOOST_TEST(!fs::exists(s.db.string() + "-wal"));
}

BOOST_AUTO_TEST_CASE(a_migration_killed_at_any_moment_leaves_schema_one_or_a_whole_schema_two) {
    OldSite s;
    const fs::path pristine = s.dir.path() / "pristine.db";
    fs::copy_file(s.db, pristine);
    const auto start = std::chrono::steady_clock::now();
    (void)s.migrate();
    const auto whole = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
    int old = 0, migrated = 0;
    for (int k = 0; k < 12; ++k) {
        BOOST_TEST_CONTEXT("kill " << k << " of 12") {
            fs::copy_file(pristine, s.db, fs::copy_options::overwrite_existing);
            fs::remove(fs::path(s.db.string() + "-journal"));
            RunOptions o;
            o.env = s.env(s.now);
            const RunResult r = run_trialcal_killed_after({"db", "migrate", "--public-key", s.pub},
                                                          std::chrono::microseconds(whole.count() * k / 12), o);
            BOOST_TEST((r.code == 0 || r.code == 128 + 9), "exit " << r.code << ": " << r.err);
            // Schema 1 whole (its hot journal rolled back by the next
            // opening), or schema 2 whole: the trail verifies.
            const RunResult report = s.run({"report", "compliance"});
            if (report.code == 65 && contains(report.err, "schema 1")) {
                ++old;
                BOOST_TEST(s.sql("SELECT count(*) FROM audit; PRAGMA integrity_check;") == "21\nok\n");
                (void)s.migrate();  // and it can still be migrated
            } else {
                ++migrated;
                BOOST_TEST(report.code == 0, report.err);
            }
            BOOST_TEST(contains(s.ok({"audit", "verify"}), "audit trail intact: 33 rows, accounting for 424 stored rows"));
        }
    }
    BOOST_TEST_MESSAGE("killed while schema 1: " << old << ", after the commit: " << migrated);
    BOOST_TEST(old > 0);
}

// Schema 2 (before sites), as trialcal c201aea wrote the same trial
// (tests/cli/data/schema2: scenario.sh run by make_fixture.sh; 22 audit rows).
const fs::path data2 = fs::path(TRIALCAL_SOURCE_DIR) / "tests/cli/data/schema2";

struct SchemaTwoSite : Clinic {
    explicit SchemaTwoSite(const fs::path& data = data2) {
        const RunResult r =
            run_shell("sqlite3 " + sh_quote(db.string()) + " < " + sh_quote((data / "fixture.sql").string()));
        BOOST_TEST_REQUIRE(r.code == 0, "loading the fixture: " << r.err);
    }
    [[nodiscard]] std::string sql(const std::string& query) const {
        const RunResult r = run_shell("sqlite3 " + sh_quote(db.string()) + " " + sh_quote(query));
        BOOST_TEST_REQUIRE(r.code == 0, query);
        return r.out;
    }
};

BOOST_AUTO_TEST_CASE(opening_a_schema_two_file_names_the_command_that_migrates_it) {
    const SchemaTwoSite s;
    s.refused(65, "schema 2, before sites were registered", {"report", "compliance"});
    s.refused(65, "run `trialcal db migrate` first", {"calendar", "P1"});
    s.refused(65, "run `trialcal db migrate` first", {"dose", "P1", "--at", "2027-03-04T09:00"});
}

BOOST_AUTO_TEST_CASE(schema_two_gets_one_site_per_code_in_its_patients_zone) {
    const SchemaTwoSite s;
    const std::string out = s.ok({"db", "migrate"});
    BOOST_TEST(contains(out, "Migrated " + s.db.string() + " from schema 2 to schema 4."), out);
    BOOST_TEST(contains(out, "sites registered from the patients' site codes: LYON (Europe/Paris, 2 patients), PSL "
                             "(Europe/Paris, 5 patients)"),
               out);
    BOOST_TEST(s.sql("PRAGMA user_version") == "4\n");
    // Named by their code, closed on no day: nothing was placed before.
    BOOST_TEST(s.ok({"sites", "--format", "csv"}) ==
               "code,name,tz,country,closed,holidays,patients\n"
               "LYON,LYON,Europe/Paris,,,,2\n"
               "PSL,PSL,Europe/Paris,,,,5\n");
    BOOST_TEST(s.sql("SELECT count(*) FROM planned_event WHERE placed IS NOT NULL OR closed_day IS NOT NULL") == "0\n");
    // The 22 rows of schema 2, then a row per site; every stored row accounted for.
    const std::string verified = s.ok({"audit", "verify"});
    BOOST_TEST(contains(verified, "audit trail intact: 24 rows"), verified);
    const Json rows = parse_json(s.ok({"audit", "--format", "json"})).at("audit");
    BOOST_TEST_REQUIRE(rows.size() == 24u);
    BOOST_TEST(rows.at(22).at("action").str() == "site add");
    BOOST_TEST(rows.at(22).at("new").str() ==
               "code=LYON name=LYON tz=Europe/Paris country= closed= holidays=none patients=2 (by the schema-3 "
               "migration, from its patients)");
    // Again: nothing to do, nothing written.
    const std::string before = s.bytes();
    BOOST_TEST(contains(s.ok({"db", "migrate"}), "is already on schema 4: nothing to migrate"));
    BOOST_TEST((s.bytes() == before));
    // Named and closed at weekends now, then writes go on, chained.
    s.ok({"site", "set", "PSL", "--name", "Hôpital Pitié-Salpêtrière, Paris", "--country", "FR", "--closed", "sat,sun",
          "--holidays", "FR"});
    s.ok({"dose", "P1", "--at", "2027-03-04T09:00"});
    BOOST_TEST(contains(s.ok({"audit", "verify"}), "audit trail intact"));
}

// A migrated file reads as the same trial made fresh by this build: reports,
// calendars and sites, byte for byte but for the audit head.
void equals_a_fresh_trial(const Clinic& old) {
    (void)old.ok({"db", "migrate"});
    const FreshSite fresh;
    const auto both = [&](const std::vector<std::string>& args) {
        const std::string a = old.ok(args), b = fresh.ok(args);
        BOOST_TEST(!a.empty());
        BOOST_TEST(without_head(a) == without_head(b), Clinic::describe(args));
    };
    for (const std::string format : {"table", "json", "csv"}) both({"report", "compliance", "--format", format});
    for (const auto& p : all_patients) both({"calendar", p, "--format", "json"});
    both({"sites", "--format", "csv"});
}

BOOST_AUTO_TEST_CASE(schema_two_reports_and_calendars_equal_a_fresh_trial) { equals_a_fresh_trial(SchemaTwoSite{}); }

// Schema 3 (before the patient's course), as trialcal cd69aa0 wrote the same
// trial (tests/cli/data/schema3: scenario.sh run by make_fixture.sh, sites
// registered first).
const fs::path data3 = fs::path(TRIALCAL_SOURCE_DIR) / "tests/cli/data/schema3";

struct SchemaThreeSite : SchemaTwoSite {
    SchemaThreeSite() : SchemaTwoSite(data3) {}
};

BOOST_AUTO_TEST_CASE(opening_a_schema_three_file_names_the_command_that_migrates_it) {
    const SchemaThreeSite s;
    s.refused(65, "schema 3, before the patient's course was recorded", {"report", "compliance"});
    s.refused(65, "run `trialcal db migrate` first", {"withdraw", "P1", "--on", "2027-03-04", "--reason", "moved"});
}

BOOST_AUTO_TEST_CASE(schema_three_carries_every_row_as_it_was) {
    const SchemaThreeSite s;
    const std::string records = s.sql("SELECT * FROM record ORDER BY id");
    const std::string out = s.ok({"db", "migrate"});
    BOOST_TEST(contains(out, "Migrated " + s.db.string() + " from schema 3 to schema 4"), out);
    BOOST_TEST(s.sql("PRAGMA user_version") == "4\n");
    // The same rows in the table made again, the new columns empty.
    BOOST_TEST(s.sql("SELECT id, patient, kind, event_id, at_local, at_utc, tz, date, product, amount, unit, kit, note, "
                     "reason, recorded_at, recorded_by, audit_seq FROM record ORDER BY id") == records);
    BOOST_TEST(s.sql("SELECT count(*) FROM record WHERE until IS NOT NULL OR kg IS NOT NULL OR lost_to_follow_up IS NOT "
                     "NULL OR name IS NOT NULL") == "0\n");
    // Every row still digests to its audit row; one more row says what was done.
    const std::string verified = s.ok({"audit", "verify"});
    BOOST_TEST(contains(verified, "audit trail intact: 25 rows"), verified);
    const Json rows = parse_json(s.ok({"audit", "--format", "json"})).at("audit");
    BOOST_TEST_REQUIRE(rows.size() == 25u);
    BOOST_TEST(rows.at(24).at("action").str() == "db migrate");
    // Again: nothing to do, nothing written; then the course can be recorded.
    const std::string before = s.bytes();
    BOOST_TEST(contains(s.ok({"db", "migrate"}), "is already on schema 4: nothing to migrate"));
    BOOST_TEST((s.bytes() == before));
    BOOST_TEST(contains(s.ok({"withdraw", "P3", "--on", "2027-03-06", "--reason", "moved away"}), "withdrawn"));
    BOOST_TEST(contains(s.ok({"audit", "verify"}), "audit trail intact: 26 rows"));
}

BOOST_AUTO_TEST_CASE(schema_three_reports_and_calendars_equal_a_fresh_trial) { equals_a_fresh_trial(SchemaThreeSite{}); }

BOOST_AUTO_TEST_SUITE_END()
