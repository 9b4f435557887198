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

long long overdue_days(const Event& e, date::sys_days listed_on) { return (listed_on - e.window.to).count(); }

std::string window_text(const Event& e) {
    return e.window.from == e.window.to ? std::string("on the day") : fmt::format("{}", e.window);
}

// What a nurse must know of the day: moved off a closed day, or on one.
std::string placement_note(const Event& e) {
    if (e.placed) return fmt::format(" [placed: planned {} {}, site closed]", weekday(e.date), iso(e.date));
    if (e.closed_day) return " [CLOSED DAY: no open day in its window]";
    return {};
}

// listed_on: the day it is listed under; for an overdue one, the patient's first day of the period.
void item_json(JsonWriter& j, const DueList& d, const DueItem& i, date::sys_days listed_on, bool overdue) {
    const Event e = d.event(i);
    const DuePatient& p = d.patients_seen[i.patient];
    const DuePlan& plan = d.plans[p.plan];
    j.begin_object();
    j.key("patient").value(p.id);
    j.key("site").value(d.sites[p.site]);
    j.key("protocol").value(plan.protocol);
    j.key("version").value(plan.version);
    j.key("event").value(e.id);
    j.key("kind").value(fmt::format("{}", e.kind));
    j.key("day").value(e.day.count());
    j.key("date").value(iso(e.date));
    if (e.placed) j.key("placed_date").value(iso(*e.placed));
    else j.key("placed_date").null();
    j.key("closed_day").value(e.closed_day);
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
    if (overdue) j.key("overdue_days").value(overdue_days(e, listed_on));
    j.key("what").value(event_summary(e));
    event_details_json(j, e);
    j.end_object();
}

date::sys_days day_of(const DueList& d, std::size_t k) { return d.from + date::days{static_cast<int>(k)}; }

}  // namespace

date::sys_days listed_day(const Event& e, date::sys_days from, date::sys_days to) noexcept {
    // Inside its window when the period meets it; else the day of the period
    // within its reach nearest the planned date (it can be given early or late).
    for (const DateWindow w : {e.window, e.reach()}) {
        const date::sys_days lo = std::max(w.from, from), hi = std::min(w.to, to);
        if (lo <= hi) return std::clamp(e.on(), lo, hi);
    }
    return from;  // beyond reach all period: the caller's mistake, listed first
}


Event DueList::event(const DueItem& i) const {
    Event e = shapes[i.shape];
    e.date = i.date;
    e.window = i.window;
    e.placed = i.placed;
    e.closed_day = i.closed_day;
    return e;
}

std::size_t DueList::due_count() const noexcept {
    std::size_t n = 0;
    for (const auto& day : by_day) n += day.size();
    return n;
}

void sort_due(DueList& d) {
    // The store reads patients by site and id already, so this is normally
    // a check; stable, so that a patient's items keep their calendar order.
    auto by_site_patient = [&d](const DueItem& a, const DueItem& b) {
        const DuePatient& pa = d.patients_seen[a.patient];
        const DuePatient& pb = d.patients_seen[b.patient];
        return std::tie(d.sites[pa.site], pa.id) < std::tie(d.sites[pb.site], pb.id);
    };
    auto sort = [&](std::vector<DueItem>& items) {
        if (!std::is_sorted(items.begin(), items.end(), by_site_patient))
            std::stable_sort(items.begin(), items.end(), by_site_patient);
    };
    sort(d.overdue);
    for (auto& day : d.by_day) sort(day);
}

