#include "trial/recording.hpp"

#include "trial/sealing.hpp"
#include "trial/screening.hpp"

#include "trial/anchoring.hpp"
#include "trial/time.hpp"
#include "trial/error.hpp"
#include "core/compliance.hpp"
#include "output/formatters.hpp"
#include "store/audit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>

namespace trialcal::trial {

Amount parse_amount(const std::string& field, const std::string& text) {
    const auto space = text.find(' ');
    const std::string number = text.substr(0, space);
    double v = 0;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
    if (ec != std::errc{} || end != number.data() + number.size() || !std::isfinite(v) || space == std::string::npos)
        throw Error(Kind::bad_data, fmt::format("{}: '{}' is not an amount with its unit, e.g. \"1 MIU\"", field, text));
    if (v < 0 || v > 1e6) throw Error(Kind::bad_data, fmt::format("{}: '{}' is not a possible amount", field, text));
    return {v, text.substr(space + 1)};
}

namespace {

Kind kind_for(CalendarErrc code) {
    switch (code) {
    case CalendarErrc::cohort_required:
    case CalendarErrc::weight_required: return Kind::missing_input;
    default: return Kind::bad_data;
    }
}

std::string field_for(CalendarErrc code, const Origin& origin) {
    switch (code) {
    case CalendarErrc::unknown_arm:
    case CalendarErrc::arm_not_applicable: return origin("--arm", "arm");
    case CalendarErrc::unknown_cohort:
    case CalendarErrc::cohort_not_applicable:
    case CalendarErrc::cohort_required: return origin("--cohort", "cohort");
    case CalendarErrc::weight_required:
    case CalendarErrc::weight_out_of_range: return origin("--weight", "weight_kg");
    case CalendarErrc::date_out_of_range: return origin("--day0", "day0");
    }
    return "";
}

}  // namespace

// Turns a core calendar error into the command's error, naming the flag.
[[noreturn]] void fail_calendar(const CalendarError& e, const Origin& origin) {
    const std::string value = e.value.empty() ? "" : fmt::format(" '{}'", e.value);
    std::string what;
    switch (e.code) {
    case CalendarErrc::unknown_arm: what = "unknown arm" + value; break;
    case CalendarErrc::unknown_cohort: what = "unknown cohort" + value; break;
    case CalendarErrc::arm_not_applicable: what = "no arm can be given" + value; break;
    case CalendarErrc::cohort_not_applicable: what = "no cohort can be given" + value; break;
    case CalendarErrc::cohort_required: what = "missing cohort"; break;
    case CalendarErrc::weight_required: what = "missing weight"; break;
    case CalendarErrc::weight_out_of_range: what = "impossible weight" + value; break;
    case CalendarErrc::date_out_of_range: what = "a date out of range"; break;  // the message names day 0
    }
    const Kind code = kind_for(e.code) == Kind::missing_input ? origin.missing() : kind_for(e.code);
    throw Error(code, fmt::format("{}: {} ({})", field_for(e.code, origin), what, e.message));
}

date::sys_days parse_date_option(std::string_view flag, const std::string& text) {
    auto d = parse_date(text);
    if (!d) throw Error(Kind::bad_data, fmt::format("{}: {}", flag, d.error()));
    return *d;
}

double parse_number_option(std::string_view flag, const std::string& text) {
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v))
        throw Error(Kind::bad_data, fmt::format("{}: '{}' is not a number", flag, text));
    return v;
}

void check_line(const Origin& o, std::string_view flag, std::string_view column, std::string_view text, Lines lines) {
    if (find_forbidden(text, lines)) check_line(o(flag, column), text, lines);
}

// Ids typed by people go into files, reports and calendars: printable, short.
bool lower_randomization_number(const std::string& a, const std::string& b) {
    const auto digits = [](const std::string& x) { return x.find_first_not_of("0123456789") == std::string::npos; };
    if (digits(a) && digits(b)) {
        const auto strip = [](const std::string& x) { return x.substr(std::min(x.find_first_not_of('0'), x.size() - 1)); };
        const std::string sa = strip(a), sb = strip(b);
        return sa.size() != sb.size() ? sa.size() < sb.size() : sa < sb;
    }
    return a < b;
}

