// trialcal due: the nurse's worklist.
#include "cli/commands.hpp"
#include "trial/due_worklist.hpp"

namespace trialcal::cli {

void add_due_command(CLI::App& app, const Globals& g) {
    auto a = std::make_shared<trial::DueQuery>();
    auto* cmd = app.add_subcommand("due", "the worklist: visits and doses that can still be done in a period, by day");
    cmd->add_option("--site", a->site, "one site (default: every site)");
    cmd->add_option("--patient", a->patient, "one patient");
    cmd->add_option("--protocol", a->protocol, "one protocol, ID (every version) or ID@VERSION (that version only)");
    cmd->add_option("--kind", a->kind, "visit or dose (default: both)");
    cmd->add_flag("--home", a->home, "also the doses patients take at home (setting = \"home\")");
    cmd->add_option("--from", a->from, "first day, YYYY-MM-DD (default: today at each patient's site)");
    cmd->add_option("--days", a->days, "how many days, from 1 to 366")->capture_default_str();
    add_format(cmd, a->format, {"table", "json", "csv"});
    cmd->callback([&g, a] { trial::due_worklist(g.env(), [&g] { return g.catalog(); }, *a, print); });
}

}  // namespace trialcal::cli
