#pragma once
// What every command shares: where the data is, who acts, how to print.
#include "cli/env.hpp"
#include "trial/catalog.hpp"
#include "trial/sealing.hpp"

#include <CLI/CLI.hpp>
#include <date/date.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace trialcal::cli {

// Where the protocol files are: --calendars, $TRIALCAL_CALENDARS, next to the
// executable, or the install prefix.
[[nodiscard]] std::filesystem::path calendars_dir(const std::string& option);

struct Globals {
    std::string db;         // --db, else $TRIALCAL_DB, else ./trialcal.db
    std::string calendars;  // --calendars, else $TRIALCAL_CALENDARS, else bundled
    std::string by;         // --by, else $TRIALCAL_USER

    // The protocol folder, its skipped entries warned about on stderr.
    [[nodiscard]] trial::Catalog catalog() const;
    [[nodiscard]] std::string db_path() const;
    // The ports the use cases run with.
    [[nodiscard]] trial::Env env() const { return real_env(db_path()); }
    // The user a write is recorded under; none is a usage error.
    [[nodiscard]] std::string user() const;
};

// Adds --unblinded, --reason and --key FILE to a command that can show arms.
void add_unblinding(CLI::App* cmd, bool& unblinded, std::string& reason, std::string& key_path, const std::string& what);
// The private unblinding key file: --key, else $TRIALCAL_UNBLINDING_KEY,
// read (exit 66 when it cannot be); none when neither names one.
[[nodiscard]] std::optional<trial::KeyFile> unblinding_key_file(const std::string& key_path);

// Adds --format with the given choices; the first is the default.
CLI::Option* add_format(CLI::App* cmd, std::string& target, std::vector<std::string> choices);

// Writes a command's whole output at once, so a failure prints nothing on stdout.
void print(const std::string& text);
// The same for text a person reads (what a write did): a control or
// bidirectional character of stored data is shown escaped (output/terminal.hpp).
void print_text(const std::string& text);
// A warning about what was done (not a failure): one line on stderr.
void warn(const std::string& text);

}  // namespace trialcal::cli
