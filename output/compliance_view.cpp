#include "output/compliance_view.hpp"

#include "output/csv.hpp"
#include "output/formatters.hpp"
#include "output/json.hpp"
#include "output/table.hpp"

#include <fmt/format.h>

namespace trialcal {

namespace {

void dose_fields(JsonWriter& j, const std::string& drug, const Figures& f) {
    j.begin_object();
    j.key("drug").value(drug);
    j.key("planned").value(f.planned);
    j.key("expected").value(f.expected);
    j.key("given").value(f.given);
    j.key("on_time").value(f.on_time);
    j.key("early").value(f.early);
    j.key("late").value(f.late);
    j.key("missed").value(f.missed);
    j.key("skipped").value(f.skipped);
    j.key("extra").value(f.extra);
    // Version 1's name, kept as a copy for one release so its scripts still work.
    j.key("unscheduled").value(f.extra);
    j.key("wrong_dose").value(f.wrong_dose);
    j.key("held").value(f.held);
    j.key("cancelled").value(f.cancelled);
    j.key("compliance_pct").fixed1(f.compliance_pct());
    j.key("on_time_pct").fixed1(f.on_time_pct());
    j.end_object();
}

void visit_fields(JsonWriter& j, const Figures& f) {
    j.begin_object();
    j.key("planned").value(f.planned);
    j.key("expected").value(f.expected);
    j.key("done").value(f.given);
    j.key("on_time").value(f.on_time);
    j.key("out_of_window").value(f.early + f.late);
    j.key("missed").value(f.missed);
    j.key("skipped").value(f.skipped);
    j.key("cancelled").value(f.cancelled);
    j.key("compliance_pct").fixed1(f.compliance_pct());
    j.key("on_time_pct").fixed1(f.on_time_pct());
    j.end_object();
}

std::string pct(std::optional<double> v) { return v ? fmt::format("{:.1f}", *v) : std::string("—"); }
std::string pct_csv(std::optional<double> v) { return v ? fmt::format("{:.1f}", *v) : std::string(); }

}  // namespace

void ComplianceTotals::add(const PatientReport& p) {
    visits += p.compliance.visits;
    for (std::size_t i = 0; i < p.compliance.doses.size(); ++i) {
        auto it = std::find_if(doses.begin(), doses.end(), [&](const Drug& t) { return t.drug == p.drugs[i]; });
        if (it == doses.end()) it = doses.insert(doses.end(), {p.drugs[i], {}});
        it->figures += p.compliance.doses[i].figures;
    }
}

ComplianceJson::ComplianceJson(const ReportHeader& h) : h_(h) {
    j_.begin_object();
    // First, and always there: a script tells an unblinded file from a blinded
    // one without knowing how it was made.
    j_.key("unblinded").value(h.unblinded);
    j_.key("as_of").value(fmt::format("{}", IsoDate{h.as_of}));
    j_.key("patients").begin_array();
}

void ComplianceJson::add(const PatientReport& p) {
    totals_.add(p);
    j_.begin_object();
    j_.key("patient").value(p.patient);
    j_.key("protocol").value(p.protocol);
    j_.key("version").value(p.version);
    j_.key("site").value(p.site);
    j_.key("doses").begin_array();
    for (std::size_t i = 0; i < p.compliance.doses.size(); ++i) dose_fields(j_, p.drugs[i], p.compliance.doses[i].figures);
    j_.end_array();
    j_.key("visits");
    visit_fields(j_, p.compliance.visits);
    j_.end_object();
}

std::string ComplianceJson::finish() {
    j_.end_array();
    j_.key("totals").begin_object();
    j_.key("doses").begin_array();
    for (const auto& t : totals_.doses) dose_fields(j_, t.drug, t.figures);
    j_.end_array();
    j_.key("visits");
    visit_fields(j_, totals_.visits);
    j_.end_object();
    j_.key("audit_head").value(h_.audit_head);
    j_.end_object();
    return j_.str();
}

std::string compliance_json(const std::vector<PatientReport>& ps, const ReportHeader& h) {
    ComplianceJson out(h);
    for (const auto& p : ps) out.add(p);
    std::string text = out.take();
    return text + out.finish();
}

ComplianceCsv::ComplianceCsv(const ReportHeader& h)
    : h_(h), as_of_(fmt::format("{}", IsoDate{h.as_of})),
      w_({"as_of", "patient", "protocol", "version", "site", "what", "planned", "expected", "given", "on_time", "early",
          "late", "missed", "skipped", "extra", "wrong_dose", "held", "cancelled", "compliance_pct", "on_time_pct",
          // Every row carries the chain head, so the file alone can be checked against the trail.
          "audit_head",
          // Always there, true or false: the header stays the same for scripts,
          // and a row copied out of the file still says what it shows.
          "unblinded"}) {}

void ComplianceCsv::row(const PatientReport* p, const std::string& what, const Figures& f, bool visits) {
    w_.row({as_of_, p ? p->patient : "TOTAL", p ? p->protocol : "", p ? p->version : "", p ? p->site : "", what,
            fmt::format("{}", f.planned), fmt::format("{}", f.expected), fmt::format("{}", f.given),
            fmt::format("{}", f.on_time), fmt::format("{}", f.early), fmt::format("{}", f.late),
            fmt::format("{}", f.missed), fmt::format("{}", f.skipped), visits ? "" : fmt::format("{}", f.extra),
            visits ? "" : fmt::format("{}", f.wrong_dose), visits ? "" : fmt::format("{}", f.held),
            fmt::format("{}", f.cancelled), pct_csv(f.compliance_pct()), pct_csv(f.on_time_pct()),
            h_.audit_head, h_.unblinded ? "true" : "false"});
}

void ComplianceCsv::add(const PatientReport& p) {
    totals_.add(p);
    for (std::size_t i = 0; i < p.compliance.doses.size(); ++i) row(&p, p.drugs[i], p.compliance.doses[i].figures, false);
    row(&p, "visits", p.compliance.visits, true);
}

std::string ComplianceCsv::finish() {
    for (const auto& t : totals_.doses) row(nullptr, t.drug, t.figures, false);
    row(nullptr, "visits", totals_.visits, true);
    return w_.take();
}

std::string compliance_csv(const std::vector<PatientReport>& ps, const ReportHeader& h) {
    ComplianceCsv out(h);
    for (const auto& p : ps) out.add(p);
    std::string text = out.take();
    return text + out.finish();
}

std::string compliance_table(const std::vector<PatientReport>& ps, const ReportHeader& h) {
    std::string out = h.unblinded ? fmt::format("{}\n", unblinded_notice) : std::string();
    out += fmt::format("Compliance as of {} · {} patient{}\n\n", IsoDate{h.as_of}, ps.size(), ps.size() == 1 ? "" : "s");
    using A = TextTable::Align;
    TextTable t({{""}, {"Patient"}, {"Site"}, {"Protocol"}, {"Drug / visits"}, {"Planned", A::right},
                 {"Expected", A::right}, {"Given", A::right}, {"On time", A::right}, {"Early", A::right},
                 {"Late", A::right}, {"Missed", A::right}, {"Skipped", A::right}, {"Extra", A::right},
                 {"Wrong", A::right}, {"Held", A::right}, {"Cancelled", A::right}, {"Compl. %", A::right}, {"On time %", A::right}});
    int flagged = 0;
    auto row = [&](const std::string& mark, const std::string& patient, const std::string& site,
                   const std::string& protocol, const std::string& what, const Figures& f, bool visits) {
        t.row({mark, patient, site, protocol, what, fmt::format("{}", f.planned), fmt::format("{}", f.expected),
               fmt::format("{}", f.given), fmt::format("{}", f.on_time), fmt::format("{}", f.early),
               fmt::format("{}", f.late), fmt::format("{}", f.missed), fmt::format("{}", f.skipped),
               visits ? "" : fmt::format("{}", f.extra), visits ? "" : fmt::format("{}", f.wrong_dose),
               visits ? "" : fmt::format("{}", f.held), fmt::format("{}", f.cancelled), pct(f.compliance_pct()), pct(f.on_time_pct())});
    };
    for (const auto& p : ps) {
        const std::string protocol = p.protocol + "@" + p.version;
        for (std::size_t i = 0; i < p.compliance.doses.size(); ++i) {
            const Figures& f = p.compliance.doses[i].figures;
            const bool low = h.below && f.compliance_pct() && *f.compliance_pct() < *h.below;
            flagged += low;
            row(low ? "!" : "", i == 0 ? p.patient : "", i == 0 ? p.site : "", i == 0 ? protocol : "", p.drugs[i], f,
                false);
        }
        const Figures& v = p.compliance.visits;
        const bool low = h.below && v.compliance_pct() && *v.compliance_pct() < *h.below;
        flagged += low;
        row(low ? "!" : "", p.compliance.doses.empty() ? p.patient : "", "", "", "visits", v, true);
    }
    t.rule();
    ComplianceTotals totals;
    for (const auto& p : ps) totals.add(p);
    for (const auto& tot : totals.doses) row("", "TOTAL", "", "", tot.drug, tot.figures, false);
    row("", "TOTAL", "", "", "visits", totals.visits, true);
    out += t.str();
    if (h.below)
        out += fmt::format("\n! {} row{} below {:.1f} % compliance\n", flagged, flagged == 1 ? "" : "s", *h.below);
    out += fmt::format("\nAudit chain head: {}\n", h.audit_head);
    return out;
}

}  // namespace trialcal
