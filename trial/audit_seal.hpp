#pragma once
// `audit seal`: the audit trail's head, signed with the sealer's personal
// signing key, in a small text file a monitor keeps outside the database
// (trust.md, "A head kept elsewhere"); and reading such a file back for
// `audit verify --head FILE`.
//
// Sealing reads only: it writes no audit row. A row would move the head the
// moment it was sealed, and the file already says who sealed what and when,
// under a signature; the database is never opened for writing.
//
// The file, every line ending in '\n':
//   trialcal-audit-head v1
//   head: SEQ:HASH
//   sealed-at: 2027-03-10T12:00:00Z
//   signer: Dr A. Martin
//   key: 0123456789abcdef
//   signature: BASE64 (Ed25519 over the lines above)
#include "store/audit.hpp"
#include "trial/env.hpp"
#include "trial/sealing.hpp"

#include <string>

namespace trialcal::trial {

inline constexpr const char* seal_form = "trialcal-audit-head v1";

struct SealFile {
    std::string origin;  // its path, for messages
    std::string text;
};

struct Seal {
    std::string text;     // what to write to the file
    std::string summary;  // what to print once it is written
};

// The head, signed. The trail must verify first (bad_data listing its breaks
// otherwise): a seal vouches for the trail up to its head. The key must be a
// signing key installed in the database (not_permitted otherwise). `out`
// names the file in the summary.
[[nodiscard]] Seal seal_audit_head(const Env& env, const KeyFile& key, const std::string& out);

struct SealedHead {
    store::Head head;
    std::string signer, key, sealed_at;
};
// The head a seal file holds, once its signature checks out against the
// signing key it names, installed in `s`. Kind::bad_data saying why not: not
// a seal file, altered, a key not installed, a wrong signature.
[[nodiscard]] SealedHead read_seal(store::Store& s, const SealFile& file);

}  // namespace trialcal::trial
