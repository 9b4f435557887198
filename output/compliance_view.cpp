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

void status_json(JsonWriter& j, const StatusRecord* s) {
    if (!s) {
        j.null();
        return;
    }
    j.begin_object();
    j.key("on").value(fmt::format("{}", IsoDate{s->on}));
    j.key("reason").value(s->reason);
    if (s->change == StatusChange::withdrawn) j.key("lost_to_follow_up").value(s->lost_to_follow_up);
    j.key("record").value(fmt::format("R{}", s->record));
    j.end_object();
}

std::string pct(std::optional<double> v) { return v ? fmt::format("{:.1f}", *v) : std::string("—"); }
std::string pct_csv(std::optional<double> v) { return v ? fmt::format("{:.1f}", *v) : std::string(); }

}  // namespace

std::string course_text(const PatientReport& p) {
    std::string out = p.plan ? fmt::format("day 0 {}", IsoDate{p.plan->day0}) : std::string("enrolled");
    if (const StatusRecord* d = status_record(p.records, StatusChange::discontinued))
        out += fmt::format("; treatment discontinued on {} ({}, R{})", IsoDate{d->on}, d->reason, d->record);
    if (const StatusRecord* w = status_record(p.records, StatusChange::withdrawn))
        out += fmt::format("; withdrawn on {} ({}{}, R{})", IsoDate{w->on}, w->reason,
                           w->lost_to_follow_up ? ", lost to follow-up" : "", w->record);
    if (p.status == CourseStatus::completed) out += "; completed";
    if (const auto n = p.records.unscheduled.size())
        out += fmt::format("; {} unscheduled visit{}", n, n == 1 ? "" : "s");
    return out;
}

