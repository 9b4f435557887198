#include "cli/commands.hpp"

namespace trialcal::cli {

void add_export_ics(CLI::App&, const Globals&) {}

}  // namespace trialcal::cli