void check_id(const std::string& what, const std::string& id) {
    check_line(what, id);
    if (id.empty() || id.size() > 64)
        throw Error(Kind::bad_data, fmt::format("{} '{}' must be 1 to 64 characters", what, id.substr(0, 80)));
    for (unsigned char c : id)
        if (c == ' ')
            throw Error(Kind::bad_data, fmt::format("{} '{}' may not contain spaces or control characters", what, id));
}

void check_patient_id(const std::string& what, const std::string& id) {
    check_id(what, id);
    // ASCII only, so that "ignoring case" means one thing everywhere (course.md).
    for (unsigned char c : id)
        if (!std::isalnum(c) || c > 127)
            if (c != '-' && c != '_' && c != '.')
                throw Error(Kind::bad_data, fmt::format("{} '{}': '{}' is not allowed; a patient id is made of ASCII "
                                                        "letters, digits, '-', '_' and '.'",
                                                        what, id, c < 128 ? std::string(1, static_cast<char>(c))
                                                                          : std::string("non-ASCII character")));
}

void check_reason(const std::string& command, const std::string& reason) {
    if (reason.empty()) throw Error(Kind::missing_input, fmt::format("{}: --reason is required", command));
    check_text("--reason", reason, 2000);
}

void check_text(const std::string& what, const std::string& text, std::size_t max, Lines lines) {
    check_line(what, text, lines);
    if (text.size() > max)
        throw Error(Kind::bad_data, fmt::format("{} is {} bytes long, more than {}", what, text.size(), max));
}

std::string timing_text(const Event& e, date::sys_days d) {
    if (d < e.window.from) return fmt::format("early by {} day(s)", (e.window.from - d).count());
    if (d > e.window.to) return fmt::format("late by {} day(s)", (d - e.window.to).count());
    return "on time";
}

const Event& find_event(const Calendar& plan, const std::string& patient, const std::string& id) {
    for (const auto& e : plan.events)
        if (e.id == id) return e;
    throw Error(Kind::bad_data, fmt::format("unknown event '{}' in the calendar of patient {}", id, patient));
}

std::unique_ptr<store::Store> open_existing(const Env& env, const std::string& missing) {
    try {
        // Mode::update never creates a file nor a schema: an empty or absent
        // database has no patient, no record, nothing to act on.
        return env.storage.open(store::Mode::update);
    } catch (const store::Error& e) {
        if (e.code() != store::Errc::no_database) throw;
        throw Error(Kind::bad_data, fmt::format("{} (no trialcal database at {})", missing, env.storage.name()));
    }
}

namespace {
// Every typed value of an enrollment is one line of printable text (trust.md).
void check_enroll_text(const EnrollInput& in, const Origin& o) {
    check_line(o, "patient", "patient", in.patient);
    check_line(o, "--protocol", "protocol", in.protocol);
    check_line(o, "--site", "site", in.site);
    check_line(o, "--day0", "day0", in.day0);
    check_line(o, "--arm", "arm", in.arm);
    check_line(o, "--randomization-number", "randomization_number", in.randomization);
    check_line(o, "--cohort", "cohort", in.cohort);
    check_line(o, "--weight", "weight_kg", in.weight);
    check_line(o, "--tz", "tz", in.tz);
}
}  // namespace

