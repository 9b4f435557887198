#pragma once
// The audit trail's values and its hashing, the same for every engine: every
// write appends one row, in the write's transaction, hash-chained so that any
// later change to a row breaks the chain.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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

// A row's canonical form, length-prefixed (no value can be made to look like
// two others), written into `out`; its hash is sha256_hex(out).
void audit_canonical(std::string& out, const std::string& prev, std::int64_t seq, const std::string& at,
                     const AuditEntry& e);

struct ChainCheck {
    std::int64_t rows = 0;
    std::optional<std::int64_t> first_broken;  // seq of the first row that does not chain
    std::string reason;
    std::string head;                           // the latest hash
};

// SHA-256 as 64 lowercase hex digits: crypto::sha256_hex, named here for the
// store's engines.
std::string sha256_hex(std::string_view data);

}  // namespace trialcal::store
