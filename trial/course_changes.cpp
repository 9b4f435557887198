// The patient's course, one record at a time (course.md). Every use case
// reads the patient as the course leaves them (load_patient), checks, writes
// one record and its audit row.
#include "trial/course_changes.hpp"

#include "core/course.hpp"
#include "output/formatters.hpp"
#include "trial/anchoring.hpp"
#include "trial/error.hpp"
#include "trial/patient.hpp"
#include "trial/recording.hpp"
#include "trial/sites.hpp"
#include "trial/time.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace trialcal::trial {

namespace {

enum class Future : unsigned char { refused, allowed };

// A date of the patient's course: never before day 0 and, for what has
// happened, not after today at the site (both bad data: exit 65).
date::sys_days course_date(const Env& env, const PatientPlan& pp, std::string_view flag, const std::string& text,
                           Future future = Future::refused) {
    check_line(std::string(flag), text);
    const date::sys_days d = parse_date_option(flag, text);
    if (d < pp.patient.day0)
        throw Error(Kind::bad_data, fmt::format("{} {}: before day 0 of patient {} ({})", flag, text, pp.patient.id,
                                                IsoDate{pp.patient.day0}));
    if (future == Future::refused)
        if (const date::sys_days today = today_in(env, pp.patient.tz); d > today)
            throw Error(Kind::bad_data, fmt::format("{} {}: in the future (today is {} at site {}, {})", flag, text,
                                                    IsoDate{today}, pp.patient.site, pp.patient.tz));
    return d;
}

store::StoredRecord course_record(const PatientPlan& pp, store::RecordKind kind, date::sys_days on,
                                  const std::string& reason, const std::string& by, const std::string& now) {
    store::StoredRecord r;
    r.patient = pp.patient.id;
    r.kind = kind;
    r.date = on;
    r.reason = reason;
    r.recorded_at = now;
    r.recorded_by = by;
    return r;
}

// The live records of a patient dated after `on`, of the kinds a status
// change would contradict: the first one found, if any.
std::optional<std::string> recorded_after(const Records& live, date::sys_days on, bool doses_only) {
    for (const auto& d : live.doses)
        if (d.date > on) return fmt::format("R{} records a dose given on {}", d.record, IsoDate{d.date});
    if (!doses_only)
        for (const auto& v : live.visits)
            if (v.date > on) return fmt::format("R{} records visit {} on {}", v.record, v.event, IsoDate{v.date});
    return std::nullopt;
}

std::size_t cancelled_by(const Records& live, std::int64_t record) {
    return static_cast<std::size_t>(
        std::count_if(live.cancelled.begin(), live.cancelled.end(), [&](const CancelRecord& c) { return c.by == record; }));
}

std::string status_change(const Env& env, const std::string& by, const StatusInput& a, StatusChange change) {
    const bool withdrawal = change == StatusChange::withdrawn;
    const std::string command = withdrawal ? "withdraw" : "discontinue";
    check_line("patient", a.patient);
    check_reason(command, a.reason);
    return write_recorded(env, fmt::format("unknown patient '{}'", a.patient), [&](store::Store& s) {
        const PatientPlan pp = load_patient(s, a.patient);
        const date::sys_days on = course_date(env, pp, "--on", a.on);
        if (const StatusRecord* w = status_record(pp.live, StatusChange::withdrawn))
            throw Error(Kind::rule, fmt::format("patient {} was withdrawn on {} (R{}: {}){}", a.patient, IsoDate{w->on},
                                                w->record, w->reason,
                                                withdrawal ? ": void R" + std::to_string(w->record) + " first to correct it"
                                                           : ": nothing is left to discontinue"));
        if (!withdrawal)
            if (const StatusRecord* d = status_record(pp.live, StatusChange::discontinued))
                throw Error(Kind::rule, fmt::format("patient {}'s treatment was discontinued on {} (R{}: {}): void R{} "
                                                    "first to correct it",
                                                    a.patient, IsoDate{d->on}, d->record, d->reason, d->record));
        if (auto after = recorded_after(pp.live, on, !withdrawal))
            throw Error(Kind::rule, fmt::format("--on {}: {}, after it: {} from a date on or after it, or void that "
                                                "record first",
                                                a.on, *after, command));
        const std::string now = now_text(env);
        store::StoredRecord r = course_record(pp, withdrawal ? store::RecordKind::withdraw : store::RecordKind::discontinue,
                                              on, a.reason, by, now);
        r.lost_to_follow_up = withdrawal && a.lost_to_follow_up;
        const std::int64_t id = s.insert_record(r);
        // What it does, as every later read will see it.
        Calendar plan = pp.plan;
        Records live = pp.live;
        live.status.push_back({id, change, on, a.reason, r.lost_to_follow_up});
        trialcal::follow_course(pp.protocol, plan, live);
        const std::size_t cancelled = cancelled_by(live, id);
        std::string termination;
        for (const Event& et : plan.events)
            if (et.early_termination)
                termination = fmt::format("early-termination visit {} ({}) due {} to {}", et.id, et.name,
                                          IsoDate{et.window.from}, IsoDate{et.window.to});
        s.append_audit({by, command, a.patient, fmt::format("R{}", id), "",
                        fmt::format("on={}{} cancelled={}{}", IsoDate{on},
                                    r.lost_to_follow_up ? " lost_to_follow_up=yes" : "", cancelled,
                                    termination.empty() ? "" : "; " + termination),
                        "", a.reason},
                       now);
        if (withdrawal)
            return fmt::format("Recorded R{}: patient {} withdrawn on {}{} ({}); {} planned event{} after it "
                               "cancelled.\n{}",
                               id, a.patient, IsoDate{on}, r.lost_to_follow_up ? ", lost to follow-up" : "", a.reason,
                               cancelled, cancelled == 1 ? "" : "s",
                               termination.empty() ? std::string() : "The " + termination + ".\n");
        return fmt::format("Recorded R{}: treatment of patient {} discontinued on {} ({}); {} planned dose{} after it "
                           "cancelled, visits go on.\n",
                           id, a.patient, IsoDate{on}, a.reason, cancelled, cancelled == 1 ? "" : "s");
    });
}

}  // namespace

