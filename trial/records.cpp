// The trial's records, one at a time: enroll, dose, visit, skip, void. Every
// write is one transaction that also appends its audit row; a refusal
// changes nothing.
#include "trial/records.hpp"

#include "core/compliance.hpp"
#include "output/formatters.hpp"
#include "trial/error.hpp"
#include "trial/anchoring.hpp"
#include "trial/time.hpp"

#include <fmt/format.h>

#include <charconv>

namespace trialcal::trial {

namespace {

std::int64_t parse_record_id(const std::string& text) {
    std::string digits = text;
    if (!digits.empty() && (digits[0] == 'R' || digits[0] == 'r')) digits.erase(0, 1);
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (ec != std::errc{} || end != digits.data() + digits.size() || id <= 0)
        throw Error(Kind::bad_data, fmt::format("'{}' is not a record id (R12 or 12)", text));
    return id;
}

}  // namespace

std::string enroll(const Env& env, const std::string& by, const Catalog& catalog, const EnrollInput& a) {
    // Everything that can be refused without the database is checked before
    // opening it, so a refused first enrollment leaves no file behind.
    Enrollment e = prepare_enrollment(env.zones, catalog, a, {});
    std::string summary;
    with_store([&] {
        // Sites are registered first: no database, no site.
        auto s = open_existing(env, a.randomization.empty()
                                        ? fmt::format("--site: unknown site '{}' (register it first: trialcal site "
                                                      "add CODE --name TEXT --tz ZONE)",
                                                      a.site)
                                        : fmt::format("--randomization-number {} is not in the randomization list of {}",
                                                      a.randomization, e.file->protocol.id));
        s->write([&] {
            const SiteBook sites = SiteBook::load(*s);
            summary = commit_enrollment(*s, sites, e, by, now_text(env));
        });
    });
    return summary;
}

Recorded dose(const Env& env, const std::string& by, const DoseInput& a) {
    // check_dose checks every field again, inside the transaction: first here, so
    // that an unprintable patient id is named as such, not looked up.
    check_line("patient", a.patient);
    return write_recorded(env, fmt::format("unknown patient '{}'", a.patient), [&](store::Store& s) {
        return record_dose(env, s, load_patient(s, a.patient, PlanDetail::judging), a, {}, by, now_text(env));
    });
}

std::string visit(const Env& env, const std::string& by, const VisitInput& a) {
    check_line("patient", a.patient);
    check_line("event", a.event);
    check_line("--at", a.at);
    const date::sys_days day = parse_date_option("--at", a.at);
    return write_recorded(env, fmt::format("unknown patient '{}'", a.patient), [&](store::Store& s) {
        const PatientPlan pp = load_patient(s, a.patient);
        const Event& e = find_event(pp.plan, a.patient, a.event);
        if (e.kind != EventKind::visit)
            throw Error(Kind::bad_data, fmt::format("{} is a dose, not a visit: record it with trialcal dose", a.event));
        if (day < pp.patient.day0)
            throw Error(Kind::rule, fmt::format("--at {}: before day 0 ({})", a.at, IsoDate{pp.patient.day0}));
        if (day > today_in(env, pp.patient.tz) + date::days{1})
            throw Error(Kind::rule, fmt::format("--at {}: more than a day in the future", a.at));
        const Records& live = pp.live;
        refuse_cancelled(live, a.event);
        for (const auto& v : live.visits)
            if (v.event == a.event)
                throw Error(Kind::rule, fmt::format("visit {} is already recorded (R{} on {}): void it first to "
                                                       "correct it", a.event, v.record, IsoDate{v.date}));
        for (const auto& sk : live.skips)
            if (sk.event == a.event)
                throw Error(Kind::rule, fmt::format("visit {} was skipped ({}): void the skip first", a.event, sk.reason));
        store::StoredRecord r;
        r.patient = a.patient;
        r.kind = store::RecordKind::visit;
        r.event = a.event;
        r.date = day;
        const std::string now = now_text(env);
        r.recorded_at = now;
        r.recorded_by = by;
        const std::int64_t id = s.insert_record(r);
        s.append_audit({by, "visit", a.patient, fmt::format("R{}", id), "",
                                 fmt::format("event={} date={}", a.event, a.at), "", ""},
                            now);
        Records after = live;
        after.visits.push_back({id, a.event, day});
        const std::size_t moved = follow_anchors(s, pp, live, after, fmt::format("R{} written", id), by, now);
        return fmt::format("Recorded R{}: visit {} ({}) of patient {} on {}, {}.\n{}", id, e.id, e.name, a.patient,
                          IsoDate{day}, timing_text(e, day),
                          moved ? fmt::format("{} event{} counting from it moved with it.\n", moved,
                                              moved == 1 ? "" : "s")
                                : std::string());
    });
}

std::string skip(const Env& env, const std::string& by, const SkipInput& a) {
    check_line("patient", a.patient);
    check_line("event", a.event);
    check_reason("skip", a.reason);
    return write_recorded(env, fmt::format("unknown patient '{}'", a.patient), [&](store::Store& s) {
        const PatientPlan pp = load_patient(s, a.patient);
        const Calendar shown = pp.blinded_plan();
        const Event& e = find_event(shown, a.patient, a.event);
        const Records& live = pp.live;
        refuse_cancelled(live, a.event);
        for (const auto& sk : live.skips)
            if (sk.event == a.event) throw Error(Kind::rule, fmt::format("{} is already skipped (R{})", a.event, sk.record));
        for (const auto& v : live.visits)
            if (v.event == a.event) throw Error(Kind::rule, fmt::format("visit {} was done (R{}): void it first", a.event, v.record));
        for (const auto& m : match_doses(shown, live, far_future))
            if (m.event && shown.events[*m.event].id == a.event)
                throw Error(Kind::rule, fmt::format("dose {} was given (R{}): void it first", a.event, m.record));
        store::StoredRecord r;
        r.patient = a.patient;
        r.kind = store::RecordKind::skip;
        r.event = a.event;
        r.reason = a.reason;
        const std::string now = now_text(env);
        r.recorded_at = now;
        r.recorded_by = by;
        const std::int64_t id = s.insert_record(r);
        s.append_audit({by, "skip", a.patient, fmt::format("R{}", id), "", fmt::format("event={}", a.event),
                                 "", a.reason},
                            now);
        return fmt::format("Recorded R{}: {} of patient {} skipped ({}); it counts as missed.\n", id, e.id, a.patient,
                          a.reason);
    });
}

std::string void_record(const Env& env, const std::string& by, const VoidInput& a) {
    check_line("record", a.record);
    const std::int64_t id = parse_record_id(a.record);
    check_reason("void", a.reason);
    return write_recorded(env, fmt::format("unknown record '{}'", a.record), [&](store::Store& s) {
        auto r = s.record(id);
        if (!r) throw Error(Kind::bad_data, fmt::format("unknown record '{}'", a.record));
        if (r->voided) throw Error(Kind::rule, fmt::format("R{} is already voided ({})", id, r->void_reason));
        const std::string now = now_text(env);
        // What counted from the voided record goes back to what counts now;
        // the records and the plan are read only when something can count
        // from a record.
        const auto patient = s.patient(r->patient);
        if (!patient) throw Error(Kind::bad_data, fmt::format("unknown patient '{}'", r->patient));
        Protocol protocol = stored_protocol(s, *patient);
        const bool anchored = has_anchors(protocol);
        const Records before = anchored ? s.live_records(r->patient) : Records{};
        s.insert_void(id, a.reason, now, by);
        s.append_audit({by, "void", r->patient, fmt::format("R{}", id), "", "voided", "", a.reason}, now);
        std::size_t moved = 0;
        if (anchored) {
            PatientPlan pp{*patient, std::move(protocol), {}, {}};
            pp.plan = stored_plan(s, pp.patient, pp.protocol, PlanDetail::judging);
            moved = follow_anchors(s, pp, before, s.live_records(r->patient), fmt::format("R{} voided", id), by, now);
        }
        return fmt::format("Voided R{} of patient {} ({}); it stays in the audit trail and no report counts it.\n{}",
                          id, r->patient, a.reason,
                          moved ? fmt::format("{} event{} that counted from it moved back.\n", moved,
                                              moved == 1 ? "" : "s")
                                : std::string());
    });
}

}  // namespace trialcal::trial
