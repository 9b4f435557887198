#include "core/calendar.hpp"

#include "core/datetime.hpp"
#include "core/number.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
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

// Comparing (date, kind): visits sort before doses on a date.
constexpr bool earlier(const PlannedEvent& a, const PlannedEvent& b) noexcept {
    if (a.date != b.date) return a.date < b.date;
    return a.kind < b.kind;
}

// Day 0 and the first and last dates the calendar plans (windows included),
// found from the visits and regimens without expanding them.
std::optional<CalendarError> check_dates(const Protocol& p, const Selection& s, date::sys_days day0) {
    if (!valid_dates.contains(day0))
        return CalendarError{CalendarErrc::date_out_of_range, "", "day 0 " + outside_valid_dates()};
    const std::string day0_text = iso_date(day0);
    const std::string_view cohort = s.cohort ? std::string_view(s.cohort->id) : std::string_view{};
    struct Planned {
        date::sys_days date;
        std::string what;  // "visit V-D540", "regimen maintenance"
    };
    std::optional<Planned> first, last;
    auto consider = [&](date::sys_days from, date::sys_days to, const std::string& what) {
        if (!first || from < first->date) first = Planned{from, what};
        if (!last || to > last->date) last = Planned{to, what};
    };
    for (const Visit& v : p.visits) {
        if (v.early_termination) continue;  // dated from a withdrawal, checked then
        const DateWindow w = v.window.around(v.day.on(day0));
        consider(w.from, w.to, "visit " + v.id);
    }
    for (const Regimen& r : p.regimens) {
        if (!r.applies_to(cohort) || r.last_day < r.first_day) continue;
        consider(r.window.around(r.first_day.on(day0)).from, r.window.around(r.last_day.on(day0)).to,
                 "regimen " + r.id);
    }
    for (const auto& end : {first, last}) {
        if (!end || valid_dates.contains(end->date)) continue;
        return CalendarError{CalendarErrc::date_out_of_range, day0_text,
                             "day 0 " + day0_text + " puts " + end->what + " on " + iso_date(end->date) +
                                 ", which " + outside_valid_dates()};
    }
    return std::nullopt;
}

// The event a visit makes on `nominal`: what a planned visit and the
// early-termination visit share, so the two never drift apart.
Event visit_event(const Visit& v, date::sys_days nominal) {
    Event e;
    e.id = v.id;
    e.kind = EventKind::visit;
    e.day = v.day;
    e.date = nominal;
    e.window = v.window.around(nominal);
    e.name = v.name;
    e.procedures = v.procedures;
    if (v.anchor != e.id) e.anchor = v.anchor;
    return e;
}

}  // namespace

const Visit* early_termination_visit(const Protocol& p) noexcept {
    const auto it =
        std::find_if(p.visits.begin(), p.visits.end(), [](const Visit& v) { return v.early_termination; });
    return it == p.visits.end() ? nullptr : &*it;
}

Event early_termination_event(const Protocol&, const Visit& v, date::sys_days withdrawn_on) {
    Event e = visit_event(v, v.day.on(withdrawn_on));
    e.early_termination = true;
    return e;
}

std::string dose_event_id(std::string_view product, StudyDay day, std::string_view intake) {
    std::string id;
    id.reserve(product.size() + 8 + intake.size());
    id.append(product).append("-D").append(std::to_string(day.count()));
    if (!intake.empty()) id.append("-").append(intake);
    return id;
}

void write_event_id(std::string& out, const Protocol& p, const PlannedEvent& e) {
    out.clear();
    if (e.kind == EventKind::visit) {
        out.append(p.visits[e.source].id);
        return;
    }
    const Regimen& r = p.regimens[e.source];
    out.append(r.product).append("-D");
    char digits[16];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, e.day.count());
    out.append(digits, end);
    if (!r.intakes.empty()) out.append("-").append(r.intakes[e.intake]);
}