Enrollment prepare_enrollment(const Zones& zones, const Catalog& catalog, const EnrollInput& in, const Origin& o) {
    Enrollment e;
    e.input = in;
    e.origin = o;
    check_enroll_text(in, o);
    check_patient_id(o("patient", "patient"), in.patient);
    check_id(o("--site", "site"), in.site);
    e.file = &catalog.find(in.protocol);
    const Protocol& p = e.file->protocol;
    e.request.day0 = parse_date_option(o("--day0", "day0"), in.day0);
    if (!in.tz.empty()) check_zone(zones, o("--tz", "tz"), in.tz);
    if ((!in.arm.empty()) + (!in.randomization.empty()) + in.randomize > 1)
        throw Error(o.missing(), o.row() + "give one of an arm, a randomization number or --randomize, not more");
    if (!p.arms.empty() && in.arm.empty() && in.randomization.empty() && !in.randomize)
        throw Error(o.missing(),
                    fmt::format("{}{} is randomised: give {}{} (or {} from an outside randomisation system)", o.row(),
                                p.id, o.in_row("--randomization-number N", "randomization_number"),
                                o.row().empty() ? " or --randomize" : "", o.in_row("--arm A", "arm")));
    if (!in.randomization.empty()) check_id(o("--randomization-number", "randomization_number"), in.randomization);
    if (!in.arm.empty()) e.request.arm = in.arm;
    if (!in.cohort.empty()) e.request.cohort = in.cohort;
    if (!in.weight.empty()) e.request.weight_kg = parse_number_option(o("--weight", "weight_kg"), in.weight);
    if (in.randomization.empty() && !in.randomize) {
        auto selected = select(p, e.request);
        if (!selected) fail_calendar(selected.error(), o);
        e.selection = *selected;
    }
    return e;
}

