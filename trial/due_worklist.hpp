#pragma once
// The nurse's worklist: every planned visit and dose not yet recorded that
// can still be done in a period (docs/compliance.md: reach), by day, and at
// the top what is past its window but still within reach.
#include "trial/catalog.hpp"
#include "trial/emit.hpp"
#include "trial/env.hpp"

#include <functional>
#include <string>

namespace trialcal::trial {

struct DueQuery {
    std::string site;        // empty: every site
    std::string patient;     // empty: every patient
    std::string protocol;    // ID (every version) or ID@VERSION; empty: every protocol
    std::string kind;        // visit | dose; empty: both
    bool home = false;       // also doses the protocol has the patient take at home
    std::string from;        // YYYY-MM-DD; empty: today at each patient's site
    std::string days = "1";  // 1 to 366
    std::string format = "table";  // table | json | csv
};

// `catalog` is read only when a protocol is named. The worklist goes to
// `emit` a section at a time (a day's table, an item in JSON or CSV): a
// network's holds only what it prints, compactly, never its text.
void due_worklist(const Env& env, const std::function<Catalog()>& catalog, const DueQuery& q, const Emit& emit);

}  // namespace trialcal::trial
