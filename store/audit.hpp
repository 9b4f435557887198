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
    std::string by;       // the name the user gave (--by); the account is the store's own
    std::string action;   // "enroll", "dose", "void", "shift", "unblind", …
    std::string patient;  // may be empty
    std::string target;   // the record or event the action is about
    std::string old_value;
    std::string new_value;
    std::string sealed;   // a sealed box (base64) only, never plain text: listed only unblinded, opened with the key
    std::string reason;
    std::string source;   // the SHA-256 of the file an import read
};

struct AuditRow {
    std::int64_t seq = 0;
    std::string at;
    std::string account;  // who the operating system (or database) says wrote it
    AuditEntry entry;
    std::int64_t rows = 0;  // the rows this write made in the other tables
    std::string digest;     // and their digest (store/row_digest.hpp)
    std::string prev_hash;
    std::string hash;
};

// The chain starts from 64 zeros.
inline const std::string genesis_hash(64, '0');

// The trail's newest row, "SEQ:HASH": what a monitor keeps elsewhere to
// prove later that the trail was not rolled back or rewritten.
struct Head {
    std::int64_t seq = 0;
    std::string hash = genesis_hash;
    [[nodiscard]] std::string text() const;
    friend bool operator==(const Head&, const Head&) = default;
};
// "SEQ:HASH", or a bare HASH (seq 0: found by its hash). nullopt when neither.
[[nodiscard]] std::optional<Head> parse_head(std::string_view text);

// A row's canonical form, length-prefixed (no value can be made to look like
// two others), written into `out`; its hash is sha256_hex(out). Uses every
// field of `r` but `hash`.
void audit_canonical(std::string& out, const AuditRow& r);

// One thing `audit verify` found wrong; `seq` is the audit row it concerns,
// 0 for the schema.
struct Break {
    std::int64_t seq = 0;
    std::string what;
};

struct ChainCheck {
    std::int64_t rows = 0;        // audit rows read
    std::int64_t table_rows = 0;  // rows of the other tables accounted for
    std::vector<Break> breaks;    // every one, in trail order
    Head head;                    // the newest row as it is now
    [[nodiscard]] bool intact() const noexcept { return breaks.empty(); }
};

// Where the trail, checked as `c`, stands against a head kept elsewhere:
// empty when the trail still holds that row with that hash (and verify found
// no break up to it); else why not.
[[nodiscard]] std::optional<std::string> head_problem(const ChainCheck& c, const Head& kept,
                                                      const std::optional<std::string>& hash_at_kept_seq);

// SHA-256 as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

}  // namespace trialcal::store
