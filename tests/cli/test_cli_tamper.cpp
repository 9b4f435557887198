// End-to-end: tampering with a database behind trialcal's back, with the
// sqlite3 shell only (what anyone with write access to the file can do), on a
// database the CLI built. Each attempt is caught by `audit verify` alone (exit
// 65, the break named), or, when it leaves a self-consistent trail (the chain
// recomputed, the file rolled back, the trail truncated), by `audit verify
// --head` against a head kept elsewhere (docs: spec/trust.md).
#include "tests/support/clinic.hpp"

#include "store/audit.hpp"
#include "store/sqlite/audit_log.hpp"
#include "store/row_digest.hpp"
#include "store/sqlite/digest_row.hpp"
#include "store/sqlite/schema.sql.hpp"
#include "store/tables.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <ostream>
#include <string>
#include <vector>

using namespace trialcal::test;
namespace bdata = boost::unit_test::data;
namespace store = trialcal::store;
namespace sqlite = trialcal::store::sqlite;

namespace {

// How an attempt is made: SQL alone, or SQL and a script (the chain
// recomputed, a forged row appended), or by copying an older file back.
enum class How { sql, recompute_chain, forge_appended_row, roll_back };
// What catches it: verify alone; only the kept head; nothing (a limit).
enum class Caught { by_verify, by_head, not_caught };

struct Attempt {
    std::string name;
    std::string sql;
    Caught expected;
    std::string names;  // a substring of the break message
    How how = How::sql;
};
std::ostream& operator<<(std::ostream& os, const Attempt& a) { return os << a.name; }

const char* text(Caught c) {
    switch (c) {
    case Caught::by_verify: return "caught by audit verify";
    case Caught::by_head: return "caught by audit verify --head only";
    case Caught::not_caught: return "NOT caught";
    }
    return "";
}

// The CREATE TRIGGER statement trialcal made for `name`, as schema_v2 holds it.
std::string trigger_sql(const std::string& name) {
    const std::string schema = sqlite::schema_v2;
    const std::size_t at = schema.find("CREATE TRIGGER " + name + " ");
    if (at == std::string::npos) throw std::logic_error("no trigger " + name + " in schema_v2");
    return schema.substr(at, schema.find('\n', at) - at);
}

// `sql` run with the table's append-only trigger `table_no_op` out of the way
// and put back exactly as trialcal made it: the schema is intact again, and
// only the rows' digests can tell.
std::string behind(const std::string& table, const std::string& op, const std::string& sql) {
    const std::string trigger = table + "_no_" + op;
    return "DROP TRIGGER " + trigger + "; " + sql + " " + trigger_sql(trigger);
}
std::string updating(const std::string& table, const std::string& sql) { return behind(table, "update", sql); }
// `column` of the rows `key` = a and `key` = b swapped (a temporary copy
// holds the old values: it is not in the file).
std::string swapping(const std::string& table, const std::string& column, const std::string& key, const std::string& a,
                     const std::string& b) {
    return updating(table, "CREATE TEMP TABLE old AS SELECT " + key + ", " + column + " FROM " + table + "; UPDATE " +
                               table + " SET " + column + " = (SELECT o." + column + " FROM old o WHERE o." + key +
                               " = CASE " + table + "." + key + " WHEN '" + a + "' THEN '" + b + "' ELSE '" + a +
                               "' END) WHERE " + key + " IN ('" + a + "', '" + b + "');");
}
std::string deleting(const std::string& table, const std::string& sql) { return behind(table, "delete", sql); }

// The fixture database, written by the CLI (now 2027-03-10 12:00 UTC). Audit rows:
//  1 keys install   2-4 site add PSL, LYON, LYO (the Clinic's sites)
//  5-8 screen P1, P2, P3, N1 (one import; the first writes DF-IL2's text, the last NCT05153070 v1's)
//  9 enroll P1 (IL2-2)  10 enroll P2 (IL2-3)  11 dose P1 R1
// 12 dose P1 R2    13 visit P1 R3        14 skip P1 R4         15 dose P2 R5
// 16 void R5       17 shift P2 V-D15     18 randomization import (101, 102)
// 19 enroll P3 --randomize (101)
// 20 enroll N1 (NCT05153070 version 1, open-label)
// 21 reconsent N1 to version 2 from 2027-03-10 (NCT05153070 is the one seed
//    protocol with two versions)
constexpr std::int64_t last_seq = 21;

struct Trial : Clinic {
    // The patients' screenings come first, in one import (rows 5-8), so that
    // what follows is numbered as before screening existed, plus four.
    Trial() { screen_first = false; }
    void build() const {
        dir.write("s.csv", "patient,protocol,site,on,age,t1d_duration,lymphocytes,diagnosis,c_peptide\n"
                           "P1,DF-IL2,PSL,2027-03-01,30,12,2000,,\nP2,DF-IL2,PSL,2027-03-01,30,12,2000,,\n"
                           "P3,DF-IL2,PSL,2027-03-01,30,12,2000,,\nN1,NCT05153070@1,PSL,2027-03-01,25,,2000,30,0.5\n");
        ok({"import", "screenings", "s.csv"});
        enroll("P1", "IL2-2");
        enroll("P2", "IL2-3");
        ok({"dose", "P1", "--at", "2027-03-02T09:00"});
        ok({"dose", "P1", "--at", "2027-03-03T09:10"});
        ok({"visit", "P1", "V-D0", "--at", "2027-03-01"});
        ok({"skip", "P1", "IL2-D5", "--reason", "adverse event"});
        ok({"dose", "P2", "--at", "2027-03-02T09:00"});
        ok({"void", "R5", "--reason", "entered for the wrong patient"});
        ok({"shift", "P2", "V-D15", "--days", "2", "--reason", "patient on holiday"});
        dir.write("r.csv", "randomization_number,arm\n101,IL2-1\n102,IL2-4\n");
        ok({"randomization", "import", "r.csv", "--protocol", "DF-IL2"});
        ok({"enroll", "P3", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--randomize"});
        ok({"enroll", "N1", "--protocol", "NCT05153070@1", "--site", "PSL", "--day0", "2027-03-01", "--arm",
            "ILT-101", "--weight", "60"});
        ok({"reconsent", "N1", "--version", "2", "--on", "2027-03-10", "--reason", "amendment 2"});
    }
    // `audit verify`'s head, "SEQ:HASH", after checking it is intact.
    [[nodiscard]] std::string head() const {
        const RunResult r = run({"audit", "verify"});
        BOOST_TEST_REQUIRE(r.code == 0, "audit verify: " << r.err);
        const std::size_t at = r.out.rfind("head ");
        BOOST_TEST_REQUIRE(at != std::string::npos, r.out);
        return r.out.substr(at + 5, r.out.find('\n', at) - at - 5);
    }
    void copy_from(const fs::path& file) const { fs::copy_file(file, db, fs::copy_options::overwrite_existing); }
};

// The database built once per process; each attempt works on a copy.
const Trial& built() {
    static const std::unique_ptr<Trial> t = [] {
        auto x = std::make_unique<Trial>();
        x->build();
        return x;
    }();
    return *t;
}

// A script's recomputation: the digest of the rows that name audit row `seq`,
// as trialcal computes it.
store::RowsDigest digest_of(SQLite::Database& db, std::int64_t seq) {
    store::RowDigest d;
    for (std::size_t t = 0; t < store::audited_tables.size(); ++t) {
        const auto& table = store::audited_tables[t];
        SQLite::Statement q(db, std::string("SELECT ") + table.columns + " FROM " + table.name + " WHERE audit_seq = ?");
        q.bind(1, seq);
        while (q.executeStep()) sqlite::add_row(d, static_cast<store::TableId>(t), q, 0);
    }
    return d.take();
}

std::vector<store::AuditRow> audit_rows_from(SQLite::Database& db, std::int64_t seq) {
    SQLite::Statement q(db, std::string("SELECT ") + store::audit_columns + " FROM audit WHERE seq >= ? ORDER BY seq");
    q.bind(1, seq);
    std::vector<store::AuditRow> rows;
    while (q.executeStep()) rows.push_back(sqlite::read_audit_row(q));
    return rows;
}

std::string sql_literal(const std::string& s) { return "'" + replace_all(s, "'", "''") + "'"; }

std::string rehash(store::AuditRow& r, const std::string& prev) {
    std::string canonical;
    r.prev_hash = prev;
    store::audit_canonical(canonical, r);
    r.hash = store::sha256_hex(canonical);
    return r.hash;
}

// The attacker's script after editing rows written by audit row `seq`: that
// row's digest recomputed, and every hash from it on rechained, written back
// with the audit trigger put back as trialcal made it.
std::string recompute_chain_sql(const fs::path& file, std::int64_t seq) {
    SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
    auto rows = audit_rows_from(db, seq - 1);
    std::string prev = rows.front().hash, sql;
    rows[1].digest = digest_of(db, seq).digest;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        prev = rehash(rows[i], prev);
        sql += "UPDATE audit SET digest = " + sql_literal(rows[i].digest) + ", prev_hash = " + sql_literal(rows[i].prev_hash) +
               ", hash = " + sql_literal(rows[i].hash) + " WHERE seq = " + std::to_string(rows[i].seq) + "; ";
    }
    return updating("audit", sql);
}

// A forged dose R99 for P1 and the audit row that accounts for it, appended
// after the head with a correct digest and hash.
std::string forged_row_sql(const Trial& t) {
    t.raw_sql("INSERT INTO record (id, patient, kind, event_id, at_local, at_utc, tz, product, amount, unit, "
              "recorded_at, recorded_by, audit_seq) VALUES (99, 'P1', 'dose', 'IL2-D3', '2027-03-04T09:00', "
              "'2027-03-04T08:00:00Z', 'Europe/Paris', 'IL2', 1, 'mL', '2027-03-10T12:00:00Z', 'nurse', " +
              std::to_string(last_seq + 1) + ");");
    SQLite::Database db(t.db.string(), SQLite::OPEN_READONLY);
    store::AuditRow r = audit_rows_from(db, last_seq).front();
    const std::string prev = r.hash;
    r.seq = last_seq + 1;
    r.entry = {"nurse", "dose", "P1", "R99", "", "IL2-D3 at 2027-03-04T09:00", "", "", ""};
    const store::RowsDigest d = digest_of(db, r.seq);
    r.rows = d.rows;
    r.digest = d.digest;
    rehash(r, prev);
    return "INSERT INTO audit (seq, at, account, by, action, patient, target, old, new, sealed, reason, source, rows, "
           "digest, prev_hash, hash) VALUES (" +
           std::to_string(r.seq) + ", " + sql_literal(r.at) + ", " + sql_literal(r.account) + ", 'nurse', 'dose', 'P1', 'R99', "
           "'', " + sql_literal(r.entry.new_value) + ", '', '', '', " + std::to_string(r.rows) + ", " + sql_literal(r.digest) +
           ", " + sql_literal(r.prev_hash) + ", " + sql_literal(r.hash) + ");";
}

const std::string changed = "the 1 row(s) it wrote were changed after they were written";

std::vector<Attempt> attempts() {
    const std::string v_d15 = "patient = 'P2' AND event_id = 'V-D15' AND revision = 1";
    return {
        // ---- protocol_file
        {"protocol_file: edit the text a patient was enrolled on",
         updating("protocol_file", "UPDATE protocol_file SET text = text || '# edited' WHERE protocol = 'DF-IL2';"),
         Caught::by_verify, "audit row 5 (screen of P1): the "},
        {"protocol_file: insert a text under an existing audit row",
         "INSERT INTO protocol_file VALUES (printf('%064d', 1), 'DF-IL2', '9', 'x.toml', 'x', 5);", Caught::by_verify,
         "audit row 5 (screen of P1) wrote "},
        {"protocol_file: delete the protocol text",
         deleting("protocol_file", "DELETE FROM protocol_file;"), Caught::by_verify,
         "audit row 5 (screen of P1) wrote "},
        // ---- trial_key
        {"trial_key: replace the unblinding public key",
         updating("trial_key", "UPDATE trial_key SET public_key = substr(public_key, 2) || 'A' WHERE id = 1;"),
         Caught::by_verify, "audit row 1 (install key): " + changed},
        {"trial_key: insert an attacker's key accounted for by no audit row",
         "INSERT INTO trial_key VALUES (2, 'unblinding', printf('%044d', 7), printf('%016d', 7), '', "
         "'2027-03-10T12:00:00Z', 'nurse', 40);",
         Caught::by_verify, "trial_key 2 names audit row 40, which does not exist: no audit row accounts for it"},
        {"trial_key: delete the installed key", deleting("trial_key", "DELETE FROM trial_key;"), Caught::by_verify,
         "audit row 1 (install key) wrote 1 row(s); 0 name it now: rows were removed"},
        // ---- randomization
        {"randomization: swap the sealed arms of 101 and 102",
         swapping("randomization", "sealed_arm", "number", "101", "102"),
         Caught::by_verify, "audit row 18 (randomization import): the 2 row(s) it wrote were changed"},
        {"randomization: insert number 103 under the import's audit row",
         "INSERT INTO randomization SELECT protocol, '103', site, 3, sealed_arm, key, audit_seq FROM randomization "
         "WHERE number = '102';",
         Caught::by_verify, "audit row 18 (randomization import) wrote 2 row(s); 3 name it now: rows were added"},
        {"randomization: delete number 102", deleting("randomization", "DELETE FROM randomization WHERE number = '102';"),
         Caught::by_verify, "audit row 18 (randomization import) wrote 2 row(s); 1 name it now: rows were removed"},
        // ---- patient
        {"patient: point P1 at another protocol text",
         "INSERT INTO protocol_file SELECT printf('%064d', 2), protocol, version, path, replace(text, '[0, 0]', "
         "'[3, 3]'), 0 FROM protocol_file WHERE protocol = 'DF-IL2'; " +
             updating("patient", "UPDATE patient SET protocol_sha256 = printf('%064d', 2) WHERE id = 'P1';"),
         Caught::by_verify, "audit row 9 (enroll of P1): the 16 row(s) it wrote were changed after they were written"},
        {"patient: swap P1's sealed_arm with P2's",
         swapping("patient", "sealed_arm", "id", "P1", "P2"),
         Caught::by_verify, "audit row 10 (enroll of P2): the 16 row(s) it wrote were changed after they were written"},
        {"patient: move P1's day 0",
         updating("patient", "UPDATE patient SET day0 = '2027-03-03' WHERE id = 'P1';"), Caught::by_verify,
         "audit row 9 (enroll of P1): the 16 row(s) it wrote were changed after they were written"},
        {"patient: insert a patient under P1's audit row",
         "INSERT INTO patient (id, protocol, version, protocol_sha256, site, day0, tz, enrolled_at, enrolled_by, "
         "audit_seq) SELECT 'P9', protocol, version, protocol_sha256, site, day0, tz, enrolled_at, enrolled_by, 9 FROM "
         "patient WHERE id = 'P1';",
         Caught::by_verify, "audit row 9 (enroll of P1) wrote "},
        {"patient: delete P2", deleting("patient", "DELETE FROM patient WHERE id = 'P2';"), Caught::by_verify,
         "audit row 10 (enroll of P2) wrote "},
        // ---- planned_event
        {"planned_event: widen a planned window",
         updating("planned_event", "UPDATE planned_event SET window_to = date(window_to, '+7 days') WHERE " + v_d15 +
                                       ";"),
         Caught::by_verify, "audit row 17 (shift of P2): the "},
        {"planned_event: insert a revision that moves V-D15 back",
         "INSERT INTO planned_event SELECT patient, event_id, 2, retired, version, ord, kind, day, date(date, "
         "'-2 days'), date(window_from, '-2 days'), date(window_to, '-2 days'), sequence, name, procedures, product, "
         "drug, amount, unit, route, intake, audit_seq, placed, closed_day FROM planned_event WHERE " + v_d15 + ";",
         Caught::by_verify, "audit row 17 (shift of P2) wrote "},
        {"planned_event: delete the shift's revision of V-D15",
         deleting("planned_event", "DELETE FROM planned_event WHERE " + v_d15 + ";"), Caught::by_verify,
         "audit row 17 (shift of P2) wrote "},
        // ---- record
        {"record: change a typed dose's date",
         updating("record", "UPDATE record SET at_local = '2027-03-02T19:00', at_utc = '2027-03-02T18:00:00Z' WHERE "
                            "id = 1;"),
         Caught::by_verify, "audit row 11 (dose of P1): " + changed},
        {"record: give a blinded dose an amount",
         updating("record", "UPDATE record SET amount = 3, unit = 'MIU' WHERE id = 2;"),
         Caught::by_verify, "audit row 12 (dose of P1): " + changed},
        {"record: drop the trigger and change a dose (schema and digest)",
         "DROP TRIGGER record_no_update; UPDATE record SET kit = 'K-forged' WHERE id = 2;", Caught::by_verify,
         "audit row 12 (dose of P1): " + changed},
        {"record: insert a dose under an existing audit row",
         "INSERT INTO record (patient, kind, event_id, at_local, at_utc, tz, product, recorded_at, recorded_by, "
         "audit_seq) SELECT patient, kind, 'IL2-D3', '2027-03-04T09:00', '2027-03-04T08:00:00Z', tz, product, "
         "recorded_at, recorded_by, audit_seq FROM record WHERE id = 1;",
         Caught::by_verify, "audit row 11 (dose of P1) wrote 1 row(s); 2 name it now: rows were added"},
        {"record: insert a dose naming an audit row that does not exist",
         "INSERT INTO record (id, patient, kind, event_id, date, recorded_at, recorded_by, audit_seq) VALUES (50, "
         "'P1', 'visit', 'V-D7', '2027-03-08', '2027-03-10T12:00:00Z', 'nurse', 99);",
         Caught::by_verify, "record 50 names audit row 99, which does not exist: no audit row accounts for it"},
        {"record: delete the visit", deleting("record", "DELETE FROM record WHERE id = 3;"), Caught::by_verify,
         "audit row 13 (visit of P1) wrote 1 row(s); 0 name it now: rows were removed"},
        // ---- void
        {"void: delete the void of R5", deleting("void", "DELETE FROM void;"), Caught::by_verify,
         "audit row 16 (void of P2) wrote 1 row(s); 0 name it now: rows were removed"},
        {"void: insert a void of R1 under the void's audit row",
         "INSERT INTO void SELECT 1, reason, voided_at, voided_by, audit_seq FROM void;", Caught::by_verify,
         "audit row 16 (void of P2) wrote 1 row(s); 2 name it now: rows were added"},
        {"void: change the void's reason", updating("void", "UPDATE void SET reason = 'duplicate';"),
         Caught::by_verify, "audit row 16 (void of P2): " + changed},
        // ---- amendment
        {"amendment: move the date a re-consent takes effect",
         updating("amendment", "UPDATE amendment SET on_date = '2027-03-20';"), Caught::by_verify,
         "audit row 21 (reconsent of N1): the "},
        {"amendment: point the re-consent at version 1's text",
         updating("amendment", "UPDATE amendment SET version = '1', protocol_sha256 = (SELECT protocol_sha256 FROM "
                               "patient WHERE id = 'N1');"),
         Caught::by_verify, "audit row 21 (reconsent of N1): the "},
        {"amendment: insert a second re-consent under the amendment's audit row",
         "INSERT INTO amendment (patient, version, protocol_sha256, on_date, at, by, reason, audit_seq) SELECT "
         "patient, version, protocol_sha256, '2027-03-09', at, by, reason, audit_seq FROM amendment;",
         Caught::by_verify, "audit row 21 (reconsent of N1) wrote "},
        {"amendment: delete the re-consent (N1 back on version 1)",
         deleting("amendment", "DELETE FROM amendment;"), Caught::by_verify, "audit row 21 (reconsent of N1) wrote "},
        // ---- audit
        {"audit: change an account", updating("audit", "UPDATE audit SET account = 'dr.martin' WHERE seq = 11;"),
         Caught::by_verify, "audit row 11 (dose of P1) was changed after it was written: its hash does not match"},
        {"audit: move a row's time backwards",
         updating("audit", "UPDATE audit SET at = '2027-03-01T12:00:00Z' WHERE seq = 15;"), Caught::by_verify,
         "audit row 15 (dose of P2) was written at 2027-03-01T12:00:00Z, before the row before it"},
        {"audit: change a shift's reason",
         updating("audit", "UPDATE audit SET reason = 'investigator request' WHERE seq = 17;"), Caught::by_verify,
         "audit row 17 (shift of P2) was changed after it was written"},
        {"audit: delete the last audit row (its rows stay)",
         deleting("audit", "DELETE FROM audit WHERE seq = 21;"), Caught::by_verify,
         "names audit row 21, which does not exist: no audit row accounts for it"},
        {"audit: delete a row in the middle", deleting("audit", "DELETE FROM audit WHERE seq = 15;"),
         Caught::by_verify, "audit row 16 follows row 14: 1 row(s) are missing"},
        {"audit: append a row with a made-up hash",
         "INSERT INTO audit SELECT 22, at, account, by, 'dose', 'P1', 'R9', '', '', '', '', '', 0, digest, hash, "
         "printf('%064d', 0) FROM audit WHERE seq = 21;",
         Caught::by_verify, "audit row 22 (dose of P1) was changed after it was written"},
        // ---- schema
        {"schema: drop a trigger only", "DROP TRIGGER record_no_update;", Caught::by_verify,
         "the trigger 'record_no_update' that trialcal made is gone"},
        {"schema: add a trigger",
         "CREATE TRIGGER record_mirror AFTER INSERT ON record BEGIN SELECT 1; END;", Caught::by_verify,
         "the schema has a trigger 'record_mirror' that trialcal did not make"},
        {"schema: add a column", "ALTER TABLE record ADD COLUMN corrected TEXT;", Caught::by_verify,
         "the table 'record' differs from the one trialcal made"},
        {"schema: add a table", "CREATE TABLE notes (t TEXT);", Caught::by_verify,
         "the schema has a table 'notes' that trialcal did not make"},
        {"schema: drop an index", "DROP INDEX record_patient;", Caught::by_verify,
         "the index 'record_patient' that trialcal made is gone"},
        // ---- self-consistent trails: only a kept head tells
        {"truncate the trail's last four rows and their rows",
         deleting("amendment", "DELETE FROM amendment;") + " " +
             deleting("planned_event", "DELETE FROM planned_event WHERE audit_seq >= 18;") + " " +
             deleting("patient", "DELETE FROM patient WHERE audit_seq >= 18;") + " " +
             deleting("protocol_file", "DELETE FROM protocol_file WHERE audit_seq >= 18;") + " " +
             deleting("randomization", "DELETE FROM randomization;") + " " +
             deleting("audit", "DELETE FROM audit WHERE seq >= 18;"),
         Caught::by_head, "the kept head is row 21, but the trail ends at row 17: it was rolled back or truncated"},
        {"edit a dose, then recompute its digest and the whole chain with a script",
         updating("record", "UPDATE record SET at_local = '2027-03-02T19:00', at_utc = '2027-03-02T18:00:00Z' WHERE "
                            "id = 1;"),
         Caught::by_head, "of the trail has hash ", How::recompute_chain},
        {"roll the file back to an older copy", "", Caught::by_head,
         "the kept head is row 23, but the trail ends at row 21: it was rolled back or truncated", How::roll_back},
        // A limit, not a promise of the spec: a kept head proves the rows up
        // to it; a forged write appended after it, with a correct digest and
        // hash, looks like any later write.
        {"append a forged dose and its audit row, digest and hash computed", "", Caught::not_caught, "",
         How::forge_appended_row},
    };
}

std::map<std::string, std::string>& outcomes() {
    static std::map<std::string, std::string> table;
    return table;
}

// The first line of `err` that holds `names`, for the table.
std::string line_with(const std::string& err, const std::string& names) {
    const std::size_t at = err.find(names);
    if (at == std::string::npos) return {};
    const std::size_t start = err.rfind('\n', at) + 1;
    return err.substr(start, err.find('\n', at) - start);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_tamper)

BOOST_DATA_TEST_CASE(each_attempt_is_caught, bdata::make(attempts()), a) {
    const Trial& template_db = built();
    Trial t;
    t.copy_from(template_db.db);
    std::string kept = t.head();
    BOOST_TEST_REQUIRE(kept.rfind(std::to_string(last_seq) + ":", 0) == 0u, kept);

    switch (a.how) {
    case How::sql: t.raw_sql(a.sql); break;
    case How::recompute_chain:
        t.raw_sql(a.sql);
        t.raw_sql(recompute_chain_sql(t.db, 11));  // R1's audit row
        break;
    case How::forge_appended_row: t.raw_sql(forged_row_sql(t)); break;
    case How::roll_back: {
        const fs::path old = t.dir.path() / "old.db";
        fs::copy_file(t.db, old);
        t.ok({"dose", "P1", "--at", "2027-03-04T09:00"});
        t.ok({"dose", "P1", "--at", "2027-03-05T09:00"});
        kept = t.head();
        t.copy_from(old);
        break;
    }
    }

    const RunResult plain = t.run({"audit", "verify"});
    const RunResult against = t.run({"audit", "verify", "--head", kept});
    // What actually caught it, for the table.
    const Caught caught = plain.code == 65 ? Caught::by_verify : against.code == 65 ? Caught::by_head : Caught::not_caught;
    std::string outcome;
    switch (a.expected) {
    case Caught::by_verify:
        BOOST_TEST(plain.code == 65, "exit " << plain.code << ": " << plain.out);
        BOOST_TEST(contains(plain.err, a.names), "stderr does not name '" << a.names << "': " << plain.err);
        BOOST_TEST(against.code == 65);
        outcome = line_with(plain.err, a.names);
        break;
    case Caught::by_head:
        BOOST_TEST(plain.code == 0, "plain verify: " << plain.err);
        BOOST_TEST(against.code == 65, "exit " << against.code << ": " << against.out);
        BOOST_TEST(contains(against.err, "against the kept head " + kept + ": "), against.err);
        BOOST_TEST(contains(against.err, a.names), "stderr does not name '" << a.names << "': " << against.err);
        outcome = line_with(against.err, a.names);
        break;
    case Caught::not_caught:
        BOOST_TEST(plain.code == 0, plain.err);
        BOOST_TEST(against.code == 0, against.err);
        BOOST_TEST(contains(t.ok({"audit"}), "R99"));
        outcome = "audit verify and --head both pass";
        break;
    }
    if (caught != a.expected) outcome = std::string("expected ") + text(a.expected);
    outcomes()[a.name] = std::string(text(caught)) + (outcome.empty() ? "" : ": " + outcome);
}

// Not an attempt: the trail of a database nobody touched verifies. An
// NCT05153070 enrollment and re-consent store whole-number REAL amounts (425,
// 300, 1) in planned_event, a WITHOUT ROWID table.
BOOST_AUTO_TEST_CASE(an_enrollment_with_whole_number_amounts_verifies) {
    Trial t;
    t.screen_first = true;
    t.now = "2027-05-01T12:00:00Z";
    t.ok({"enroll", "N1", "--protocol", "NCT05153070@1", "--site", "PSL", "--day0", "2027-03-01", "--arm", "ILT-101",
          "--weight", "60"});
    t.ok({"reconsent", "N1", "--version", "2", "--on", "2027-03-10", "--reason", "amendment 2"});
    const RunResult r = t.run({"audit", "verify"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.out.rfind("audit trail intact: 7 rows, accounting for ", 0) == 0u, r.out);
}

// The table of attempts, for the closing note (--log_level=message).
BOOST_AUTO_TEST_CASE(tamper_table) {
    std::string table = "attempt -> caught by\n";
    for (const Attempt& a : attempts()) {
        const auto it = outcomes().find(a.name);
        table += "  " + a.name + " -> " + (it == outcomes().end() ? "(not run or failed)" : it->second) + "\n";
    }
    BOOST_TEST_MESSAGE(table);
    BOOST_TEST(attempts().size() >= 30u);
}

BOOST_AUTO_TEST_SUITE_END()
