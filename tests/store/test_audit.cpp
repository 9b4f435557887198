// The hash-chained audit trail (docs/storage.md "The audit trail"): SHA-256
// through libsodium (crypto/), rows chained from 64 zeros, and verify_audit naming the
// first row that a later change or deletion broke.
#include "store/audit.hpp"
#include "store/sqlite/audit_log.hpp"
#include "store/row_digest.hpp"
#include "store/sqlite/digest_row.hpp"
#include "tests/store/fixture.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <unistd.h>

#include <filesystem>
#include <ostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace trialcal;
using namespace store_test;
using store::AuditEntry;

bool is_hex64(const std::string& s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

const std::vector<AuditEntry> three_entries{
    {"nurse", "enroll", "P001", "P001", "", "protocol=DF-IL2@1 site=PSL day0=2027-03-01", "arm=IL2-2", "", ""},
    {"nurse", "dose", "P001", "R1", "", "at=2027-03-02T09:00 (Europe/Paris)", "", "", ""},
    {"monitor", "void", "P001", "R1", "", "voided", "", "entered in error", ""},
};
const std::vector<std::string> three_times{"2027-03-01T08:00:00Z", "2027-03-02T08:05:00Z", "2027-03-03T10:00:00Z"};

void append(Store& s, const AuditEntry& e, const std::string& at) {
    s.write([&] { s.append_audit(e, at); });
}

void append_three(Store& s) {
    for (std::size_t i = 0; i < three_entries.size(); ++i) append(s, three_entries[i], three_times[i]);
}

// A file database holding the three rows.
struct FileTrail {
    ScratchDir dir;
    fs::path path = dir / "audit.db";
    store::Head head;
    FileTrail() {
        auto db = Database::open(path, Mode::write);
        Store s(db, "tester");
        append_three(s);
        head = s.audit_head();
    }
    // Raw SQL on the file, as someone with the sqlite3 shell could.
    void tamper(const std::string& sql) const {
        SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE);
        raw.exec(sql);
    }
    [[nodiscard]] store::ChainCheck verify() const {
        auto db = Database::open(path, Mode::read);
        return store::sqlite::verify_audit(db);
    }
};

// The break texts of `c`, "SEQ: WHAT", in order.
std::vector<std::string> texts(const store::ChainCheck& c) {
    std::vector<std::string> out;
    for (const auto& b : c.breaks) out.push_back(fmt::format("{}: {}", b.seq, b.what));
    return out;
}

std::string gone(const std::string& trigger) {
    return "0: the trigger '" + trigger + "' that trialcal made is gone";
}

// A site as `site add` writes it.
store::SiteRevision paris_site() {
    store::SiteRevision r;
    r.site.code = "PSL";
    r.site.name = "Hôpital Pitié-Salpêtrière, Paris";
    r.site.tz = "Europe/Paris";
    r.site.country = "FR";
    r.site.holidays = "FR";
    r.holiday_file = "country = \"FR\"\n";
    r.at = "2027-03-10T12:00:00Z";
    r.by = "coordinator";
    return r;
}

// IL2-D1 of hand_calendar() placed a day earlier, as a site's closed days would.
Event placed_d1() {
    Event d1 = dose("IL2-D1", 1, ymd(2027, 3, 2), "IL2");
    d1.window = {ymd(2027, 3, 1), ymd(2027, 3, 3)};
    d1.placed = ymd(2027, 3, 1);
    return d1;
}

// One write of FullFixture's kinds more, with the rows it makes.
struct Write {
    std::string name;
    std::int64_t rows;
    std::function<void(FullFixture&)> body;
};
std::ostream& operator<<(std::ostream& os, const Write& w) { return os << w.name; }

const std::vector<Write> writes{
    {"protocol_file", 1, [](FullFixture& f) { f.s.save_protocol_file(std::string(64, 'c'), "X", "1", "x.toml", "x"); }},
    {"trial_key", 1, [](FullFixture& f) { (void)f.s.install_key(unblinding_key()); }},
    {"randomization", 1, [](FullFixture& f) { f.s.insert_randomization(slot("R003", 3, f.key)); }},
    {"patient", 1, [](FullFixture& f) { f.s.insert_patient(sample_patient("P002"), "2027-03-10T12:00:00Z", "nurse"); }},
    {"planned_event (shift)", 1,
     [](FullFixture& f) { f.s.move_event("P001", dose("IL2-D8", 8, ymd(2027, 3, 10), "IL2")); }},
    {"amendment", 3,  // the amendment, IL2-D8 retired, IL2-D8 again
     [](FullFixture& f) {
         f.s.amend_plan("P001", ymd(2027, 3, 5), amended_calendar(), sha_b, "2027-03-10T12:00:00Z", "dr", "again");
     }},
    {"record", 1, [](FullFixture& f) { (void)f.s.insert_record(first_dose()); }},
    {"void", 1, [](FullFixture& f) { f.s.insert_void(2, "typo", "2027-03-10T12:00:00Z", "nurse"); }},
    {"site", 1, [](FullFixture& f) { f.s.insert_site(paris_site()); }},
    {"planned_event (placed)", 1, [](FullFixture& f) { f.s.move_event("P001", placed_d1()); }},
};

// Tampering with one table of FullFixture by raw SQL: the audit row that
// wrote the rows touched (seq, how verify names it, how many rows it wrote),
// an UPDATE, an INSERT whose audit_seq is {seq}, the key verify names the
// inserted row by, and a DELETE of one row.
struct TableTamper {
    std::string table;
    std::int64_t seq;
    std::string who;
    std::int64_t rows;
    std::string edit;
    std::string insert;
    std::string key;
    std::string remove;
    [[nodiscard]] std::string insert_at(std::int64_t audit_seq) const {
        std::string sql = insert;
        sql.replace(sql.find("{seq}"), 5, std::to_string(audit_seq));
        return sql;
    }
};
std::ostream& operator<<(std::ostream& os, const TableTamper& t) { return os << t.table; }

