#pragma once
// The nurse's worklist (trialcal due): what is due, day by day, in a period,
// and at the top everything overdue.
#include "core/calendar.hpp"

#include <date/date.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace trialcal {

// A network's 30-day worklist holds about a million items, so they are kept
// compact: an item names its patient and the event's shape by index, and
// holds only its own dates. Every patient on one plan shares one shape per
// event (the event as the viewer may see it, its dates aside).
struct DuePatient {
    std::string id;
    std::uint32_t site = 0;  // index into DueList::sites
    std::uint32_t plan = 0;  // index into DueList::plans
    date::sys_days start;    // the first day of the period where the patient is treated
};

struct DuePlan {
    std::string protocol;
    std::string version;
};

struct DueItem {
    std::uint32_t patient = 0;  // index into DueList::patients_seen
    std::uint32_t shape = 0;    // index into DueList::shapes
    date::sys_days date;        // the event's planned date
    DateWindow window;          // and its window
    std::optional<date::sys_days> placed;  // the open day it takes place on, when not its planned date
    bool closed_day = false;               // its window holds no day the site is open
};

struct DueList {
    date::sys_days from;  // first day of the period
    date::sys_days to;    // last day, inclusive
    std::string site;     // the --site filter, empty for every site
    std::size_t patients = 0;       // patients looked at
    std::vector<std::string> sites;
    std::vector<DuePlan> plans;
    std::vector<DuePatient> patients_seen;  // those with an item, in the order they were read
    std::vector<Event> shapes;              // dates unset: each item has its own
    std::vector<DueItem> overdue;  // window closed before the period, reach not: can still be given late
    // The items listed on day from + k, by site, patient and calendar order.
    std::vector<std::vector<DueItem>> by_day;

    // The item's event, with its own dates.
    [[nodiscard]] Event event(const DueItem& i) const;
    [[nodiscard]] std::size_t due_count() const noexcept;
};

// The day an event whose reach overlaps [from, to] is listed under: the
// day it takes place on (its placed date, else its nominal one) when that is
// in the period, else the nearest day of the period inside its window, else
// inside its reach.
[[nodiscard]] date::sys_days listed_day(const Event& e, date::sys_days from, date::sys_days to) noexcept;

// Sorts overdue items, and each day's, by site, then patient, keeping a
// patient's items in the order added (calendar order).
void sort_due(DueList& d);

// Each format hands its text to `emit` in pieces (a day's table, an item's
// JSON object or CSV row), never the whole worklist at once.
using DueEmit = std::function<void(const std::string&)>;
void due_table(const DueList& d, const DueEmit& emit);
void due_json(const DueList& d, const DueEmit& emit);
void due_csv(const DueList& d, const DueEmit& emit);

}  // namespace trialcal
