// trialcal enroll | dose | visit | skip | void: every write is one IMMEDIATE
// transaction that also appends its audit row; a refusal changes nothing.
#include "cli/clock.hpp"
#include "cli/commands.hpp"
#include "cli/error.hpp"
#include "cli/patient.hpp"
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

// Ids typed by people go into files, reports and calendars: printable, short.
void check_id(const std::string& what, const std::string& id) {
    if (id.empty() || id.size() > 64)
        throw Error(Exit::bad_data, fmt::format("{} '{}' must be 1 to 64 characters", what, id.substr(0, 80)));
    for (unsigned char c : id)
        if (c < 0x21 || c == 0x7f)
            throw Error(Exit::bad_data, fmt::format("{} '{}' may not contain spaces or control characters", what, id));
}

void check_text(const std::string& what, const std::string& text, std::size_t max) {
    if (text.size() > max)
        throw Error(Exit::bad_data, fmt::format("{} is {} bytes long, more than {}", what, text.size(), max));
}

std::string timing_text(const Event& e, date::sys_days d) {
    if (d < e.window.from) return fmt::format("early by {} day(s)", (e.window.from - d).count());
    if (d > e.window.to) return fmt::format("late by {} day(s)", (d - e.window.to).count());
    return "on time";
}

struct Amount {
    double value;
    std::string unit;
};

Amount parse_amount(const std::string& text) {
    const auto space = text.find(' ');
    const std::string number = text.substr(0, space);
    double v = 0;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
    if (ec != std::errc{} || end != number.data() + number.size() || !std::isfinite(v) || space == std::string::npos)
        throw Error(Exit::bad_data, fmt::format("--amount: '{}' is not an amount with its unit, e.g. \"1 MIU\"", text));
    if (v < 0 || v > 1e6) throw Error(Exit::bad_data, fmt::format("--amount: '{}' is not a possible amount", text));
    return {v, text.substr(space + 1)};
}

std::int64_t parse_record_id(const std::string& text) {
    std::string digits = text;
    if (!digits.empty() && (digits[0] == 'R' || digits[0] == 'r')) digits.erase(0, 1);
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (ec != std::errc{} || end != digits.data() + digits.size() || id <= 0)
        throw Error(Exit::bad_data, fmt::format("'{}' is not a record id (R12 or 12)", text));
    return id;
}

const Event& find_event(const Calendar& plan, const std::string& patient, const std::string& id) {
    for (const auto& e : plan.events)
        if (e.id == id) return e;
    throw Error(Exit::bad_data, fmt::format("unknown event '{}' in the calendar of patient {}", id, patient));
}

// Opens the database for a write that needs what is already recorded (a
// patient, a record): with no database file there is nothing to act on, and
// the refusal must not create one (cli.md: created on first write).
store::Database open_existing(const Globals& g, const std::string& missing) {
    std::error_code ec;
    if (!std::filesystem::exists(g.db_path(), ec))
        throw Error(Exit::bad_data, fmt::format("{} (no database at {})", missing, g.db_path()));
    return store::Database::open(g.db_path(), store::Mode::write);
}

struct EnrollArgs {
    std::string patient, protocol, site, day0, arm, randomization, cohort, weight, tz;
};
struct DoseArgs {
    std::string patient, at, drug, amount, event, kit, note;
};
struct VisitArgs {
    std::string patient, event, at;
};
struct SkipArgs {
    std::string patient, event, reason;
};
struct VoidArgs {
    std::string record, reason;
};

