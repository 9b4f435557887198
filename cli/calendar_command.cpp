// trialcal calendar PATIENT | calendar --protocol ID[@VERSION] --day0 DATE [...]   (a preview)
// --format html [--lang fr|en]: the calendar and diary card printed for the patient.
#include "cli/commands.hpp"
#include "cli/error.hpp"
#include "trial/calendars.hpp"

#include <fmt/format.h>

namespace trialcal::cli {

void add_calendar_command(CLI::App& app, const Globals& g) {
    auto a = std::make_shared<trial::CalendarQuery>();
    auto* cmd = app.add_subcommand("calendar", "a patient's calendar, or a preview with --protocol and --day0");
    cmd->add_option("patient", a->patient, "enrolled patient id");
    auto* protocol = cmd->add_option("--protocol", a->protocol, "protocol ID[@VERSION] for a preview");
    cmd->add_option("--day0", a->day0, "day 0 (inclusion), YYYY-MM-DD")->needs(protocol);
    cmd->add_option("--arm", a->arm, "arm (shows that arm's products and amounts)")->needs(protocol);
    cmd->add_option("--cohort", a->cohort, "cohort")->needs(protocol);
    cmd->add_option("--weight", a->weight, "body weight in kg")->needs(protocol);
    add_format(cmd, a->format, {"table", "json", "csv", "ics", "html"});
    // French by default: the seed trials' patients are in France.
    auto* lang = cmd->add_option("--lang", a->lang, "the patient's language of --format html: fr|en")
                     ->check(CLI::IsMember({"fr", "en"}))
                     ->capture_default_str();
    auto key = std::make_shared<std::string>();
    add_unblinding(cmd, a->unblinded, a->reason, *key, "show the patient's arm and amounts");
    cmd->callback([&g, a, key, lang] {
        if (lang->count() > 0 && a->format != "html")
            throw Error(Exit::usage, fmt::format("calendar: --lang is for --format html, not {}", a->format));
        if (a->unblinded) a->key = unblinding_key_file(*key);
        if (a->protocol.empty()) {
            if (a->patient.empty())
                throw Error(Exit::usage, "calendar: give a PATIENT, or --protocol ID --day0 DATE for a preview");
            print(trial::patient_calendar(g.env(), [&g] { return g.user(); }, *a));
            return;
        }
        if (!a->patient.empty())
            throw Error(Exit::usage, fmt::format("calendar: give either PATIENT '{}' or --protocol, not both", a->patient));
        if (a->day0.empty()) throw Error(Exit::usage, "calendar --protocol: --day0 is required");
        print(trial::calendar_preview(g.env(), g.catalog(), *a));
    });
}

}  // namespace trialcal::cli
