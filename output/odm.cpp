#include "output/odm.hpp"

#include "core/anchors.hpp"
#include "output/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

namespace trialcal::odm {

namespace {

// XML text and attribute values: html_escape's five entities are XML's.
std::string x(std::string_view s) { return html_escape(s); }

std::string oid(std::string_view event) { return fmt::format("SE.{}", event); }

constexpr std::string_view day0_oid = "SE.DAY0";
constexpr std::string_view withdrawal_oid = "SE.WITHDRAWAL";

std::string description(std::string_view text) {
    return fmt::format("<Description><TranslatedText xml:lang=\"en\" Type=\"text/plain\">{}</TranslatedText></Description>",
                       x(text));
}

struct Planned {
    StudyDay day;
    const Regimen* regimen = nullptr;  // none for a visit
};

std::optional<Planned> planned(const Protocol& p, std::string_view id) {
    const auto d = planned_day(p, id);
    if (!d) return std::nullopt;
    return Planned{d->day, d->source.kind == EventKind::dose ? &p.regimens[d->source.index] : nullptr};
}

struct Constraint {
    std::string id;         // what it times: an event id, or the regimen's "R.<id>"
    std::string name;
    std::string from_oid;   // PredecessorOID
    long target = 0;        // days after the predecessor
    Window window;
};

std::string constraint_xml(const Constraint& c) {
    std::string out = fmt::format(
        "            <RelativeTimingConstraint OID=\"TIM.{}\" Name=\"{}\" PredecessorOID=\"{}\" SuccessorOID=\"{}\" "
        "Type=\"StartToStart\" TimepointRelativeTarget=\"{}\"",
        x(c.id), x(c.name), x(c.from_oid), x(oid(c.id)), days_duration(c.target));
    if (c.window.before.count() > 0) out += fmt::format(" TimepointPreWindow=\"{}\"", days_duration(c.window.before.count()));
    if (c.window.after.count() > 0) out += fmt::format(" TimepointPostWindow=\"{}\"", days_duration(c.window.after.count()));
    return out + "/>\n";
}

// Where an event anchored on `anchor` counts from: the anchor's event and
// its study day; day 0 without one.
std::pair<std::string, int> counted_from(const Protocol& p, const std::optional<std::string>& anchor) {
    if (!anchor) return {std::string(day0_oid), 0};
    const auto a = planned(p, *anchor);
    return {oid(*anchor), a ? a->day.count() : 0};
}

std::string regimen_text(const Protocol& p, const Regimen& r) {
    const Product* product = p.product(r.product);
    std::string out = fmt::format("{}: D{} to D{}, every {} day{}", product ? product->shown_name() : r.product,
                                  r.first_day.count(), r.last_day.count(), r.every.count(), r.every.count() == 1 ? "" : "s");
    if (!r.intakes.empty()) {
        out += ", intakes";
        for (const auto& i : r.intakes) out += " " + i;
    }
    if (r.setting == Setting::home) out += ", taken at home";
    const auto list = [](const std::vector<std::string>& ids) {
        std::string text;
        for (const auto& id : ids) text += (text.empty() ? "" : ", ") + id;
        return text;
    };
    if (!r.cohorts.empty()) out += ", cohorts " + list(r.cohorts);
    if (!r.except_cohorts.empty()) out += ", every cohort but " + list(r.except_cohorts);
    if (r.anchor) out += fmt::format(", counted from {}", *r.anchor);
    return out;
}

}  // namespace

std::string days_duration(long days) {
    return days < 0 ? fmt::format("-P{}D", -days) : fmt::format("P{}D", days);
}

std::string study_design(const Protocol& p, const Header& h) {
    std::vector<Constraint> timings;
    std::string events;  // the StudyEventDefs, in the order timed
    const auto event_def = [&](std::string_view id, std::string_view name, bool repeating, std::string_view type,
                               std::string_view category, std::string_view text) {
        events += fmt::format("      <StudyEventDef OID=\"{}\" Name=\"{}\" Repeating=\"{}\" Type=\"{}\" Category=\"{}\"",
                              x(oid(id)), x(name), repeating ? "Yes" : "No", type, category);
        events += text.empty() ? "/>\n" : fmt::format(">\n        {}\n      </StudyEventDef>\n", description(text));
    };
    events += fmt::format("      <StudyEventDef OID=\"{}\" Name=\"Day 0\" Repeating=\"No\" Type=\"Scheduled\" "
                          "Category=\"reference\">\n        {}\n      </StudyEventDef>\n",
                          day0_oid, description("The patient's day 0: every study day counts from it"));

    // The planned doses anchors count from, their own anchors first (anchors chain).
    std::vector<std::string> anchors;
    const auto want = [&](const std::optional<std::string>& a) {
        if (a && std::find(anchors.begin(), anchors.end(), *a) == anchors.end()) anchors.push_back(*a);
    };
    for (const auto& v : p.visits) want(v.anchor);
    for (const auto& r : p.regimens) want(r.anchor);
    std::set<std::string> visit_ids;
    for (const auto& v : p.visits) visit_ids.insert(v.id);
    for (std::size_t i = 0; i < anchors.size(); ++i) {
        const auto a = planned(p, anchors[i]);
        if (a && a->regimen && a->regimen->anchor != anchors[i]) want(a->regimen->anchor);
    }
    for (const auto& id : anchors) {
        if (visit_ids.count(id)) continue;  // a visit is timed below with the others
        const auto a = planned(p, id);
        if (!a || !a->regimen) continue;
        // The anchor dose of a regimen anchored on it counts from day 0.
        const auto from = a->regimen->anchor == id ? std::optional<std::string>() : a->regimen->anchor;
        const auto [from_oid, from_day] = counted_from(p, from);
        timings.push_back({id, fmt::format("dose {}: D{}", id, a->day.count()), from_oid, a->day.count() - from_day,
                           a->regimen->window});
        event_def(id, fmt::format("dose {}", id), false, "Scheduled", "dose",
                  fmt::format("The dose other events count from (anchor), of {}", regimen_text(p, *a->regimen)));
    }
    bool early_termination = false;
    for (const auto& v : p.visits) {
        std::string text;
        for (const auto& proc : v.procedures) text += (text.empty() ? "Procedures: " : ", ") + proc;
        if (v.early_termination) {
            early_termination = true;
            timings.push_back({v.id, fmt::format("{}: {} day{} after the withdrawal", v.name, v.day.count(),
                                                 v.day.count() == 1 ? "" : "s"),
                               std::string(withdrawal_oid), v.day.count(), v.window});
            event_def(v.id, v.name, false, "Unscheduled", "early termination visit", text);
            continue;
        }
        const auto [from_oid, from_day] = counted_from(p, v.anchor);
        timings.push_back({v.id, fmt::format("{}: D{}", v.name.empty() ? v.id : v.name, v.day.count()), from_oid,
                           v.day.count() - from_day, v.window});
        event_def(v.id, v.name.empty() ? v.id : v.name, false, "Scheduled", "visit", text);
    }
    for (const auto& r : p.regimens) {
        const std::string id = "R." + r.id;
        const auto [from_oid, from_day] = counted_from(p, r.anchor);
        timings.push_back({id, fmt::format("{}: first dose D{}", r.name.empty() ? r.id : r.name, r.first_day.count()),
                           from_oid, r.first_day.count() - from_day, r.window});
        event_def(id, r.name.empty() ? r.id : r.name, true, "Scheduled", "dose", regimen_text(p, r));
    }
    if (early_termination)
        event_def("WITHDRAWAL", "Withdrawal", false, "Unscheduled", "reference",
                  "The date the patient withdrew: the early-termination visit counts from it");

    const std::string mdv = fmt::format("MDV.{}.{}", p.id, p.version);
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += fmt::format(
        "<ODM xmlns=\"http://www.cdisc.org/ns/odm/v2.0\" FileType=\"Snapshot\" Granularity=\"Metadata\" "
        "FileOID=\"{}\" CreationDateTime=\"{}\" ODMVersion=\"2.0\" Originator=\"trialcal\" SourceSystem=\"trialcal\" "
        "SourceSystemVersion=\"{}\">\n",
        x(fmt::format("trialcal.ODM.{}.{}", p.id, p.version)), x(h.created), x(h.source_version));
    out += fmt::format("  <Study OID=\"{}\" StudyName=\"{}\" ProtocolName=\"{}\" VersionID=\"{}\">\n",
                       x("ST." + p.id), x(p.id), x(p.title.empty() ? p.id : p.title), x(p.version));
    if (!p.title.empty()) out += "    " + description(p.title) + "\n";
    out += fmt::format("    <MetaDataVersion OID=\"{}\" Name=\"{}\">\n", x(mdv), x(fmt::format("{} version {}", p.id, p.version)));
    if (!p.design.empty()) out += "      " + description(p.design) + "\n";
    out += "      <Protocol>\n        <StudyTimings>\n";
    out += fmt::format("          <StudyTiming OID=\"{}\" Name=\"Schedule of {} version {}\">\n", x("TIM." + p.id), x(p.id),
                       x(p.version));
    for (const auto& c : timings) out += constraint_xml(c);
    out += "          </StudyTiming>\n        </StudyTimings>\n      </Protocol>\n";
    out += events;
    out += "    </MetaDataVersion>\n  </Study>\n</ODM>\n";
    return out;
}

}  // namespace trialcal::odm