std::string commit_enrollment(store::Store& s, const SiteBook& sites, Enrollment& e, const std::string& by,
                              const std::string& now) {
    const EnrollInput& in = e.input;
    const Origin& o = e.origin;
    const Protocol& p = e.file->protocol;
    const Site& site = sites.find(in.site, o("--site", "site"));
    // A site's patients share its zone (course.md, Sites).
    if (!in.tz.empty() && in.tz != site.tz)
        throw Error(Kind::bad_data, fmt::format("{} '{}' is not the zone of site {} ({}): a site's patients share its "
                                                "zone; leave the cell empty",
                                                o("--tz", "tz"), in.tz, site.code, site.tz));
    if (const auto taken = s.patient_id_ignoring_case(in.patient)) {
        if (*taken == in.patient)
            throw Error(Kind::rule, fmt::format("{}patient '{}' is already enrolled", o.row(), in.patient));
        throw Error(Kind::rule, fmt::format("{}patient '{}' differs only by case from patient '{}', already enrolled: "
                                            "ids are unique ignoring case",
                                            o.row(), in.patient, *taken));
    }
    // The arm: from the randomisation list (sealed there, copied sealed),
    // or given; a blinded protocol's is stored only sealed.
    std::optional<SealedArm> sealed;
    std::string number = in.randomization;
    if (in.randomize || !in.randomization.empty()) {
        const std::string field = o("--randomization-number", "randomization_number");
        const store::Store::ListShape list = s.randomization_list(p.id);
        if (list.numbers == 0)
            throw Error(Kind::bad_data, fmt::format("{}{}no randomization list of {} is loaded (load it with "
                                                    "trialcal randomization import)",
                                                    o.row(),
                                                    in.randomize ? std::string()
                                                                 : fmt::format("{} {}: ", field, in.randomization),
                                                    p.id));
        const std::optional<std::string> block = list.by_site ? std::optional<std::string>(site.code) : std::nullopt;
        const std::string of_block = block ? fmt::format(" of site {}'s block", site.code) : "";
        std::optional<store::RandomizationSlot> slot;
        if (in.randomize) {
            slot = s.next_randomization(p.id, block);
            if (!slot)
                throw Error(Kind::rule,
                            fmt::format("{}every randomization number{} of {} is used", o.row(), of_block, p.id));
        } else {
            slot = s.randomization(p.id, in.randomization);
            if (!slot)
                throw Error(Kind::bad_data, fmt::format("{} {} is not in the randomization list of {} (load it with "
                                                        "trialcal randomization import)",
                                                        field, in.randomization, p.id));
            if (slot->patient)
                throw Error(Kind::rule,
                            fmt::format("{} {} is already assigned to patient {}", field, in.randomization, *slot->patient));
            if (block && slot->site != block)
                throw Error(Kind::rule, fmt::format("{} {} belongs to site {}'s block, not to site {}", field,
                                                    in.randomization, slot->site.value_or("(none)"), site.code));
            // Numbers are given in order: a skipped number is how a
            // randomisation is gamed.
            const auto next = s.next_randomization(p.id, slot->site);
            if (next && next->number != slot->number)
                throw Error(Kind::rule, fmt::format("{} {} is not the lowest unused number{} of {}: the next is {}",
                                                    field, in.randomization, of_block, p.id, next->number));
        }
        number = slot->number;
        sealed = SealedArm{slot->sealed_arm, slot->key};
        auto selected = select(p, e.request);  // no arm: it stays sealed
        if (!selected) fail_calendar(selected.error(), o);
        e.selection = *selected;
    } else if (p.blinded && e.selection && e.selection->arm) {
        if (s.randomization_list(p.id).numbers > 0)
            throw Error(Kind::rule, fmt::format("{}{} {} has a randomization list loaded: enroll with "
                                                "--randomize or --randomization-number N, not an arm",
                                                o.row(), o.in_row("--arm", "arm"), p.id));
        sealed = seal_arm(unblinding_key(s, fmt::format("{} is blinded", p.id)), e.selection->arm->id);
    }
    const Selection& sel = *e.selection;
    std::vector<PlannedEvent> events;
    events.reserve(256);
    schedule(p, sel, e.request.day0, events);
    std::vector<Dose> doses;
    doses.reserve(p.regimens.size());
    // A blinded product's rows hold the label and volume: the same in every arm.
    for (const auto& r : p.regimens) doses.push_back(stored_dose(p, r, sel));
    std::vector<EventPlacement> placements;
    placements.reserve(events.size());
    const ClosedDays closed = sites.closed_days(site);
    std::size_t placed = 0;
    for (const PlannedEvent& pe : events) {
        placements.push_back(placement_of(p, pe, closed));
        placed += placements.back().placed.has_value();
    }

    // Last: every other refusal names what is wrong with the row itself.
    require_screening(s, p, in.patient, e.request.day0, o);
    const std::string& sha = e.file->sha256;
    s.save_protocol_file(sha, p.id, p.version, e.file->path.filename().string(), e.file->text);
    std::optional<std::string> arm, cohort;
    if (sel.arm && !sealed) arm = sel.arm->id;
    if (sel.cohort) cohort = sel.cohort->id;
    store::Patient row{in.patient, p.id, p.version, sha, site.code, e.request.day0, arm, std::nullopt, std::nullopt,
                       std::nullopt, cohort, e.request.weight_kg, site.tz};
    if (sealed) {
        row.sealed_arm = sealed->box;
        row.key = sealed->key;
    }
    if (!number.empty()) row.randomization_number = number;
    s.insert_patient(row, now, by);
    s.insert_plan(in.patient, p, events, doses, placements);
    const auto visits = static_cast<std::size_t>(
        std::count_if(events.begin(), events.end(), [](const PlannedEvent& pe) { return pe.kind == EventKind::visit; }));
    const std::string details = fmt::format(
        "protocol={}@{} site={} day0={} cohort={} weight_kg={} tz={} randomization_number={} protocol_sha256={} "
        "events={} placed={}{}",
        p.id, p.version, site.code, in.day0, cohort.value_or(""), in.weight, site.tz, number, sha, events.size(),
        placed, arm ? " arm=" + *arm : "");
    // A blinded arm enters the trail as its sealed box only.
    s.append_audit({by, "enroll", in.patient, in.patient, "", details, sealed ? sealed->box : "", ""}, now);
    // A blinded protocol's arm is never printed.
    return fmt::format("Enrolled {} in {} version {} at site {}, day 0 {}{}{}: {} visits, {} doses{}.\n", in.patient,
                       p.id, p.version, site.code, IsoDate{e.request.day0},
                       number.empty() ? "" : fmt::format(", randomization number {}", number),
                       sealed ? " (arm blinded)"
                       : arm  ? " (arm " + *arm + ")"
                              : "",
                       visits, events.size() - visits,
                       placed ? fmt::format(" ({} placed off days site {} is closed)", placed, site.code) : "");
}

