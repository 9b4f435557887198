#include "output/protocol_view.hpp"

#include "core/anchors.hpp"
#include "output/csv.hpp"
#include "output/formatters.hpp"
#include "output/json.hpp"
#include "output/table.hpp"
#include "output/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace trialcal {

namespace {

std::string schedule_text(const Regimen& r) {
    std::string s = r.first_day == r.last_day ? fmt::format("{}", r.first_day)
                                              : fmt::format("{}–{}", r.first_day, r.last_day);
    if (r.first_day != r.last_day)
        s += r.every.count() == 1 ? " daily" : fmt::format(" every {} days", r.every.count());
    if (!r.intakes.empty()) s += fmt::format(", {} a day ({})", r.intakes.size(), join(r.intakes, ", "));
    return s;
}

std::string cohorts_text(const Regimen& r) {
    if (!r.cohorts.empty()) return "cohorts " + join(r.cohorts, ", ");
    if (!r.except_cohorts.empty()) return "all cohorts but " + join(r.except_cohorts, ", ");
    return "";
}

// What one administration is, as the viewer may see it.
std::string amount_rule_text(const Protocol& p, const Regimen& r, bool unblinded) {
    const Product* product = p.product(r.product);
    if (!product) return "";
    if (product->blinded() && !unblinded) {
        std::string s = *product->blinded_label;
        if (product->blinded_amount) s += fmt::format(" {} {}", *product->blinded_amount, product->blinded_unit);
        return s;
    }
    switch (r.rule) {
    case AmountRule::fixed: return fmt::format("{} {} {}", product->drug, r.amount, product->unit);
    case AmountRule::per_kg:
        return fmt::format("{} {} mg/kg, rounded to {} mg", product->drug, r.mg_per_kg, r.round_to);
    case AmountRule::from_arm: {
        std::vector<std::string> per_arm;
        for (const auto& a : p.arms) {
            if (a.is_placebo(product->id)) per_arm.push_back(a.id + ": placebo");
            else if (auto d = a.dose_of(product->id)) per_arm.push_back(fmt::format("{}: {} {}", a.id, *d, product->unit));
        }
        return fmt::format("{} ({})", product->drug, join(per_arm, "; "));
    }
    }
    return "";
}

// "08:00": an intake's nominal time of day on the site's wall clock.
std::string time_of_day_text(TimeOfDay t) {
    return fmt::format("{:02}:{:02}", t.count() / 60, t.count() % 60);
}

// "08:00, 20:00", or "12:00 (noon)" for a once-a-day regimen that gives none.
std::string intake_times_text(const Regimen& r) {
    if (r.intake_times.empty()) return time_of_day_text(noon) + " (noon)";
    std::string s;
    for (const TimeOfDay t : r.intake_times) s += (s.empty() ? "" : ", ") + time_of_day_text(t);
    return s;
}

// How far outside the window a dose can still be matched: "-3/+3 days".
std::string reach_text(const Regimen& r) {
    return fmt::format("-{}/+{} days", r.early_limit.count(), r.late_limit.count());
}


void write_window(JsonWriter& j, Window w) {
    j.begin_object();
    j.key("before").value(static_cast<long long>(w.before.count()));
    j.key("after").value(static_cast<long long>(w.after.count()));
    j.end_object();
}

// The visits of every patient's plan: all but the early-termination visit,
// which has no study day of its own (a withdrawal dates it).
std::vector<const Visit*> planned_visits(const Protocol& p) {
    std::vector<const Visit*> out;
    for (const auto& v : p.visits)
        if (!v.early_termination) out.push_back(&v);
    return out;
}

// "D15"; the early-termination visit's day counts from the withdrawal: "W+0".
std::string day_text(const Visit& v) {
    return v.early_termination ? fmt::format("W+{}", v.day.count()) : fmt::format("{}", v.day);
}

}  // namespace

std::string protocols_table(const std::vector<ProtocolListing>& ps) {
    TextTable t({{"Protocol"}, {"Version"}, {"Registry"}, {"Blinded"}, {"Arms"}, {"Cohorts", TextTable::Align::right},
                 {"Title"}});
    for (const auto& l : ps) {
        const Protocol& p = *l.protocol;
        std::vector<std::string> arms;
        for (const auto& a : p.arms) arms.push_back(a.id);
        t.row({p.id, p.version, join(p.registry_ids, ", "), p.blinded ? "yes" : "no",
               arms.empty() ? "single group" : join(arms, ", "), fmt::format("{}", p.cohorts.size()), p.title});
    }
    return t.str();
}

