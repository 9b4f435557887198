// trialcal sites [--format table|json|csv]
// The registered sites: codes to type, zones, closed days, patients.
#include "cli/commands.hpp"
#include "trial/sites.hpp"

namespace trialcal::cli {

void add_sites_command(CLI::App& app, const Globals& g) {
    auto format = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("sites", "the registered sites");
    add_format(cmd, *format, {"table", "json", "csv"});
    cmd->callback([&g, format] { print(trial::list_sites(g.env(), *format)); });
}

}  // namespace trialcal::cli
