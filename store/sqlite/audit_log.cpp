#include "store/sqlite/audit_log.hpp"

#include "store/sqlite/sqlite_store.hpp"

namespace trialcal::store::sqlite {

namespace {

std::string text_or_empty(const SQLite::Column& c) { return c.isNull() ? std::string{} : c.getString(); }

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
    SQLite::Statement q(db.sql(), patient ? "SELECT seq, at, by, action, patient, target, old, new, sealed, reason, "
                                            "prev_hash, hash FROM audit WHERE patient = ? ORDER BY seq"
                                          : "SELECT seq, at, by, action, patient, target, old, new, sealed, reason, "
                                            "prev_hash, hash FROM audit ORDER BY seq");
    if (patient) q.bind(1, *patient);
    std::vector<AuditRow> rows;
    while (q.executeStep()) {
        AuditRow r;
        r.seq = q.getColumn(0).getInt64();
        r.at = q.getColumn(1).getString();
        r.entry = {text_or_empty(q.getColumn(2)), text_or_empty(q.getColumn(3)), text_or_empty(q.getColumn(4)),
                   text_or_empty(q.getColumn(5)), text_or_empty(q.getColumn(6)), text_or_empty(q.getColumn(7)),
                   text_or_empty(q.getColumn(8)), text_or_empty(q.getColumn(9))};
        r.prev_hash = q.getColumn(10).getString();
        r.hash = q.getColumn(11).getString();
        rows.push_back(std::move(r));
    }
    return rows;
}

ChainCheck verify_audit(Database& db) {
    SqliteStore s(db);
    return store::verify_audit(s);
}

}  // namespace trialcal::store::sqlite
