// trialcal enroll | dose | visit | skip | void: every write is one IMMEDIATE
// transaction that also appends its audit row; a refusal changes nothing.
#include "cli/commands.hpp"
#include "trial/course_changes.hpp"
#include "trial/records.hpp"

namespace trialcal::cli {

void add_record_commands(CLI::App& app, const Globals& g) {
    auto e = std::make_shared<trial::EnrollInput>();
    auto* enroll_cmd = app.add_subcommand("enroll", "enroll a patient: stores their calendar");
    enroll_cmd->add_option("patient", e->patient, "patient id")->required();
    enroll_cmd->add_option("--protocol", e->protocol, "protocol ID[@VERSION]")->required();
    enroll_cmd->add_option("--site", e->site, "site")->required();
    enroll_cmd->add_option("--day0", e->day0, "day 0 (inclusion), YYYY-MM-DD")->required();
    enroll_cmd->add_option("--arm", e->arm, "arm from an outside randomisation system (kept blinded)");
    enroll_cmd->add_option("--randomization-number", e->randomization, "randomisation number from the loaded list");
    enroll_cmd->add_flag("--randomize", e->randomize, "the next free number of the loaded list (of the site's block)");
    enroll_cmd->add_option("--cohort", e->cohort, "cohort");
    enroll_cmd->add_option("--weight", e->weight, "body weight in kg");
    enroll_cmd->callback([&g, e] {
        const std::string by = g.user();
        const trial::Catalog catalog = g.catalog();
        print_text(trial::enroll(g.env(), by, catalog, *e));
    });

    auto d = std::make_shared<trial::DoseInput>();
    auto* dose_cmd = app.add_subcommand("dose", "record an administered dose");
    dose_cmd->add_option("patient", d->patient, "patient id")->required();
    dose_cmd->add_option("--at", d->at, "when, site-local YYYY-MM-DDTHH:MM (or with Z / ±HH:MM)")->required();
    dose_cmd->add_option("--drug", d->drug, "product id or drug name as the calendar shows it");
    dose_cmd->add_option("--amount", d->amount, "amount and unit, e.g. \"1 MIU\"; default: as planned");
    dose_cmd->add_option("--event", d->event, "the planned dose it is for");
    dose_cmd->add_option("--kit", d->kit, "kit or lot number");
    dose_cmd->add_option("--note", d->note, "free note");
    dose_cmd->callback([&g, d] {
        const trial::Recorded r = trial::dose(g.env(), g.user(), *d);
        print_text(r.summary);
        for (const auto& w : r.warnings) warn(w);
    });

    auto v = std::make_shared<trial::VisitInput>();
    auto u = std::make_shared<trial::UnscheduledInput>();
    auto unscheduled = std::make_shared<bool>(false);
    auto* visit_cmd = app.add_subcommand("visit", "record that a planned visit happened, or an unscheduled one");
    visit_cmd->add_option("patient", v->patient, "patient id")->required();
    visit_cmd->add_option("event", v->event, "visit event id, e.g. V-D15 (none with --unscheduled)");
    visit_cmd->add_option("--at", v->at, "date of the visit, YYYY-MM-DD")->required();
    visit_cmd->add_flag("--unscheduled", *unscheduled, "a visit the protocol does not plan: listed, never counted");
    visit_cmd->add_option("--reason", u->reason, "why an unscheduled visit took place");
    visit_cmd->add_option("--name", u->name, "an unscheduled visit's name (default \"Unscheduled visit\")");
    visit_cmd->callback([&g, v, u, unscheduled] {
        if (*unscheduled) {
            if (!v->event.empty())
                throw Error(Exit::usage, "visit --unscheduled takes no event id: it is the visit no event plans");
            u->patient = v->patient;
            u->at = v->at;
            print_text(trial::unscheduled_visit(g.env(), g.user(), *u));
            return;
        }
        if (v->event.empty()) throw Error(Exit::usage, "visit: give the visit's event id (e.g. V-D15), or --unscheduled");
        if (!u->reason.empty() || !u->name.empty())
            throw Error(Exit::usage, "visit: --reason and --name are for --unscheduled visits");
        print_text(trial::visit(g.env(), g.user(), *v));
    });

    auto k = std::make_shared<trial::SkipInput>();
    auto* skip_cmd = app.add_subcommand("skip", "record that a planned dose or visit will not happen");
    skip_cmd->add_option("patient", k->patient, "patient id")->required();
    skip_cmd->add_option("event", k->event, "event id")->required();
    skip_cmd->add_option("--reason", k->reason, "why (adverse event, refused, hospitalised, …)")->required();
    skip_cmd->callback([&g, k] { print_text(trial::skip(g.env(), g.user(), *k)); });

    auto o = std::make_shared<trial::VoidInput>();
    auto* void_cmd = app.add_subcommand("void", "void a record entered in error (it stays in the trail)");
    void_cmd->add_option("record", o->record, "record id, e.g. R12")->required();
    void_cmd->add_option("--reason", o->reason, "why")->required();
    void_cmd->callback([&g, o] { print_text(trial::void_record(g.env(), g.user(), *o)); });
}

}  // namespace trialcal::cli
