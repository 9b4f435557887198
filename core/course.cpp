#include "core/course.hpp"

#include <algorithm>
#include <tuple>

namespace trialcal {

namespace {

std::string cancel_reason(const StatusRecord& s) {
    const char* what = s.change == StatusChange::withdrawn
                           ? (s.lost_to_follow_up ? "withdrawn, lost to follow-up" : "withdrawn")
                           : "treatment discontinued";
    return std::string(what) + ": " + s.reason;
}

// Calendar order (cli.md): by date, visits before doses.
bool before(const Event& a, const Event& b) noexcept {
    return std::tuple(a.date, a.kind == EventKind::dose) < std::tuple(b.date, b.kind == EventKind::dose);
}

}  // namespace

const StatusRecord* status_record(const Records& records, StatusChange kind) noexcept {
    for (const auto& s : records.status)
        if (s.change == kind) return &s;
    return nullptr;
}

void follow_course(const Protocol& p, Calendar& plan, Records& records) {
    for (HoldRecord& h : records.holds) {
        if (h.last != until_resumed) continue;
        for (const ResumeRecord& r : records.resumes)
            if (r.product == h.product && r.on > h.first && r.on - date::days{1} < h.last) h.last = r.on - date::days{1};
    }
    records.cancelled.clear();
    const StatusRecord* discontinued = status_record(records, StatusChange::discontinued);
    const StatusRecord* withdrawn = status_record(records, StatusChange::withdrawn);
    const Visit* termination = early_termination_visit(p);
    if (withdrawn && termination &&
        std::none_of(plan.events.begin(), plan.events.end(), [](const Event& e) { return e.early_termination; })) {
        Event et = early_termination_event(p, *termination, withdrawn->on);
        plan.events.insert(std::upper_bound(plan.events.begin(), plan.events.end(), et, before), std::move(et));
    }
    for (const Event& e : plan.events) {
        const StatusRecord* by = nullptr;
        if (withdrawn && e.date > withdrawn->on && !e.early_termination) by = withdrawn;
        // A discontinuation before a withdrawal is what cancelled the doses first.
        if (discontinued && e.kind == EventKind::dose && e.date > discontinued->on &&
            (!by || discontinued->on <= by->on))
            by = discontinued;
        if (by) records.cancelled.push_back({e.id, cancel_reason(*by), by->record});
    }
}

void apply_dose_changes(const Protocol& p, Calendar& c, const Records& records) {
    if (records.weights.empty() && records.dose_changes.empty()) return;
    const std::string_view cohort = c.cohort ? std::string_view{*c.cohort} : std::string_view{};
    for (Event& e : c.events) {
        if (e.kind != EventKind::dose || e.blinded || e.drug == "placebo") continue;
        // A stored plan shows a blinded product by its label and volume.
        if (const Product* product = p.product(e.product);
            product && product->blinded_label && e.drug == *product->blinded_label)
            continue;
        // The newest weight in force on the dose's date (records are in recorded order).
        const WeightRecord* weight = nullptr;
        for (const auto& w : records.weights)
            if (w.on <= e.date && (!weight || w.on >= weight->on)) weight = &w;
        if (weight)
            if (const RegimenIntake ri = regimen_of(p, e, cohort); ri.regimen && ri.regimen->rule == AmountRule::per_kg)
                e.amount = per_kg_amount(*ri.regimen, weight->kg);
        const DoseChangeRecord* change = nullptr;
        for (const auto& d : records.dose_changes)
            if (d.product == e.product && d.from <= e.date && (!change || d.from >= change->from)) change = &d;
        if (change && (!weight || change->from >= weight->on)) e.amount = change->amount;
    }
}

void list_unscheduled(Calendar& c, const Records& records) {
    for (const UnscheduledVisit& u : records.unscheduled) {
        Event e;
        e.id = "R" + std::to_string(u.record);
        e.kind = EventKind::visit;
        e.day = StudyDay{static_cast<int>((u.date - c.day0).count())};
        e.date = u.date;
        e.window = {u.date, u.date};
        e.name = u.name;
        e.procedures = {u.reason};
        e.unscheduled = true;
        c.events.insert(std::upper_bound(c.events.begin(), c.events.end(), e, before), std::move(e));
    }
}

const char* status_name(CourseStatus s) noexcept {
    switch (s) {
    case CourseStatus::on_treatment: return "on treatment";
    case CourseStatus::discontinued: return "treatment discontinued";
    case CourseStatus::withdrawn: return "withdrawn";
    case CourseStatus::completed: return "completed";
    }
    return "on treatment";
}

const char* status_key(CourseStatus s) noexcept {
    switch (s) {
    case CourseStatus::on_treatment: return "on_treatment";
    case CourseStatus::discontinued: return "discontinued";
    case CourseStatus::withdrawn: return "withdrawn";
    case CourseStatus::completed: return "completed";
    }
    return "on_treatment";
}

const Outcome* last_planned(const Compliance& judged) noexcept {
    const Outcome* last = nullptr;
    const auto consider = [&](const Outcome& o) {
        if (o.status == Status::cancelled || o.status == Status::held || !o.event) return;
        if (!last || last->event->date <= o.event->date) last = &o;
    };
    for (const auto& v : judged.visit_events) consider(v);
    for (const auto& d : judged.doses)
        for (const auto& o : d.events) consider(o);
    return last;
}

std::optional<date::sys_days> completed_on(const Compliance& judged) noexcept {
    const Outcome* last = last_planned(judged);
    if (!last) return std::nullopt;
    return last->date.value_or(last->event->date);
}

CourseStatus course_status(const Records& records, const Compliance& judged, date::sys_days as_of) noexcept {
    if (const StatusRecord* w = status_record(records, StatusChange::withdrawn); w && w->on <= as_of)
        return CourseStatus::withdrawn;
    const Outcome* last = last_planned(judged);
    if (last && (last->status == Status::on_time || last->status == Status::early || last->status == Status::late ||
                 last->status == Status::missed))
        return CourseStatus::completed;
    if (const StatusRecord* d = status_record(records, StatusChange::discontinued); d && d->on <= as_of)
        return CourseStatus::discontinued;
    return CourseStatus::on_treatment;
}

}  // namespace trialcal
