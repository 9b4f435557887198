#include "output/calendar_view.hpp"

#include "output/csv.hpp"
#include "output/formatters.hpp"
#include "output/json.hpp"
#include "output/table.hpp"
#include "output/text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace trialcal {

namespace {

std::string arm_text(const Calendar& c) {
    if (c.blinded) return "blinded";
    return c.arm.value_or("");
}

std::string_view status_of(const Event& e, const CalendarHeader& h) {
    if (e.unscheduled) return "done";
    const auto it = h.status.find(e.id);
    return it == h.status.end() ? std::string_view("planned") : std::string_view(it->second);
}

// The early-termination visit counts from the withdrawal: "W+0".
std::string day_text(const Event& e) {
    return e.early_termination ? fmt::format("W+{}", e.day.count()) : fmt::format("{}", e.day);
}

}  // namespace

std::string_view event_status(const Outcome& o) noexcept {
    switch (o.status) {
    case Status::on_time:
    case Status::early:
    case Status::late: return "done";
    case Status::missed: return o.skipped ? "skipped" : "missed";
    case Status::due: return "due";
    case Status::upcoming: return "planned";
    case Status::held: return "held";
    case Status::cancelled: return "cancelled";
    }
    return "planned";
}

std::string amount_text(const Event& e) {
    if (!e.amount) return "";
    return e.unit.empty() ? fmt::format("{}", *e.amount) : fmt::format("{} {}", *e.amount, e.unit);
}

std::string event_summary(const Event& e) {
    if (e.kind == EventKind::visit)
        return e.procedures.empty() ? e.name : fmt::format("{}: {}", e.name, join(e.procedures, ", "));
    std::string s = e.drug;
    if (const auto a = amount_text(e); !a.empty()) s += " " + a;
    if (!e.route.empty()) s += " " + e.route;
    if (!e.intake.empty()) s += " (" + e.intake + ")";
    return s;
}

void event_details_json(JsonWriter& j, const Event& e) {
    if (e.kind == EventKind::visit) {
        j.key("name").value(e.name);
        j.key("procedures").begin_array();
        for (const auto& p : e.procedures) j.value(p);
        j.end_array();
        return;
    }
    j.key("drug").value(e.drug);
    j.key("amount").value(e.amount);
    // A unit without an amount says nothing: both null, as cli.md shows.
    if (e.unit.empty() || !e.amount) j.key("unit").null();
    else j.key("unit").value(e.unit);
    j.key("route").value(e.route);
    if (!e.intake.empty()) j.key("intake").value(e.intake);
    j.key("blinded").value(e.blinded);
}

std::string calendar_table(const Calendar& c, const CalendarHeader& h) {
    std::string out = h.unblinded ? "UNBLINDED: the arm and real amounts are shown; not for blinded staff\n" : "";
    out += fmt::format("{}{} version {}", h.patient ? "Patient " + *h.patient + " · " : "", c.protocol, c.version);
    if (c.blinded) out += " · arm blinded";
    else if (c.arm) out += " · arm " + *c.arm;
    if (c.cohort) out += " · cohort " + *c.cohort;
    if (h.site) out += " · site " + *h.site;
    out += fmt::format(" · day 0 {} ({})\n", IsoDate{c.day0}, weekday(c.day0));
    out += fmt::format("{} visits, {} doses\n\n", count_visits(c), c.events.size() - count_visits(c));

    // Where the site is closed on a planned date, both dates (course.md):
    // the column appears only when some event needs it.
    const bool placement = std::any_of(c.events.begin(), c.events.end(),
                                       [](const Event& e) { return e.placed || e.closed_day; });
    const bool judged = !h.status.empty();
    std::vector<TextTable::Column> columns{{"Date"}, {""}, {"Day", TextTable::Align::right}, {"Event"}, {"Window"}};
    if (judged) columns.push_back({"Status"});
    if (placement) columns.push_back({"At the site"});
    columns.push_back({"What"});
    TextTable t(std::move(columns));
    for (const auto& e : c.events) {
        std::vector<std::string> row{fmt::format("{}", IsoDate{e.date}), weekday(e.date), day_text(e), e.id,
                                     e.unscheduled                ? std::string("unscheduled")
                                     : e.window.from == e.window.to ? std::string("on the day")
                                                                    : fmt::format("{}", e.window)};
        if (judged) row.emplace_back(status_of(e, h));
        if (placement)
            row.push_back(e.placed       ? fmt::format("{} {} (closed {})", IsoDate{*e.placed}, weekday(*e.placed),
                                                       weekday(e.date))
                          : e.closed_day ? std::string("CLOSED DAY")
                                         : std::string());
        row.push_back(event_summary(e));
        t.row(std::move(row));
    }
    out += t.str();
    if (std::any_of(c.events.begin(), c.events.end(), [](const Event& e) { return e.early_termination; }))
        out += "\nW+n: the early-termination visit, n days after the withdrawal.\n";
    if (placement)
        out += "\nAt the site: the open day an event takes place on when its planned date is a day the site is closed; "
               "CLOSED DAY: its window holds no open day.\n";
    return out;
}

