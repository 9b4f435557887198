#pragma once
// A patient's plan changes, with its reason; the old dates stay in the trail.
#include "trial/catalog.hpp"
#include "trial/env.hpp"
#include "trial/recording.hpp"

#include <string>

namespace trialcal::trial {

struct ShiftInput {
    std::string patient, event, days, reason;  // days: -365 to 365, not 0
};
struct ReconsentInput {
    std::string patient, version, on, reason;  // on: YYYY-MM-DD
};

// Moves a planned event and every later one by N days; refused when one of
// them already has a record.
[[nodiscard]] std::string shift(const Env& env, const std::string& by, const ShiftInput& in);
// Moves the patient to another protocol version from a date on: events after
// it follow the new version, everything on or before it stays.
[[nodiscard]] std::string reconsent(const Env& env, const std::string& by, const Catalog& catalog,
                                    const ReconsentInput& in);

}  // namespace trialcal::trial
