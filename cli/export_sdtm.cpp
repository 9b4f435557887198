#include "cli/commands.hpp"

namespace trialcal::cli {

void add_export_sdtm(CLI::App&, const Globals&) {}

}  // namespace trialcal::cli
