#pragma once
// The audit trail in SQLite: appending a row (its statements prepared once:
// an import appends a row per patient) and reading rows back.
#include "store/audit.hpp"
#include "store/sqlite/database.hpp"
#include "store/row_digest.hpp"

#include <optional>
#include <string>
#include <vector>

namespace trialcal::store::sqlite {

class AuditLog {
public:
    // `written` holds the digest of the rows the write made since its last
    // audit row; `account` is who opened the database.
    AuditLog(Database& db, RowDigest& written, std::string account);
    // Appends `e` with the current UTC time `at` (ISO 8601, from the caller's
    // clock), accounting for the rows in `written` (then emptied).
    void append(const AuditEntry& e, const std::string& at);
    // The same with another account: a row carried from schema 1's trail,
    // whose writer's account was never recorded.
    void append_as(const AuditEntry& e, const std::string& at, const std::string& account);
    // The seq of the row append() wrote last.
    [[nodiscard]] std::int64_t last_seq() const noexcept { return row_.seq; }

private:
    SQLite::Statement head_;
    SQLite::Statement insert_;
    RowDigest& written_;
    std::string account_;
    AuditRow row_;           // reused
    std::string canonical_;  // reused buffer
};

[[nodiscard]] std::vector<AuditRow> audit_rows(Database& db, const std::optional<std::string>& patient);
[[nodiscard]] std::vector<AuditRow> audit_rows_between(Database& db, const std::optional<std::string>& patient,
                                                     std::int64_t after, std::int64_t up_to, std::size_t limit);
[[nodiscard]] std::optional<AuditRow> audit_row(Database& db, std::int64_t seq);
[[nodiscard]] std::optional<AuditRow> audit_row_with_hash(Database& db, const std::string& hash);
[[nodiscard]] Head audit_head(Database& db);
// The row of an earlier `import doses` of the file `file_sha256` for `patient`.
[[nodiscard]] std::optional<AuditRow> earlier_import(Database& db, const std::string& patient,
                                                     const std::string& file_sha256);
// Recomputes the chain, every row digest and the schema (store/sqlite/verify.cpp).
[[nodiscard]] ChainCheck verify_audit(Database& db);

// An audit row, its columns those of audit_columns (store/tables.hpp).
[[nodiscard]] AuditRow read_audit_row(SQLite::Statement& q);

}  // namespace trialcal::store::sqlite