Result<Selection, CalendarError> select(const Protocol& p, const CalendarRequest& req) {
    Selection s;
    if (req.arm) {
        if (p.arms.empty())
            return Unexpected{CalendarError{CalendarErrc::arm_not_applicable, *req.arm,
                                            p.id + " is single-group: it has no arms"}};
        s.arm = p.arm(*req.arm);
        if (!s.arm)
            return Unexpected{CalendarError{CalendarErrc::unknown_arm, *req.arm,
                                            "arms of " + p.id + ": " + join_ids(p.arms)}};
    }
    if (req.cohort) {
        if (p.cohorts.empty())
            return Unexpected{CalendarError{CalendarErrc::cohort_not_applicable, *req.cohort,
                                            p.id + " has no cohorts"}};
        s.cohort = p.cohort(*req.cohort);
        if (!s.cohort)
            return Unexpected{CalendarError{CalendarErrc::unknown_cohort, *req.cohort,
                                            "cohorts of " + p.id + ": " + join_ids(p.cohorts)}};
    } else if (!p.cohorts.empty()) {
        return Unexpected{CalendarError{CalendarErrc::cohort_required, "",
                                        p.id + " needs a cohort: " + join_ids(p.cohorts)}};
    }
    if (p.needs_weight() && !req.weight_kg)
        return Unexpected{CalendarError{CalendarErrc::weight_required, "",
                                        p.id + " doses by body weight: a weight in kg is needed"}};
    if (req.weight_kg && !(*req.weight_kg > 0 && *req.weight_kg <= max_weight_kg))
        return Unexpected{CalendarError{CalendarErrc::weight_out_of_range, to_text(*req.weight_kg),
                                        "a body weight is more than 0 and at most 350 kg"}};
    s.weight_kg = req.weight_kg;
    if (auto e = check_dates(p, s, req.day0)) return Unexpected{std::move(*e)};
    for (const auto& r : p.regimens) {
        if (r.rule != AmountRule::per_kg || !r.applies_to(s.cohort ? s.cohort->id : "")) continue;
        const Product* product = p.product(r.product);
        if (!product) continue;  // the parser refuses such a file
        // A weight so low that the rounded dose is nothing is a typing mistake,
        // not a plan to give 0 mg.
        const Dose dose = dose_for(p, r, s);
        if (dose.amount && *dose.amount <= 0)
            return Unexpected{CalendarError{CalendarErrc::weight_out_of_range, to_text(*req.weight_kg),
                                            to_text(*req.weight_kg) + " kg gives 0 mg of " + product->drug +
                                                " after rounding to " + to_text(r.round_to) + " mg"}};
    }
    return s;
}

Dose dose_for(const Protocol& p, const Regimen& r, const Selection& s) {
    const Product* product = p.product(r.product);
    if (!product) return {};
    if (s.arm && s.arm->is_placebo(product->id)) {
        // Placebo looks like the product: same volume, no active amount.
        if (product->blinded_amount) return {"placebo", product->blinded_amount, product->blinded_unit};
        return {"placebo", std::nullopt, ""};
    }
    switch (r.rule) {
    case AmountRule::fixed:
        return {product->drug, r.amount, product->unit};
    case AmountRule::from_arm:
        return {product->drug, s.arm ? s.arm->dose_of(product->id) : std::nullopt, product->unit};
    case AmountRule::per_kg:
        return {product->drug, per_kg_amount(r, s.weight_kg.value_or(0)), product->unit};
    }
    return {product->drug, std::nullopt, product->unit};
}

void schedule(const Protocol& p, const Selection& s, date::sys_days day0, std::vector<PlannedEvent>& out) {
    out.clear();
    for (std::size_t i = 0; i < p.visits.size(); ++i) {
        const Visit& v = p.visits[i];
        if (v.early_termination) continue;  // not planned: added on withdrawal
        const auto nominal = v.day.on(day0);
        out.push_back({EventKind::visit, 0, static_cast<std::uint32_t>(i), v.day, nominal, v.window.around(nominal)});
    }
    // Each regimen makes a run already in date order; merging the runs one
    // after another, stably, keeps ties in file order, as a stable sort of
    // the whole would, at a fraction of the comparisons.
    if (!std::is_sorted(out.begin(), out.end(), earlier)) std::stable_sort(out.begin(), out.end(), earlier);
    const std::string_view cohort = s.cohort ? std::string_view(s.cohort->id) : std::string_view{};
    for (std::size_t i = 0; i < p.regimens.size(); ++i) {
        const Regimen& r = p.regimens[i];
        if (!r.applies_to(cohort)) continue;
        const std::size_t run = out.size();
        // The parser refuses more than max_intakes_per_day, so the clamp
        // changes nothing in a parsed protocol: it only keeps the count in
        // the index's 16 bits, where a cast would wrap (256 intakes became 0).
        const auto intakes =
            static_cast<std::uint16_t>(std::clamp<std::size_t>(r.intakes.size(), 1, max_intakes_per_day));
        for (StudyDay d = r.first_day; d <= r.last_day; d += r.every) {
            const auto nominal = d.on(day0);
            const DateWindow window = r.window.around(nominal);
            for (std::uint16_t k = 0; k < intakes; ++k)
                out.push_back({EventKind::dose, k, static_cast<std::uint32_t>(i), d, nominal, window});
        }
        if (run > 0 && run < out.size() && earlier(out[run], out[run - 1]))
            std::inplace_merge(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(run), out.end(), earlier);
    }
}

