#include "core/protocol.hpp"

#include <algorithm>
#include <functional>

namespace trialcal {

namespace {
// Arms and cohorts are typed by people at the command line, so they match
// case-insensitively; products are referenced only from the file, exactly.
template <class T, class Eq>
const T* find_by_id(const std::vector<T>& items, std::string_view id, Eq eq) noexcept {
    auto it = std::find_if(items.begin(), items.end(), [&](const T& t) { return eq(t.id, id); });
    return it == items.end() ? nullptr : &*it;
}

bool contains(const std::vector<std::string>& v, std::string_view s) noexcept {
    return std::find(v.begin(), v.end(), s) != v.end();
}
}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(),
                      [&](char x, char y) { return lower(x) == lower(y); });
}

std::optional<double> Arm::dose_of(std::string_view product) const noexcept {
    for (const auto& [p, amount] : doses)
        if (p == product) return amount;
    return std::nullopt;
}

bool Arm::is_placebo(std::string_view product) const noexcept { return contains(placebo, product); }

bool Regimen::applies_to(std::string_view cohort) const noexcept {
    if (!cohorts.empty()) return contains(cohorts, cohort);
    return !contains(except_cohorts, cohort);
}

std::size_t Regimen::dose_count() const noexcept {
    if (last_day < first_day) return 0;
    const auto days = static_cast<std::size_t>((last_day - first_day).count() / every.count()) + 1;
    return days * std::max<std::size_t>(1, intakes.size());
}

const Product* Protocol::product(std::string_view wanted) const noexcept {
    return find_by_id(products, wanted, std::equal_to<std::string_view>{});
}
const Arm* Protocol::arm(std::string_view wanted) const noexcept { return find_by_id(arms, wanted, iequals); }
const Cohort* Protocol::cohort(std::string_view wanted) const noexcept {
    return find_by_id(cohorts, wanted, iequals);
}

std::size_t Protocol::planned_visit_count() const noexcept {
    return static_cast<std::size_t>(
        std::count_if(visits.begin(), visits.end(), [](const Visit& v) { return !v.early_termination; }));
}

std::size_t Protocol::events_for(std::string_view cohort) const noexcept {
    std::size_t n = planned_visit_count();
    for (const auto& r : regimens)
        if (r.applies_to(cohort)) n += r.dose_count();
    return n;
}

bool Protocol::needs_weight() const noexcept {
    return std::any_of(regimens.begin(), regimens.end(),
                       [](const Regimen& r) { return r.rule == AmountRule::per_kg; });
}

bool Protocol::known_as(std::string_view name) const noexcept {
    if (iequals(name, id)) return true;
    return std::any_of(registry_ids.begin(), registry_ids.end(),
                       [&](const std::string& r) { return iequals(name, r); });
}

}  // namespace trialcal
