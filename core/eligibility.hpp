#pragma once
// Eligibility at enrollment (course.md): the values typed at screening checked
// against a protocol's numeric criteria. Pure: the verdict says which
// criterion or any_of group failed, with the value and the bound it broke,
// and callers word the message (screen, enroll, import screenings).
#include "core/protocol.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trialcal {

// The values typed at screening: criterion id, exactly as the protocol file
// spells it, -> the number.
using ScreeningValues = std::map<std::string, double, std::less<>>;

// One bound of a criterion: the lower (min, min_exclusive) or upper (max,
// max_exclusive) one, inclusive or strict.
struct CriterionBound {
    enum class Side : unsigned char { lower, upper };
    Side side = Side::lower;
    bool strict = false;
    double value = 0;

    // Whether `v` is on the eligible side. Written as the pass condition, so
    // that a value that is not a number (NaN) passes no bound.
    [[nodiscard]] bool admits(double v) const noexcept {
        if (side == Side::lower) return strict ? v > value : v >= value;
        return strict ? v < value : v <= value;
    }
};

enum class CriterionOutcome : unsigned char {
    pass,
    missing,  // no value given: a missing value is not a pass
    out_of_bounds,
};

// One criterion against the value typed for it.
struct CriterionCheck {
    const Criterion* criterion = nullptr;  // into the Protocol evaluated
    std::optional<double> value;           // as typed; none when missing
    CriterionOutcome outcome = CriterionOutcome::missing;
    std::optional<CriterionBound> broken;           // the bound the value broke (out_of_bounds only)
};

// A reason the patient is not eligible: a criterion on its own that failed,
// or an any_of group none of whose alternatives passed.
struct EligibilityFailure {
    std::string any_of;                  // the group; empty for a criterion on its own
    std::vector<CriterionCheck> checks;  // the criterion, or each alternative of the group, in file order
};

struct Verdict {
    bool eligible = true;
    std::vector<CriterionCheck> checks;  // every criterion, in file order, failed or not
    std::vector<EligibilityFailure> failures;       // in file order of their first criterion
};

// The criterion of `p` with id `id`, exactly as spelt in the file; null when
// there is none, so that a caller can refuse a value typed for no criterion.
[[nodiscard]] const Criterion* find_criterion(const Protocol& p, std::string_view id) noexcept;

// The ids in `values` that name no criterion of `p`, in id order.
[[nodiscard]] std::vector<std::string> unknown_criteria(const Protocol& p, const ScreeningValues& values);

// The bounds of `c`: lower before upper, each once.
[[nodiscard]] std::vector<CriterionBound> bounds_of(const Criterion& c);

// `c` against `value` (none: missing). The broken bound is the first of
// bounds_of() that the value is not on the eligible side of.
[[nodiscard]] CriterionCheck check_criterion(const Criterion& c, std::optional<double> value);

// Every criterion of `p` against `values`. Ids in `values` that name no
// criterion are ignored here (find_criterion / unknown_criteria refuse them).
// Eligible when every criterion on its own passes and every any_of group has
// an alternative that passes; a protocol without criteria admits everyone.
[[nodiscard]] Verdict evaluate_eligibility(const Protocol& p, const ScreeningValues& values);

// Minimal English for callers without wording of their own:
// "above 1000 (strict)", "at least 0.1", "at most 10", "below 90 (strict)".
[[nodiscard]] std::string bound_text(const CriterionBound& b);
// "lymphocytes 1000 /mm3: must be above 1000 (strict)", "c_peptide missing";
// for a group "none of weight_loss (12 %: at most 10), c_peptide (missing) passes".
[[nodiscard]] std::string failure_text(const EligibilityFailure& f);

}  // namespace trialcal