Result<Calendar, CalendarError> expand(const Protocol& p, const CalendarRequest& req) {
    auto selected = select(p, req);
    if (!selected) return Unexpected{std::move(selected.error())};
    const Selection& s = *selected;
    Calendar c;
    c.protocol = p.id;
    c.version = p.version;
    c.day0 = req.day0;
    if (s.arm) c.arm = s.arm->id;
    if (s.cohort) c.cohort = s.cohort->id;

    std::vector<PlannedEvent> planned;
    schedule(p, s, req.day0, planned);
    std::vector<Dose> doses(p.regimens.size());
    for (std::size_t i = 0; i < p.regimens.size(); ++i) doses[i] = dose_for(p, p.regimens[i], s);

    c.events.reserve(planned.size());
    for (const PlannedEvent& pe : planned) c.events.push_back(event_of(p, pe, doses));
    return c;
}

Event event_of(const Protocol& p, const PlannedEvent& pe, std::span<const Dose> doses) {
    if (pe.kind == EventKind::visit) return visit_event(p.visits[pe.source], pe.date);
    Event e;
    write_event_id(e.id, p, pe);
    e.kind = pe.kind;
    e.day = pe.day;
    e.date = pe.date;
    e.window = pe.window;
    const Regimen& r = p.regimens[pe.source];
    const Dose& dose = doses[pe.source];
    const Product* product = p.product(r.product);
    e.product = r.product;
    e.drug = dose.drug;
    e.amount = dose.amount;
    e.unit = dose.unit;
    e.route = product ? product->route : std::string{};
    if (!r.intakes.empty()) e.intake = r.intakes[pe.intake];
    set_regimen_timing(e, r, pe.intake);
    // The dose a regimen is anchored on counts from day 0, not from itself.
    if (r.anchor != e.id) e.anchor = r.anchor;
    return e;
}

void set_regimen_timing(Event& e, const Regimen& r, std::size_t intake) noexcept {
    e.time = r.time_of(intake);
    e.time_before = intake > 0 ? std::optional{r.time_of(intake - 1u)} : std::nullopt;
    e.time_after = intake + 1u < r.intakes.size() ? std::optional{r.time_of(intake + 1u)} : std::nullopt;
    e.early_limit = r.early_limit;
    e.late_limit = r.late_limit;
    e.setting = r.setting;
}

RegimenIntake regimen_of(const Protocol& p, const Event& e, std::string_view cohort) noexcept {
    if (e.kind != EventKind::dose) return {};
    for (const Regimen& r : p.regimens) {
        if (r.product != e.product || !r.applies_to(cohort) || !r.doses_on(e.day)) continue;
        std::size_t intake = 0;
        if (!r.intakes.empty()) {
            const auto named = std::find(r.intakes.begin(), r.intakes.end(), e.intake);
            if (named == r.intakes.end()) continue;
            intake = static_cast<std::size_t>(named - r.intakes.begin());
        } else if (!e.intake.empty()) {
            continue;
        }
        return {&r, intake};
    }
    return {};
}

void attach_regimens(Calendar& c, const Protocol& p) noexcept {
    const std::string_view cohort = c.cohort ? std::string_view{*c.cohort} : std::string_view{};
    for (Event& e : c.events)
        if (const RegimenIntake ri = regimen_of(p, e, cohort); ri.regimen) set_regimen_timing(e, *ri.regimen, ri.intake);
}

double per_kg_amount(const Regimen& r, double weight_kg) noexcept {
    // Rounded to what can be dispensed (capsule strengths), half away from zero.
    return std::round(r.mg_per_kg * weight_kg / r.round_to) * r.round_to;
}

Dose stored_dose(const Protocol& p, const Regimen& r, const Selection& s) {
    const Product* product = p.product(r.product);
    if (!p.blinded || !product || !product->blinded()) return dose_for(p, r, s);
    return {*product->blinded_label, product->blinded_amount,
            product->blinded_amount ? product->blinded_unit : std::string{}};
}

Calendar unblind(Calendar c, const Protocol& p, const Selection& s) {
    c.blinded = false;
    c.arm = s.arm ? std::optional<std::string>(s.arm->id) : std::nullopt;
    const std::string_view cohort = c.cohort ? std::string_view{*c.cohort} : std::string_view{};
    for (Event& e : c.events) {
        if (e.kind != EventKind::dose) continue;
        const Product* product = p.product(e.product);
        if (!product || !product->blinded()) continue;
        for (const Regimen& r : p.regimens) {
            if (r.product != e.product || !r.applies_to(cohort) || !r.doses_on(e.day)) continue;
            Dose d = dose_for(p, r, s);
            e.drug = std::move(d.drug);
            e.amount = d.amount;
            e.unit = std::move(d.unit);
            e.blinded = false;
            break;
        }
    }
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
