// trialcal report compliance
#include "cli/clock.hpp"
#include "cli/commands.hpp"
#include "cli/error.hpp"
#include "cli/patient.hpp"
#include "output/compliance_view.hpp"
#include "store/audit.hpp"

#include <fmt/format.h>

namespace trialcal::cli {

namespace {

struct ReportArgs {
    std::string patient, site, protocol, as_of, format, below;
};

}  // namespace

void add_report_commands(CLI::App& app, const Globals& g) {
    auto* report = app.add_subcommand("report", "reports");
    report->require_subcommand(1);
    auto a = std::make_shared<ReportArgs>();
    auto* comp = report->add_subcommand("compliance", "dose and visit compliance as of a date");
    auto* p = comp->add_option("--patient", a->patient, "one patient");
    auto* s = comp->add_option("--site", a->site, "one site");
    auto* pr = comp->add_option("--protocol", a->protocol, "one protocol");
    p->excludes(s)->excludes(pr);
    s->excludes(pr);
    comp->add_option("--as-of", a->as_of, "as of this date (default: today at the site)");
    comp->add_option("--below", a->below, "mark rows under this compliance %");
    add_format(comp, a->format, {"table", "json", "csv"});
    comp->callback([&g, a] {
        std::optional<date::sys_days> as_of;
        if (!a->as_of.empty()) as_of = parse_date_option("--as-of", a->as_of);
        ReportHeader h{};
        if (!a->below.empty()) h.below = parse_number_option("--below", a->below);
        with_store([&] {
            auto db = store::Database::open(g.db_path(), store::Mode::read);
            store::Store st(db);
            std::vector<store::Patient> chosen;
            if (!a->patient.empty()) {
                auto one = st.patient(a->patient);
                if (!one) throw Error(Exit::bad_data, fmt::format("--patient: unknown patient '{}'", a->patient));
                chosen.push_back(*one);
            } else {
                for (auto& pt : st.patients()) {
                    if (!a->site.empty() && pt.site != a->site) continue;
                    if (!a->protocol.empty() && !iequals(pt.protocol, a->protocol)) continue;
                    chosen.push_back(std::move(pt));
                }
            }
            std::vector<PatientReport> reports;
            for (const auto& pt : chosen) {
                const PatientPlan pp = load_patient(st, pt.id);
                const date::sys_days day = as_of ? *as_of : today_in(pt.tz);
                if (!h.as_of.time_since_epoch().count() || as_of) h.as_of = day;
                // Judged on the blinded plan: wrong-dose is for unblinded products only.
                const Calendar shown = pp.blinded_plan();
                PatientReport r{pt.id, pt.protocol, shown.version, pt.site, judge(shown, st.live_records(pt.id), day), {}};
                for (const auto& d : r.compliance.doses) {
                    std::string label = d.product;
                    for (const auto& e : shown.events)
                        if (e.product == d.product) { label = e.drug; break; }
                    r.drugs.push_back(label);
                }
                reports.push_back(std::move(r));
            }
            if (chosen.empty()) h.as_of = as_of.value_or(today_in(local_zone_name()));
            h.audit_head = store::audit_head(db);
            if (a->format == "json") print(compliance_json(reports, h));
            else if (a->format == "csv") print(compliance_csv(reports, h));
            else print(compliance_table(reports, h));
        });
    });
}

}  // namespace trialcal::cli
