// trialcal calendar --protocol ID[@VERSION] --day0 DATE [...]   (a preview)
#include "cli/commands.hpp"
#include "cli/error.hpp"
#include "core/calendar.hpp"
#include "cli/ics_feed.hpp"
#include "cli/patient.hpp"
#include "output/formatters.hpp"
#include "output/calendar_view.hpp"

#include <fmt/format.h>

namespace trialcal::cli {

namespace {

struct CalendarArgs {
    std::string patient;
    std::string protocol;
    std::string day0;
    std::string arm;
    std::string cohort;
    std::string weight;
    std::string format;
    bool unblinded = false;
    std::string reason;
};

void show_patient(const Globals& g, const CalendarArgs& a) {
    with_store([&] {
        Calendar view;
        store::Patient patient;
        if (a.unblinded) {
            auto db = store::Database::open(g.db_path(), store::Mode::update);
            store::Store s(db);
            const PatientPlan pp = load_patient(s, a.patient);
            audit_unblinding(db, g, a.patient, "calendar", a.reason);
            view = pp.plan;
            patient = pp.patient;
        } else {
            auto db = store::Database::open(g.db_path(), store::Mode::read);
            store::Store s(db);
            const PatientPlan pp = load_patient(s, a.patient);
            view = pp.blinded_plan();
            patient = pp.patient;
        }
        const CalendarHeader h{patient.id, patient.site};
        if (a.format == "ics") {
            // Reopened read-only: the feed also needs the skips and replaced events.
            auto db = store::Database::open(g.db_path(), store::Mode::read);
            store::Store s(db);
            Feeds feeds;
            feeds.add(s, load_patient(s, a.patient), a.unblinded);
            IcsHeader ih;
            ih.name = fmt::format("{} · {}", view.protocol, patient.id);
            ih.stamp = ics_stamp();
            print(calendar_ics(feeds.entries(), ih));
            return;
        }
        if (a.format == "json") print(calendar_json(view, h));
        else if (a.format == "csv") print(calendar_csv(view, h));
        else print(calendar_table(view, h));
    });
}

Exit exit_for(CalendarErrc code) {
    switch (code) {
    case CalendarErrc::cohort_required:
    case CalendarErrc::weight_required: return Exit::usage;
    default: return Exit::bad_data;
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
    }
    const Exit code = exit_for(e.code) == Exit::usage ? origin.missing() : exit_for(e.code);
    throw Error(code, fmt::format("{}: {} ({})", field_for(e.code, origin), what, e.message));
}

void add_calendar_command(CLI::App& app, const Globals& g) {
    auto a = std::make_shared<CalendarArgs>();
    auto* cmd = app.add_subcommand("calendar", "a patient's calendar, or a preview with --protocol and --day0");
    cmd->add_option("patient", a->patient, "enrolled patient id");
    auto* protocol = cmd->add_option("--protocol", a->protocol, "protocol ID[@VERSION] for a preview");
    cmd->add_option("--day0", a->day0, "day 0 (inclusion), YYYY-MM-DD")->needs(protocol);
    cmd->add_option("--arm", a->arm, "arm (shows that arm's products and amounts)")->needs(protocol);
    cmd->add_option("--cohort", a->cohort, "cohort")->needs(protocol);
    cmd->add_option("--weight", a->weight, "body weight in kg")->needs(protocol);
    add_format(cmd, a->format, {"table", "json", "csv", "ics"});
    cmd->add_flag("--unblinded", a->unblinded, "show the patient's arm and amounts; audited, needs --reason");
    cmd->add_option("--reason", a->reason, "why unblinding");
    cmd->callback([&g, a] {
        if (a->protocol.empty()) {
            if (a->patient.empty())
                throw Error(Exit::usage, "calendar: give a PATIENT, or --protocol ID --day0 DATE for a preview");
            show_patient(g, *a);
            return;
        }
        if (!a->patient.empty())
            throw Error(Exit::usage, fmt::format("calendar: give either PATIENT '{}' or --protocol, not both", a->patient));
        if (a->day0.empty()) throw Error(Exit::usage, "calendar --protocol: --day0 is required");
        const Catalog catalog = g.catalog();
        const ProtocolFile& file = catalog.find(a->protocol);
        CalendarRequest req{parse_date_option("--day0", a->day0), std::nullopt, std::nullopt, std::nullopt};
        if (!a->arm.empty()) req.arm = a->arm;
        if (!a->cohort.empty()) req.cohort = a->cohort;
        if (!a->weight.empty()) req.weight_kg = parse_number_option("--weight", a->weight);
        auto cal = expand(file.protocol, req);
        if (!cal) fail_calendar(cal.error());
        // A preview that names the arm shows it; without one a blinded protocol stays blinded.
        Calendar view = req.arm ? std::move(*cal) : blind(std::move(*cal), file.protocol);
        const CalendarHeader h{};
        if (a->format == "ics") {
            IcsPatient entry;
            entry.calendar = &view;
            IcsHeader ih;
            ih.name = fmt::format("{} version {} · preview from {}", view.protocol, view.version, IsoDate{view.day0});
            ih.stamp = ics_stamp();
            print(calendar_ics({entry}, ih));
            return;
        }
        if (a->format == "json") print(calendar_json(view, h));
        else if (a->format == "csv") print(calendar_csv(view, h));
        else print(calendar_table(view, h));
    });
}

}  // namespace trialcal::cli
