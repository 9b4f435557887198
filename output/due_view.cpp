#include "output/due_view.hpp"

#include "output/calendar_view.hpp"
#include "output/text.hpp"
#include "output/csv.hpp"
#include "output/formatters.hpp"
#include "output/json.hpp"
#include "output/table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace trialcal {

namespace {


std::string iso(date::sys_days d) { return fmt::format("{}", IsoDate{d}); }


std::string plural(long long n, std::string_view one, std::string_view many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

long long overdue_days(const DueItem& i) { return (i.listed_on - i.event.window.to).count(); }

std::string window_text(const Event& e) {
    return e.window.from == e.window.to ? std::string("on the day") : fmt::format("{}", e.window);
}

void item_json(JsonWriter& j, const DueItem& i, bool overdue) {
    const Event& e = i.event;
    j.begin_object();
    j.key("patient").value(i.patient);
    j.key("site").value(i.site);
    j.key("protocol").value(i.protocol);
    j.key("version").value(i.version);
    j.key("event").value(e.id);
    j.key("kind").value(fmt::format("{}", e.kind));
    j.key("day").value(e.day.count());
    j.key("date").value(iso(e.date));
    j.key("window").begin_object();
    j.key("from").value(iso(e.window.from));
    j.key("to").value(iso(e.window.to));
    j.end_object();
    // The days it can still be given, early or late (docs/compliance.md).
    j.key("reach").begin_object();
    j.key("from").value(iso(e.reach().from));
    j.key("to").value(iso(e.reach().to));
    j.end_object();
    // Who gives a dose: at the site, or the patient at home (listed with --home).
    if (e.kind == EventKind::dose) j.key("setting").value(fmt::format("{}", e.setting));
    if (overdue) j.key("overdue_days").value(overdue_days(i));
    j.key("what").value(event_summary(e));
    event_details_json(j, e);
    j.end_object();
}

}  // namespace

date::sys_days listed_day(const Event& e, date::sys_days from, date::sys_days to) noexcept {
    // Inside its window when the period meets it; else the day of the period
    // within its reach nearest the planned date (it can be given early or late).
    for (const DateWindow w : {e.window, e.reach()}) {
        const date::sys_days lo = std::max(w.from, from), hi = std::min(w.to, to);
        if (lo <= hi) return std::clamp(e.date, lo, hi);
    }
    return from;  // beyond reach all period: the caller's mistake, listed first
}

void sort_due(DueList& d) {
    std::stable_sort(d.overdue.begin(), d.overdue.end(), [](const DueItem& a, const DueItem& b) {
        return std::tie(a.site, a.patient) < std::tie(b.site, b.patient);
    });
    std::stable_sort(d.due.begin(), d.due.end(), [](const DueItem& a, const DueItem& b) {
        return std::tie(a.listed_on, a.site, a.patient) < std::tie(b.listed_on, b.site, b.patient);
    });
}

std::string due_table(const DueList& d) {
    const long long days = (d.to - d.from).count() + 1;
    std::string out = d.from == d.to ? fmt::format("Due on {} {}", weekday(d.from), iso(d.from))
                                     : fmt::format("Due {} {} .. {} {} ({} days)", weekday(d.from), iso(d.from),
                                                   weekday(d.to), iso(d.to), days);
    out += d.site.empty() ? " · every site" : " · site " + d.site;
    out += fmt::format(" · {} · {} to do, {} overdue\n", plural(static_cast<long long>(d.patients), "patient", "patients"),
                       d.due.size(), d.overdue.size());
    if (d.patients == 0)
        out += d.site.empty() ? "No patient is enrolled.\n" : fmt::format("No patient is enrolled at site {}.\n", d.site);

    if (!d.overdue.empty()) {
        out += fmt::format("\nOVERDUE · {} past the window, still within reach (give it late, or skip it with a "
                           "reason)\n",
                           plural(static_cast<long long>(d.overdue.size()), "event", "events"));
        TextTable t({{"Patient"}, {"Site"}, {"Event"}, {"Day", TextTable::Align::right}, {"Window"},
                     {"Overdue", TextTable::Align::right}, {"Last day"}, {"What"}});
        for (const auto& i : d.overdue)
            t.row({i.patient, i.site, i.event.id, fmt::format("{}", i.event.day),
                   i.event.window.from == i.event.window.to ? iso(i.event.date) : fmt::format("{}", i.event.window),
                   plural(overdue_days(i), "day", "days"), iso(i.event.reach().to), event_summary(i.event)});
        out += t.str();
    }

    for (date::sys_days day = d.from; day <= d.to; day += date::days{1}) {
        std::vector<const DueItem*> items;
        for (const auto& i : d.due)
            if (i.listed_on == day) items.push_back(&i);
        out += fmt::format("\n{} {} · {}\n", weekday(day), iso(day),
                           items.empty() ? std::string("nothing due")
                                         : plural(static_cast<long long>(items.size()), "event", "events"));
        if (items.empty()) continue;
        TextTable t({{"Patient"}, {"Site"}, {"Event"}, {"Day", TextTable::Align::right}, {"Window"}, {"What"}});
        for (const DueItem* i : items) {
            std::string window = window_text(i->event);
            if (i->event.window.from != i->event.window.to && i->event.window.to == day) window += " (last day)";
            t.row({i->patient, i->site, i->event.id, fmt::format("{}", i->event.day), window, event_summary(i->event)});
        }
        out += t.str();
    }
    return out;
}

std::string due_json(const DueList& d) {
    JsonWriter j;
    j.begin_object();
    j.key("from").value(iso(d.from));
    j.key("to").value(iso(d.to));
    j.key("days").value(static_cast<long long>((d.to - d.from).count() + 1));
    if (d.site.empty()) j.key("site").null();
    else j.key("site").value(d.site);
    j.key("overdue").begin_array();
    for (const auto& i : d.overdue) item_json(j, i, true);
    j.end_array();
    j.key("by_day").begin_array();
    for (date::sys_days day = d.from; day <= d.to; day += date::days{1}) {
        j.begin_object();
        j.key("date").value(iso(day));
        j.key("weekday").value(weekday(day));
        j.key("events").begin_array();
        for (const auto& i : d.due)
            if (i.listed_on == day) item_json(j, i, false);
        j.end_array();
        j.end_object();
    }
    j.end_array();
    j.end_object();
    return j.str();
}

std::string due_csv(const DueList& d) {
    CsvWriter w({"section", "date", "patient", "site", "protocol", "version", "event", "kind", "day", "planned_date",
                 "window_from", "window_to", "overdue_days", "what", "drug", "amount", "unit", "route", "intake",
                 "procedures", "reach_from", "reach_to", "setting"});
    auto row = [&](const DueItem& i, bool overdue) {
        const Event& e = i.event;
        const bool dose = e.kind == EventKind::dose;
        w.row({overdue ? "overdue" : "due", overdue ? "" : iso(i.listed_on), i.patient, i.site, i.protocol, i.version,
               e.id, fmt::format("{}", e.kind), fmt::format("{}", e.day.count()), iso(e.date), iso(e.window.from),
               iso(e.window.to), overdue ? fmt::format("{}", overdue_days(i)) : "", event_summary(e),
               dose ? e.drug : "", dose && e.amount ? fmt::format("{}", *e.amount) : "",
               dose && e.amount ? e.unit : "", dose ? e.route : "", e.intake, join(e.procedures, "; "),
               iso(e.reach().from), iso(e.reach().to), dose ? fmt::format("{}", e.setting) : ""});
    };
    for (const auto& i : d.overdue) row(i, true);
    for (const auto& i : d.due) row(i, false);
    return w.str();
}

}  // namespace trialcal