CheckedDose check_dose(const Zones& zones, const store::Patient& patient, const Protocol& protocol, const Calendar* shown,
                       const DoseInput& in, const Origin& o, date::sys_seconds now) {
    // Error labels ("file:line: column at") are built only on the error
    // path: an import checks a million rows.
    check_line(o, "patient", "patient", in.patient);
    check_line(o, "--at", "at", in.at);
    check_line(o, "--drug", "drug", in.drug);
    check_line(o, "--amount", "amount", in.amount);
    check_line(o, "--event", "event", in.event);
    if (in.note.size() > 2000 || find_forbidden(in.note, Lines::several))
        check_text(o("--note", "note"), in.note, 2000, Lines::several);
    if (in.kit.size() > 200 || find_forbidden(in.kit)) check_text(o("--kit", "kit"), in.kit, 200);
    const auto at_field = [&] { return o("--at", "at"); };
    SiteTime when;
    if (in.at == "now") {
        // A file records doses already given, each at its own time: "now"
        // would stamp them all with the minute of the import.
        if (!o.file.empty())
            throw Error(Kind::bad_data, fmt::format("{}: 'now' is for trialcal dose; a file gives the time each dose "
                                                    "was given",
                                                    at_field()));
        when = site_now(zones, patient.tz, now);
    } else {
        try {
            when = site_time(zones, "at", in.at, patient.tz);
        } catch (const Error&) {
            (void)site_time(zones, at_field(), in.at, patient.tz);  // throws again, naming where the value came from
            throw;
        }
    }
    const date::sys_days day{date::floor<date::days>(when.local).time_since_epoch()};

    const auto event_field = [&] { return o("--event", "event"); };
    const Event* named = nullptr;
    if (!in.event.empty()) {
        if (!shown) throw Error(Kind::internal, "a dose that names an event is checked against the plan");
        named = &find_event(*shown, in.patient, in.event);
        if (named->kind != EventKind::dose)
            throw Error(Kind::bad_data, fmt::format("{} {} is a visit, not a dose", event_field(), in.event));
    }
    const Product* product = nullptr;
    if (!in.drug.empty()) {
        product = find_product(protocol, in.drug);
        if (!product) (void)resolve_drug(protocol, in.drug, o("--drug", "drug"));  // throws, listing the products
    }
    else if (named) product = protocol.product(named->product);
    else if (protocol.products.size() == 1) product = &protocol.products.front();
    else {
        std::string names;
        for (const auto& pr : protocol.products)
            names += (names.empty() ? "" : ", ") + pr.shown_name();
        throw Error(o.missing(), fmt::format("{}which drug? {} has several: give {} ({})", o.row(), protocol.id,
                                             o.in_row("--drug", "drug"), names));
    }
    if (named && named->product != product->id)
        throw Error(Kind::rule, fmt::format("{} {} is a dose of {}, not of {}", event_field(), in.event, named->drug,
                                               product->shown_name()));
    if (day < patient.day0)
        throw Error(Kind::rule, fmt::format("{} {}: before day 0 of patient {} ({})", at_field(), in.at, in.patient,
                                               IsoDate{patient.day0}));
    // To the minute, as it is typed: the current minute is not the future.
    if (date::floor<std::chrono::minutes>(when.utc) > date::floor<std::chrono::minutes>(now)) {
        const SiteTime current = site_now(zones, patient.tz, now);
        throw Error(Kind::bad_data, fmt::format("{} {}: in the future (it is {} in {})", at_field(), in.at,
                                                local_text(current.local), patient.tz));
    }

    CheckedDose out;
    out.product = product;
    out.named = named;
    out.at = when.utc;
    out.local = date::floor<std::chrono::minutes>(when.local);
    store::StoredRecord& r = out.record;
    if (!in.amount.empty()) {
        const std::string field = o("--amount", "amount");
        const Amount am = parse_amount(field, in.amount);
        const bool ok = am.unit == product->unit || (product->blinded() && am.unit == product->blinded_unit);
        if (!ok)
            throw Error(Kind::bad_data,
                        fmt::format("{}: unit '{}' is not {}'s ({}{})", field, am.unit, product->id, product->unit,
                                    product->blinded() && !product->blinded_unit.empty() ? " or " + product->blinded_unit
                                                                                         : ""));
        r.amount = am.value;
        r.unit = am.unit;
    }
    r.patient = in.patient;
    r.kind = store::RecordKind::dose;
    if (named) r.event = named->id;
    r.at_local = local_text(when.local);
    r.at_utc = utc_text(when.utc);
    r.tz = patient.tz;
    r.date = day;
    r.product = product->id;
    r.kit = in.kit;
    r.note = in.note;
    return out;
}