std::string discontinue(const Env& env, const std::string& by, const StatusInput& in) {
    return status_change(env, by, in, StatusChange::discontinued);
}

std::string withdraw(const Env& env, const std::string& by, const StatusInput& in) {
    return status_change(env, by, in, StatusChange::withdrawn);
}

std::string void_enrollment(const Env& env, const std::string& by, const EnrollmentVoidInput& a) {
    check_line("patient", a.patient);
    check_reason("void-enrollment", a.reason);
    return write_recorded(env, fmt::format("unknown patient '{}'", a.patient), [&](store::Store& s) {
        const PatientPlan pp = load_patient(s, a.patient);
        for (const auto& r : s.records(a.patient))
            if (!r.voided)
                throw Error(Kind::rule, fmt::format("patient {} has a live record (R{}, {}): an enrollment with "
                                                    "records is not an error of entry; void its records first, or "
                                                    "withdraw the patient",
                                                    a.patient, r.id, store::kind_name(r.kind)));
        const std::string now = now_text(env);
        s.void_enrollment(a.patient, a.reason, now, by);
        s.append_audit({by, "void enrollment", a.patient, a.patient, "",
                        fmt::format("voided; randomization_number={}",
                                    pp.patient.randomization_number.value_or("none")),
                        "", a.reason},
                       now);
        return fmt::format("Voided the enrollment of patient {} ({}): it leaves worklists, reports and exports and "
                           "stays in the audit trail; the id{} stay{} taken.\n",
                           a.patient, a.reason,
                           pp.patient.randomization_number
                               ? " and randomization number " + *pp.patient.randomization_number
                               : std::string(),
                           pp.patient.randomization_number ? "" : "s");
    });
}

