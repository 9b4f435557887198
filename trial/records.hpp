#pragma once
// The trial's records, one at a time. Each use case takes the values as
// typed, checks them, writes one transaction with its audit row, and returns
// the one-line summary to show (never the arm of a blinded protocol).
#include "trial/catalog.hpp"
#include "trial/env.hpp"
#include "trial/recording.hpp"

#include <string>

namespace trialcal::trial {

struct VisitInput {
    std::string patient, event, at;  // at: YYYY-MM-DD
};
struct SkipInput {
    std::string patient, event, reason;
};
struct VoidInput {
    std::string record, reason;  // record: R12 or 12
};

// Everything refusable without the store is checked before it is opened: a
// refused first enrollment leaves no database behind.
[[nodiscard]] std::string enroll(const Env& env, const std::string& by, const Catalog& catalog, const EnrollInput& in);
// Says which planned dose it matched, on time or not, or why it is extra;
// warns of another administration in the same slot.
[[nodiscard]] Recorded dose(const Env& env, const std::string& by, const DoseInput& in);
[[nodiscard]] std::string visit(const Env& env, const std::string& by, const VisitInput& in);
[[nodiscard]] std::string skip(const Env& env, const std::string& by, const SkipInput& in);
[[nodiscard]] std::string void_record(const Env& env, const std::string& by, const VoidInput& in);

}  // namespace trialcal::trial