std::string calendar_json(const Calendar& c, const CalendarHeader& h) {
    JsonWriter j;
    j.begin_object();
    // Only when unblinded: a blinded calendar keeps the shape cli.md fixes.
    if (h.unblinded) j.key("unblinded").value(true);
    j.key("patient").value(h.patient);
    if (h.site) j.key("site").value(*h.site);
    j.key("protocol").value(c.protocol);
    j.key("version").value(c.version);
    if (c.blinded) j.key("arm").value("blinded");
    else j.key("arm").value(c.arm);
    j.key("cohort").value(c.cohort);
    j.key("day0").value(fmt::format("{}", IsoDate{c.day0}));
    j.key("events").begin_array();
    for (const auto& e : c.events) {
        j.begin_object();
        j.key("id").value(e.id);
        j.key("kind").value(fmt::format("{}", e.kind));
        j.key("day").value(e.day.count());
        j.key("date").value(fmt::format("{}", IsoDate{e.date}));
        j.key("window").begin_object();
        j.key("from").value(fmt::format("{}", IsoDate{e.window.from}));
        j.key("to").value(fmt::format("{}", IsoDate{e.window.to}));
        j.end_object();
        if (e.placed) j.key("placed_date").value(fmt::format("{}", IsoDate{*e.placed}));
        else j.key("placed_date").null();
        j.key("closed_day").value(e.closed_day);
        // The event its date counts from (course.md, Anchors); null: day 0.
        j.key("anchor").value(e.anchor);
        j.key("status").value(std::string(status_of(e, h)));
        if (e.early_termination) j.key("early_termination").value(true);
        if (e.unscheduled) j.key("unscheduled").value(true);
        event_details_json(j, e);
        j.end_object();
    }
    j.end_array();
    j.end_object();
    return j.str();
}

std::string calendar_csv(const Calendar& c, const CalendarHeader& h) {
    std::vector<std::string> header{"patient", "protocol", "version", "arm", "cohort", "day0", "event",
                                    "kind", "day", "date", "window_from", "window_to", "name", "procedures",
                                    "drug", "amount", "unit", "route", "intake", "blinded", "placed_date",
                                    "closed_day", "status", "unscheduled"};
    // Only when unblinded, last: a blinded calendar keeps the columns cli.md's users read.
    if (h.unblinded) header.emplace_back("unblinded");
    CsvWriter w(header);
    const std::string day0 = fmt::format("{}", IsoDate{c.day0});
    for (const auto& e : c.events) {
        const bool dose = e.kind == EventKind::dose;
        std::vector<std::string> row{
            h.patient.value_or(""), c.protocol, c.version, arm_text(c), c.cohort.value_or(""), day0, e.id,
            fmt::format("{}", e.kind), fmt::format("{}", e.day.count()), fmt::format("{}", IsoDate{e.date}),
            fmt::format("{}", IsoDate{e.window.from}), fmt::format("{}", IsoDate{e.window.to}), e.name,
            join(e.procedures, "; "), e.drug, dose && e.amount ? fmt::format("{}", *e.amount) : "", e.unit,
            e.route, e.intake, dose ? (e.blinded ? "true" : "false") : "",
            e.placed ? fmt::format("{}", IsoDate{*e.placed}) : "", e.closed_day ? "true" : "false",
            std::string(status_of(e, h)), e.unscheduled ? "true" : "false"};
        if (h.unblinded) row.emplace_back("true");
        w.row(row);
    }
    return w.str();
}

}  // namespace trialcal
