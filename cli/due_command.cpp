// trialcal due: the nurse's worklist.
#include "cli/commands.hpp"
#include "trial/due_worklist.hpp"

namespace trialcal::cli {

void add_due_command(CLI::App& app, const Globals& g) {
    auto a = std::make_shared<trial::DueQuery>();
    auto* cmd = app.add_subcommand("due", "the worklist: visits and doses due in a period, and what is overdue");
    cmd->add_option("--site", a->site, "one site (default: every site)");
    cmd->add_option("--from", a->from, "first day, YYYY-MM-DD (default: today at each patient's site)");
    cmd->add_option("--days", a->days, "how many days, from 1 to 366")->capture_default_str();
    add_format(cmd, a->format, {"table", "json", "csv"});
    cmd->callback([&g, a] { print(trial::due_worklist(g.env(), *a)); });
}

}  // namespace trialcal::cli
