#pragma once
// What every command shares: where the data is, who acts, how to print.
#include "cli/catalog.hpp"

#include <CLI/CLI.hpp>
#include <date/date.h>

#include <optional>
#include <string>
#include <vector>

namespace trialcal::cli {

struct Globals {
    std::string db;         // --db, else $TRIALCAL_DB, else ./trialcal.db
    std::string calendars;  // --calendars, else $TRIALCAL_CALENDARS, else bundled
    std::string by;         // --by, else $TRIALCAL_USER

    [[nodiscard]] Catalog catalog() const { return Catalog::load(calendars_dir(calendars)); }
    [[nodiscard]] std::string db_path() const;
    // The user a write is recorded under; none is a usage error.
    [[nodiscard]] std::string user() const;
};

// Adds --format with the given choices; the first is the default.
CLI::Option* add_format(CLI::App* cmd, std::string& target, std::vector<std::string> choices);

// Values typed on the command line, parsed with errors that name the flag.
[[nodiscard]] date::sys_days parse_date_option(std::string_view flag, const std::string& text);
[[nodiscard]] double parse_number_option(std::string_view flag, const std::string& text);

// Writes a command's whole output at once, so a failure prints nothing on stdout.
void print(const std::string& text);

}  // namespace trialcal::cli
