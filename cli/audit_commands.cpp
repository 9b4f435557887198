// trialcal audit [--patient P] | audit verify
#include "cli/commands.hpp"
#include "trial/audit_trail.hpp"

namespace trialcal::cli {

void add_audit_commands(CLI::App& app, const Globals& g) {
    auto a = std::make_shared<trial::AuditQuery>();
    auto* audit = app.add_subcommand("audit", "the audit trail: every write, who, when, why");
    audit->add_option("--patient", a->patient, "one patient's trail");
    audit->add_flag("--unblinded", a->unblinded, "show sealed values (arms); audited, needs --reason");
    audit->add_option("--reason", a->reason, "why unblinding");
    add_format(audit, a->format, {"table", "json", "csv"});
    auto* verify = audit->add_subcommand("verify", "check the hash chain; prints its head");
    audit->callback([&g, a, verify] {
        if (!verify->parsed()) print(trial::audit_listing(g.env(), [&g] { return g.user(); }, *a));
    });
    verify->callback([&g] { print(trial::audit_verify(g.env())); });
}

}  // namespace trialcal::cli
