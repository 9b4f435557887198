#pragma once
// The nurse's worklist: every planned visit and dose not yet recorded whose
// window is open in a period, by day, and at the top everything overdue.
#include "trial/env.hpp"

#include <string>

namespace trialcal::trial {

struct DueQuery {
    std::string site;        // empty: every site
    std::string from;        // YYYY-MM-DD; empty: today at each patient's site
    std::string days = "1";  // 1 to 366
    std::string format = "table";  // table | json | csv
};

[[nodiscard]] std::string due_worklist(const Env& env, const DueQuery& q);

}  // namespace trialcal::trial
