// Placement of site events off closed days (core/placement.hpp), for every
// seed schedule and every day 0 of 2027 and 2028 at a French site closed at
// weekends and on public holidays: each site event lands on the open day of
// its window nearest its nominal date (brute force), home doses never move,
// and nominal dates, windows and every compliance figure are exactly those
// of the unplaced calendar. Then the days the issue names, by hand.
#include "core/compliance.hpp"
#include "core/placement.hpp"
#include "tests/core/seed_protocols.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <ostream>
#include <string>
#include <vector>

using namespace trialcal;
namespace bdata = boost::unit_test::data;
using date::days;

namespace {

date::sys_days ymd(int y, unsigned m, unsigned d) { return date::year{y} / date::month{m} / date::day{d}; }

const HolidayCalendar& france() {
    static const HolidayCalendar c = [] {
        auto parsed = parse_holidays(seed_protocols::read_calendar_file("holidays/FR.toml"));
        BOOST_TEST_REQUIRE(parsed.diagnostics.empty());
        return *parsed.calendar;
    }();
    return c;
}

ClosedDays french_site() { return {Weekdays::weekend(), &france()}; }

// One schedule of each seed protocol (arms and cohorts that plan the same
// days give the same placement).
struct Schedule {
    std::string name, file;
    CalendarRequest request;
};
std::ostream& operator<<(std::ostream& os, const Schedule& s) { return os << s.name; }

const std::vector<Schedule> schedules{
    {"DF-IL2", "df-il2.toml", {{}, "IL2-2", {}, {}}},
    {"NCT05153070 v1", "nct05153070-v1.toml", {{}, "ILT-101", {}, 60.0}},
    {"NCT05153070 v2", "nct05153070-v2.toml", {{}, "ILT-101", {}, 60.0}},
    {"TRANSREG RA", "transreg.toml", {{}, {}, "RA", {}}},
    {"TRANSREG SLE", "transreg.toml", {{}, {}, "SLE", {}}},
    {"MS-IL2", "ms-il2.toml", {{}, "IL-2", {}, {}}},
};

Calendar expanded(const Schedule& s, date::sys_days day0) {
    CalendarRequest r = s.request;
    r.day0 = day0;
    auto c = expand(seed_protocols::protocol(s.file), r);
    BOOST_TEST_REQUIRE(c.has_value());
    return std::move(*c);
}

// The open day of `w` nearest `nominal`, the earlier of two; none when
// every day of `w` is closed. Day by day over the whole window.
std::optional<date::sys_days> nearest_open(date::sys_days nominal, DateWindow w, const ClosedDays& closed) {
    std::optional<date::sys_days> best;
    for (date::sys_days d = w.from; d <= w.to; d += days{1}) {
        if (closed.closed(d)) continue;
        const auto distance = [&](date::sys_days x) { return std::abs((x - nominal).count()); };
        if (!best || distance(d) < distance(*best)) best = d;  // ascending: a tie keeps the earlier
    }
    return best;
}

// Records of everything done on the day it takes place: a visit on its
// placed date, a dose at its nominal time on its placed date.
Records done_where_placed(const Calendar& c) {
    Records r;
    std::int64_t id = 0;
    for (const Event& e : c.events) {
        ++id;
        if (e.kind == EventKind::visit) {
            r.visits.push_back({id, e.id, e.on()});
            continue;
        }
        const auto local = date::local_days{e.on().time_since_epoch()} + e.time;
        r.doses.push_back({id, e.product, e.on(), (date::sys_days{e.on()} + e.time).time_since_epoch().count() * 60,
                           std::nullopt, std::nullopt, local});
    }
    return r;
}

std::vector<date::sys_days> every_day_of(int first_year, int last_year) {
    std::vector<date::sys_days> out;
    for (date::sys_days d = ymd(first_year, 1, 1); d <= ymd(last_year, 12, 31); d += days{1}) out.push_back(d);
    return out;
}

bool same_figures(const Figures& a, const Figures& b) {
    return a.planned == b.planned && a.expected == b.expected && a.given == b.given && a.on_time == b.on_time &&
           a.early == b.early && a.late == b.late && a.missed == b.missed && a.skipped == b.skipped &&
           a.extra == b.extra && a.wrong_dose == b.wrong_dose && a.held == b.held && a.cancelled == b.cancelled;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(placement)

BOOST_DATA_TEST_CASE(site_events_take_the_nearest_open_day_and_nothing_else_changes, bdata::make(schedules), s) {
    const ClosedDays closed = french_site();
    std::size_t events = 0, placed = 0, closed_days = 0, home = 0;
    for (const date::sys_days day0 : every_day_of(2027, 2028)) {
        const Calendar plain = expanded(s, day0);
        Calendar c = plain;
        const std::size_t moved = place_site_events(c, closed);
        BOOST_TEST_REQUIRE(c.events.size() == plain.events.size());
        std::size_t counted = 0;
        for (std::size_t i = 0; i < c.events.size(); ++i) {
            const Event &e = c.events[i], &p = plain.events[i];
            BOOST_TEST_CONTEXT(s.name << " day 0 " << date::year_month_day{day0} << " " << e.id) {
                // Nominal date, window and study day as expanded.
                BOOST_TEST_REQUIRE((e.id == p.id && e.date == p.date && e.window.from == p.window.from &&
                                    e.window.to == p.window.to && e.day == p.day));
                if (!done_at_site(e)) {
                    BOOST_TEST_REQUIRE((!e.placed && !e.closed_day));
                    ++home;
                    continue;
                }
                const auto want = nearest_open(e.date, e.window, closed);
                BOOST_TEST_REQUIRE(e.closed_day == !want.has_value());
                BOOST_TEST_REQUIRE((e.on() == want.value_or(e.date)));
                BOOST_TEST_REQUIRE(e.placed.has_value() == (want && *want != e.date));
                if (want) BOOST_TEST_REQUIRE(!closed.closed(e.on()));
                counted += e.placed.has_value();
                closed_days += e.closed_day;
            }
        }
        BOOST_TEST_REQUIRE(moved == counted);
        events += c.events.size();
        placed += counted;
        // Compliance is judged on nominal dates and windows: the same figures
        // whether the calendar carries placements or not.
        const Records records = done_where_placed(c);
        const date::sys_days as_of = c.events.back().window.to;
        const Compliance a = judge(c, records, as_of), b = judge(plain, records, as_of);
        BOOST_TEST_REQUIRE(same_figures(a.visits, b.visits));
        BOOST_TEST_REQUIRE(a.doses.size() == b.doses.size());
        for (std::size_t k = 0; k < a.doses.size(); ++k)
            BOOST_TEST_REQUIRE(same_figures(a.doses[k].figures, b.doses[k].figures));
    }
    BOOST_TEST_MESSAGE(s.name << ": " << events << " events, " << placed << " placed, " << closed_days
                              << " on closed days, " << home << " home doses");
    BOOST_TEST(placed > 0u);
}

// The days the issue and course.md name, worked by hand.
struct ByHand {
    std::string what;
    Schedule schedule;
    date::sys_days day0;
    std::string event;
    date::sys_days nominal;
    std::optional<date::sys_days> placed;
    bool closed_day;
};
std::ostream& operator<<(std::ostream& os, const ByHand& b) { return os << b.what; }

const std::vector<ByHand> by_hand{
    // TRANSREG D29 (±2) on Christmas 2027, a Saturday: Fri 24 is one day off,
    // Mon 27 two (Sun 26 closed).
    {"TRANSREG D29 on Christmas", schedules[3], ymd(2027, 11, 26), "IL2-D29", ymd(2027, 12, 25), ymd(2027, 12, 24), false},
    {"TRANSREG D29 visit on Christmas", schedules[3], ymd(2027, 11, 26), "V-D29", ymd(2027, 12, 25), ymd(2027, 12, 24), false},
    // DF-IL2 injections have no window: D3 on 14 July 2027 (a Wednesday) stays, a closed day.
    {"DF-IL2 D3 on 14 July", schedules[0], ymd(2027, 7, 11), "IL2-D3", ymd(2027, 7, 14), std::nullopt, true},
    {"DF-IL2 day 0 on a Sunday", schedules[0], ymd(2027, 7, 11), "V-D0", ymd(2027, 7, 11), std::nullopt, true},
    {"DF-IL2 D4 after 14 July is open", schedules[0], ymd(2027, 7, 11), "IL2-D4", ymd(2027, 7, 15), std::nullopt, false},
    // Easter Monday 2027 (29 March): TRANSREG D15 (±2) moves to Tue 30 March
    // (Sat 27, Sun 28 and Mon 29 closed; Tue is one day off, Fri 26 three).
    {"TRANSREG D15 on Easter Monday 2027", schedules[3], ymd(2027, 3, 14), "V-D15", ymd(2027, 3, 29), ymd(2027, 3, 30), false},
    // Easter Monday 2028 (17 April): MS-IL2 D183 (±7) visit moves to Tue 18 April.
    {"MS-IL2 D183 on Easter Monday 2028", schedules[5], ymd(2027, 10, 17), "V-D183", ymd(2028, 4, 17), ymd(2028, 4, 18), false},
    // Ascension 2027 (Thu 6 May) with 8 May on the Saturday: D29 (±2) of
    // TRANSREG moves to Wed 5 May, the earlier of Wed 5 and Fri 7.
    {"TRANSREG D29 on Ascension 2027", schedules[3], ymd(2027, 4, 7), "IL2-D29", ymd(2027, 5, 6), ymd(2027, 5, 5), false},
    // A week with two holidays, 2028: Mon 1 May and Mon 8 May. NCT05153070
    // D88 (±7) on Mon 8 May goes to Tue 9 May, one day off (Fri 5 is three).
    {"NCT05153070 D88 on 8 May 2028", schedules[2], ymd(2028, 2, 10), "V-D88", ymd(2028, 5, 8), ymd(2028, 5, 9), false},
};

BOOST_DATA_TEST_CASE(the_named_days_by_hand, bdata::make(by_hand), b) {
    Calendar c = expanded(b.schedule, b.day0);
    (void)place_site_events(c, french_site());
    const auto it = std::find_if(c.events.begin(), c.events.end(), [&](const Event& e) { return e.id == b.event; });
    BOOST_TEST_REQUIRE((it != c.events.end()), b.event);
    BOOST_TEST((it->date == b.nominal));
    BOOST_TEST((it->placed == b.placed));
    BOOST_TEST(it->closed_day == b.closed_day);
}

BOOST_AUTO_TEST_CASE(home_doses_are_never_placed) {
    // NCT05153070 v2's ciclosporin is taken at home, twice a day, weekends included.
    Calendar c = expanded(schedules[2], ymd(2027, 3, 1));
    (void)place_site_events(c, french_site());
    std::size_t home = 0;
    for (const Event& e : c.events)
        if (e.product == "CSA") {
            BOOST_TEST(!e.placed.has_value());
            BOOST_TEST(!e.closed_day);
            ++home;
        }
    BOOST_TEST(home == 120u);
}

BOOST_AUTO_TEST_CASE(a_site_open_every_day_places_nothing) {
    Calendar c = expanded(schedules[3], ymd(2027, 11, 26));
    BOOST_TEST(place_site_events(c, ClosedDays{}) == 0u);
    for (const Event& e : c.events) BOOST_TEST((!e.placed && !e.closed_day));
}

BOOST_AUTO_TEST_SUITE_END()