std::string correct_day0(const Env& env, const std::string& by, const Day0Input& a) {
    check_line("patient", a.patient);
    check_line("--day0", a.day0);
    const date::sys_days day0 = parse_date_option("--day0", a.day0);
    check_reason("correct", a.reason);
    return write_recorded(env, fmt::format("unknown patient '{}'", a.patient), [&](store::Store& s) {
        const PatientPlan pp = load_patient(s, a.patient);
        if (day0 == pp.patient.day0)
            throw Error(Kind::rule, fmt::format("--day0 {}: already day 0 of patient {}", a.day0, a.patient));
        // Records before the new day 0 would be dated before the patient's course began.
        for (const auto& d : pp.live.doses)
            if (d.date < day0)
                throw Error(Kind::rule, fmt::format("--day0 {}: R{} records a dose given on {}, before it: void it "
                                                    "first",
                                                    a.day0, d.record, IsoDate{d.date}));
        for (const auto& v : pp.live.visits)
            if (v.date < day0)
                throw Error(Kind::rule, fmt::format("--day0 {}: R{} records visit {} on {}, before it: void it first",
                                                    a.day0, v.record, v.event, IsoDate{v.date}));
        // The same patient from the new day 0: arm, cohort, weight unchanged.
        // A sealed arm stays sealed: the blinded plan is stored, which needs no arm.
        auto expanded = expand(pp.protocol, {day0, pp.patient.arm, pp.patient.cohort, pp.patient.weight_kg});
        if (!expanded) fail_calendar(expanded.error(), {});
        Calendar next = blind(std::move(*expanded), pp.protocol);
        const SiteBook sites = SiteBook::load(s);
        if (const Site* site = sites.lookup(pp.patient.site)) {
            const ClosedDays closed = sites.closed_days(*site);
            for (Event& e : next.events) {
                const EventPlacement placed = placement_of(e, closed);
                e.placed = placed.placed;
                e.closed_day = placed.closed_day;
            }
        }
        // Every event of the old plan goes: the amendment starts before both plans.
        date::sys_days first = std::min(day0, pp.patient.day0);
        for (const auto& e : pp.plan.events) first = std::min(first, e.date);
        for (const auto& e : next.events) first = std::min(first, e.date);
        const std::string now = now_text(env);
        const std::string sha = pp.patient.protocol_sha256;
        s.amend_plan(a.patient, first - date::days{1}, next, sha, now, by, a.reason);
        s.append_audit({by, "correct day0", a.patient, a.patient,
                        fmt::format("day0={} events={}", IsoDate{pp.patient.day0}, pp.plan.events.size()),
                        fmt::format("day0={} events={}", IsoDate{day0}, next.events.size()), "", a.reason},
                       now);
        // Events that count from a recorded event follow it again.
        const PatientPlan moved = load_patient(s, a.patient, PlanDetail::judging);
        const std::size_t anchored = follow_anchors(s, moved, Records{}, moved.live,
                                                    fmt::format("day 0 corrected to {}", IsoDate{day0}), by, now);
        const std::size_t judged_again = pp.live.doses.size() + pp.live.visits.size();
        return fmt::format("Corrected day 0 of patient {} from {} to {} ({}): {} planned events expanded again from "
                           "it{}; {} record{} judged against the new dates.\n",
                           a.patient, IsoDate{pp.patient.day0}, IsoDate{day0}, a.reason, next.events.size(),
                           anchored ? fmt::format(", {} of them moved to count from what was recorded", anchored)
                                    : std::string(),
                           judged_again, judged_again == 1 ? "" : "s");
    });
}

std::string weight(const Env& env, const std::string& by, const WeightInput& a) {
    check_line("patient", a.patient);
    check_line("--kg", a.kg);
    const double kg = parse_number_option("--kg", a.kg);
    if (!(kg > 0) || kg > max_weight_kg)
        throw Error(Kind::bad_data, fmt::format("--kg {}: not a body weight (above 0, at most {} kg)", a.kg, max_weight_kg));
    check_reason("weight", a.reason);
    return write_recorded(env, fmt::format("unknown patient '{}'", a.patient), [&](store::Store& s) {
        const PatientPlan pp = load_patient(s, a.patient);
        const date::sys_days on = course_date(env, pp, "--on", a.on);
        const std::string now = now_text(env);
        store::StoredRecord r = course_record(pp, store::RecordKind::weight, on, a.reason, by, now);
        r.kg = kg;
        const std::int64_t id = s.insert_record(r);
        // The doses it changes: those dated from `on` whose amount moves.
        Records live = pp.live;
        live.weights.push_back({id, on, kg});
        Calendar before = pp.plan, after = pp.plan;
        apply_dose_changes(pp.protocol, before, pp.live);
        apply_dose_changes(pp.protocol, after, live);
        std::size_t changed = 0;
        std::string example;
        for (std::size_t i = 0; i < after.events.size(); ++i)
            if (after.events[i].amount != before.events[i].amount) {
                if (changed++ == 0 && after.events[i].amount)
                    example = fmt::format(" ({} {} {} from {})", after.events[i].drug, *after.events[i].amount,
                                          after.events[i].unit, IsoDate{after.events[i].date});
            }
        s.append_audit({by, "weight", a.patient, fmt::format("R{}", id),
                        pp.patient.weight_kg ? fmt::format("enrolled_kg={}", *pp.patient.weight_kg) : "",
                        fmt::format("kg={} on={} doses_changed={}", kg, IsoDate{on}, changed), "", a.reason},
                       now);
        return fmt::format("Recorded R{}: patient {} weighs {} kg on {} ({}); {} planned dose{} computed again{}.\n",
                           id, a.patient, kg, IsoDate{on}, a.reason, changed, changed == 1 ? "" : "s",
                           changed ? example : " (no dose of " + pp.protocol.id + " from that date depends on weight)");
    });
}

