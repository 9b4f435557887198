#include "store/sqlite/audit_log.hpp"

#include "store/sqlite/sqlite_store.hpp"

#include <fmt/format.h>

namespace trialcal::store::sqlite {

namespace {

std::string text_or_empty(const SQLite::Column& c) { return c.isNull() ? std::string{} : c.getString(); }

constexpr char row_columns[] = "seq, at, by, action, patient, target, old, new, sealed, reason, prev_hash, hash";

AuditRow read_row(SQLite::Statement& q) {
    AuditRow r;
    r.seq = q.getColumn(0).getInt64();
    r.at = q.getColumn(1).getString();
    r.entry = {text_or_empty(q.getColumn(2)), text_or_empty(q.getColumn(3)), text_or_empty(q.getColumn(4)),
               text_or_empty(q.getColumn(5)), text_or_empty(q.getColumn(6)), text_or_empty(q.getColumn(7)),
               text_or_empty(q.getColumn(8)), text_or_empty(q.getColumn(9))};
    r.prev_hash = q.getColumn(10).getString();
    r.hash = q.getColumn(11).getString();
    return r;
}

}  // namespace

std::string audit_head(Database& db) {
    SQLite::Statement q(db.sql(), "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1");
    return q.executeStep() ? q.getColumn(0).getString() : genesis_hash;
}

AuditLog::AuditLog(Database& db)
    : head_(db.sql(), "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"),
      insert_(db.sql(),
              "INSERT INTO audit (seq, at, by, action, patient, target, old, new, sealed, reason, prev_hash, hash) "
              "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)") {}

void AuditLog::append(const AuditEntry& e, const std::string& at) {
    // Read each time, never cached: only the write transaction's lock makes
    // the head ours, and it is one step on the last page of the B-tree.
    head_.reset();
    std::int64_t seq = 1;
    std::string prev = genesis_hash;
    if (head_.executeStep()) {
        seq = head_.getColumn(0).getInt64() + 1;
        prev = head_.getColumn(1).getString();
    }
    audit_canonical(canonical_, prev, seq, at, e);
    const std::string hash = sha256_hex(canonical_);
    insert_.reset();
    insert_.bind(1, seq);
    insert_.bindNoCopy(2, at);
    insert_.bindNoCopy(3, e.by);
    insert_.bindNoCopy(4, e.action);
    insert_.bindNoCopy(5, e.patient);
    insert_.bindNoCopy(6, e.target);
    insert_.bindNoCopy(7, e.old_value);
    insert_.bindNoCopy(8, e.new_value);
    insert_.bindNoCopy(9, e.sealed);
    insert_.bindNoCopy(10, e.reason);
    insert_.bindNoCopy(11, prev);
    insert_.bindNoCopy(12, hash);
    insert_.exec();
}

void append_audit(Database& db, const AuditEntry& e, const std::string& at) { AuditLog(db).append(e, at); }

std::vector<AuditRow> audit_rows(Database& db, const std::optional<std::string>& patient) {
    const std::string sql = fmt::format("SELECT {} FROM audit {}ORDER BY seq", row_columns,
                                        patient ? "WHERE patient = ? " : "");
    SQLite::Statement q(db.sql(), sql);
    if (patient) q.bind(1, *patient);
    std::vector<AuditRow> rows;
    while (q.executeStep()) rows.push_back(read_row(q));
    return rows;
}

std::optional<AuditRow> earlier_import(Database& db, const std::string& patient, const std::string& file_sha256) {
    // Through the index on patient: a patient has a row per write about
    // them, the trail a row per write. The digest is matched as the import
    // writes it, between spaces, so no file name can pose as it.
    const std::string sql = fmt::format("SELECT {} FROM audit WHERE patient = ? AND action = 'import doses' "
                                        "AND instr(new, ?) > 0 ORDER BY seq LIMIT 1",
                                        row_columns);
    SQLite::Statement q(db.sql(), sql);
    q.bind(1, patient);
    q.bind(2, " file_sha256=" + file_sha256 + " ");
    if (!q.executeStep()) return std::nullopt;
    return read_row(q);
}

ChainCheck verify_audit(Database& db) {
    SqliteStore s(db);
    return store::verify_audit(s);
}

}  // namespace trialcal::store::sqlite
