#pragma once
// The patient's course (course.md: Status, Corrections, Dose changes,
// Unscheduled visits): each a record with its audit row, in one
// transaction, refused with nothing changed when it breaks a rule. What a
// record does to the plan is not stored: core/course.hpp applies the live
// ones whenever the plan is read, so a void undoes it.
#include "trial/env.hpp"

#include <string>

namespace trialcal::trial {

struct StatusInput {
    std::string patient, on, reason;  // on: YYYY-MM-DD
    bool lost_to_follow_up = false;   // withdraw only
};
// Treatment discontinued: the doses dated after `on` are cancelled; visits go on.
[[nodiscard]] std::string discontinue(const Env& env, const std::string& by, const StatusInput& in);
// Withdrawn: every event dated after `on` is cancelled, and the protocol's
// early-termination visit is added, dated `on` + its day.
[[nodiscard]] std::string withdraw(const Env& env, const std::string& by, const StatusInput& in);

struct EnrollmentVoidInput {
    std::string patient, reason;
};
// An enrollment entered in error, while the patient has no live record.
[[nodiscard]] std::string void_enrollment(const Env& env, const std::string& by, const EnrollmentVoidInput& in);

struct Day0Input {
    std::string patient, day0, reason;
};
// Day 0 entered wrong: the plan is expanded again from the new day 0 (the
// old rows retired by an amendment row that moves day 0), placed off the
// site's closed days, anchors followed from what is recorded.
[[nodiscard]] std::string correct_day0(const Env& env, const std::string& by, const Day0Input& in);

struct WeightInput {
    std::string patient, kg, on, reason;
};
[[nodiscard]] std::string weight(const Env& env, const std::string& by, const WeightInput& in);

struct DoseChangeInput {
    std::string patient, product, from, amount, reason;
};
[[nodiscard]] std::string dose_change(const Env& env, const std::string& by, const DoseChangeInput& in);

struct HoldInput {
    std::string patient, product, from, to, reason;  // to: empty until resumed
};
[[nodiscard]] std::string hold(const Env& env, const std::string& by, const HoldInput& in);

struct ResumeInput {
    std::string patient, product, on, reason;
};
[[nodiscard]] std::string resume(const Env& env, const std::string& by, const ResumeInput& in);

struct UnscheduledInput {
    std::string patient, at, reason, name;  // at: YYYY-MM-DD
};
// A visit the protocol does not plan: listed, exported, never counted.
[[nodiscard]] std::string unscheduled_visit(const Env& env, const std::string& by, const UnscheduledInput& in);

}  // namespace trialcal::trial
