#pragma once
// The audit trail: every write appends one row, in the write's transaction,
// hash-chained so that any later change to a row breaks the chain.
#include "store/database.hpp"


#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace trialcal::store {

struct AuditEntry {
    std::string by;
    std::string action;   // "enroll", "dose", "void", "shift", "unblind", …
    std::string patient;  // may be empty
    std::string target;   // the record or event the action is about
    std::string old_value;
    std::string new_value;
    std::string sealed;   // what blinded users must not see (an arm); listed only unblinded
    std::string reason;
};

struct AuditRow {
    std::int64_t seq = 0;
    std::string at;
    AuditEntry entry;
    std::string prev_hash;
    std::string hash;
};

// An import's audit row names the records it wrote ("R5-R14") and seals
// them with their digest ("records_sha256=…" in its new value).
struct SealedRecords {
    std::int64_t first = 0, last = 0;
    std::string sha256;
};
[[nodiscard]] std::optional<SealedRecords> sealed_records(const AuditEntry& e);

// The chain starts from 64 zeros.
inline const std::string genesis_hash(64, '0');

// Appends to the trail, inside the caller's write transaction. Its two
// statements are prepared once: an import appends a row per dose.
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

// One append, for a command that writes one row.
void append_audit(Database& db, const AuditEntry& e, const std::string& at);

std::vector<AuditRow> audit_rows(Database& db, const std::optional<std::string>& patient);

struct ChainCheck {
    std::int64_t rows = 0;
    std::optional<std::int64_t> first_broken;  // seq of the first row that does not chain
    std::string reason;
    std::string head;                           // the latest hash
};
ChainCheck verify_audit(Database& db);

// The latest chain hash (genesis when the trail is empty).
std::string audit_head(Database& db);

// SHA-256 as 64 lowercase hex digits (nettle).
std::string sha256_hex(std::string_view data);

}  // namespace trialcal::store
