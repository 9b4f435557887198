#pragma once
// The compliance report (shared/spec/compliance.md): doses and visits judged
// as of a date, for one patient, a site, a protocol or everyone.
#include "trial/catalog.hpp"
#include "trial/emit.hpp"
#include "trial/sealing.hpp"
#include "trial/env.hpp"
#include "trial/patient.hpp"

#include <functional>
#include <string>

namespace trialcal::trial {

struct ReportQuery {
    std::string patient, site, protocol;  // at most one; none: every patient
    std::string as_of;                    // YYYY-MM-DD; empty: today at the site
    std::string format = "table";         // table | json | csv | html
    std::string below;                    // mark rows under this compliance %
    bool unblinded = false;               // real drugs and amounts: audited, needs a reason
    std::string reason;
    std::optional<KeyFile> key;  // the private unblinding key
    std::string printed_by;               // who the printed page names; empty: $TRIALCAL_USER, else the OS account
    // --sign: an electronic signature on the report (trial/report_signature.hpp).
    bool sign = false;
    std::string meaning;                  // what the signature means: reviewed, approved, …
    std::optional<KeyFile> signing_key;   // the signer's private signing key
};

// The output is handed to an Emit (trial/emit.hpp) piece by piece: JSON and
// CSV are written patient by patient, so a network's report never sits in memory.

// `catalog` is read only when a protocol is named.
//
// A signed report (q.sign) goes to `emit` before its signature is in the
// audit trail: the front end holds it back (a temporary file, not memory)
// and shows it only when `release` is called, once the signature's audit row
// is committed. A signature refused leaves it unreleased: nothing is printed.
void compliance_report(const Env& env, const Actor& by, const std::function<Catalog()>& catalog,
                       const ReportQuery& q, const Emit& emit, const std::function<void()>& release = {});

}  // namespace trialcal::trial
