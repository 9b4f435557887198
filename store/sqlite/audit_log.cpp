#include "store/sqlite/audit_log.hpp"

#include "store/rows.hpp"
#include "store/sqlite/read_statement.hpp"

#include <fmt/format.h>

namespace trialcal::store::sqlite {

AuditRow read_audit_row(SQLite::Statement& q) { return store::read_audit_row(StatementRow{q}); }

// Reads below see the trail up to the pinned row (Database::pin).
Head audit_head(Database& db) {
    SQLite::Statement q(db.sql(), "SELECT seq, hash FROM audit WHERE seq <= trialcal_snapshot() ORDER BY seq DESC LIMIT 1");
    if (!q.executeStep()) return {};
    return {q.getColumn(0).getInt64(), q.getColumn(1).getString()};
}

AuditLog::AuditLog(Database& db, RowDigest& written, std::string account)
    : head_(db.sql(), "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"),
      insert_(db.sql(), fmt::format("INSERT INTO audit ({}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", audit_columns)),
      written_(written),
      account_(std::move(account)) {}

void AuditLog::append(const AuditEntry& e, const std::string& at) { append_as(e, at, account_); }

void AuditLog::append_as(const AuditEntry& e, const std::string& at, const std::string& account) {
    // Read each time, never cached: only the write transaction's lock makes
    // the head ours, and it is one step on the last page of the B-tree.
    head_.reset();
    AuditRow& r = row_;
    r.seq = 1;
    r.prev_hash = genesis_hash;
    if (head_.executeStep()) {
        r.seq = head_.getColumn(0).getInt64() + 1;
        r.prev_hash = head_.getColumn(1).getString();
    }
    r.at = at;
    r.account = account;
    r.entry = e;
    RowsDigest d = written_.take();
    r.rows = d.rows;
    r.digest = std::move(d.digest);
    audit_canonical(canonical_, r);
    r.hash = sha256_hex(canonical_);
    insert_.reset();
    insert_.bind(1, r.seq);
    int i = 2;
    for (const std::string* f : std::initializer_list<const std::string*>{&r.at, &r.account, &e.by, &e.action, &e.patient, &e.target, &e.old_value,
                                 &e.new_value, &e.sealed, &e.reason, &e.source})
        insert_.bindNoCopy(i++, *f);
    insert_.bind(i++, r.rows);
    insert_.bindNoCopy(i++, r.digest);
    insert_.bindNoCopy(i++, r.prev_hash);
    insert_.bindNoCopy(i++, r.hash);
    insert_.exec();
}

std::vector<AuditRow> audit_rows(Database& db, const std::optional<std::string>& patient) {
    const std::string sql = fmt::format("SELECT {} FROM audit WHERE seq <= trialcal_snapshot() {}ORDER BY seq",
                                        audit_columns, patient ? "AND patient = ? " : "");
    SQLite::Statement q(db.sql(), sql);
    if (patient) q.bind(1, *patient);
    std::vector<AuditRow> rows;
    while (q.executeStep()) rows.push_back(read_audit_row(q));
    return rows;
}

std::vector<AuditRow> audit_rows_between(Database& db, const std::optional<std::string>& patient, std::int64_t after,
                                         std::int64_t up_to, std::size_t limit) {
    // By the primary key from `after`: each batch one short statement.
    const std::string sql =
        fmt::format("SELECT {} FROM audit WHERE seq > ? AND seq <= ? AND seq <= trialcal_snapshot() {}ORDER BY seq "
                    "LIMIT ?",
                    audit_columns, patient ? "AND patient = ? " : "");
    SQLite::Statement q(db.sql(), sql);
    q.bind(1, after);
    q.bind(2, up_to);
    int i = 3;
    if (patient) q.bind(i++, *patient);
    q.bind(i, static_cast<std::int64_t>(limit));
    std::vector<AuditRow> rows;
    while (q.executeStep()) rows.push_back(read_audit_row(q));
    return rows;
}

std::optional<AuditRow> audit_row(Database& db, std::int64_t seq) {
    SQLite::Statement q(db.sql(), fmt::format("SELECT {} FROM audit WHERE seq = ? AND seq <= trialcal_snapshot()", audit_columns));
    q.bind(1, seq);
    if (!q.executeStep()) return std::nullopt;
    return read_audit_row(q);
}

std::optional<AuditRow> audit_row_with_hash(Database& db, const std::string& hash) {
    // Not indexed (see the schema): a scan, for a command a monitor runs by hand.
    SQLite::Statement q(db.sql(), fmt::format("SELECT {} FROM audit WHERE hash = ? AND seq <= trialcal_snapshot()", audit_columns));
    q.bind(1, hash);
    if (!q.executeStep()) return std::nullopt;
    return read_audit_row(q);
}

std::optional<AuditRow> earlier_import(Database& db, const std::string& patient, const std::string& file_sha256) {
    // Through the index on patient: a patient has a row per write about
    // them, the trail a row per write. The file's digest has a column of its own.
    SQLite::Statement q(db.sql(), fmt::format("SELECT {} FROM audit WHERE patient = ? AND action = 'import doses' "
                                              "AND source = ? ORDER BY seq LIMIT 1",
                                              audit_columns));
    q.bind(1, patient);
    q.bind(2, file_sha256);
    if (!q.executeStep()) return std::nullopt;
    return read_audit_row(q);
}

}  // namespace trialcal::store::sqlite
