// trialcal export ics | sdtm: what other systems read.
#include "cli/commands.hpp"

namespace trialcal::cli {

void add_export_commands(CLI::App& app, const Globals& g) {
    auto* exp = app.add_subcommand("export", "calendar feeds (iCalendar) and CDISC SDTM datasets");
    exp->require_subcommand(1);
    add_export_ics(*exp, g);
    add_export_sdtm(*exp, g);
    add_export_odm(*exp, g);
    add_export_fhir(*exp, g);
    add_export_usdm(*exp, g);
}

}  // namespace trialcal::cli
