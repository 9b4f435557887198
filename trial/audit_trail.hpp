#pragma once
// The audit trail as people read it: every write, who, when, why; and the
// check of its hash chain.
#include "trial/audit_seal.hpp"
#include "trial/emit.hpp"
#include "trial/env.hpp"
#include "trial/patient.hpp"
#include "trial/sealing.hpp"

#include <optional>

#include <string>

namespace trialcal::trial {

struct AuditQuery {
    std::string patient;          // empty: every patient
    std::string format = "table"; // table | json | csv
    bool unblinded = false;       // show sealed values (arms): audited, needs a reason and the key
    std::string reason;
    std::optional<KeyFile> key;   // the private unblinding key
};

// The rows, oldest first; an import's row lists the records it sealed.
// Handed to `emit` in pieces as the trail is read: a network's trail is
// never held, as rows or as text.
void audit_listing(const Env& env, const Actor& by, const AuditQuery& q, const Emit& emit);
// Recomputes the chain, every digest and the schema; any break is
// Kind::bad_data listing every one. With `kept_head` (SEQ:HASH or HASH, kept
// elsewhere), also that the trail still holds that row and extends it; with
// `seal` (a file of `audit seal`), the same for the head it holds, once its
// signature checks out (read_seal). Returns the row counts and the head,
// SEQ:HASH.
[[nodiscard]] std::string audit_verify(const Env& env, const std::optional<std::string>& kept_head = std::nullopt,
                                       const std::optional<SealFile>& seal = std::nullopt);

}  // namespace trialcal::trial
