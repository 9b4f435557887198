#include "cli/commands.hpp"

namespace trialcal::cli {

void add_due_command(CLI::App&, const Globals&) {}

}  // namespace trialcal::cli