void enroll(const Globals& g, const EnrollArgs& a) {
    const std::string by = g.user();
    check_id("patient", a.patient);
    check_id("--site", a.site);
    const Catalog catalog = g.catalog();
    const ProtocolFile& file = catalog.find(a.protocol);
    const Protocol& p = file.protocol;
    const date::sys_days day0 = parse_date_option("--day0", a.day0);
    const std::string tz = a.tz.empty() ? local_zone_name() : a.tz;
    check_zone("--tz", tz);
    if (!a.arm.empty() && !a.randomization.empty())
        throw Error(Exit::usage, "give either --arm or --randomization-number, not both");
    if (!p.arms.empty() && a.arm.empty() && a.randomization.empty())
        throw Error(Exit::usage, fmt::format("{} is randomised: give --randomization-number N (or --arm A from an "
                                             "outside randomisation system)", p.id));
    if (!a.randomization.empty()) check_id("--randomization-number", a.randomization);

    // Everything that can be refused without the database is checked before
    // opening it, so a refused first enrollment leaves no file behind.
    CalendarRequest req{day0, std::nullopt, std::nullopt, std::nullopt};
    if (!a.arm.empty()) req.arm = a.arm;
    if (!a.cohort.empty()) req.cohort = a.cohort;
    if (!a.weight.empty()) req.weight_kg = parse_number_option("--weight", a.weight);
    std::optional<Calendar> planned;
    if (a.randomization.empty()) {
        auto cal = expand(p, req);
        if (!cal) fail_calendar(cal.error());
        planned = std::move(*cal);
    }

    with_store([&] {
        auto db = a.randomization.empty()
                      ? store::Database::open(g.db_path(), store::Mode::write)
                      : open_existing(g, fmt::format("--randomization-number {} is not in the randomization list of {}",
                                                     a.randomization, p.id));
        store::Store s(db);
        std::string summary;
        db.write([&] {
            if (s.patient(a.patient))
                throw Error(Exit::refused, fmt::format("patient '{}' is already enrolled", a.patient));
            if (!a.randomization.empty()) {
                if (auto other = s.patient_with_randomization(p.id, a.randomization))
                    throw Error(Exit::refused, fmt::format("--randomization-number {} is already assigned to patient {}",
                                                           a.randomization, *other));
                req.arm = s.randomized_arm(p.id, a.randomization);
                if (!req.arm)
                    throw Error(Exit::bad_data,
                                fmt::format("--randomization-number {} is not in the randomization list of {} "
                                            "(load it with trialcal randomization import)", a.randomization, p.id));
                auto cal = expand(p, req);
                if (!cal) {
                    // Never repeat an arm that came from the randomization list.
                    if (cal.error().code == CalendarErrc::unknown_arm)
                        throw Error(Exit::internal, "the randomization list names an arm this protocol does not have");
                    fail_calendar(cal.error());
                }
                planned = std::move(*cal);
            }
            const Calendar* cal = &*planned;
            const std::string sha = store::sha256_hex(file.text);
            s.save_protocol_file(sha, p.id, p.version, file.path.filename().string(), file.text);
            store::Patient row{a.patient, p.id, p.version, sha, a.site, day0, cal->arm, std::nullopt, cal->cohort,
                               req.weight_kg, tz};
            if (!a.randomization.empty()) row.randomization_number = a.randomization;
            const std::string now = utc_text(now_utc());
            s.insert_patient(row, now, by);
            s.insert_plan(a.patient, *cal);
            const std::string details =
                fmt::format("protocol={}@{} site={} day0={} cohort={} weight_kg={} tz={} randomization_number={} "
                            "protocol_sha256={} events={}",
                            p.id, p.version, a.site, a.day0, cal->cohort.value_or(""), a.weight, tz, a.randomization,
                            sha, cal->events.size());
            // The arm is sealed: in the trail, but listed only to an unblinded user.
            store::append_audit(db, {by, "enroll", a.patient, a.patient, "", details,
                                     cal->arm ? "arm=" + *cal->arm : "", ""},
                                now);
            const Calendar shown = blind(*cal, p);
            summary = fmt::format("Enrolled {} in {} version {} at site {}, day 0 {}{}: {} visits, {} doses.\n",
                                  a.patient, p.id, p.version, a.site, IsoDate{day0},
                                  shown.blinded ? " (arm blinded)"
                                  : shown.arm   ? " (arm " + *shown.arm + ")"
                                                : "",
                                  count_visits(shown), shown.events.size() - count_visits(shown));
        });
        print(summary);
    });
}