std::string dose_change(const Env& env, const std::string& by, const DoseChangeInput& a) {
    check_line("patient", a.patient);
    check_line("PRODUCT", a.product);
    check_line("--amount", a.amount);
    const Amount amount = parse_amount("--amount", a.amount);
    if (amount.value <= 0)
        throw Error(Kind::bad_data, fmt::format("--amount {}: a dose change to nothing is an interruption: trialcal "
                                                "hold",
                                                a.amount));
    check_reason("dose-change", a.reason);
    return write_recorded(env, fmt::format("unknown patient '{}'", a.patient), [&](store::Store& s) {
        const PatientPlan pp = load_patient(s, a.patient);
        const Product& product = resolve_drug(pp.protocol, a.product, "PRODUCT");
        if (!iequals(amount.unit, product.unit))
            throw Error(Kind::bad_data, fmt::format("--amount {}: {} is planned in {}, not {}", a.amount, product.drug,
                                                    product.unit, amount.unit));
        const date::sys_days from = course_date(env, pp, "--from", a.from, Future::allowed);
        const std::string now = now_text(env);
        store::StoredRecord r = course_record(pp, store::RecordKind::dose_change, from, a.reason, by, now);
        r.product = product.id;
        r.amount = amount.value;
        r.unit = product.unit;
        const std::int64_t id = s.insert_record(r);
        std::size_t doses = 0;
        for (const auto& e : pp.plan.events)
            doses += e.kind == EventKind::dose && e.product == product.id && e.date >= from;
        s.append_audit({by, "dose change", a.patient, fmt::format("R{}", id), "",
                        fmt::format("product={} from={} amount={} {} doses={}", product.id, IsoDate{from}, amount.value,
                                    product.unit, doses),
                        "", a.reason},
                       now);
        // A blinded product's amount is the arm's truth: said without naming it.
        return fmt::format("Recorded R{}: {} of patient {} planned at {} {} from {} ({}); {} planned dose{} from that "
                           "date; a dose given otherwise is judged a wrong dose.\n",
                           id, product.shown_name(), a.patient, amount.value,
                           product.unit, IsoDate{from}, a.reason, doses, doses == 1 ? "" : "s");
    });
}

std::string hold(const Env& env, const std::string& by, const HoldInput& a) {
    check_line("patient", a.patient);
    check_line("PRODUCT", a.product);
    check_reason("hold", a.reason);
    return write_recorded(env, fmt::format("unknown patient '{}'", a.patient), [&](store::Store& s) {
        const PatientPlan pp = load_patient(s, a.patient);
        const Product& product = resolve_drug(pp.protocol, a.product, "PRODUCT");
        const date::sys_days from = course_date(env, pp, "--from", a.from, Future::allowed);
        std::optional<date::sys_days> to;
        if (!a.to.empty()) {
            to = course_date(env, pp, "--to", a.to, Future::allowed);
            if (*to < from)
                throw Error(Kind::bad_data, fmt::format("--to {}: before --from {}", a.to, a.from));
        }
        const date::sys_days last = to.value_or(until_resumed);
        for (const auto& h : pp.live.holds)
            if (h.product == product.id && h.first <= last && from <= h.last)
                throw Error(Kind::rule, fmt::format("{} is already held {} (R{}: {}): resume or void it first",
                                                    product.id, hold_span(h.first, h.last), h.record, h.reason));
        for (const auto& d : pp.live.doses)
            if (d.product == product.id && from <= d.date && d.date <= last)
                throw Error(Kind::rule, fmt::format("R{} records {} given on {}, inside the hold: a hold is an "
                                                    "interruption of what was not given; void R{} first if it is wrong",
                                                    d.record, product.id, IsoDate{d.date}, d.record));
        const std::string now = now_text(env);
        store::StoredRecord r = course_record(pp, store::RecordKind::hold, from, a.reason, by, now);
        r.product = product.id;
        r.until = to;
        const std::int64_t id = s.insert_record(r);
        std::size_t held = 0;
        for (const auto& e : pp.plan.events)
            held += e.kind == EventKind::dose && e.product == product.id && from <= e.date && e.date <= last;
        s.append_audit({by, "hold", a.patient, fmt::format("R{}", id), "",
                        fmt::format("product={} from={} to={} doses={}", product.id, IsoDate{from},
                                    to ? iso_date(*to) : std::string("until resumed"), held),
                        "", a.reason},
                       now);
        return fmt::format("Recorded R{}: {} of patient {} held {} ({}); {} planned dose{} held, neither "
                           "expected nor missed.\n",
                           id, product.shown_name(), a.patient, hold_span(from, last), a.reason, held,
                           held == 1 ? "" : "s");
    });
}