const std::string key_text = std::string(43, 'M') + "=";
const std::vector<TableTamper> tampers{
    {"protocol_file", 3, "audit row 3 (enroll of P001)", 5, "UPDATE protocol_file SET text = 'edited' WHERE sha256 = '" + sha_a + "'",
     "INSERT INTO protocol_file VALUES ('" + std::string(64, 'c') + "', 'X', '1', 'x.toml', 'x', {seq})",
     "protocol_file " + std::string(64, 'c'), "DELETE FROM protocol_file WHERE sha256 = '" + sha_a + "'"},
    {"trial_key", 1, "audit row 1 (install key)", 1, "UPDATE trial_key SET name = 'mallory'",
     "INSERT INTO trial_key VALUES (2, 'signing', '" + key_text + "', '0123456789abcdef', '', 't', 'x', {seq})",
     "trial_key 2", "DELETE FROM trial_key"},
    {"randomization", 2, "audit row 2 (randomization)", 2,
     "UPDATE randomization SET sealed_arm = 'another box' WHERE number = 'R001'",
     "INSERT INTO randomization VALUES ('DF-IL2', 'R009', NULL, 9, 'box', 1, {seq})", "randomization DF-IL2",
     "DELETE FROM randomization WHERE number = 'R002'"},
    {"patient", 3, "audit row 3 (enroll of P001)", 5, "UPDATE patient SET arm = 'IL2-4'",
     "INSERT INTO patient (id, protocol, version, protocol_sha256, site, day0, tz, enrolled_at, enrolled_by, audit_seq) "
     "VALUES ('P002', 'DF-IL2', '1', '" + sha_a + "', 'PSL', '2027-03-01', 'Europe/Paris', 't', 'x', {seq})",
     "patient P002", "DELETE FROM patient"},
    {"planned_event", 3, "audit row 3 (enroll of P001)", 5, "UPDATE planned_event SET name = 'Baseline' WHERE event_id = 'V-D0'",
     "INSERT INTO planned_event (patient, event_id, revision, version, ord, kind, day, date, window_from, window_to, "
     "audit_seq) VALUES ('P001', 'V-X', 0, '1', 9, 'visit', 5, '2027-03-06', '2027-03-06', '2027-03-06', {seq})",
     "planned_event P001", "DELETE FROM planned_event WHERE event_id = 'V-D0'"},
    {"amendment", 6, "audit row 6 (amend of P001)", 6, "UPDATE amendment SET reason = 'no reason'",
     "INSERT INTO amendment VALUES (2, 'P001', '3', '" + sha_b + "', '2027-03-05', 't', 'x', 'r', {seq}, NULL)",
     "amendment 2", "DELETE FROM amendment"},
    {"record", 4, "audit row 4 (dose of P001)", 2, "UPDATE record SET amount = 9 WHERE id = 2",
     "INSERT INTO record (id, patient, kind, at_utc, product, recorded_at, recorded_by, audit_seq) "
     "VALUES (3, 'P001', 'dose', '2027-03-04T08:00:00Z', 'IL2', 't', 'x', {seq})",
     "record 3", "DELETE FROM record WHERE id = 2"},
    {"void", 5, "audit row 5 (void of P001)", 1, "UPDATE void SET reason = 'other'",
     "INSERT INTO void VALUES (2, 'why', 't', 'x', {seq})", "void 2", "DELETE FROM void"},
};

// A schema change and the one break verify reports for it.
struct SchemaChange {
    std::string sql;
    std::string want;
};
std::ostream& operator<<(std::ostream& os, const SchemaChange& c) { return os << c.sql; }

const std::vector<SchemaChange> schema_changes{
    {"CREATE TRIGGER record_spy AFTER INSERT ON record BEGIN SELECT 1; END",
     "0: the schema has a trigger 'record_spy' that trialcal did not make"},
    {"ALTER TABLE record ADD COLUMN extra TEXT", "0: the table 'record' differs from the one trialcal made"},
    {"CREATE INDEX record_kit ON record (kit)", "0: the schema has an index 'record_kit' that trialcal did not make"},
    {"CREATE TABLE notes (x TEXT)", "0: the schema has a table 'notes' that trialcal did not make"},
    {"DROP TRIGGER void_no_delete", "0: the trigger 'void_no_delete' that trialcal made is gone"},
    {"CREATE VIEW doses AS SELECT * FROM record", "0: the schema has a view 'doses' that trialcal did not make"},
};

// A plan of `n` visits, one a day from 2027-03-01.
Calendar plan_of(int n) {
    Calendar c = hand_calendar();
    c.events.clear();
    for (int i = 0; i < n; ++i) c.events.push_back(visit("V-D" + std::to_string(i), i, ymd(2027, 3, 1) + date::days{i}));
    return c;
}

const std::string zeros(64, '0');
const std::string hash_a = std::string(63, '0') + "a";

}  // namespace

BOOST_AUTO_TEST_SUITE(audit)

namespace bdata = boost::unit_test::data;

// ---------------------------------------------------------------- the chain

