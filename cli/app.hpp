#pragma once
// The trialcal command line: parses arguments and dispatches to a command.
// Commands throw cli::Error; main() maps errors to exit codes.
#include <string>
#include <vector>

namespace trialcal::cli {

// Runs one command line; returns what to print on stdout. Throws Error, or
// CLI::ParseError for usage errors (and --help).
int run(int argc, char** argv);

}  // namespace trialcal::cli
