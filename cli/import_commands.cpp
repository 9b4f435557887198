#include "cli/commands.hpp"

namespace trialcal::cli {

void add_import_commands(CLI::App&, const Globals&) {}

}  // namespace trialcal::cli