void refuse_taken_event(const Records& live, const Event& named, const Origin& o) {
    const auto event_field = [&] { return o("--event", "event"); };
    for (const auto& a : live.doses)
        if (a.event == named.id)
            throw Error(Kind::rule, fmt::format("{} {} is already named by record R{} (given {}): void R{} first if "
                                                "that one is wrong",
                                                event_field(), named.id, a.record, IsoDate{a.date}, a.record));
    for (const auto& sk : live.skips)
        if (sk.event == named.id)
            throw Error(Kind::rule,
                        fmt::format("{} {} was skipped ({}): void the skip first", event_field(), named.id, sk.reason));
    for (const auto& h : live.holds)
        if (h.product == named.product && h.first <= named.date && named.date <= h.last)
            throw Error(Kind::rule, fmt::format("{} {} is held {} ({})", event_field(), named.id,
                                                hold_span(h.first, h.last), h.reason));
    refuse_cancelled(live, named.id, event_field());
}

void refuse_cancelled(const Records& live, std::string_view event, std::string_view field) {
    for (const auto& c : live.cancelled)
        if (c.event == event)
            throw Error(Kind::rule, fmt::format("{}{}{} is cancelled ({}, R{}): void R{} first if it was entered in "
                                                "error",
                                                field, field.empty() ? "" : " ", event, c.reason, c.by, c.by));
}

std::string hold_span(date::sys_days first, date::sys_days last) {
    return last == until_resumed ? fmt::format("from {} until resumed", IsoDate{first})
                                 : fmt::format("from {} to {}", IsoDate{first}, IsoDate{last});
}

namespace {
std::int64_t minutes_since_epoch(date::local_time<std::chrono::minutes> t) { return t.time_since_epoch().count(); }
}  // namespace

DoseMinutes::DoseMinutes(const Records& live) {
    for (const auto& a : live.doses)
        if (a.local) taken_.try_emplace({a.product, minutes_since_epoch(*a.local)}, Taken{a.record, 0});
}

void DoseMinutes::refuse_duplicate(const CheckedDose& d, const Origin& o) const {
    const auto it = taken_.find({d.record.product, minutes_since_epoch(d.local)});
    if (it == taken_.end()) return;
    const Taken& other = it->second;
    throw Error(Kind::rule,
                fmt::format("{} {}: duplicate of {}: {} for patient {} at the same minute{}", o("--at", "at"),
                            d.record.at_local,
                            other.line ? fmt::format("line {} of this file", other.line) : fmt::format("record R{}", other.record),
                            d.record.product, d.record.patient,
                            other.line ? "" : fmt::format(" (void R{} first if it is the wrong one)", other.record)));
}

void DoseMinutes::add(const CheckedDose& d, int line) {
    taken_.try_emplace({d.record.product, minutes_since_epoch(d.local)}, Taken{d.record.id, line});
}

std::string dose_details(const store::StoredRecord& r) {
    return fmt::format("at={} ({}) utc={} product={} amount={} event={} kit={} note={}", r.at_local, r.tz, r.at_utc,
                       r.product, r.amount ? fmt::format("{} {}", *r.amount, r.unit) : std::string(),
                       r.event.value_or(""), r.kit, r.note);
}

std::int64_t store_dose(store::Store& s, CheckedDose& d, const std::string& by, const std::string& now) {
    d.record.recorded_at = now;
    d.record.recorded_by = by;
    d.record.id = s.insert_record(d.record);
    return d.record.id;
}

