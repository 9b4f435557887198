// trialcal db init
// trialcal db migrate [--public-key FILE.pub]
// trialcal db copy --from SRC --to DST
// init makes an empty trial database: an SQLite file, or on PostgreSQL the
// schema, its rules and the network's roles (run as the database's owner).
// migrate carries a schema-1 database (arms in plain text) to schema 2: its
// arms sealed to the trial's unblinding public key, installed by the migration.
// copy carries a trial verbatim between an SQLite file and a network's
// PostgreSQL database (either way), verified to the same head.
#include "cli/commands.hpp"
#include "cli/env.hpp"
#include "trial/db_copy.hpp"
#include "trial/migration.hpp"
#include "trial/network.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace trialcal::cli {

namespace {

namespace fs = std::filesystem;

// A copy into SQLite makes its file: one already there is refused, and the
// file is removed again (with its journal) when the copy fails.
void copy_database(const std::string& from, const std::string& to) {
    const bool new_file = !is_network(to);
    std::error_code ec;
    if (new_file && fs::exists(fs::symlink_status(to, ec)))
        throw Error(Exit::refused, fmt::format("{}: exists already: a copy into SQLite makes a new file (give a path "
                                               "where nothing is); nothing was written",
                                               to));
    try {
        print(trial::copy_database(real_env(from).storage, real_env(to).storage));
    } catch (...) {
        if (new_file)
            for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(to + suffix, ec);
        throw;
    }
}

}  // namespace

void add_db_command(CLI::App& app, const Globals& g) {
    auto* db = app.add_subcommand("db", "the database itself");
    db->require_subcommand(1);
    db->add_subcommand("init", "make an empty trial database (on PostgreSQL: schema, rules and roles, as its owner)")
        ->callback([&g] { print(trial::init_database(g.env())); });
    auto key = std::make_shared<std::string>();
    auto* migrate = db->add_subcommand(
        "migrate", "carry a schema-1 database to schema 2: arms sealed to FILE.pub, the plain ones removed from the file");
    migrate->add_option("--public-key", *key,
                        "the trial's unblinding public key (FILE.pub of `keys new --unblinding`), installed with it");
    migrate->callback([&g, key] {
        const std::string by = g.user();
        std::optional<trial::KeyFile> file;
        if (!key->empty()) file = trial::KeyFile{*key, read_file(*key)};
        print(trial::migrate_database(g.env(), by, file));
    });
    auto from = std::make_shared<std::string>(), to = std::make_shared<std::string>();
    auto* copy = db->add_subcommand("copy", "carry a trial verbatim between an SQLite file and a PostgreSQL database "
                                            "(either way), verified to the same audit head");
    copy->add_option("--from", *from, "the trial to copy: an SQLite file or a postgresql:// URI")->required();
    copy->add_option("--to", *to,
                     "where to: a new SQLite file, or a PostgreSQL database where `db init` ran and nothing was "
                     "written (connect as the schema's owner)")
        ->required();
    copy->callback([from, to] { copy_database(*from, *to); });
}

}  // namespace trialcal::cli
