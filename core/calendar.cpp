#include "core/calendar.hpp"

#include "core/number.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace trialcal {

namespace {

std::string join_ids(const auto& items) {
    std::string s;
    for (const auto& i : items) {
        if (!s.empty()) s += ", ";
        s += i.id;
    }
    return s;
}

Event visit_event(const Visit& v, date::sys_days day0) {
    Event e;
    e.id = v.id;
    e.kind = EventKind::visit;
    e.day = v.day;
    e.date = v.day.on(day0);
    e.window = v.window.around(e.date);
    e.name = v.name;
    e.procedures = v.procedures;
    return e;
}

// What one administration of `r` is for this patient: drug name and amount.
struct Dose {
    std::string drug;
    std::optional<double> amount;
    std::string unit;
};

Dose dose_for(const Regimen& r, const Product& product, const Arm* arm, std::optional<double> weight) {
    if (arm && arm->is_placebo(product.id)) {
        // Placebo looks like the product: same volume, no active amount.
        if (product.blinded_amount) return {"placebo", product.blinded_amount, product.blinded_unit};
        return {"placebo", std::nullopt, ""};
    }
    switch (r.rule) {
    case AmountRule::fixed:
        return {product.drug, r.amount, product.unit};
    case AmountRule::from_arm:
        return {product.drug, arm ? arm->dose_of(product.id) : std::nullopt, product.unit};
    case AmountRule::per_kg: {
        // Rounded to what can be dispensed (capsule strengths), half away from zero.
        const double raw = r.mg_per_kg * weight.value_or(0);
        return {product.drug, std::round(raw / r.round_to) * r.round_to, product.unit};
    }
    }
    return {product.drug, std::nullopt, product.unit};
}

void add_doses(std::vector<Event>& out, const Regimen& r, const Product& product, const Dose& dose,
               date::sys_days day0) {
    for (StudyDay d = r.first_day; d <= r.last_day; d += r.every) {
        const auto nominal = d.on(day0);
        auto add = [&](const std::string& intake) {
            Event e;
            e.id = dose_event_id(product.id, d, intake);
            e.kind = EventKind::dose;
            e.day = d;
            e.date = nominal;
            e.window = r.window.around(nominal);
            e.product = product.id;
            e.drug = dose.drug;
            e.amount = dose.amount;
            e.unit = dose.unit;
            e.route = product.route;
            e.intake = intake;
            out.push_back(std::move(e));
        };
        if (r.intakes.empty())
            add("");
        else
            for (const auto& intake : r.intakes) add(intake);
    }
}

}  // namespace

std::string dose_event_id(std::string_view product, StudyDay day, std::string_view intake) {
    std::string id = std::string(product) + "-D" + std::to_string(day.count());
    if (!intake.empty()) (id += '-') += intake;
    return id;
}

Result<Calendar, CalendarError> expand(const Protocol& p, const CalendarRequest& req) {
    Calendar c;
    c.protocol = p.id;
    c.version = p.version;
    c.day0 = req.day0;

    const Arm* arm = nullptr;
    if (req.arm) {
        if (p.arms.empty())
            return Unexpected{CalendarError{CalendarErrc::arm_not_applicable, *req.arm,
                                            p.id + " is single-group: it has no arms"}};
        arm = p.arm(*req.arm);
        if (!arm)
            return Unexpected{CalendarError{CalendarErrc::unknown_arm, *req.arm,
                                            "arms of " + p.id + ": " + join_ids(p.arms)}};
        c.arm = arm->id;
    }

    std::string cohort;
    if (req.cohort) {
        if (p.cohorts.empty())
            return Unexpected{CalendarError{CalendarErrc::cohort_not_applicable, *req.cohort,
                                            p.id + " has no cohorts"}};
        const Cohort* found = p.cohort(*req.cohort);
        if (!found)
            return Unexpected{CalendarError{CalendarErrc::unknown_cohort, *req.cohort,
                                            "cohorts of " + p.id + ": " + join_ids(p.cohorts)}};
        cohort = found->id;
        c.cohort = cohort;
    } else if (!p.cohorts.empty()) {
        return Unexpected{CalendarError{CalendarErrc::cohort_required, "",
                                        p.id + " needs a cohort: " + join_ids(p.cohorts)}};
    }

    if (p.needs_weight()) {
        if (!req.weight_kg)
            return Unexpected{CalendarError{CalendarErrc::weight_required, "",
                                            p.id + " doses by body weight: a weight in kg is needed"}};
    }
    if (req.weight_kg && !(*req.weight_kg > 0 && *req.weight_kg <= max_weight_kg))
        return Unexpected{CalendarError{CalendarErrc::weight_out_of_range, to_text(*req.weight_kg),
                                        "a body weight is more than 0 and at most 350 kg"}};

    auto& events = c.events;
    for (const auto& v : p.visits) events.push_back(visit_event(v, req.day0));
    for (const auto& r : p.regimens) {
        if (!r.applies_to(cohort)) continue;
        const Product* product = p.product(r.product);
        if (!product) continue;  // the parser refuses such a file
        const Dose dose = dose_for(r, *product, arm, req.weight_kg);
        // A weight so low that the rounded dose is nothing is a typing mistake,
        // not a plan to give 0 mg.
        if (r.rule == AmountRule::per_kg && dose.amount && *dose.amount <= 0)
            return Unexpected{CalendarError{CalendarErrc::weight_out_of_range, to_text(*req.weight_kg),
                                            to_text(*req.weight_kg) + " kg gives 0 mg of " + product->drug +
                                                " after rounding to " + to_text(r.round_to) + " mg"}};
        add_doses(events, r, *product, dose, req.day0);
    }
    // By date, visits before doses; otherwise in file order (products, then intakes).
    std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
        if (a.date != b.date) return a.date < b.date;
        return a.kind < b.kind;
    });
    return c;
}

Calendar blind(Calendar c, const Protocol& p) {
    if (!p.blinded) return c;
    c.blinded = true;
    c.arm.reset();
    for (auto& e : c.events) {
        if (e.kind != EventKind::dose) continue;
        const Product* product = p.product(e.product);
        if (!product || !product->blinded()) continue;
        e.blinded = true;
        e.drug = *product->blinded_label;
        e.amount = product->blinded_amount;
        e.unit = product->blinded_amount ? product->blinded_unit : std::string{};
    }
    return c;
}

std::size_t count_doses(const Calendar& c, std::string_view product) noexcept {
    return static_cast<std::size_t>(std::count_if(c.events.begin(), c.events.end(), [&](const Event& e) {
        return e.kind == EventKind::dose && e.product == product;
    }));
}

std::size_t count_visits(const Calendar& c) noexcept {
    return static_cast<std::size_t>(std::count_if(
        c.events.begin(), c.events.end(), [](const Event& e) { return e.kind == EventKind::visit; }));
}

}  // namespace trialcal