std::string resume(const Env& env, const std::string& by, const ResumeInput& a) {
    check_line("patient", a.patient);
    check_line("PRODUCT", a.product);
    if (!a.reason.empty()) check_text("--reason", a.reason, 2000);
    return write_recorded(env, fmt::format("unknown patient '{}'", a.patient), [&](store::Store& s) {
        const PatientPlan pp = load_patient(s, a.patient);
        const Product& product = resolve_drug(pp.protocol, a.product, "PRODUCT");
        const date::sys_days on = course_date(env, pp, "--on", a.on, Future::allowed);
        const HoldRecord* open = nullptr;
        for (const auto& h : pp.live.holds)
            if (h.product == product.id && h.last == until_resumed) open = &h;
        if (!open)
            throw Error(Kind::rule, fmt::format("{} of patient {} is not held until resumed: nothing to resume",
                                                product.id, a.patient));
        if (on <= open->first)
            throw Error(Kind::rule, fmt::format("--on {}: not after the hold's first day {} (R{}): void the hold "
                                                "instead",
                                                a.on, IsoDate{open->first}, open->record));
        const std::string now = now_text(env);
        store::StoredRecord r = course_record(pp, store::RecordKind::resume, on, a.reason, by, now);
        r.product = product.id;
        const std::int64_t id = s.insert_record(r);
        s.append_audit({by, "resume", a.patient, fmt::format("R{}", id), fmt::format("hold=R{}", open->record),
                        fmt::format("product={} on={} held={}..{}", product.id, IsoDate{on}, IsoDate{open->first},
                                    IsoDate{on - date::days{1}}),
                        "", a.reason},
                       now);
        return fmt::format("Recorded R{}: {} of patient {} resumed on {}; held from {} to {}.\n", id,
                           product.shown_name(), a.patient, IsoDate{on},
                           IsoDate{open->first}, IsoDate{on - date::days{1}});
    });
}

std::string unscheduled_visit(const Env& env, const std::string& by, const UnscheduledInput& a) {
    check_line("patient", a.patient);
    check_reason("visit --unscheduled", a.reason);
    if (!a.name.empty()) check_text("--name", a.name, 200);
    return write_recorded(env, fmt::format("unknown patient '{}'", a.patient), [&](store::Store& s) {
        const PatientPlan pp = load_patient(s, a.patient);
        const date::sys_days at = course_date(env, pp, "--at", a.at);
        const std::string now = now_text(env);
        store::StoredRecord r = course_record(pp, store::RecordKind::visit, at, a.reason, by, now);
        r.name = a.name.empty() ? "Unscheduled visit" : a.name;
        const std::int64_t id = s.insert_record(r);
        s.append_audit({by, "visit", a.patient, fmt::format("R{}", id), "",
                        fmt::format("unscheduled date={} name={}", IsoDate{at}, r.name), "", a.reason},
                       now);
        return fmt::format("Recorded R{}: unscheduled visit \"{}\" of patient {} on {} ({}); listed, never counted in "
                           "compliance.\n",
                           id, r.name, a.patient, IsoDate{at}, a.reason);
    });
}

}  // namespace trialcal::trial