void due_table(const DueList& d, const DueEmit& emit) {
    const long long days = (d.to - d.from).count() + 1;
    std::string out = d.from == d.to ? fmt::format("Due on {} {}", weekday(d.from), iso(d.from))
                                     : fmt::format("Due {} {} .. {} {} ({} days)", weekday(d.from), iso(d.from),
                                                   weekday(d.to), iso(d.to), days);
    out += d.site.empty() ? " · every site" : " · site " + d.site;
    out += fmt::format(" · {} · {} to do, {} overdue\n", plural(static_cast<long long>(d.patients), "patient", "patients"),
                       d.due_count(), d.overdue.size());
    if (d.patients == 0)
        out += d.site.empty() ? "No patient is enrolled.\n" : fmt::format("No patient is enrolled at site {}.\n", d.site);

    if (!d.overdue.empty()) {
        out += fmt::format("\nOVERDUE · {} past the window, still within reach (give it late, or skip it with a "
                           "reason)\n",
                           plural(static_cast<long long>(d.overdue.size()), "event", "events"));
        TextTable t({{"Patient"}, {"Site"}, {"Event"}, {"Day", TextTable::Align::right}, {"Window"},
                     {"Overdue", TextTable::Align::right}, {"Last day"}, {"What"}});
        for (const auto& i : d.overdue) {
            const Event e = d.event(i);
            const DuePatient& p = d.patients_seen[i.patient];
            t.row({p.id, d.sites[p.site], e.id, fmt::format("{}", e.day),
                   e.window.from == e.window.to ? iso(e.date) : fmt::format("{}", e.window),
                   plural(overdue_days(e, p.start), "day", "days"), iso(e.reach().to),
                   event_summary(e) + placement_note(e)});
        }
        out += t.str();
    }
    emit(out);

    // A day's table at a time: its columns are as wide as that day's cells.
    for (std::size_t k = 0; k < d.by_day.size(); ++k) {
        const date::sys_days day = day_of(d, k);
        const auto& items = d.by_day[k];
        out = fmt::format("\n{} {} · {}\n", weekday(day), iso(day),
                          items.empty() ? std::string("nothing due")
                                        : plural(static_cast<long long>(items.size()), "event", "events"));
        if (!items.empty()) {
            TextTable t({{"Patient"}, {"Site"}, {"Event"}, {"Day", TextTable::Align::right}, {"Window"}, {"What"}});
            for (const DueItem& i : items) {
                const Event e = d.event(i);
                const DuePatient& p = d.patients_seen[i.patient];
                std::string window = window_text(e);
                if (e.window.from != e.window.to && e.window.to == day) window += " (last day)";
                t.row({p.id, d.sites[p.site], e.id, fmt::format("{}", e.day), window,
                       event_summary(e) + placement_note(e)});
            }
            out += t.str();
        }
        emit(out);
    }
}

void due_json(const DueList& d, const DueEmit& emit) {
    JsonWriter j;
    j.begin_object();
    j.key("from").value(iso(d.from));
    j.key("to").value(iso(d.to));
    j.key("days").value(static_cast<long long>((d.to - d.from).count() + 1));
    if (d.site.empty()) j.key("site").null();
    else j.key("site").value(d.site);
    j.key("overdue").begin_array();
    for (const auto& i : d.overdue) {
        item_json(j, d, i, d.patients_seen[i.patient].start, true);
        emit(j.take());
    }
    j.end_array();
    j.key("by_day").begin_array();
    for (std::size_t k = 0; k < d.by_day.size(); ++k) {
        const date::sys_days day = day_of(d, k);
        j.begin_object();
        j.key("date").value(iso(day));
        j.key("weekday").value(weekday(day));
        j.key("events").begin_array();
        for (const auto& i : d.by_day[k]) {
            item_json(j, d, i, day, false);
            emit(j.take());
        }
        j.end_array();
        j.end_object();
    }
    j.end_array();
    j.end_object();
    emit(j.str());
}

void due_csv(const DueList& d, const DueEmit& emit) {
    CsvWriter w({"section", "date", "patient", "site", "protocol", "version", "event", "kind", "day", "planned_date",
                 "window_from", "window_to", "overdue_days", "what", "drug", "amount", "unit", "route", "intake",
                 "procedures", "reach_from", "reach_to", "setting", "placed_date", "closed_day"});
    auto row = [&](const DueItem& i, date::sys_days listed_on, bool overdue) {
        const Event e = d.event(i);
        const DuePatient& p = d.patients_seen[i.patient];
        const DuePlan& plan = d.plans[p.plan];
        const bool dose = e.kind == EventKind::dose;
        w.row({overdue ? "overdue" : "due", overdue ? "" : iso(listed_on), p.id, d.sites[p.site], plan.protocol,
               plan.version, e.id, fmt::format("{}", e.kind), fmt::format("{}", e.day.count()), iso(e.date),
               iso(e.window.from), iso(e.window.to), overdue ? fmt::format("{}", overdue_days(e, listed_on)) : "",
               event_summary(e), dose ? e.drug : "", dose && e.amount ? fmt::format("{}", *e.amount) : "",
               dose && e.amount ? e.unit : "", dose ? e.route : "", e.intake, join(e.procedures, "; "),
               iso(e.reach().from), iso(e.reach().to), dose ? fmt::format("{}", e.setting) : "",
               e.placed ? iso(*e.placed) : "", e.closed_day ? "true" : "false"});
        emit(w.take());
    };
    emit(w.take());  // the header, even for an empty list
    for (const auto& i : d.overdue) row(i, d.patients_seen[i.patient].start, true);
    for (std::size_t k = 0; k < d.by_day.size(); ++k)
        for (const auto& i : d.by_day[k]) row(i, day_of(d, k), false);
}

}  // namespace trialcal
