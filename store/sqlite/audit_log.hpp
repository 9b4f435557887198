#pragma once
// The audit trail in SQLite: appending a row (its two statements prepared
// once: an import appends a row per patient) and reading the rows back.
#include "store/audit.hpp"
#include "store/sqlite/database.hpp"

#include <optional>
#include <string>
#include <vector>

namespace trialcal::store::sqlite {

class AuditLog {
public:
    explicit AuditLog(Database& db);
    // Appends `e` with the current UTC time `at` (ISO 8601, from the caller's clock).
    void append(const AuditEntry& e, const std::string& at);

private:
    SQLite::Statement head_;
    SQLite::Statement insert_;
    std::string canonical_;  // reused buffer
};

// One append, for a write of one row.
void append_audit(Database& db, const AuditEntry& e, const std::string& at);
[[nodiscard]] std::vector<AuditRow> audit_rows(Database& db, const std::optional<std::string>& patient);
[[nodiscard]] std::string audit_head(Database& db);
// The row of an earlier `import doses` of the file `file_sha256` for `patient`.
[[nodiscard]] std::optional<AuditRow> earlier_import(Database& db, const std::string& patient,
                                                     const std::string& file_sha256);
[[nodiscard]] ChainCheck verify_audit(Database& db);

}  // namespace trialcal::store::sqlite
