// trialcal audit [--patient P] | audit verify [--head SEQ:HASH|HASH|FILE] | audit seal --out FILE --key KEY
#include "cli/commands.hpp"
#include "cli/staged_file.hpp"
#include "trial/audit_seal.hpp"
#include "trial/audit_trail.hpp"

#include <filesystem>

namespace trialcal::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* seal_file = "a seal file";

// The seal file: written whole beside its name, linked into place, never
// over an existing file.
void seal(const Globals& g, const std::string& out, const std::string& key) {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(out, ec))) refuse_existing(out, seal_file);  // before a passphrase is asked
    const trial::Seal sealed = trial::seal_audit_head(g.env(), {key, read_file(key)}, out);
    StagedFile f(out, sealed.text, 0644, seal_file);
    f.place();
    f.keep();
    sync_folder_of(out);
    print(sealed.summary);
}

}  // namespace

void add_audit_commands(CLI::App& app, const Globals& g) {
    auto a = std::make_shared<trial::AuditQuery>();
    auto* audit = app.add_subcommand("audit", "the audit trail: every write, who, when, why");
    audit->add_option("--patient", a->patient, "one patient's trail");
    auto key = std::make_shared<std::string>();
    add_unblinding(audit, a->unblinded, a->reason, *key, "show sealed values (arms) opened");
    add_format(audit, a->format, {"table", "json", "csv"});
    auto* verify = audit->add_subcommand(
        "verify", "recompute the chain, every row's digest and the schema; list every break; print the head");
    auto head = std::make_shared<std::string>();
    verify->add_option("--head", *head, "a head kept elsewhere: SEQ:HASH, HASH, or a file from `audit seal`");
    auto* sealing = audit->add_subcommand("seal", "write the trail's head, signed with your signing key, to a file "
                                                  "to keep elsewhere (writes nothing to the database)");
    auto out = std::make_shared<std::string>();
    auto seal_key = std::make_shared<std::string>();
    sealing->add_option("--out", *out, "the seal file to make (never over an existing one)")->required();
    sealing->add_option("--key", *seal_key, "your private signing key (keys new --signing)")->required();
    audit->callback([&g, a, key, verify, sealing] {
        if (verify->parsed() || sealing->parsed()) return;
        if (a->unblinded) a->key = unblinding_key_file(*key);
        trial::audit_listing(g.env(), [&g] { return g.user(); }, *a, print);
    });
    verify->callback([&g, head] {
        std::optional<std::string> kept;
        std::optional<trial::SealFile> sealed;
        // A head is hex and a colon: a value naming a file is a seal file.
        std::error_code ec;
        if (!head->empty() && fs::is_regular_file(*head, ec)) sealed = trial::SealFile{*head, read_file(*head)};
        else if (!head->empty()) kept = *head;
        // A seal names its signer: shown escaped, like every stored name.
        print_text(trial::audit_verify(g.env(), kept, sealed));
    });
    sealing->callback([&g, out, seal_key] { seal(g, *out, *seal_key); });
}

}  // namespace trialcal::cli
