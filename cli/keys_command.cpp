// trialcal keys new --unblinding|--signing [--name TEXT] --out FILE | keys install FILE.pub
// A key pair in two files: FILE, the secret, readable by its owner only
// (0600), and FILE.pub (0644). Neither overwrites a file; both are written
// beside their names and linked into place only once both are whole.
#include "cli/commands.hpp"
#include "cli/error.hpp"
#include "cli/staged_file.hpp"
#include "trial/key_install.hpp"
#include "trial/keys.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace trialcal::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* key_file = "a key file";

void new_key(const Globals& g, const trial::NewKeyQuery& q) {
    const fs::path secret = q.out, pub = q.out + ".pub";
    std::error_code ec;
    for (const auto& p : {secret, pub})
        if (fs::exists(fs::symlink_status(p, ec))) refuse_existing(p, key_file);  // before a passphrase is asked
    const trial::NewKeyFiles files = trial::new_key(g.env(), q);
    StagedFile s(secret, files.secret_text, 0600, key_file);
    StagedFile p(pub, files.public_text, 0644, key_file);
    s.place();
    p.place();
    s.keep();
    p.keep();
    sync_folder_of(secret);
    print(files.summary);
}

}  // namespace

void add_keys_command(CLI::App& app, const Globals& g) {
    auto* keys = app.add_subcommand("keys", "key pairs for sealed allocation and signed reports");
    keys->require_subcommand(1);
    auto q = std::make_shared<trial::NewKeyQuery>();
    auto* cmd = keys->add_subcommand("new", "make a key pair: FILE (secret, passphrase-protected, 0600) and FILE.pub");
    auto* unblinding = cmd->add_flag("--unblinding", q->unblinding, "a key that opens sealed allocations");
    auto* signing = cmd->add_flag("--signing", q->signing, "a key that signs reports (needs --name)");
    unblinding->excludes(signing);
    cmd->add_option("--name", q->name, "the signer's name, as printed under a signature");
    cmd->add_option("--out", q->out, "the secret key file to make; its public half goes to FILE.pub")->required();
    cmd->callback([&g, q] { new_key(g, *q); });

    auto file = std::make_shared<std::string>();
    auto* install = keys->add_subcommand("install", "install a public key (FILE.pub) in the database: audited");
    install->add_option("file", *file, "the public key file, FILE.pub")->required();
    install->callback([&g, file] {
        const std::string by = g.user();
        print(trial::install_key(g.env(), by, {*file, trial::read_file(*file)}));
    });
}

}  // namespace trialcal::cli
