// trialcal db init
// trialcal db migrate [--public-key FILE.pub]
// init makes an empty trial database: an SQLite file, or on PostgreSQL the
// schema, its rules and the network's roles (run as the database's owner).
// migrate carries a schema-1 database (arms in plain text) to schema 2: its
// arms sealed to the trial's unblinding public key, installed by the migration.
#include "cli/commands.hpp"
#include "trial/migration.hpp"
#include "trial/network.hpp"

namespace trialcal::cli {

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
}

}  // namespace trialcal::cli
