#pragma once
// The audit trail as people read it: every write, who, when, why; and the
// check of its hash chain.
#include "trial/env.hpp"
#include "trial/patient.hpp"

#include <string>

namespace trialcal::trial {

struct AuditQuery {
    std::string patient;          // empty: every patient
    std::string format = "table"; // table | json | csv
    bool unblinded = false;       // show sealed values (arms): audited, needs a reason
    std::string reason;
};

// The rows, oldest first; an import's row lists the records it sealed.
[[nodiscard]] std::string audit_listing(const Env& env, const Actor& by, const AuditQuery& q);
// Recomputes the chain; a broken one is Kind::bad_data naming the first row.
// Returns the row count and the head hash.
[[nodiscard]] std::string audit_verify(const Env& env);

}  // namespace trialcal::trial
