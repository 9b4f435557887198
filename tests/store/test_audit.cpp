// The hash-chained audit trail (docs/storage.md "The audit trail"): SHA-256
// through libsodium (crypto/), rows chained from 64 zeros, and verify_audit naming the
// first row that a later change or deletion broke.
#include "store/audit.hpp"
#include "store/sqlite/audit_log.hpp"

#include <boost/test/unit_test.hpp>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace trialcal;
using store::AuditEntry;
using store::sqlite::Database;
using store::Mode;

bool contains(std::string_view text, std::string_view needle) { return text.find(needle) != std::string_view::npos; }

class ScratchDir {
public:
    ScratchDir() {
        std::string tmpl = (fs::temp_directory_path() / "trialcal-audit-test-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    [[nodiscard]] fs::path operator/(const std::string& name) const { return path_ / name; }

private:
    fs::path path_;
};

bool is_hex64(const std::string& s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

const std::vector<AuditEntry> three_entries{
    {"nurse", "enroll", "P001", "P001", "", "protocol=DF-IL2@1 site=PSL day0=2027-03-01", "arm=IL2-2", ""},
    {"nurse", "dose", "P001", "R1", "", "at=2027-03-02T09:00 (Europe/Paris)", "", ""},
    {"monitor", "void", "P001", "R1", "", "voided", "", "entered in error"},
};
const std::vector<std::string> three_times{"2027-03-01T08:00:00Z", "2027-03-02T08:05:00Z", "2027-03-03T10:00:00Z"};

void append_three(Database& db) {
    for (std::size_t i = 0; i < three_entries.size(); ++i)
        db.write([&] { store::sqlite::append_audit(db, three_entries[i], three_times[i]); });
}

// A file database holding the three rows.
struct FileTrail {
    ScratchDir dir;
    fs::path path = dir / "audit.db";
    std::string head;
    FileTrail() {
        auto db = Database::open(path, Mode::write);
        append_three(db);
        head = store::sqlite::audit_head(db);
    }
    // Raw SQL on the file, as someone with the sqlite3 shell could.
    void tamper(const std::string& sql) const {
        SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE);
        raw.exec(sql);
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(audit)

// The hashing itself is crypto's (tests/crypto/test_hash.cpp); the store names it for its engines.
BOOST_AUTO_TEST_CASE(sha256_is_cryptos) {
    BOOST_TEST(store::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(empty_trail_head_is_64_zeros) {
    auto db = Database::memory();
    BOOST_TEST(store::genesis_hash == std::string(64, '0'));
    BOOST_TEST(store::sqlite::audit_head(db) == std::string(64, '0'));
    BOOST_TEST(store::sqlite::audit_rows(db, std::nullopt).empty());
    const auto check = store::sqlite::verify_audit(db);
    BOOST_TEST(check.rows == 0);
    BOOST_TEST(!check.first_broken.has_value());
    BOOST_TEST(check.head == std::string(64, '0'));
}

BOOST_AUTO_TEST_CASE(a_chain_of_three_rows_verifies) {
    auto db = Database::memory();
    append_three(db);
    const auto rows = store::sqlite::audit_rows(db, std::nullopt);
    BOOST_TEST_REQUIRE(rows.size() == 3u);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        BOOST_TEST_CONTEXT("row " << i) {
            BOOST_TEST(rows[i].seq == static_cast<std::int64_t>(i + 1));
            BOOST_TEST(rows[i].at == three_times[i]);
            BOOST_TEST(rows[i].entry.by == three_entries[i].by);
            BOOST_TEST(rows[i].entry.action == three_entries[i].action);
            BOOST_TEST(rows[i].entry.patient == three_entries[i].patient);
            BOOST_TEST(rows[i].entry.target == three_entries[i].target);
            BOOST_TEST(rows[i].entry.old_value == three_entries[i].old_value);
            BOOST_TEST(rows[i].entry.new_value == three_entries[i].new_value);
            BOOST_TEST(rows[i].entry.sealed == three_entries[i].sealed);
            BOOST_TEST(rows[i].entry.reason == three_entries[i].reason);
            BOOST_TEST(is_hex64(rows[i].hash), rows[i].hash);
            BOOST_TEST(rows[i].prev_hash == (i == 0 ? store::genesis_hash : rows[i - 1].hash));
        }
    }
    BOOST_TEST(rows[0].hash != rows[1].hash);
    BOOST_TEST(rows[1].hash != rows[2].hash);
    BOOST_TEST(store::sqlite::audit_head(db) == rows[2].hash);

    const auto check = store::sqlite::verify_audit(db);
    BOOST_TEST(check.rows == 3);
    BOOST_TEST(!check.first_broken.has_value(), check.reason);
    BOOST_TEST(check.head == rows[2].hash);

    const auto p001 = store::sqlite::audit_rows(db, std::string("P001"));
    BOOST_TEST(p001.size() == 3u);
    BOOST_TEST(store::sqlite::audit_rows(db, std::string("P002")).empty());
}

BOOST_AUTO_TEST_CASE(the_same_entries_at_the_same_times_give_the_same_chain) {
    auto a = Database::memory();
    auto b = Database::memory();
    append_three(a);
    append_three(b);
    BOOST_TEST(store::sqlite::audit_head(a) == store::sqlite::audit_head(b));
    // Any field changes the hash: a different reason on the last row.
    auto c = Database::memory();
    c.write([&] { store::sqlite::append_audit(c, three_entries[0], three_times[0]); });
    c.write([&] { store::sqlite::append_audit(c, three_entries[1], three_times[1]); });
    AuditEntry other = three_entries[2];
    other.reason = "entered in error.";
    c.write([&] { store::sqlite::append_audit(c, other, three_times[2]); });
    BOOST_TEST(store::sqlite::audit_head(c) != store::sqlite::audit_head(a));
}

BOOST_AUTO_TEST_CASE(length_prefixing_keeps_fields_apart) {
    // "ab" + "c" and "a" + "bc" in two fields must not hash alike.
    auto a = Database::memory();
    auto b = Database::memory();
    a.write([&] { store::sqlite::append_audit(a, {"nurse", "dose", "ab", "c", "", "", "", ""}, "2027-03-01T08:00:00Z"); });
    b.write([&] { store::sqlite::append_audit(b, {"nurse", "dose", "a", "bc", "", "", "", ""}, "2027-03-01T08:00:00Z"); });
    BOOST_TEST(store::sqlite::audit_head(a) != store::sqlite::audit_head(b));
}

BOOST_AUTO_TEST_CASE(a_file_trail_survives_reopening) {
    FileTrail t;
    auto db = Database::open(t.path, Mode::read);
    const auto check = store::sqlite::verify_audit(db);
    BOOST_TEST(check.rows == 3);
    BOOST_TEST(!check.first_broken.has_value(), check.reason);
    BOOST_TEST(check.head == t.head);
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
    BOOST_TEST(!store::sqlite::verify_audit(db).first_broken.has_value());
}

BOOST_AUTO_TEST_CASE(a_changed_row_is_reported) {
    FileTrail t;
    t.tamper("DROP TRIGGER audit_no_update; UPDATE audit SET new = 'at=2027-03-02T10:00 (Europe/Paris)' WHERE seq = 2");
    auto db = Database::open(t.path, Mode::read);
    const auto check = store::sqlite::verify_audit(db);
    BOOST_TEST(check.rows == 3);
    BOOST_TEST_REQUIRE(check.first_broken.has_value());
    BOOST_TEST(*check.first_broken == 2);
    BOOST_TEST(contains(check.reason, "2"), check.reason);
}

BOOST_AUTO_TEST_CASE(a_changed_sealed_value_or_time_is_reported) {
    {
        FileTrail t;
        t.tamper("DROP TRIGGER audit_no_update; UPDATE audit SET sealed = 'arm=IL2-4' WHERE seq = 1");
        auto db = Database::open(t.path, Mode::read);
        const auto check = store::sqlite::verify_audit(db);
        BOOST_TEST_REQUIRE(check.first_broken.has_value());
        BOOST_TEST(*check.first_broken == 1);
    }
    {
        FileTrail t;
        t.tamper("DROP TRIGGER audit_no_update; UPDATE audit SET at = '2027-03-03T11:00:00Z' WHERE seq = 3");
        auto db = Database::open(t.path, Mode::read);
        const auto check = store::sqlite::verify_audit(db);
        BOOST_TEST_REQUIRE(check.first_broken.has_value());
        BOOST_TEST(*check.first_broken == 3);
    }
}

BOOST_AUTO_TEST_CASE(a_rehashed_row_still_breaks_the_next_link) {
    // Whoever changes row 2 and recomputes its hash leaves row 3 pointing at
    // the old one.
    FileTrail t;
    t.tamper("DROP TRIGGER audit_no_update; UPDATE audit SET hash = '" + std::string(64, 'e') + "' WHERE seq = 2");
    auto db = Database::open(t.path, Mode::read);
    const auto check = store::sqlite::verify_audit(db);
    BOOST_TEST_REQUIRE(check.first_broken.has_value());
    BOOST_TEST(*check.first_broken == 2);
}

BOOST_AUTO_TEST_CASE(a_deleted_middle_row_is_reported) {
    FileTrail t;
    t.tamper("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 2");
    auto db = Database::open(t.path, Mode::read);
    const auto check = store::sqlite::verify_audit(db);
    BOOST_TEST(check.rows == 2);
    BOOST_TEST_REQUIRE(check.first_broken.has_value());
    BOOST_TEST(*check.first_broken == 3);
    BOOST_TEST(contains(check.reason, "missing"), check.reason);
}

BOOST_AUTO_TEST_CASE(a_deleted_first_row_is_reported) {
    FileTrail t;
    t.tamper("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 1");
    auto db = Database::open(t.path, Mode::read);
    const auto check = store::sqlite::verify_audit(db);
    BOOST_TEST_REQUIRE(check.first_broken.has_value());
    BOOST_TEST(*check.first_broken == 2);
}

BOOST_AUTO_TEST_CASE(a_deleted_last_row_changes_the_head) {
    // The chain alone cannot see a truncated tail: the head kept outside the
    // file can.
    FileTrail t;
    t.tamper("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 3");
    auto db = Database::open(t.path, Mode::read);
    const auto check = store::sqlite::verify_audit(db);
    BOOST_TEST(check.rows == 2);
    BOOST_TEST(check.head != t.head);
    BOOST_TEST(store::sqlite::audit_head(db) == check.head);
}

BOOST_AUTO_TEST_CASE(appending_after_a_row_continues_the_chain) {
    FileTrail t;
    auto db = Database::open(t.path, Mode::write);
    db.write([&] {
        store::sqlite::append_audit(db, {"nurse", "visit", "P001", "R2", "", "event=V-D0 date=2027-03-01", "", ""},
                            "2027-03-04T09:00:00Z");
    });
    const auto rows = store::sqlite::audit_rows(db, std::nullopt);
    BOOST_TEST_REQUIRE(rows.size() == 4u);
    BOOST_TEST(rows[3].seq == 4);
    BOOST_TEST(rows[3].prev_hash == t.head);
    const auto check = store::sqlite::verify_audit(db);
    BOOST_TEST(!check.first_broken.has_value(), check.reason);
    BOOST_TEST(check.head == rows[3].hash);
}

BOOST_AUTO_TEST_SUITE_END()
