// trialcal report compliance
#include "cli/commands.hpp"
#include "trial/compliance_report.hpp"

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
    comp->callback([&g, a, key] {
        a->printed_by = g.by;
        if (a->unblinded) a->key = unblinding_key_file(*key);
        trial::compliance_report(g.env(), [&g] { return g.user(); }, [&g] { return g.catalog(); }, *a, print);
    });
}

}  // namespace trialcal::cli
