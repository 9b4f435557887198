// trialcal shift | reconsent: a patient's plan changes, with its reason.
#include "cli/commands.hpp"
#include "trial/plan_changes.hpp"

namespace trialcal::cli {

void add_plan_commands(CLI::App& app, const Globals& g) {
    auto sa = std::make_shared<trial::ShiftInput>();
    auto* shift_cmd = app.add_subcommand("shift", "move a planned event and every later one by N days");
    shift_cmd->add_option("patient", sa->patient, "patient id")->required();
    shift_cmd->add_option("event", sa->event, "the first event to move, e.g. V-D15")->required();
    shift_cmd->add_option("--days", sa->days, "how many days (negative: earlier)")->required();
    shift_cmd->add_option("--reason", sa->reason, "why")->required();
    shift_cmd->callback([&g, sa] { print_text(trial::shift(g.env(), g.user(), *sa)); });

    auto ra = std::make_shared<trial::ReconsentInput>();
    auto* re = app.add_subcommand("reconsent", "move a patient to another protocol version from a date on");
    re->add_option("patient", ra->patient, "patient id")->required();
    re->add_option("--version", ra->version, "the protocol version consented to")->required();
    re->add_option("--on", ra->on, "the date of the new consent; events after it follow the new version")->required();
    re->add_option("--reason", ra->reason, "why")->required();
    re->callback([&g, ra] {
        const std::string by = g.user();
        print_text(trial::reconsent(g.env(), by, g.catalog(), *ra));
    });
}

}  // namespace trialcal::cli
