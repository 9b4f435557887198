#pragma once
// Each family of commands registers itself on the application.
#include "cli/options.hpp"

namespace trialcal::cli {

void add_protocol_commands(CLI::App& app, const Globals& g);
void add_calendar_command(CLI::App& app, const Globals& g);

}  // namespace trialcal::cli
