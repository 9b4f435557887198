// trialcal enroll | dose | visit | skip | void: every write is one IMMEDIATE
// transaction that also appends its audit row; a refusal changes nothing.
#include "cli/clock.hpp"
#include "cli/commands.hpp"
#include "cli/error.hpp"
#include "cli/patient.hpp"
#include "cli/recording.hpp"
#include "core/compliance.hpp"
#include "output/calendar_view.hpp"
#include "output/formatters.hpp"
#include "store/audit.hpp"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <cmath>

namespace trialcal::cli {

namespace {

std::int64_t parse_record_id(const std::string& text) {
    std::string digits = text;
    if (!digits.empty() && (digits[0] == 'R' || digits[0] == 'r')) digits.erase(0, 1);
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (ec != std::errc{} || end != digits.data() + digits.size() || id <= 0)
        throw Error(Exit::bad_data, fmt::format("'{}' is not a record id (R12 or 12)", text));
    return id;
}



struct VisitArgs {
    std::string patient, event, at;
};
struct SkipArgs {
    std::string patient, event, reason;
};
struct VoidArgs {
    std::string record, reason;
};

void enroll(const Globals& g, const EnrollInput& a) {
    const std::string by = g.user();
    const Catalog catalog = g.catalog();
    // Everything that can be refused without the database is checked before
    // opening it, so a refused first enrollment leaves no file behind.
    Enrollment e = prepare_enrollment(catalog, a, {});
    with_store([&] {
        auto db = a.randomization.empty()
                      ? store::Database::open(g.db_path(), store::Mode::write)
                      : open_existing(g, fmt::format("--randomization-number {} is not in the randomization list of {}",
                                                     a.randomization, e.file->protocol.id));
        store::Store s(db);
        std::string summary;
        db.write([&] { summary = commit_enrollment(s, e, by, utc_text(now_utc())); });
        print(summary);
    });
}

void dose(const Globals& g, const DoseInput& a) {
    const std::string by = g.user();
    write_recorded(g, fmt::format("unknown patient '{}'", a.patient), [&](store::Database&, store::Store& s) {
        return record_dose(s, load_patient(s, a.patient, PlanDetail::judging), a, {}, by, utc_text(now_utc()));
    });
}

void visit(const Globals& g, const VisitArgs& a) {
    const std::string by = g.user();
    const date::sys_days day = parse_date_option("--at", a.at);
    write_recorded(g, fmt::format("unknown patient '{}'", a.patient), [&](store::Database& db, store::Store& s) {
        const PatientPlan pp = load_patient(s, a.patient);
        const Event& e = find_event(pp.plan, a.patient, a.event);
        if (e.kind != EventKind::visit)
            throw Error(Exit::bad_data, fmt::format("{} is a dose, not a visit: record it with trialcal dose", a.event));
        if (day < pp.patient.day0)
            throw Error(Exit::refused, fmt::format("--at {}: before day 0 ({})", a.at, IsoDate{pp.patient.day0}));
        if (day > today_in(pp.patient.tz) + date::days{1})
            throw Error(Exit::refused, fmt::format("--at {}: more than a day in the future", a.at));
        const Records live = s.live_records(a.patient);
        for (const auto& v : live.visits)
            if (v.event == a.event)
                throw Error(Exit::refused, fmt::format("visit {} is already recorded (R{} on {}): void it first to "
                                                       "correct it", a.event, v.record, IsoDate{v.date}));
        for (const auto& sk : live.skips)
            if (sk.event == a.event)
                throw Error(Exit::refused, fmt::format("visit {} was skipped ({}): void the skip first", a.event, sk.reason));
        store::StoredRecord r;
        r.patient = a.patient;
        r.kind = store::RecordKind::visit;
        r.event = a.event;
        r.date = day;
        const std::string now = utc_text(now_utc());
        r.recorded_at = now;
        r.recorded_by = by;
        const std::int64_t id = s.insert_record(r);
        store::append_audit(db, {by, "visit", a.patient, fmt::format("R{}", id), "",
                                 fmt::format("event={} date={}", a.event, a.at), "", ""},
                            now);
        return fmt::format("Recorded R{}: visit {} ({}) of patient {} on {}, {}.\n", id, e.id, e.name, a.patient,
                          IsoDate{day}, timing_text(e, day));
    });
}

void skip(const Globals& g, const SkipArgs& a) {
    const std::string by = g.user();
    if (a.reason.empty()) throw Error(Exit::usage, "skip: --reason is required");
    check_text("--reason", a.reason, 2000);
    write_recorded(g, fmt::format("unknown patient '{}'", a.patient), [&](store::Database& db, store::Store& s) {
        const PatientPlan pp = load_patient(s, a.patient);
        const Calendar shown = pp.blinded_plan();
        const Event& e = find_event(shown, a.patient, a.event);
        const Records live = s.live_records(a.patient);
        for (const auto& sk : live.skips)
            if (sk.event == a.event) throw Error(Exit::refused, fmt::format("{} is already skipped (R{})", a.event, sk.record));
        for (const auto& v : live.visits)
            if (v.event == a.event) throw Error(Exit::refused, fmt::format("visit {} was done (R{}): void it first", a.event, v.record));
        const date::sys_days far = date::sys_days{date::year{9999} / 12 / 31};
        for (const auto& m : match_doses(shown, live, far))
            if (m.event && shown.events[*m.event].id == a.event)
                throw Error(Exit::refused, fmt::format("dose {} was given (R{}): void it first", a.event, m.record));
        store::StoredRecord r;
        r.patient = a.patient;
        r.kind = store::RecordKind::skip;
        r.event = a.event;
        r.reason = a.reason;
        const std::string now = utc_text(now_utc());
        r.recorded_at = now;
        r.recorded_by = by;
        const std::int64_t id = s.insert_record(r);
        store::append_audit(db, {by, "skip", a.patient, fmt::format("R{}", id), "", fmt::format("event={}", a.event),
                                 "", a.reason},
                            now);
        return fmt::format("Recorded R{}: {} of patient {} skipped ({}); it counts as missed.\n", id, e.id, a.patient,
                          a.reason);
    });
}

void void_record(const Globals& g, const VoidArgs& a) {
    const std::string by = g.user();
    const std::int64_t id = parse_record_id(a.record);
    if (a.reason.empty()) throw Error(Exit::usage, "void: --reason is required");
    check_text("--reason", a.reason, 2000);
    write_recorded(g, fmt::format("unknown record '{}'", a.record), [&](store::Database& db, store::Store& s) {
        auto r = s.record(id);
        if (!r) throw Error(Exit::bad_data, fmt::format("unknown record '{}'", a.record));
        if (r->voided) throw Error(Exit::refused, fmt::format("R{} is already voided ({})", id, r->void_reason));
        const std::string now = utc_text(now_utc());
        s.insert_void(id, a.reason, now, by);
        store::append_audit(db, {by, "void", r->patient, fmt::format("R{}", id), "", "voided", "", a.reason}, now);
        return fmt::format("Voided R{} of patient {} ({}); it stays in the audit trail and no report counts it.\n",
                          id, r->patient, a.reason);
    });
}

}  // namespace

void add_record_commands(CLI::App& app, const Globals& g) {
    auto e = std::make_shared<EnrollInput>();
    auto* enroll_cmd = app.add_subcommand("enroll", "enroll a patient: stores their calendar");
    enroll_cmd->add_option("patient", e->patient, "patient id")->required();
    enroll_cmd->add_option("--protocol", e->protocol, "protocol ID[@VERSION]")->required();
    enroll_cmd->add_option("--site", e->site, "site")->required();
    enroll_cmd->add_option("--day0", e->day0, "day 0 (inclusion), YYYY-MM-DD")->required();
    enroll_cmd->add_option("--arm", e->arm, "arm from an outside randomisation system (kept blinded)");
    enroll_cmd->add_option("--randomization-number", e->randomization, "randomisation number from the loaded list");
    enroll_cmd->add_option("--cohort", e->cohort, "cohort");
    enroll_cmd->add_option("--weight", e->weight, "body weight in kg");
    enroll_cmd->add_option("--tz", e->tz, "the site's IANA time zone (default: this machine's)");
    enroll_cmd->callback([&g, e] { enroll(g, *e); });

    auto d = std::make_shared<DoseInput>();
    auto* dose_cmd = app.add_subcommand("dose", "record an administered dose");
    dose_cmd->add_option("patient", d->patient, "patient id")->required();
    dose_cmd->add_option("--at", d->at, "when, site-local YYYY-MM-DDTHH:MM (or with Z / ±HH:MM)")->required();
    dose_cmd->add_option("--drug", d->drug, "product id or drug name as the calendar shows it");
    dose_cmd->add_option("--amount", d->amount, "amount and unit, e.g. \"1 MIU\"; default: as planned");
    dose_cmd->add_option("--event", d->event, "the planned dose it is for");
    dose_cmd->add_option("--kit", d->kit, "kit or lot number");
    dose_cmd->add_option("--note", d->note, "free note");
    dose_cmd->callback([&g, d] { dose(g, *d); });

    auto v = std::make_shared<VisitArgs>();
    auto* visit_cmd = app.add_subcommand("visit", "record that a planned visit happened");
    visit_cmd->add_option("patient", v->patient, "patient id")->required();
    visit_cmd->add_option("event", v->event, "visit event id, e.g. V-D15")->required();
    visit_cmd->add_option("--at", v->at, "date of the visit, YYYY-MM-DD")->required();
    visit_cmd->callback([&g, v] { visit(g, *v); });

    auto k = std::make_shared<SkipArgs>();
    auto* skip_cmd = app.add_subcommand("skip", "record that a planned dose or visit will not happen");
    skip_cmd->add_option("patient", k->patient, "patient id")->required();
    skip_cmd->add_option("event", k->event, "event id")->required();
    skip_cmd->add_option("--reason", k->reason, "why (adverse event, refused, hospitalised, …)")->required();
    skip_cmd->callback([&g, k] { skip(g, *k); });

    auto o = std::make_shared<VoidArgs>();
    auto* void_cmd = app.add_subcommand("void", "void a record entered in error (it stays in the trail)");
    void_cmd->add_option("record", o->record, "record id, e.g. R12")->required();
    void_cmd->add_option("--reason", o->reason, "why")->required();
    void_cmd->callback([&g, o] { void_record(g, *o); });
}

}  // namespace trialcal::cli
