#include "core/eligibility.hpp"

#include "core/number.hpp"

#include <algorithm>

namespace trialcal {

const Criterion* find_criterion(const Protocol& p, std::string_view id) noexcept {
    const auto it = std::find_if(p.eligibility.begin(), p.eligibility.end(),
                                 [&](const Criterion& c) { return c.id == id; });
    return it == p.eligibility.end() ? nullptr : &*it;
}

std::vector<std::string> unknown_criteria(const Protocol& p, const ScreeningValues& values) {
    std::vector<std::string> out;
    for (const auto& [id, value] : values)
        if (!find_criterion(p, id)) out.push_back(id);
    return out;
}

std::vector<CriterionBound> bounds_of(const Criterion& c) {
    std::vector<CriterionBound> out;
    if (c.min) out.push_back({CriterionBound::Side::lower, false, *c.min});
    else if (c.min_exclusive) out.push_back({CriterionBound::Side::lower, true, *c.min_exclusive});
    if (c.max) out.push_back({CriterionBound::Side::upper, false, *c.max});
    else if (c.max_exclusive) out.push_back({CriterionBound::Side::upper, true, *c.max_exclusive});
    return out;
}

CriterionCheck check_criterion(const Criterion& c, std::optional<double> value) {
    CriterionCheck out{&c, value, CriterionOutcome::pass, std::nullopt};
    if (!value) {
        out.outcome = CriterionOutcome::missing;
        return out;
    }
    for (const CriterionBound& b : bounds_of(c)) {
        if (b.admits(*value)) continue;
        out.outcome = CriterionOutcome::out_of_bounds;
        out.broken = b;
        break;
    }
    return out;
}

Verdict evaluate_eligibility(const Protocol& p, const ScreeningValues& values) {
    Verdict v;
    v.checks.reserve(p.eligibility.size());
    for (const Criterion& c : p.eligibility) {
        const auto typed = values.find(c.id);
        v.checks.push_back(check_criterion(c, typed == values.end() ? std::nullopt : std::optional{typed->second}));
    }
    // A group is judged once, where its first alternative stands in the file.
    std::vector<std::string_view> judged;
    for (std::size_t i = 0; i < v.checks.size(); ++i) {
        const CriterionCheck& check = v.checks[i];
        const std::string& group = check.criterion->any_of;
        if (group.empty()) {
            if (check.outcome != CriterionOutcome::pass) v.failures.push_back({"", {check}});
            continue;
        }
        if (std::find(judged.begin(), judged.end(), group) != judged.end()) continue;
        judged.push_back(group);
        EligibilityFailure f{group, {}};
        bool passes = false;
        for (std::size_t k = i; k < v.checks.size(); ++k) {
            if (v.checks[k].criterion->any_of != group) continue;
            passes = passes || v.checks[k].outcome == CriterionOutcome::pass;
            f.checks.push_back(v.checks[k]);
        }
        if (!passes) v.failures.push_back(std::move(f));
    }
    v.eligible = v.failures.empty();
    return v;
}

std::string bound_text(const CriterionBound& b) {
    if (b.side == CriterionBound::Side::lower) return (b.strict ? "above " : "at least ") + to_text(b.value) + (b.strict ? " (strict)" : "");
    return (b.strict ? "below " : "at most ") + to_text(b.value) + (b.strict ? " (strict)" : "");
}

namespace {

// "1000 /mm3" or "missing".
std::string value_text(const CriterionCheck& c) {
    if (!c.value) return "missing";
    return to_text(*c.value) + (c.criterion->unit.empty() ? "" : " " + c.criterion->unit);
}

}  // namespace

std::string failure_text(const EligibilityFailure& f) {
    if (f.any_of.empty() && f.checks.size() == 1) {
        const CriterionCheck& c = f.checks.front();
        std::string s = c.criterion->id + " " + value_text(c);
        if (c.broken) s += ": must be " + bound_text(*c.broken);
        return s;
    }
    std::string s = "none of ";
    for (std::size_t i = 0; i < f.checks.size(); ++i) {
        const CriterionCheck& c = f.checks[i];
        s += (i == 0 ? "" : ", ") + c.criterion->id + " (" + value_text(c);
        if (c.broken) s += ": " + bound_text(*c.broken);
        s += ")";
    }
    return s + " passes";
}

}  // namespace trialcal