void ComplianceTotals::add(const PatientReport& p) {
    visits += p.compliance.visits;
    for (std::size_t i = 0; i < p.compliance.doses.size(); ++i) {
        const std::string& drug = i < p.drugs.size() ? p.drugs[i] : p.compliance.doses[i].product;
        auto it = std::find_if(doses.begin(), doses.end(), [&](const Drug& t) { return t.drug == drug; });
        if (it == doses.end()) it = doses.insert(doses.end(), {drug, {}});
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
    j_.key("status").value(status_key(p.status));
    j_.key("course").begin_object();
    j_.key("discontinued");
    status_json(j_, status_record(p.records, StatusChange::discontinued));
    j_.key("withdrawn");
    status_json(j_, status_record(p.records, StatusChange::withdrawn));
    j_.end_object();
    j_.key("unscheduled_visits").begin_array();
    for (const auto& u : p.records.unscheduled) {
        j_.begin_object();
        j_.key("record").value(fmt::format("R{}", u.record));
        j_.key("date").value(fmt::format("{}", IsoDate{u.date}));
        j_.key("name").value(u.name);
        j_.key("reason").value(u.reason);
        j_.end_object();
    }
    j_.end_array();
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
      w_({"as_of", "patient", "protocol", "version", "site", "status", "what", "planned", "expected", "given", "on_time", "early",
          "late", "missed", "skipped", "extra", "wrong_dose", "held", "cancelled", "compliance_pct", "on_time_pct",
          // Every row carries the chain head, so the file alone can be checked against the trail.
          "audit_head",
          // Always there, true or false: the header stays the same for scripts,
          // and a row copied out of the file still says what it shows.
          "unblinded"}) {}

void ComplianceCsv::row(const PatientReport* p, const std::string& what, const Figures& f, bool visits) {
    w_.row({as_of_, p ? p->patient : "TOTAL", p ? p->protocol : "", p ? p->version : "", p ? p->site : "",
            p ? status_key(p->status) : "", what,
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

namespace {

using A = TextTable::Align;

// The cells of one row: a patient's drug or visits, or a total.
std::vector<std::string> table_cells(const std::string& mark, const std::string& patient, const std::string& site,
                                     const std::string& status, const std::string& protocol, const std::string& what,
                                     const Figures& f, bool visits) {
    return {mark, patient, site, status, protocol, what, fmt::format("{}", f.planned), fmt::format("{}", f.expected),
            fmt::format("{}", f.given), fmt::format("{}", f.on_time), fmt::format("{}", f.early),
            fmt::format("{}", f.late), fmt::format("{}", f.missed), fmt::format("{}", f.skipped),
            visits ? "" : fmt::format("{}", f.extra), visits ? "" : fmt::format("{}", f.wrong_dose),
            visits ? "" : fmt::format("{}", f.held), fmt::format("{}", f.cancelled), pct(f.compliance_pct()),
            pct(f.on_time_pct())};
}

}  // namespace

ComplianceTable::ComplianceTable(const ReportHeader& h)
    : h_(h), t_({{""}, {"Patient"}, {"Site"}, {"Status"}, {"Protocol"}, {"Drug / visits"}, {"Planned", A::right},
                 {"Expected", A::right}, {"Given", A::right}, {"On time", A::right}, {"Early", A::right},
                 {"Late", A::right}, {"Missed", A::right}, {"Skipped", A::right}, {"Extra", A::right},
                 {"Wrong", A::right}, {"Held", A::right}, {"Cancelled", A::right}, {"Compl. %", A::right},
                 {"On time %", A::right}}) {}

bool ComplianceTable::low(const Figures& f) const {
    return h_.below && f.compliance_pct() && *f.compliance_pct() < *h_.below;
}

std::vector<std::vector<std::string>> ComplianceTable::patient_rows(const PatientReport& p) const {
    std::vector<std::vector<std::string>> rows;
    const std::string protocol = p.protocol + "@" + p.version;
    for (std::size_t i = 0; i < p.compliance.doses.size(); ++i) {
        const Figures& f = p.compliance.doses[i].figures;
        const std::string& drug = i < p.drugs.size() ? p.drugs[i] : p.compliance.doses[i].product;
        rows.push_back(table_cells(low(f) ? "!" : "", i == 0 ? p.patient : "", i == 0 ? p.site : "",
                                   i == 0 ? status_name(p.status) : "", i == 0 ? protocol : "", drug, f, false));
    }
    const Figures& v = p.compliance.visits;
    const bool first = p.compliance.doses.empty();
    rows.push_back(table_cells(low(v) ? "!" : "", first ? p.patient : "", first ? p.site : "",
                               first ? status_name(p.status) : "", first ? protocol : "", "visits", v, true));
    return rows;
}

std::vector<std::vector<std::string>> ComplianceTable::total_rows() const {
    std::vector<std::vector<std::string>> rows;
    for (const auto& tot : totals_.doses)
        rows.push_back(table_cells("", "TOTAL", "", "", "", tot.drug, tot.figures, false));
    rows.push_back(table_cells("", "TOTAL", "", "", "", "visits", totals_.visits, true));
    return rows;
}

void ComplianceTable::measure(const PatientReport& p) {
    ++patients_;
    totals_.add(p);
    for (const auto& f : p.compliance.doses) flagged_ += low(f.figures);
    flagged_ += low(p.compliance.visits);
    for (auto& r : patient_rows(p)) t_.measure(std::move(r));
}

std::string ComplianceTable::head() {
    // The totals are as wide as they will be once every patient is measured.
    for (auto& r : total_rows()) t_.measure(std::move(r));
    std::string out = h_.unblinded ? fmt::format("{}\n", unblinded_notice) : std::string();
    out += fmt::format("Compliance as of {} · {} patient{}\n\n", IsoDate{h_.as_of}, patients_, patients_ == 1 ? "" : "s");
    return out + t_.head();
}

std::string ComplianceTable::rows(const PatientReport& p) const {
    std::string out;
    for (auto& r : patient_rows(p)) out += t_.line(std::move(r));
    return out;
}

std::string ComplianceTable::finish() const {
    std::string out = t_.separator();
    for (auto& r : total_rows()) out += t_.line(std::move(r));
    if (h_.below)
        out += fmt::format("\n! {} row{} below {:.1f} % compliance\n", flagged_, flagged_ == 1 ? "" : "s", *h_.below);
    out += fmt::format("\nAudit chain head: {}\n", h_.audit_head);
    return out;
}

std::string compliance_table(const std::vector<PatientReport>& ps, const ReportHeader& h) {
    ComplianceTable table(h);
    for (const auto& p : ps) table.measure(p);
    std::string out = table.head();
    for (const auto& p : ps) out += table.rows(p);
    return out + table.finish();
}

}  // namespace trialcal
