// trialcal's entry point: runs the command and maps every error to the exit
// code of the CLI contract (shared/spec/cli.md). Nowhere else exits.
#include "cli/app.hpp"
#include "cli/error.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
    using trialcal::cli::Exit;
    try {
        return trialcal::cli::run(argc, argv);
    } catch (const CLI::ParseError& e) {
        fmt::print(stderr, "trialcal: {}\n", e.what());
        return static_cast<int>(Exit::usage);
    } catch (const trialcal::cli::Error& e) {
        fmt::print(stderr, "trialcal: {}\n", e.what());
        return static_cast<int>(e.code());
    } catch (const std::exception& e) {
        fmt::print(stderr, "trialcal: internal error: {}\n", e.what());
        return static_cast<int>(Exit::internal);
    }
}