std::string protocols_json(const std::vector<ProtocolListing>& ps) {
    JsonWriter j;
    j.begin_object().key("protocols").begin_array();
    for (const auto& l : ps) {
        const Protocol& p = *l.protocol;
        j.begin_object();
        j.key("id").value(p.id);
        j.key("version").value(p.version);
        j.key("title").value(p.title);
        j.key("registry_ids").begin_array();
        for (const auto& r : p.registry_ids) j.value(r);
        j.end_array();
        j.key("blinded").value(p.blinded);
        j.key("arms").begin_array();
        for (const auto& a : p.arms) j.value(a.id);
        j.end_array();
        j.key("cohorts").begin_array();
        for (const auto& c : p.cohorts) j.value(c.id);
        j.end_array();
        j.key("needs_weight").value(p.needs_weight());
        j.key("file").value(l.file);
        j.end_object();
    }
    j.end_array().end_object();
    return j.str();
}

std::string protocols_csv(const std::vector<ProtocolListing>& ps) {
    CsvWriter w({"id", "version", "title", "registry_ids", "blinded", "arms", "cohorts", "needs_weight", "file"});
    for (const auto& l : ps) {
        const Protocol& p = *l.protocol;
        std::vector<std::string> arms, cohorts;
        for (const auto& a : p.arms) arms.push_back(a.id);
        for (const auto& c : p.cohorts) cohorts.push_back(c.id);
        w.row({p.id, p.version, p.title, join(p.registry_ids, ";"), p.blinded ? "true" : "false", join(arms, ";"),
               join(cohorts, ";"), p.needs_weight() ? "true" : "false", l.file});
    }
    return w.str();
}