void dose(const Globals& g, const DoseArgs& a) {
    const std::string by = g.user();
    check_text("--note", a.note, 2000);
    check_text("--kit", a.kit, 200);
    with_store([&] {
        auto db = open_existing(g, fmt::format("unknown patient '{}'", a.patient));
        store::Store s(db);
        std::string out;
        db.write([&] {
            const PatientPlan pp = load_patient(s, a.patient);
            const SiteTime when = site_time("--at", a.at, pp.patient.tz);
            const date::sys_days day{date::floor<date::days>(when.local).time_since_epoch()};
            const Calendar shown = pp.blinded_plan();

            const Event* named = a.event.empty() ? nullptr : &find_event(shown, a.patient, a.event);
            if (named && named->kind != EventKind::dose)
                throw Error(Exit::bad_data, fmt::format("--event {} is a visit, not a dose", a.event));
            const Product* product = nullptr;
            if (!a.drug.empty()) product = &resolve_drug(pp.protocol, a.drug);
            else if (named) product = pp.protocol.product(named->product);
            else if (pp.protocol.products.size() == 1) product = &pp.protocol.products.front();
            else {
                std::string names;
                for (const auto& pr : pp.protocol.products)
                    names += (names.empty() ? "" : ", ") + (pr.blinded_label ? *pr.blinded_label : pr.drug);
                throw Error(Exit::usage, fmt::format("which drug? {} has several: give --drug ({})", pp.protocol.id, names));
            }
            if (named && named->product != product->id)
                throw Error(Exit::refused, fmt::format("--event {} is a dose of {}, not of {}", a.event, named->drug,
                                                       product->blinded_label ? *product->blinded_label : product->drug));
            if (day < pp.patient.day0)
                throw Error(Exit::refused, fmt::format("--at {}: before day 0 of patient {} ({})", a.at, a.patient,
                                                       IsoDate{pp.patient.day0}));
            if (when.utc > now_utc() + std::chrono::hours{24})
                throw Error(Exit::refused, fmt::format("--at {}: more than a day in the future", a.at));

            std::optional<double> amount;
            std::string unit;
            if (!a.amount.empty()) {
                const Amount am = parse_amount(a.amount);
                const bool ok = am.unit == product->unit || (product->blinded() && am.unit == product->blinded_unit);
                if (!ok)
                    throw Error(Exit::bad_data, fmt::format("--amount: unit '{}' is not {}'s ({}{})", am.unit, product->id,
                                                            product->unit,
                                                            product->blinded() && !product->blinded_unit.empty()
                                                                ? " or " + product->blinded_unit
                                                                : ""));
                amount = am.value;
                unit = am.unit;
            }
            Records live = s.live_records(a.patient);
            const date::sys_days far = date::sys_days{date::year{9999} / 12 / 31};
            if (named) {
                for (const auto& sk : live.skips)
                    if (sk.event == named->id)
                        throw Error(Exit::refused, fmt::format("--event {} was skipped ({}): void the skip first",
                                                               named->id, sk.reason));
                for (const auto& m : match_doses(shown, live, far))
                    if (m.event && shown.events[*m.event].id == named->id)
                        throw Error(Exit::refused, fmt::format("--event {} is already matched to record R{}", named->id,
                                                               m.record));
            }
            store::StoredRecord r;
            r.patient = a.patient;
            r.kind = store::RecordKind::dose;
            if (named) r.event = named->id;
            r.at_local = local_text(when.local);
            r.at_utc = utc_text(when.utc);
            r.tz = pp.patient.tz;
            r.date = day;
            r.product = product->id;
            r.amount = amount;
            r.unit = unit;
            r.kit = a.kit;
            r.note = a.note;
            const std::string now = utc_text(now_utc());
            r.recorded_at = now;
            r.recorded_by = by;
            const std::int64_t id = s.insert_record(r);
            store::append_audit(db, {by, "dose", a.patient, fmt::format("R{}", id), "",
                                     fmt::format("at={} ({}) utc={} product={} amount={} event={} kit={} note={}",
                                                 r.at_local, r.tz, r.at_utc, product->id, a.amount, a.event, a.kit, a.note),
                                     "", ""},
                                now);
            live.doses.push_back({id, product->id, day,
                                  std::chrono::duration_cast<std::chrono::seconds>(when.utc.time_since_epoch()).count(),
                                  r.event, amount});
            std::string verdict = "unscheduled: no planned dose of this drug is left";
            for (const auto& m : match_doses(shown, live, far))
                if (m.record == id && m.event) {
                    const Event& e = shown.events[*m.event];
                    verdict = fmt::format("matched to {} ({} {}), {}", e.id, fmt::format("{}", e.day), IsoDate{e.date},
                                          timing_text(e, day));
                }
            out = fmt::format("Recorded R{}: {} {} for patient {} at {} ({}); {}.\n", id,
                              product->blinded() ? *product->blinded_label : product->drug,
                              a.amount.empty() ? "as planned" : a.amount, a.patient, r.at_local, r.tz, verdict);
        });
        print(out);
    });
}