// The hashing itself is crypto's (tests/crypto/test_hash.cpp); the store names it for its engines.
BOOST_AUTO_TEST_CASE(sha256_is_cryptos) {
    BOOST_TEST(store::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_FIXTURE_TEST_CASE(empty_trail_head_is_64_zeros, StoreFixture) {
    BOOST_TEST(store::genesis_hash == std::string(64, '0'));
    BOOST_TEST((s.audit_head() == store::Head{0, std::string(64, '0')}));
    BOOST_TEST(s.audit_head().text() == "0:" + std::string(64, '0'));
    BOOST_TEST(s.audit_rows(std::nullopt).empty());
    const auto check = s.verify_audit();
    BOOST_TEST(check.rows == 0);
    BOOST_TEST(check.table_rows == 0);
    BOOST_TEST(check.intact(), listed(texts(check)));
    BOOST_TEST((check.head == store::Head{}));
}

BOOST_FIXTURE_TEST_CASE(a_chain_of_three_rows_verifies, StoreFixture) {
    append_three(s);
    const auto rows = s.audit_rows(std::nullopt);
    BOOST_TEST_REQUIRE(rows.size() == 3u);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        BOOST_TEST_CONTEXT("row " << i) {
            BOOST_TEST(rows[i].seq == static_cast<std::int64_t>(i + 1));
            BOOST_TEST(rows[i].at == three_times[i]);
            BOOST_TEST(rows[i].account == "tester");
            BOOST_TEST(rows[i].entry.by == three_entries[i].by);
            BOOST_TEST(rows[i].entry.action == three_entries[i].action);
            BOOST_TEST(rows[i].entry.patient == three_entries[i].patient);
            BOOST_TEST(rows[i].entry.target == three_entries[i].target);
            BOOST_TEST(rows[i].entry.old_value == three_entries[i].old_value);
            BOOST_TEST(rows[i].entry.new_value == three_entries[i].new_value);
            BOOST_TEST(rows[i].entry.sealed == three_entries[i].sealed);
            BOOST_TEST(rows[i].entry.reason == three_entries[i].reason);
            BOOST_TEST(rows[i].rows == 0);
            // The digest of no rows is a fixed value, the same on every row.
            BOOST_TEST(is_hex64(rows[i].digest), rows[i].digest);
            BOOST_TEST(rows[i].digest == rows[0].digest);
            BOOST_TEST(is_hex64(rows[i].hash), rows[i].hash);
            BOOST_TEST(rows[i].prev_hash == (i == 0 ? store::genesis_hash : rows[i - 1].hash));
        }
    }
    BOOST_TEST(rows[0].hash != rows[1].hash);
    BOOST_TEST(rows[1].hash != rows[2].hash);
    BOOST_TEST((s.audit_head() == store::Head{3, rows[2].hash}));
    BOOST_TEST(s.audit_row(2).value_or(store::AuditRow{}).hash == rows[1].hash);
    BOOST_TEST(s.audit_row_with_hash(rows[1].hash).value_or(store::AuditRow{}).seq == 2);
    BOOST_TEST(!s.audit_row_with_hash(std::string(64, 'f')).has_value());

    const auto check = s.verify_audit();
    BOOST_TEST(check.rows == 3);
    BOOST_TEST(check.intact(), listed(texts(check)));
    BOOST_TEST((check.head == store::Head{3, rows[2].hash}));

    BOOST_TEST(s.audit_rows(std::string("P001")).size() == 3u);
    BOOST_TEST(s.audit_rows(std::string("P002")).empty());
}

BOOST_AUTO_TEST_CASE(the_same_entries_at_the_same_times_give_the_same_chain) {
    StoreFixture a, b, c;
    append_three(a.s);
    append_three(b.s);
    BOOST_TEST((a.s.audit_head() == b.s.audit_head()));
    // Any field changes the hash: a different reason on the last row.
    append(c.s, three_entries[0], three_times[0]);
    append(c.s, three_entries[1], three_times[1]);
    AuditEntry other = three_entries[2];
    other.reason = "entered in error.";
    append(c.s, other, three_times[2]);
    BOOST_TEST(c.s.audit_head().hash != a.s.audit_head().hash);
}

BOOST_AUTO_TEST_CASE(length_prefixing_keeps_fields_apart) {
    // "ab" + "c" and "a" + "bc" in two fields must not hash alike.
    StoreFixture a, b;
    append(a.s, {"nurse", "dose", "ab", "c", "", "", "", "", ""}, "2027-03-01T08:00:00Z");
    append(b.s, {"nurse", "dose", "a", "bc", "", "", "", "", ""}, "2027-03-01T08:00:00Z");
    BOOST_TEST(a.s.audit_head().hash != b.s.audit_head().hash);
}

BOOST_AUTO_TEST_CASE(a_file_trail_survives_reopening) {
    FileTrail t;
    const auto check = t.verify();
    BOOST_TEST(check.rows == 3);
    BOOST_TEST(check.intact(), listed(texts(check)));
    BOOST_TEST((check.head == t.head));
}

BOOST_AUTO_TEST_CASE(the_trigger_refuses_a_change_without_raw_sql) {
    FileTrail t;
    auto db = Database::open(t.path, Mode::write);
    try {
        db.sql().exec("UPDATE audit SET new = 'x' WHERE seq = 2");
        BOOST_ERROR("UPDATE on audit was not refused");
    } catch (const SQLite::Exception& e) {
        BOOST_TEST(contains(e.what(), "append-only"), e.what());
    }
    BOOST_TEST(store::sqlite::verify_audit(db).intact());
}

BOOST_AUTO_TEST_CASE(a_changed_row_is_reported) {
    FileTrail t;
    t.tamper("DROP TRIGGER audit_no_update; UPDATE audit SET new = 'at=2027-03-02T10:00 (Europe/Paris)' WHERE seq = 2");
    const auto check = t.verify();
    BOOST_TEST(check.rows == 3);
    const std::vector<std::string> want{
        gone("audit_no_update"), "2: audit row 2 (dose of P001) was changed after it was written: its hash does not match"};
    BOOST_TEST(texts(check) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_changed_sealed_value_or_time_is_reported) {
    {
        FileTrail t;
        t.tamper("DROP TRIGGER audit_no_update; UPDATE audit SET sealed = 'arm=IL2-4' WHERE seq = 1");
        const std::vector<std::string> want{
            gone("audit_no_update"),
            "1: audit row 1 (enroll of P001) was changed after it was written: its hash does not match"};
        BOOST_TEST(texts(t.verify()) == want, boost::test_tools::per_element());
    }
    {
        FileTrail t;
        t.tamper("DROP TRIGGER audit_no_update; UPDATE audit SET at = '2027-03-03T11:00:00Z' WHERE seq = 3");
        const std::vector<std::string> want{
            gone("audit_no_update"),
            "3: audit row 3 (void of P001) was changed after it was written: its hash does not match"};
        BOOST_TEST(texts(t.verify()) == want, boost::test_tools::per_element());
    }
}

BOOST_AUTO_TEST_CASE(a_rehashed_row_still_breaks_the_next_link) {
    // Whoever changes row 2 and recomputes its hash leaves row 3 pointing at
    // the old one.
    FileTrail t;
    t.tamper("DROP TRIGGER audit_no_update; UPDATE audit SET hash = '" + std::string(64, 'e') + "' WHERE seq = 2");
    const std::vector<std::string> want{
        gone("audit_no_update"),
        "2: audit row 2 (dose of P001) was changed after it was written: its hash does not match",
        "3: audit row 3 does not point at the hash of the row before it"};
    BOOST_TEST(texts(t.verify()) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_deleted_middle_row_is_reported) {
    FileTrail t;
    t.tamper("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 2");
    const auto check = t.verify();
    BOOST_TEST(check.rows == 2);
    const std::vector<std::string> want{gone("audit_no_delete"), "3: audit row 3 follows row 1: 1 row(s) are missing",
                                        "3: audit row 3 does not point at the hash of the row before it"};
    BOOST_TEST(texts(check) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_deleted_first_row_is_reported) {
    FileTrail t;
    t.tamper("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 1");
    const std::vector<std::string> want{gone("audit_no_delete"), "2: audit row 2 follows row 0: 1 row(s) are missing",
                                        "2: audit row 2 does not point at the hash of the row before it"};
    BOOST_TEST(texts(t.verify()) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_deleted_last_row_changes_the_head) {
    // The chain alone cannot see a truncated tail: the head kept outside the
    // file can.
    FileTrail t;
    t.tamper("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 3");
    const auto check = t.verify();
    BOOST_TEST(check.rows == 2);
    BOOST_TEST(texts(check) == std::vector<std::string>{gone("audit_no_delete")}, boost::test_tools::per_element());
    BOOST_TEST(check.head.seq == 2);
    BOOST_TEST(check.head.hash != t.head.hash);
    BOOST_TEST(store::head_problem(check, t.head, std::nullopt).value_or("") ==
               "the kept head is row 3, but the trail ends at row 2: it was rolled back or truncated");
}

BOOST_AUTO_TEST_CASE(appending_after_a_row_continues_the_chain) {
    FileTrail t;
    auto db = Database::open(t.path, Mode::update);
    Store s(db, "tester");
    append(s, {"nurse", "visit", "P001", "R2", "", "event=V-D0 date=2027-03-01", "", "", ""}, "2027-03-04T09:00:00Z");
    const auto rows = s.audit_rows(std::nullopt);
    BOOST_TEST_REQUIRE(rows.size() == 4u);
    BOOST_TEST(rows[3].seq == 4);
    BOOST_TEST(rows[3].prev_hash == t.head.hash);
    const auto check = s.verify_audit();
    BOOST_TEST(check.intact(), listed(texts(check)));
    BOOST_TEST((check.head == store::Head{4, rows[3].hash}));
    BOOST_TEST(!store::head_problem(check, t.head, s.audit_row(t.head.seq)->hash).has_value());
}

// ---------------------------------------------------------------- every row accounted for

BOOST_FIXTURE_TEST_CASE(each_audit_row_accounts_for_exactly_the_rows_its_write_made, FullFixture) {
    const auto rows = s.audit_rows(std::nullopt);
    BOOST_TEST_REQUIRE(rows.size() == full_rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) BOOST_TEST(rows[i].rows == full_rows[i], "audit row " << i + 1);
    const auto check = s.verify_audit();
    BOOST_TEST(check.intact(), listed(texts(check)));
    BOOST_TEST(check.rows == 6);
    BOOST_TEST(check.table_rows == full_table_rows);
    BOOST_TEST(row_counts() == "protocol_file=2 trial_key=1 randomization=2 patient=1 planned_event=7 amendment=1 "
                               "record=2 void=1 site=0 enrollment_void=0 screening=0 audit=6");
}

BOOST_FIXTURE_TEST_CASE(enrolling_with_a_20_event_plan_writes_22_rows, StoreFixture) {
    write(
        [&] {
            s.save_protocol_file(sha_a, "DF-IL2", "1", "df-il2.toml", "[protocol]\n");
            s.insert_patient(sample_patient(), "2027-03-01T08:00:00Z", "nurse");
            s.insert_plan("P001", plan_of(20));
        },
        "enroll", "P001");
    BOOST_TEST(s.audit_row(1).value_or(store::AuditRow{}).rows == 22);
    const auto check = s.verify_audit();
    BOOST_TEST(check.intact(), listed(texts(check)));
    BOOST_TEST(check.table_rows == 22);
}

BOOST_DATA_TEST_CASE_F(FullFixture, a_write_to_each_table_is_accounted_for, bdata::make(writes), w) {
    write([&] { w.body(*this); }, "more", "P001");
    BOOST_TEST(s.audit_row(7).value_or(store::AuditRow{}).rows == w.rows);
    const auto check = s.verify_audit();
    BOOST_TEST(check.intact(), listed(texts(check)));
    BOOST_TEST(check.rows == 7);
    BOOST_TEST(check.table_rows == full_table_rows + w.rows);
}

BOOST_DATA_TEST_CASE_F(FullFixture, a_write_without_its_audit_row_writes_nothing, bdata::make(writes), w) {
    const std::string before = row_counts();
    const std::string msg = store_error([&] { s.write([&] { w.body(*this); }); }, Errc::internal);
    BOOST_TEST(msg == fmt::format("{} row(s) written without an audit row: nothing was written", w.rows));
    BOOST_TEST(row_counts() == before);
    BOOST_TEST(s.verify_audit().intact(), listed(break_texts()));
    // The store is still usable: the same write with its audit row goes in.
    write([&] { w.body(*this); }, "more", "P001");
    BOOST_TEST(s.verify_audit().table_rows == full_table_rows + w.rows);
}

BOOST_FIXTURE_TEST_CASE(rows_written_after_the_last_audit_row_undo_the_whole_write, FullFixture) {
    const std::string before = row_counts();
    const std::string msg = store_error(
        [&] {
            s.write([&] {
                (void)s.insert_record(first_dose());
                s.append_audit({"nurse", "dose", "P001", "", "", "", "", "", ""}, now());
                (void)s.insert_record(first_dose());
            });
        },
        Errc::internal);
    BOOST_TEST(msg == "1 row(s) written without an audit row: nothing was written");
    BOOST_TEST(row_counts() == before);
    BOOST_TEST((s.audit_head().seq == 6));
}

// ---------------------------------------------------------------- tampering, table by table

BOOST_DATA_TEST_CASE_F(FullFixture, an_edited_row_breaks_the_audit_row_that_wrote_it, bdata::make(tampers), tab) {
    tamper("DROP TRIGGER " + tab.table + "_no_update; " + tab.edit);
    const std::vector<std::string> want{
        gone(tab.table + "_no_update"),
        fmt::format("{}: {}: the {} row(s) it wrote were changed after they were written", tab.seq, tab.who, tab.rows)};
    BOOST_TEST(break_texts() == want, boost::test_tools::per_element());
}

BOOST_DATA_TEST_CASE_F(FullFixture, a_row_added_under_an_audit_row_is_reported, bdata::make(tampers), tab) {
    tamper(tab.insert_at(tab.seq));
    const std::vector<std::string> want{
        fmt::format("{}: {} wrote {} row(s); {} name it now: rows were added", tab.seq, tab.who, tab.rows, tab.rows + 1)};
    BOOST_TEST(break_texts() == want, boost::test_tools::per_element());
}

BOOST_DATA_TEST_CASE_F(FullFixture, a_row_naming_no_audit_row_is_reported, bdata::make(tampers), tab) {
    tamper(tab.insert_at(99));
    const std::vector<std::string> want{
        fmt::format("99: {} names audit row 99, which does not exist: no audit row accounts for it", tab.key)};
    BOOST_TEST(break_texts() == want, boost::test_tools::per_element());
}

BOOST_DATA_TEST_CASE_F(FullFixture, a_removed_row_is_reported, bdata::make(tampers), tab) {
    tamper("DROP TRIGGER " + tab.table + "_no_delete; " + tab.remove);
    const std::vector<std::string> want{
        gone(tab.table + "_no_delete"),
        fmt::format("{}: {} wrote {} row(s); {} name it now: rows were removed", tab.seq, tab.who, tab.rows, tab.rows - 1)};
    BOOST_TEST(break_texts() == want, boost::test_tools::per_element());
}

// Schema 3's columns of planned_event enter a row's canonical form only
// when set: a row that leaves them NULL hashes as schema 2 hashed it, so a
// migrated file's old digests still verify; a placement, once set, is
// covered like any column.
BOOST_FIXTURE_TEST_CASE(an_unplaced_row_hashes_as_schema_two_hashed_it, FullFixture) {
    const auto digest_of = [&](const std::string& columns) {
        SQLite::Statement q(db.sql(), "SELECT " + columns + " FROM planned_event WHERE event_id = 'V-D0' AND revision = 0");
        BOOST_TEST_REQUIRE(q.executeStep());
        ts::RowDigest d;
        ts::sqlite::add_row(d, ts::TableId::planned_event, q, 0);
        return d.take().digest;
    };
    const std::string schema_two_columns =
        "patient, event_id, revision, retired, version, ord, kind, day, date, window_from, window_to, sequence, name, "
        "procedures, product, drug, amount, unit, route, intake";
    BOOST_TEST(digest_of(schema_two_columns) == digest_of(ts::planned_event_columns));
    BOOST_TEST(digest_of(schema_two_columns) != digest_of(std::string(ts::planned_event_columns) + ", 1"));
}

BOOST_FIXTURE_TEST_CASE(a_placement_edited_behind_trialcals_back_is_reported, FullFixture) {
    write([&] { s.move_event("P001", placed_d1()); }, "place", "P001");
    BOOST_TEST(s.plan(sample_patient()).events.size() == 3u);
    BOOST_TEST(break_texts().empty());
    tamper("DROP TRIGGER planned_event_no_update; UPDATE planned_event SET placed = '2027-03-03' WHERE placed IS NOT NULL");
    const std::vector<std::string> want{gone("planned_event_no_update"),
                                        "7: audit row 7 (place of P001): the 1 row(s) it wrote were changed after they "
                                        "were written"};
    BOOST_TEST(break_texts() == want, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(a_site_edited_behind_trialcals_back_is_reported, FullFixture) {
    write([&] { s.insert_site(paris_site()); }, "site add");
    tamper("DROP TRIGGER site_no_update; UPDATE site SET tz = 'Etc/UTC'");
    const std::vector<std::string> want{gone("site_no_update"),
                                        "7: audit row 7 (site add): the 1 row(s) it wrote were changed after they were "
                                        "written"};
    BOOST_TEST(break_texts() == want, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(an_edited_audit_row_is_reported, FullFixture) {
    tamper("DROP TRIGGER audit_no_update; UPDATE audit SET by = 'mallory' WHERE seq = 4");
    const std::vector<std::string> want{
        gone("audit_no_update"), "4: audit row 4 (dose of P001) was changed after it was written: its hash does not match"};
    BOOST_TEST(break_texts() == want, boost::test_tools::per_element());
}

// The rows an audit row accounted for lose it with it.
BOOST_FIXTURE_TEST_CASE(a_removed_audit_row_leaves_its_rows_unaccounted_for, FullFixture) {
    tamper("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 4");
    const std::vector<std::string> want{
        gone("audit_no_delete"), "5: audit row 5 follows row 3: 1 row(s) are missing",
        "5: audit row 5 does not point at the hash of the row before it",
        "4: record 1 names audit row 4, which does not exist: no audit row accounts for it",
        "4: record 2 names audit row 4, which does not exist: no audit row accounts for it"};
    BOOST_TEST(break_texts() == want, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(an_audit_row_added_past_the_end_is_reported, FullFixture) {
    tamper("INSERT INTO audit (seq, at, account, by, action, rows, digest, prev_hash, hash) VALUES (100, "
           "'2027-03-11T08:00:00Z', 'x', 'x', 'forged', 0, '', '" + s.audit_head().hash + "', '" + zeros + "')");
    const auto all = break_texts();
    BOOST_TEST(std::count(all.begin(), all.end(), "100: audit row 100 follows row 6: 93 row(s) are missing") == 1,
               listed(all));
    BOOST_TEST(std::count(all.begin(), all.end(),
                          "100: audit row 100 (forged) was changed after it was written: its hash does not match") == 1,
               listed(all));
}

BOOST_FIXTURE_TEST_CASE(an_audit_row_dated_before_the_row_before_it_is_reported, FullFixture) {
    tamper("DROP TRIGGER audit_no_update; UPDATE audit SET at = '2000-01-01T00:00:00Z' WHERE seq = 5");
    const std::vector<std::string> want{
        gone("audit_no_update"),
        "5: audit row 5 (void of P001) was changed after it was written: its hash does not match",
        "5: audit row 5 (void of P001) was written at 2000-01-01T00:00:00Z, before the row before it "
        "(2027-03-10T08:04:00Z): the clock went back or rows were reordered"};
    BOOST_TEST(break_texts() == want, boost::test_tools::per_element());
}

// A clock set back writes a well-chained row that verify still reports.
BOOST_FIXTURE_TEST_CASE(a_clock_that_went_back_is_reported, StoreFixture) {
    append(s, three_entries[0], "2027-03-02T08:00:00Z");
    append(s, three_entries[1], "2027-03-01T23:59:59Z");
    const std::vector<std::string> want{
        "2: audit row 2 (dose of P001) was written at 2027-03-01T23:59:59Z, before the row before it "
        "(2027-03-02T08:00:00Z): the clock went back or rows were reordered"};
    BOOST_TEST(break_texts() == want, boost::test_tools::per_element());
}

BOOST_DATA_TEST_CASE_F(FullFixture, a_schema_change_is_reported, bdata::make(schema_changes), c) {
    tamper(c.sql);
    BOOST_TEST(break_texts() == std::vector<std::string>{c.want}, boost::test_tools::per_element());
    // The rows themselves still verify: the chain and every digest hold.
    BOOST_TEST(s.verify_audit().table_rows == full_table_rows);
}

BOOST_FIXTURE_TEST_CASE(two_independent_tamperings_are_both_listed, FullFixture) {
    tamper("DROP TRIGGER record_no_update; UPDATE record SET kit = 'KIT-9' WHERE id = 1");
    tamper("DROP TRIGGER void_no_delete; DELETE FROM void");
    const auto all = break_texts();
    BOOST_TEST(all.size() >= 2u);
    const std::vector<std::string> want{
        gone("record_no_update"), gone("void_no_delete"),
        "4: audit row 4 (dose of P001): the 2 row(s) it wrote were changed after they were written",
        "5: audit row 5 (void of P001) wrote 1 row(s); 0 name it now: rows were removed"};
    BOOST_TEST(all == want, boost::test_tools::per_element());
}

// ---------------------------------------------------------------- revisions

BOOST_FIXTURE_TEST_CASE(a_shift_adds_a_revision_and_the_plan_shows_the_newest, StoreFixture) {
    enroll(sample_patient());
    write([&] { s.insert_plan("P001", hand_calendar()); }, "plan", "P001");
    Event moved = hand_calendar().events[1];  // IL2-D1, 2027-03-02
    for (unsigned day : {3u, 4u}) {
        moved.date = ymd(2027, 3, day);
        moved.window = {moved.date, moved.date};
        write([&] { s.move_event("P001", moved); }, "shift", "P001");
        BOOST_TEST(s.audit_head().seq == 2 + day - 2);
        BOOST_TEST(s.audit_row(s.audit_head().seq)->rows == 1);
    }
    const Calendar plan = s.plan(*s.patient("P001"));
    BOOST_TEST_REQUIRE(plan.events.size() == 3u);
    BOOST_TEST(plan.events[1].id == "IL2-D1");
    BOOST_TEST(ts::iso(plan.events[1].date) == "2027-03-04");
    BOOST_TEST(ts::iso(plan.events[1].window.to) == "2027-03-04");
    BOOST_TEST(plan.events[1].sequence == 2);
    BOOST_TEST(plan.events[1].amount.value_or(0) == 0.33);  // the rest of the event carried over
    BOOST_TEST(plan.events[0].sequence == 0);
    BOOST_TEST(count("SELECT count(*) FROM planned_event WHERE event_id = 'IL2-D1'") == 3);
    BOOST_TEST(count("SELECT max(revision) FROM planned_event WHERE event_id = 'IL2-D1'") == 2);
    BOOST_TEST(s.replaced_events(*s.patient("P001")).empty());
    const auto check = s.verify_audit();
    BOOST_TEST(check.intact(), listed(texts(check)));
    BOOST_TEST(check.table_rows == 2 + 3 + 1 + 1);
    // An event the patient does not have is not found, and writes nothing.
    moved.id = "NOPE";
    store_error([&] { write([&] { s.move_event("P001", moved); }, "shift", "P001"); }, Errc::not_found);
    BOOST_TEST(rows_of("planned_event") == 5);
}

BOOST_FIXTURE_TEST_CASE(an_amendment_retires_events_and_the_dropped_ones_come_back_as_replaced, FullFixture) {
    const auto p = s.patient("P001");
    BOOST_TEST_REQUIRE(p.has_value());
    BOOST_TEST(p->version == "2");
    BOOST_TEST(p->protocol_sha256 == sha_b);
    const Calendar plan = s.plan(*p);
    std::vector<std::string> ids;
    for (const auto& e : plan.events) ids.push_back(e.id);
    BOOST_TEST(ids == (std::vector<std::string>{"V-D0", "IL2-D1", "IL2-D8"}), boost::test_tools::per_element());
    const auto replaced = s.replaced_events(*p);
    BOOST_TEST_REQUIRE(replaced.size() == 1u);
    BOOST_TEST(replaced[0].id == "CSA-D15-PM");
    BOOST_TEST(ts::iso(replaced[0].date) == "2027-03-16");
    BOOST_TEST(count("SELECT count(*) FROM planned_event WHERE event_id = 'IL2-D1'") == 3);
    BOOST_TEST(count("SELECT count(*) FROM planned_event WHERE retired <> 0") == 2);
    // A retired event cannot be shifted.
    Event csa = replaced[0];
    csa.date = ymd(2027, 3, 17);
    store_error([&] { write([&] { s.move_event("P001", csa); }, "shift", "P001"); }, Errc::not_found);
    const auto check = s.verify_audit();
    BOOST_TEST(check.intact(), listed(texts(check)));
    BOOST_TEST(check.table_rows == full_table_rows);
}

// ---------------------------------------------------------------- who wrote it

BOOST_AUTO_TEST_CASE(the_account_that_opened_the_store_is_on_every_row_and_in_the_hash) {
    FullFixture alice("alice"), bob("bob");
    for (const auto& r : alice.s.audit_rows(std::nullopt)) BOOST_TEST(r.account == "alice", "row " << r.seq);
    BOOST_TEST(bob.s.audit_rows(std::nullopt).front().account == "bob");
    BOOST_TEST(alice.s.audit_head().hash != bob.s.audit_head().hash);
    alice.tamper("DROP TRIGGER audit_no_update; UPDATE audit SET account = 'bob' WHERE seq = 3");
    const std::vector<std::string> want{
        gone("audit_no_update"), "3: audit row 3 (enroll of P001) was changed after it was written: its hash does not match"};
    BOOST_TEST(alice.break_texts() == want, boost::test_tools::per_element());
}

// ---------------------------------------------------------------- the head

BOOST_FIXTURE_TEST_CASE(the_head_is_seq_colon_hash_and_parses_back, FullFixture) {
    const store::Head head = s.audit_head();
    BOOST_TEST(head.seq == 6);
    BOOST_TEST(head.text() == "6:" + s.audit_row(6)->hash);
    BOOST_TEST((store::parse_head(head.text()) == head));
    BOOST_TEST((store::Head{12, hash_a}.text() == "12:" + hash_a));
}

struct HeadText {
    std::string text;
    std::optional<store::Head> want;
};
std::ostream& operator<<(std::ostream& os, const HeadText& h) { return os << '"' << h.text << '"'; }

BOOST_DATA_TEST_CASE(parse_head_takes_seq_colon_hash_or_a_bare_hash,
                     bdata::make(std::vector<HeadText>{
                         {"12:" + hash_a, store::Head{12, hash_a}},
                         {hash_a, store::Head{0, hash_a}},
                         {"1:" + zeros, store::Head{1, zeros}},
                         {"0:" + hash_a, std::nullopt},
                         {"-1:" + hash_a, std::nullopt},
                         {"x:" + hash_a, std::nullopt},
                         {"12:" + hash_a.substr(1), std::nullopt},
                         {hash_a.substr(1), std::nullopt},
                         {"12:" + std::string(63, '0') + "A", std::nullopt},
                         {std::string(63, '0') + "A", std::nullopt},
                         {"12:" + hash_a + "0", std::nullopt},
                         {"12 :" + hash_a, std::nullopt},
                         {":" + hash_a, std::nullopt},
                         {"", std::nullopt},
                     }),
                     h) {
    const auto got = store::parse_head(h.text);
    BOOST_TEST(got.has_value() == h.want.has_value());
    if (got && h.want) BOOST_TEST((*got == *h.want), got->text());
}

BOOST_AUTO_TEST_CASE(head_problem_names_what_happened_to_the_kept_head) {
    store::ChainCheck c;
    c.rows = 5;
    c.head = {5, std::string(64, '5')};
    const std::string h3(64, '3'), other(64, 'e');
    BOOST_TEST(!store::head_problem(c, {3, h3}, h3).has_value());
    BOOST_TEST(!store::head_problem(c, c.head, c.head.hash).has_value());
    BOOST_TEST(store::head_problem(c, {7, h3}, std::nullopt).value_or("") ==
               "the kept head is row 7, but the trail ends at row 5: it was rolled back or truncated");
    BOOST_TEST(store::head_problem(c, {3, h3}, other).value_or("") ==
               "row 3 of the trail has hash " + other + ", not the kept " + h3 + ": the trail was rewritten");
    BOOST_TEST(store::head_problem(c, {0, h3}, std::nullopt).value_or("") ==
               "the trail holds no row with the kept head's hash " + h3 + ": it was rolled back or rewritten");
    c.breaks.push_back({4, "x"});
    BOOST_TEST(!store::head_problem(c, {3, h3}, h3).has_value());  // a break after the kept row
    c.breaks.push_back({2, "y"});
    BOOST_TEST(store::head_problem(c, {3, h3}, h3).value_or("") ==
               "the trail up to the kept head is broken (row 2): it no longer proves that head");
}

// End to end: a head kept, then the last row rewritten by raw SQL.
BOOST_FIXTURE_TEST_CASE(a_kept_head_catches_a_rewritten_trail, FullFixture) {
    const store::Head kept = s.audit_head();
    tamper("DROP TRIGGER audit_no_update; UPDATE audit SET hash = '" + hash_a + "' WHERE seq = 6");
    const auto check = s.verify_audit();
    BOOST_TEST(store::head_problem(check, kept, s.audit_row(kept.seq)->hash).value_or("") ==
               "row 6 of the trail has hash " + hash_a + ", not the kept " + kept.hash + ": the trail was rewritten");
}

// A plan's rows enter their write's digest from the values bound, not read
// back (SqliteStore::insert_event_row): each kind of value must hash as
// add() hashes the stored row. Rows of planned_event's columns: a whole and a
// fractional amount, NULL and set later-schema columns, texts with UTF-8.
struct DigestRow {
    std::string name;
    std::optional<double> amount;
    std::optional<std::string> placed;
    std::optional<int> closed_day;
};
std::ostream& operator<<(std::ostream& os, const DigestRow& r) { return os << r.name; }

const std::vector<DigestRow> digest_rows{
    {"Inclusion", std::nullopt, std::nullopt, std::nullopt},
    {"visite J1 – médecin", 1.0, std::nullopt, std::nullopt},
    {"", 0.1 + 0.2, "2027-03-01", std::nullopt},
    {"D5", 350.0, "2027-03-06", 1},
    {"D6", -2.5e-7, std::nullopt, 1},
};

BOOST_DATA_TEST_CASE(a_row_digested_from_its_values_equals_the_row_read_back, boost::unit_test::data::make(digest_rows),
                     r) {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE planned_event (patient TEXT, event_id TEXT, revision INTEGER, retired INTEGER, version TEXT, "
            "ord INTEGER, kind TEXT, day INTEGER, date TEXT, window_from TEXT, window_to TEXT, sequence INTEGER, "
            "name TEXT, procedures TEXT, product TEXT, drug TEXT, amount REAL, unit TEXT, route TEXT, intake TEXT, "
            "placed TEXT, closed_day INTEGER, PRIMARY KEY (patient, event_id, revision)) STRICT, WITHOUT ROWID");
    SQLite::Statement insert(db, "INSERT INTO planned_event VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    insert.bind(1, "P001");
    insert.bind(2, "IL2-D5");
    insert.bind(3, 2);
    insert.bind(4, 0);
    insert.bind(5, "2");
    insert.bind(6, 7);
    insert.bind(7, "dose");
    insert.bind(8, 5);
    insert.bind(9, "2027-03-06");
    insert.bind(10, "2027-03-05");
    insert.bind(11, "2027-03-07");
    insert.bind(12, 0);
    insert.bind(13, r.name);
    insert.bind(14, "prise de sang; ECG");
    insert.bind(15, "IL2");
    insert.bind(16, "aldesleukine");
    if (r.amount) insert.bind(17, *r.amount);
    insert.bind(18, "mg");
    insert.bind(19, "SC");
    insert.bind(20, "AM");
    if (r.placed) insert.bind(21, *r.placed);
    if (r.closed_day) insert.bind(22, *r.closed_day);
    insert.exec();

    store::RowDigest read_back, from_values;
    SQLite::Statement q(db, "SELECT * FROM planned_event");
    BOOST_REQUIRE(q.executeStep());
    store::sqlite::add_row(read_back, store::TableId::planned_event, q, 0);

    from_values.row(store::TableId::planned_event);
    from_values.text("P001");
    from_values.text("IL2-D5");
    from_values.integer(2);
    from_values.integer(0);
    from_values.text("2");
    from_values.integer(7);
    from_values.text("dose");
    from_values.integer(5);
    from_values.text("2027-03-06");
    from_values.text("2027-03-05");
    from_values.text("2027-03-07");
    from_values.integer(0);
    from_values.text(r.name);
    from_values.text("prise de sang; ECG");
    from_values.text("IL2");
    from_values.text("aldesleukine");
    if (r.amount) from_values.real(*r.amount);
    else from_values.null();
    from_values.text("mg");
    from_values.text("SC");
    from_values.text("AM");
    if (r.placed) from_values.text(*r.placed);
    else from_values.null();
    if (r.closed_day) from_values.integer(*r.closed_day);
    else from_values.null();
    from_values.done();

    const auto a = read_back.take(), b = from_values.take();
    BOOST_TEST(a.rows == 1);
    BOOST_TEST(b.rows == 1);
    BOOST_TEST(b.digest == a.digest);
}

// And a value that differs gives another digest: the comparison above can fail.
BOOST_AUTO_TEST_CASE(a_row_digested_from_other_values_differs) {
    store::RowDigest one, other;
    for (auto* d : {&one, &other}) {
        d->row(store::TableId::planned_event);
        for (int i = 0; i < 16; ++i) d->text("x");
        d->real(d == &one ? 1.0 : 1.5);
        for (int i = 0; i < 3; ++i) d->text("x");
        d->null();
        d->null();
        d->done();
    }
    BOOST_TEST(one.take().digest != other.take().digest);
}

BOOST_AUTO_TEST_SUITE_END()
