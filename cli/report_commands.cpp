// trialcal report compliance
#include "cli/clock.hpp"
#include "cli/commands.hpp"
#include "cli/error.hpp"
#include "cli/patient.hpp"
#include "output/compliance_view.hpp"
#include "output/html_report.hpp"
#include "store/audit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <memory>

namespace trialcal::cli {

namespace {

struct ReportArgs {
    std::string patient, site, protocol, as_of, format, below, reason;
    bool unblinded = false;
};

// Who prints a report: --by, else $TRIALCAL_USER. A report is read-only, so
// nobody need say; the printed page then says "unknown".
std::string printed_by(const Globals& g) {
    if (!g.by.empty()) return g.by;
    if (const char* env = std::getenv("TRIALCAL_USER"); env && *env) return env;
    return "unknown";
}

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
    add_format(comp, a->format, {"table", "json", "csv", "html"});
    comp->add_flag("--unblinded", a->unblinded, "label doses by real drug and amount; audited, needs --reason");
    comp->add_option("--reason", a->reason, "why unblinding");
    comp->callback([&g, a] {
        std::optional<date::sys_days> as_of;
        if (!a->as_of.empty()) as_of = parse_date_option("--as-of", a->as_of);
        ReportHeader h{};
        if (!a->below.empty()) h.below = parse_number_option("--below", a->below);
        // An unknown protocol is an error, and an NCT number names its protocol.
        std::string protocol_id;
        if (!a->protocol.empty()) protocol_id = g.catalog().find(a->protocol).protocol.id;
        with_store([&] {
            if (a->unblinded) {
                // The unblinding is in the trail before anything unblinded is printed.
                auto wdb = store::Database::open(g.db_path(), store::Mode::update);
                audit_unblinding(wdb, g, a->patient, "compliance report", a->reason);
            }
            auto db = store::Database::open(g.db_path(), store::Mode::read);
            store::Store st(db);
            h.audit_head = store::audit_head(db);
            // JSON and CSV are written patient by patient, and patients are
            // read one at a time: a network's report never sits in memory.
            // The table and the printed page need all rows.
            std::optional<ComplianceJson> json;
            std::optional<ComplianceCsv> csv;
            bool started = false;
            // Without --as-of, today at the first patient's site heads the report.
            const auto start = [&](const store::Patient* first) {
                started = true;
                h.as_of = as_of ? *as_of : first ? today_in(first->tz) : today_in(local_zone_name());
                if (a->format == "json") json.emplace(h);
                if (a->format == "csv") csv.emplace(h);
            };
            std::vector<PatientReport> reports;
            std::vector<std::string> studies;
            std::map<std::string, Protocol> protocols;  // by file hash: each stored version parsed once
            const auto judge_one = [&](const store::Patient& pt) {
                if (!started) start(&pt);
                auto known = protocols.find(pt.protocol_sha256);
                if (known == protocols.end()) known = protocols.emplace(pt.protocol_sha256, stored_protocol(st, pt)).first;
                const Protocol& protocol = known->second;
                const date::sys_days day = as_of ? *as_of : today_in(pt.tz);
                Calendar plan = a->format == "html" ? st.plan(pt) : st.plan_for_judging(pt);
                // Judged on the blinded plan: wrong-dose is for unblinded products only.
                // Labels as the viewer may see them: the blinded label, or
                // unblinded the real drug and amount, which tells arms apart.
                std::optional<Calendar> unblinded;
                if (a->unblinded) unblinded = plan;
                // The outcomes point into this calendar: the report keeps it alive.
                auto shown_ptr = std::make_shared<const Calendar>(blind(std::move(plan), protocol));
                const Calendar& shown = *shown_ptr;
                Records live = st.live_records(pt.id);
                PatientReport r{pt.id, pt.protocol, shown.version, pt.site, judge(shown, live, day), {}, shown_ptr,
                                std::move(live)};
                const Calendar& labels = unblinded ? *unblinded : shown;
                for (const auto& d : r.compliance.doses) {
                    std::string label = d.product;
                    for (const auto& e : labels.events)
                        if (e.product == d.product) {
                            label = e.drug;
                            if (a->unblinded && e.amount) label += fmt::format(" {} {}", *e.amount, e.unit);
                            break;
                        }
                    r.drugs.push_back(label);
                }
                if (json) {
                    json->add(r);
                    print(json->take());
                    return;
                }
                if (csv) {
                    csv->add(r);
                    print(csv->take());
                    return;
                }
                if (a->format == "html") {
                    std::string study = fmt::format("{} version {}", protocol.id, protocol.version);
                    if (!protocol.title.empty()) study += ": " + protocol.title;
                    if (!protocol.registry_ids.empty()) {
                        std::string ids;
                        for (const auto& id : protocol.registry_ids) ids += (ids.empty() ? "" : ", ") + id;
                        study += " (" + ids + ")";
                    }
                    if (std::find(studies.begin(), studies.end(), study) == studies.end()) studies.push_back(study);
                }
                reports.push_back(std::move(r));
            };
            if (!a->patient.empty()) {
                auto one = st.patient(a->patient);
                if (!one) throw Error(Exit::bad_data, fmt::format("--patient: unknown patient '{}'", a->patient));
                judge_one(*one);
            } else {
                st.for_each_patient([&](const store::Patient& pt) {
                    if (!a->site.empty() && pt.site != a->site) return;
                    if (!protocol_id.empty() && pt.protocol != protocol_id) return;
                    judge_one(pt);
                });
            }
            if (!started) start(nullptr);
            if (json) print(json->finish());
            else if (csv) print(csv->finish());
            else if (a->format == "html") {
                HtmlReportHeader hh{h, printed_by(g), "", studies};
                hh.scope = !a->patient.empty()  ? "patient " + a->patient
                           : !a->site.empty()   ? "site " + a->site
                           : !a->protocol.empty() ? "protocol " + a->protocol
                                                  : "all patients";
                print(compliance_html(reports, hh));
            }
            else print(compliance_table(reports, h));
        });
    });
}

}  // namespace trialcal::cli
