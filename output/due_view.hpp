#pragma once
// The nurse's worklist (trialcal due): what is due, day by day, in a period,
// and at the top everything overdue.
#include "core/calendar.hpp"

#include <date/date.h>

#include <string>
#include <vector>

namespace trialcal {

struct DueItem {
    std::string patient;
    std::string site;
    std::string protocol;
    std::string version;
    Event event;               // as the viewer may see it (the blinded plan)
    date::sys_days listed_on;  // the day of the period it is listed under; for an overdue one, the period's first day
};

struct DueList {
    date::sys_days from;  // first day of the period
    date::sys_days to;    // last day, inclusive
    std::string site;     // the --site filter, empty for every site
    std::size_t patients = 0;    // patients looked at
    std::vector<DueItem> overdue;  // window closed before the period, reach not: can still be given late
    std::vector<DueItem> due;      // window or reach open in the period, by listed_on, site, patient, calendar order
};

// The day an event whose reach overlaps [from, to] is listed under: its
// nominal date when that is in the period, else the nearest day of the
// period inside its window, else inside its reach.
[[nodiscard]] date::sys_days listed_day(const Event& e, date::sys_days from, date::sys_days to) noexcept;

// Sorts both lists: overdue by site, patient and calendar order; due by day,
// site, patient and calendar order. Items of one patient must come in calendar order.
void sort_due(DueList& d);

[[nodiscard]] std::string due_table(const DueList& d);
[[nodiscard]] std::string due_json(const DueList& d);
[[nodiscard]] std::string due_csv(const DueList& d);

}  // namespace trialcal