std::string protocol_show_table(const Protocol& p, bool unblinded) {
    std::string out = fmt::format("{} version {} — {}\n", p.id, p.version, p.title);
    if (!p.registry_ids.empty()) out += fmt::format("Registry: {}\n", join(p.registry_ids, ", "));
    if (!p.design.empty()) out += fmt::format("Design: {}\n", p.design);
    if (p.blinded) out += unblinded ? "Blinded protocol: UNBLINDED view\n" : "Blinded protocol: arms hidden\n";
    if (!p.notes.empty()) out += fmt::format("Notes: {}\n", p.notes);

    // Schedule of activities: one column per planned visit (the
    // early-termination visit has no study day; it is listed under Visits).
    const std::vector<const Visit*> planned = planned_visits(p);
    out += "\nSchedule of activities\n";
    std::vector<TextTable::Column> cols{{"Activity"}};
    for (const Visit* v : planned) cols.push_back({fmt::format("{}", v->day)});
    TextTable grid(cols);
    std::vector<std::string> row{"Window"};
    for (const Visit* v : planned)
        row.push_back(v->window.before.count() == 0 && v->window.after.count() == 0
                          ? "0"
                          : fmt::format("-{}/+{}", v->window.before.count(), v->window.after.count()));
    grid.row(row);
    grid.rule();
    std::vector<std::string> procedures;
    for (const Visit* v : planned)
        for (const auto& pr : v->procedures)
            if (std::find(procedures.begin(), procedures.end(), pr) == procedures.end()) procedures.push_back(pr);
    for (const auto& pr : procedures) {
        row = {pr};
        for (const Visit* v : planned)
            row.push_back(std::find(v->procedures.begin(), v->procedures.end(), pr) != v->procedures.end() ? "X" : "");
        grid.row(row);
    }
    grid.rule();
    for (const auto& r : p.regimens) {
        const Product* product = p.product(r.product);
        std::string label = product && product->blinded() && !unblinded ? *product->blinded_label
                                                                         : (product ? product->drug : r.product);
        label += " (" + (r.name.empty() ? r.id : r.name) + ")";
        row = {label};
        for (const Visit* v : planned) row.push_back(r.doses_on(v->day) ? "X" : "");
        grid.row(row);
    }
    out += grid.str();

    out += "\nDosing\n";
    // "Counts from" only for a protocol with anchors: the others' tables stay as they were.
    const bool anchored = has_anchors(p);
    std::vector<TextTable::Column> dosing_columns{
        {"Regimen"}, {"Days"},  {"Doses", TextTable::Align::right}, {"Window"}, {"Limits"}, {"Intake times"},
        {"Setting"}, {"Route"}, {"Dose"},                           {"Applies to"}};
    if (anchored) dosing_columns.push_back({"Counts from"});
    TextTable dosing(std::move(dosing_columns));
    for (const auto& r : p.regimens) {
        const Product* product = p.product(r.product);
        std::vector<std::string> cells{r.name.empty() ? r.id : r.name, schedule_text(r),
                                       fmt::format("{}", r.dose_count()), fmt::format("{}", r.window), reach_text(r),
                                       intake_times_text(r), fmt::format("{}", r.setting),
                                       product ? product->route : "", amount_rule_text(p, r, unblinded),
                                       cohorts_text(r)};
        if (anchored) cells.push_back(r.anchor.value_or(""));
        dosing.row(std::move(cells));
    }
    out += dosing.str();
    out += "Limits: days before / after the window a dose can still be matched, early or late (docs/compliance.md).\n";

    out += "\nVisits\n";
    std::vector<TextTable::Column> visit_columns{{"Day"}, {"Event"}, {"Window"}, {"Visit"}, {"Procedures"}};
    if (anchored) visit_columns.push_back({"Counts from"});
    TextTable visits(std::move(visit_columns));
    for (const auto& v : p.visits) {
        std::vector<std::string> cells{day_text(v), v.id, fmt::format("{}", v.window), v.name,
                                       join(v.procedures, ", ")};
        if (anchored) cells.push_back(v.anchor.value_or(""));
        visits.row(std::move(cells));
    }
    out += visits.str();
    if (early_termination_visit(p))
        out += "Withdrawal: the early-termination visit, not planned, counted from the withdrawal date (W).\n";
    if (anchored)
        out += "Counts from: the event whose date (actual, once recorded) the dates count from instead of day 0.\n";

    if (!p.arms.empty()) {
        out += "\nArms\n";
        TextTable arms({{"Arm"}, {"Name"}});
        for (const auto& a : p.arms) arms.row({a.id, p.blinded && !unblinded ? "(blinded)" : a.name});
        out += arms.str();
    }
    if (!p.cohorts.empty()) {
        out += "\nCohorts\n";
        TextTable cohorts({{"Cohort"}, {"Name"}});
        for (const auto& c : p.cohorts) cohorts.row({c.id, c.name});
        out += cohorts.str();
    }
    if (!p.eligibility.empty()) {
        // "Any of" only for a protocol with alternatives: the others' tables stay as they were.
        const bool grouped = std::any_of(p.eligibility.begin(), p.eligibility.end(),
                                         [](const Criterion& c) { return !c.any_of.empty(); });
        out += "\nEligibility (numeric criteria, bounds inclusive; > and < strict)\n";
        std::vector<TextTable::Column> columns{
            {"Criterion"}, {"Min", TextTable::Align::right}, {"Max", TextTable::Align::right}, {"Unit"}};
        if (grouped) columns.push_back({"Any of"});
        columns.push_back({"Text"});
        TextTable el(std::move(columns));
        for (const auto& c : p.eligibility) {
            std::vector<std::string> cells{c.id,
                                           c.min             ? fmt::format("{}", *c.min)
                                           : c.min_exclusive ? fmt::format("> {}", *c.min_exclusive)
                                                             : "",
                                           c.max             ? fmt::format("{}", *c.max)
                                           : c.max_exclusive ? fmt::format("< {}", *c.max_exclusive)
                                                             : "",
                                           c.unit};
            if (grouped) cells.push_back(c.any_of);
            cells.push_back(c.text);
            el.row(std::move(cells));
        }
        out += el.str();
        if (grouped) out += "Any of: criteria of one group are alternatives; the group passes when one of them does.\n";
    }
    if (!p.assumptions.empty()) {
        out += "\nAssumptions (where the registry record is silent; change them in the protocol file)\n";
        for (const auto& a : p.assumptions) out += fmt::format("- {}: {}\n", a.about, a.text);
    }
    return out;
}

