// trialcal report compliance [--sign --meaning TEXT --key FILE] | report verify FILE
#include "cli/commands.hpp"
#include "cli/held_output.hpp"
#include "trial/compliance_report.hpp"
#include "trial/report_signature.hpp"
#include "trial/screening.hpp"

namespace trialcal::cli {

void add_report_commands(CLI::App& app, const Globals& g) {
    auto* report = app.add_subcommand("report", "reports");
    report->require_subcommand(1);
    auto a = std::make_shared<trial::ReportQuery>();
    auto* comp = report->add_subcommand("compliance", "dose and visit compliance as of a date");
    auto* p = comp->add_option("--patient", a->patient, "one patient");
    auto* s = comp->add_option("--site", a->site, "one site");
    auto* pr = comp->add_option("--protocol", a->protocol, "one protocol");
    p->excludes(s)->excludes(pr);
    s->excludes(pr);
    comp->add_option("--as-of", a->as_of, "as of this date (default: today at the site)");
    comp->add_option("--below", a->below, "mark rows under this compliance %");
    add_format(comp, a->format, {"table", "json", "csv", "html"});
    auto key = std::make_shared<std::string>();
    add_unblinding(comp, a->unblinded, a->reason, *key, "label doses by real drug and amount");
    comp->add_flag("--sign", a->sign,
                   "sign the report electronically (html, table or json): audited; needs --meaning and --key");
    comp->add_option("--meaning", a->meaning, "what the signature means: reviewed, approved, …");
    // With --sign, --key is the signer's own key (trust.md); an unblinded
    // signed report then takes the unblinding key from $TRIALCAL_UNBLINDING_KEY.
    comp->get_option("--key")->description(
        "the private unblinding key file (else $TRIALCAL_UNBLINDING_KEY); with --sign, the signer's signing key");
    comp->callback([&g, a, key] {
        a->printed_by = g.by;
        if (a->sign) {
            if (!key->empty()) a->signing_key = trial::KeyFile{*key, read_file(*key)};
            if (a->unblinded) a->key = unblinding_key_file("");
            HeldOutput held;
            trial::compliance_report(
                g.env(), [&g] { return g.user(); }, [&g] { return g.catalog(); }, *a,
                [&held](const std::string& text) { held.write(text); }, [&held] { held.release(); });
            return;
        }
        if (a->unblinded) a->key = unblinding_key_file(*key);
        trial::compliance_report(g.env(), [&g] { return g.user(); }, [&g] { return g.catalog(); }, *a, print);
    });

    auto sq = std::make_shared<std::pair<std::string, std::string>>();  // site, format
    auto* screening = report->add_subcommand("screening", "every screening: verdict, what failed, enrolled or not");
    screening->add_option("--site", sq->first, "one site");
    add_format(screening, sq->second, {"table", "json", "csv"});
    screening->callback([&g, sq] { trial::screening_report(g.env(), sq->first, sq->second, print); });

    auto file = std::make_shared<std::string>();
    auto* verify = report->add_subcommand(
        "verify", "check a signed report: its content, its signature, and the audit trail it was signed at");
    verify->add_option("file", *file, "the signed report (html, table or json)")->required();
    // What it prints comes from the file (a name, a meaning): shown escaped.
    verify->callback([&g, file] { print_text(trial::verify_signed_report(g.env(), {*file, read_file(*file)})); });
}

}  // namespace trialcal::cli