namespace {

// What `dose` says of a record once stored, from the one matching every
// report makes (compliance.md version 2): the planned dose it matched and how
// it stands to it, or why it is extra.
std::string verdict(const Compliance& judged, std::int64_t id, date::sys_days day) {
    for (const ProductCompliance& pc : judged.doses) {
        for (const Outcome& out : pc.events) {
            if (out.record != id) continue;
            const Event& e = *out.event;
            const bool in_window = e.window.from <= day && day <= e.window.to;
            // In the window but early or late: the right day, another intake's slot.
            const std::string timing = out.status == Status::on_time || !in_window ? timing_text(e, day)
                                       : out.status == Status::early ? "early (before its intake time)"
                                                                     : "late (after its intake time)";
            return fmt::format("matched to {} ({} {}), {}", e.id, e.day, IsoDate{e.date}, timing);
        }
        for (const Extra& x : pc.extra)
            if (x.record == id) return fmt::format("extra: {}", x);
    }
    throw Error(Kind::internal, fmt::format("R{} is neither matched nor extra", id));
}

// Another live administration of the product in the same slot as the new
// one (the same site-local date, on time for the same planned dose): it may
// really have been given twice, or one of them is a mistake.
std::vector<std::string> same_slot(const Calendar& shown, const Records& live, const Compliance& judged,
                                   std::int64_t id) {
    std::vector<std::string> out;
    const auto self = std::find_if(live.doses.begin(), live.doses.end(), [&](const Administration& a) { return a.record == id; });
    if (self == live.doses.end()) return out;
    for (const Administration& other : live.doses) {
        if (other.record == id || other.product != self->product || other.date != self->date) continue;
        for (const Event& e : shown.events) {
            if (e.kind != EventKind::dose || e.product != self->product) continue;
            if (fit(e, *self).reach != Reach::on_time || fit(e, other).reach != Reach::on_time) continue;
            const Outcome* o = judged.outcome(&e);
            const bool gave = o && o->record == other.record;
            const std::string when =
                other.local ? local_text(date::local_seconds{*other.local}) : fmt::format("{}", IsoDate{other.date});
            out.push_back(fmt::format("R{} {} {} at {}; if R{} was entered in error: trialcal void R{} --reason TEXT",
                                      other.record, gave ? "already gave" : "is in the same slot, of", e.id, when, id,
                                      id));
            break;
        }
    }
    return out;
}

}  // namespace

Recorded record_dose(const Env& env, store::Store& s, const PatientPlan& pp, const DoseInput& in, const Origin& o,
                     const std::string& by, const std::string& now) {
    const Calendar shown = pp.blinded_plan();
    CheckedDose d = check_dose(env.zones, pp.patient, pp.protocol, &shown, in, o, env.clock.now());
    Records live = pp.live;
    DoseMinutes(live).refuse_duplicate(d, o);
    if (d.named) refuse_taken_event(live, *d.named, o);
    const std::int64_t id = store_dose(s, d, by, now);
    const store::StoredRecord& r = d.record;
    s.append_audit({by, "dose", in.patient, fmt::format("R{}", id), "", dose_details(r), "", ""}, now);
    // The live records now: those read above and this one, as the store would
    // read it back (inside this transaction nothing else was written).
    const Records before = live;
    live.doses.push_back(Administration{id, r.product, *r.date, d.at.time_since_epoch().count(), r.event, r.amount,
                                        d.local});
    const std::size_t moved = follow_anchors(s, pp, before, live, fmt::format("R{} written", id), by, now);
    const Compliance judged = judge(shown, live, far_future);
    const Product& product = *d.product;
    Recorded out;
    out.summary = fmt::format("Recorded R{}: {} {} for patient {} at {} ({}); {}.\n", id,
                              product.shown_name(),
                              in.amount.empty() ? "as planned" : in.amount, in.patient, r.at_local, r.tz,
                              verdict(judged, id, *r.date));
    if (moved > 0)
        out.summary += fmt::format("{} event{} counting from it moved with it (see trialcal calendar {}).\n", moved,
                                   moved == 1 ? "" : "s", in.patient);
    out.warnings = same_slot(shown, live, judged, id);
    return out;
}

}  // namespace trialcal::trial
