// The hash-chained audit trail (docs/storage.md "The audit trail"): SHA-256
// through libsodium (crypto/), rows chained from 64 zeros, and verify_audit naming the
// first row that a later change or deletion broke.
#include "store/audit.hpp"
#include "store/sqlite/audit_log.hpp"
#include "tests/store/fixture.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <unistd.h>

#include <filesystem>
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

BOOST_AUTO_TEST_SUITE_END()
