// trialcal's entry point: runs the command and maps every error to the exit
// code of the CLI contract (shared/spec/cli.md). Nowhere else exits.
#include "cli/app.hpp"
#include "cli/error.hpp"
#include "output/terminal.hpp"
#include "trial/error.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>

namespace {

using trialcal::cli::Exit;
using trialcal::trial::Kind;

// Messages name the values at fault, which may hold what a terminal would
// obey: they are shown escaped.
void say(const char* prefix, const char* what) {
    fmt::print(stderr, "trialcal: {}{}\n", prefix, trialcal::terminal_text(what, trialcal::Lines::several));
}

// What each kind of use-case failure is on the command line (cli.md).
Exit exit_for(Kind kind) {
    switch (kind) {
    case Kind::rule: return Exit::refused;
    case Kind::missing_input: return Exit::usage;
    case Kind::bad_data: return Exit::bad_data;
    case Kind::not_found: return Exit::no_input;
    case Kind::busy: return Exit::busy;
    case Kind::internal: return Exit::internal;
    case Kind::not_permitted: return Exit::not_permitted;
    }
    return Exit::internal;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return trialcal::cli::run(argc, argv);
    } catch (const CLI::ParseError& e) {
        say("", e.what());
        return static_cast<int>(Exit::usage);
    } catch (const trialcal::cli::Error& e) {
        say("", e.what());
        return static_cast<int>(e.code());
    } catch (const trialcal::trial::Error& e) {
        say("", e.what());
        return static_cast<int>(exit_for(e.kind()));
    } catch (const std::exception& e) {
        say("internal error: ", e.what());
        return static_cast<int>(Exit::internal);
    }
}
