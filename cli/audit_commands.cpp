// trialcal audit [--patient P] | audit verify
#include "cli/commands.hpp"
#include "trial/audit_trail.hpp"

namespace trialcal::cli {

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
    audit->callback([&g, a, key, verify] {
        if (verify->parsed()) return;
        if (a->unblinded) a->key = unblinding_key_file(*key);
        trial::audit_listing(g.env(), [&g] { return g.user(); }, *a, print);
    });
    verify->callback([&g, head] {
        std::optional<std::string> kept;
        if (!head->empty()) kept = *head;
        print(trial::audit_verify(g.env(), kept));
    });
}

}  // namespace trialcal::cli