std::string protocol_show_json(const Protocol& p, bool unblinded) {
    JsonWriter j;
    j.begin_object();
    j.key("id").value(p.id);
    j.key("version").value(p.version);
    j.key("title").value(p.title);
    j.key("blinded").value(p.blinded);
    j.key("regimens").begin_array();
    for (const auto& r : p.regimens) {
        const Product* product = p.product(r.product);
        const bool hide = product && product->blinded() && !unblinded;
        j.begin_object();
        j.key("id").value(r.id);
        j.key("drug").value(hide ? *product->blinded_label : (product ? product->drug : r.product));
        j.key("route").value(product ? product->route : "");
        j.key("first_day").value(r.first_day.count());
        j.key("last_day").value(r.last_day.count());
        j.key("every_days").value(static_cast<long long>(r.every.count()));
        j.key("intakes").begin_array();
        for (const auto& i : r.intakes) j.value(i);
        j.end_array();
        j.key("doses").value(r.dose_count());
        j.key("window");
        write_window(j, r.window);
        // As the protocol file spells them: an empty list is once a day at noon.
        j.key("intake_times").begin_array();
        for (const TimeOfDay t : r.intake_times) j.value(time_of_day_text(t));
        j.end_array();
        j.key("early_limit").value(static_cast<long long>(r.early_limit.count()));
        j.key("late_limit").value(static_cast<long long>(r.late_limit.count()));
        j.key("setting").value(fmt::format("{}", r.setting));
        j.key("dose").value(amount_rule_text(p, r, unblinded));
        j.key("cohorts").begin_array();
        for (const auto& c : r.cohorts) j.value(c);
        j.end_array();
        j.key("except_cohorts").begin_array();
        for (const auto& c : r.except_cohorts) j.value(c);
        j.end_array();
        j.key("anchor").value(r.anchor);
        j.end_object();
    }
    j.end_array();
    // "visits" is the plan, as before; the early-termination visit, dated
    // from a withdrawal, has a key of its own.
    const auto write_visit = [&](const Visit& v) {
        j.begin_object();
        j.key("id").value(v.id);
        j.key("day").value(v.day.count());
        j.key("name").value(v.name);
        j.key("window");
        write_window(j, v.window);
        j.key("procedures").begin_array();
        for (const auto& pr : v.procedures) j.value(pr);
        j.end_array();
        j.key("anchor").value(v.anchor);
        j.end_object();
    };
    j.key("visits").begin_array();
    for (const Visit* v : planned_visits(p)) write_visit(*v);
    j.end_array();
    j.key("early_termination_visit");
    if (const Visit* et = early_termination_visit(p)) write_visit(*et);
    else j.null();
    j.key("screening_valid_days").value(static_cast<long long>(p.screening_valid_days.count()));
    j.key("arms").begin_array();
    for (const auto& a : p.arms) j.value(a.id);
    j.end_array();
    j.key("cohorts").begin_array();
    for (const auto& c : p.cohorts) {
        j.begin_object().key("id").value(c.id).key("name").value(c.name).end_object();
    }
    j.end_array();
    j.key("eligibility").begin_array();
    for (const auto& c : p.eligibility) {
        j.begin_object().key("id").value(c.id).key("text").value(c.text).key("min").value(c.min).key("max").value(c.max);
        j.key("min_exclusive").value(c.min_exclusive).key("max_exclusive").value(c.max_exclusive);
        j.key("unit").value(c.unit);
        if (c.any_of.empty()) j.key("any_of").null();
        else j.key("any_of").value(c.any_of);
        j.end_object();
    }
    j.end_array();
    j.key("assumptions").begin_array();
    for (const auto& a : p.assumptions) j.begin_object().key("about").value(a.about).key("text").value(a.text).end_object();
    j.end_array();
    j.end_object();
    return j.str();
}

std::string protocol_show_csv(const Protocol& p, bool unblinded) {
    // The schedule of activities as a grid: activity, then one column per visit.
    const std::vector<const Visit*> planned = planned_visits(p);
    std::vector<std::string> header{"activity"};
    for (const Visit* v : planned) header.push_back(v->id);
    CsvWriter w(header);
    std::vector<std::string> procedures;
    for (const Visit* v : planned)
        for (const auto& pr : v->procedures)
            if (std::find(procedures.begin(), procedures.end(), pr) == procedures.end()) procedures.push_back(pr);
    for (const auto& pr : procedures) {
        std::vector<std::string> row{pr};
        for (const Visit* v : planned)
            row.push_back(std::find(v->procedures.begin(), v->procedures.end(), pr) != v->procedures.end() ? "X" : "");
        w.row(row);
    }
    for (const auto& r : p.regimens) {
        const Product* product = p.product(r.product);
        std::vector<std::string> row{(product && product->blinded() && !unblinded ? *product->blinded_label
                                                                                   : (product ? product->drug : r.product)) +
                                     " (" + r.id + ")"};
        for (const Visit* v : planned) row.push_back(r.doses_on(v->day) ? "X" : "");
        w.row(row);
    }
    return w.str();
}

}  // namespace trialcal