void visit(const Globals& g, const VisitArgs& a) {
    const std::string by = g.user();
    const date::sys_days day = parse_date_option("--at", a.at);
    with_store([&] {
        auto db = open_existing(g, fmt::format("unknown patient '{}'", a.patient));
        store::Store s(db);
        std::string out;
        db.write([&] {
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
            out = fmt::format("Recorded R{}: visit {} ({}) of patient {} on {}, {}.\n", id, e.id, e.name, a.patient,
                              IsoDate{day}, timing_text(e, day));
        });
        print(out);
    });
}

void skip(const Globals& g, const SkipArgs& a) {
    const std::string by = g.user();
    if (a.reason.empty()) throw Error(Exit::usage, "skip: --reason is required");
    check_text("--reason", a.reason, 2000);
    with_store([&] {
        auto db = open_existing(g, fmt::format("unknown patient '{}'", a.patient));
        store::Store s(db);
        std::string out;
        db.write([&] {
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
            out = fmt::format("Recorded R{}: {} of patient {} skipped ({}); it counts as missed.\n", id, e.id, a.patient,
                              a.reason);
        });
        print(out);
    });
}

void void_record(const Globals& g, const VoidArgs& a) {
    const std::string by = g.user();
    const std::int64_t id = parse_record_id(a.record);
    if (a.reason.empty()) throw Error(Exit::usage, "void: --reason is required");
    check_text("--reason", a.reason, 2000);
    with_store([&] {
        auto db = open_existing(g, fmt::format("unknown record '{}'", a.record));
        store::Store s(db);
        std::string out;
        db.write([&] {
            auto r = s.record(id);
            if (!r) throw Error(Exit::bad_data, fmt::format("unknown record '{}'", a.record));
            if (r->voided) throw Error(Exit::refused, fmt::format("R{} is already voided ({})", id, r->void_reason));
            const std::string now = utc_text(now_utc());
            s.insert_void(id, a.reason, now, by);
            store::append_audit(db, {by, "void", r->patient, fmt::format("R{}", id), "", "voided", "", a.reason}, now);
            out = fmt::format("Voided R{} of patient {} ({}); it stays in the audit trail and no report counts it.\n",
                              id, r->patient, a.reason);
        });
        print(out);
    });
}

}  // namespace

void add_record_commands(CLI::App& app, const Globals& g) {
    auto e = std::make_shared<EnrollArgs>();
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

    auto d = std::make_shared<DoseArgs>();
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
