// The four seed protocols shipped under calendars/, expanded for many day 0s
// (leap days, a year end, a month end, both European daylight-saving changes)
// and checked against the schedules written in spec/protocols.md.
//
// Expected schedules are built here from the spec's own words ("D74 + 7k,
// k = 0..40"), never from the protocol files, and expected dates come from a
// day-by-day calendar walk that shares no code with date::sys_days.
#include "core/calendar.hpp"
#include "core/protocol_parser.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <date/date.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/core/seed_protocols.hpp"
#include "tests/support/print.hpp"

namespace {

namespace bdata = boost::unit_test::data;
using namespace date::literals;
using trialcal::CalendarErrc;
using trialcal::CalendarRequest;
using trialcal::EventKind;

// ---------------------------------------------------------------------------
// Loading the shipped protocol files

const trialcal::Protocol& seed(const std::string& file) { return seed_protocols::protocol(file); }

trialcal::Calendar expand_ok(const trialcal::Protocol& p, const CalendarRequest& r) {
    auto c = trialcal::expand(p, r);
    if (!c) BOOST_TEST_MESSAGE("expand failed: " << c.error().message);
    BOOST_TEST_REQUIRE(c.has_value());
    return std::move(c).value();
}

const trialcal::Event* find_event(const trialcal::Calendar& c, const std::string& id) {
    auto it = std::find_if(c.events.begin(), c.events.end(), [&](const trialcal::Event& e) { return e.id == id; });
    return it == c.events.end() ? nullptr : &*it;
}

const trialcal::Event& event(const trialcal::Calendar& c, const std::string& id) {
    const auto* e = find_event(c, id);
    BOOST_TEST_REQUIRE(e != nullptr, "no event " << id);
    return *e;
}

// ---------------------------------------------------------------------------
// Independent calendar arithmetic: walk day by day with the Gregorian rules.

struct Ymd {
    int y, m, d;
};

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int month_length(int y, int m) {
    static constexpr int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : lengths[m - 1];
}

Ymd walk(Ymd x, int n) {
    for (; n > 0; --n) {
        if (++x.d > month_length(x.y, x.m)) {
            x.d = 1;
            if (++x.m > 12) x.m = 1, ++x.y;
        }
    }
    for (; n < 0; ++n) {
        if (--x.d < 1) {
            if (--x.m < 1) x.m = 12, --x.y;
            x.d = month_length(x.y, x.m);
        }
    }
    return x;
}

Ymd to_ymd(date::year_month_day d) {
    return {static_cast<int>(d.year()), static_cast<int>(static_cast<unsigned>(d.month())),
            static_cast<int>(static_cast<unsigned>(d.day()))};
}

date::sys_days to_sys(Ymd x) {
    return date::sys_days{date::year{x.y} / static_cast<unsigned>(x.m) / static_cast<unsigned>(x.d)};
}

// ---------------------------------------------------------------------------
// The schedules of spec/protocols.md

struct Planned {
    int day;
    int before;  // window [-before, +after]
    int after;
};

// D<first>, D<first + step>, ... D<last>, all with one window.
std::vector<Planned> days(int first, int last, int step, int before, int after) {
    std::vector<Planned> out;
    for (int d = first; d <= last; d += step) out.push_back({d, before, after});
    return out;
}

std::vector<Planned> at(std::initializer_list<int> list, int before, int after) {
    std::vector<Planned> out;
    for (int d : list) out.push_back({d, before, after});
    return out;
}

std::vector<Planned> join(std::initializer_list<std::vector<Planned>> parts) {
    std::vector<Planned> out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

struct PlannedProduct {
    std::string id;
    std::vector<std::string> intakes;  // empty: once a day
    std::size_t count;                 // doses, from the table at the end of the spec
    std::vector<Planned> doses;        // days (one entry per day, whatever the intakes)
};

struct Variant {
    std::string name;
    std::string file;
    std::optional<std::string> arm;
    std::optional<std::string> cohort;
    std::optional<double> weight;
    std::size_t visit_count;  // from the table at the end of the spec
    std::vector<Planned> visits;
    std::vector<PlannedProduct> products;  // in file order
};

std::vector<Planned> df_il2_visits() {
    return join({days(0, 6, 1, 0, 0), at({15, 22}, 1, 1), at({60}, 3, 3)});
}
std::vector<PlannedProduct> df_il2_doses() { return {{"IL2", {}, 5, days(1, 5, 1, 0, 0)}}; }

std::vector<Planned> nct_visits() {
    return join({at({0, 63, 67}, 0, 0), at({88, 179, 270, 361}, 7, 7), at({536, 719}, 14, 14)});
}
std::vector<Planned> ilt101_doses() {
    std::vector<Planned> weekly;
    for (int k = 0; k <= 40; ++k) weekly.push_back({74 + 7 * k, 1, 1});  // D74 + 7k, k = 0..40
    return join({days(63, 67, 1, 0, 0), weekly});
}
std::vector<PlannedProduct> nct_v1_doses() {
    return {{"CSA", {}, 60, days(1, 60, 1, 0, 0)}, {"ILT101", {}, 46, ilt101_doses()}};
}
std::vector<PlannedProduct> nct_v2_doses() {
    return {{"CSA", {"AM", "PM"}, 120, days(1, 60, 1, 0, 0)}, {"ILT101", {}, 46, ilt101_doses()}};
}

std::vector<Planned> transreg_visits() {
    return join({at({0, 1, 8}, 0, 0), at({15, 29}, 2, 2), at({85, 183, 240}, 7, 7), at({360, 540}, 14, 14)});
}
std::vector<Planned> fortnightly_maintenance() {
    std::vector<Planned> out;
    for (int k = 1; k <= 13; ++k) out.push_back({1 + 14 * k, 2, 2});  // D1 + 14k, k = 1..13
    return out;
}
std::vector<PlannedProduct> transreg_doses(bool sle) {
    if (sle) {
        std::vector<Planned> weekly;
        for (int k = 1; k <= 26; ++k) weekly.push_back({1 + 7 * k, 1, 1});  // D1 + 7k, k = 1..26
        return {{"IL2", {}, 31, join({days(1, 5, 1, 0, 0), weekly})}};
    }
    return {{"IL2", {}, 18, join({days(1, 5, 1, 0, 0), fortnightly_maintenance()})}};
}

std::vector<Planned> ms_il2_visits() { return join({at({0, 1, 5}, 0, 0), at({183}, 7, 7)}); }
std::vector<PlannedProduct> ms_il2_doses() {
    return {{"IL2", {}, 18, join({days(1, 5, 1, 0, 0), fortnightly_maintenance()})}};
}

const std::vector<Variant>& variants() {
    static const std::vector<Variant> all = [] {
        std::vector<Variant> v;
        for (const char* arm : {"IL2-1", "IL2-2", "IL2-3", "IL2-4"})
            v.push_back({std::string("DF-IL2 arm ") + arm, "df-il2.toml", arm, {}, {}, 10, df_il2_visits(),
                         df_il2_doses()});
        v.push_back({"DF-IL2 no arm", "df-il2.toml", {}, {}, {}, 10, df_il2_visits(), df_il2_doses()});
        for (const char* arm : {"ILT-101", "placebo"}) {
            v.push_back({std::string("NCT05153070 v1 arm ") + arm, "nct05153070-v1.toml", arm, {}, 60.0, 9,
                         nct_visits(), nct_v1_doses()});
            v.push_back({std::string("NCT05153070 v2 arm ") + arm, "nct05153070-v2.toml", arm, {}, 60.0, 9,
                         nct_visits(), nct_v2_doses()});
        }
        for (const char* cohort : {"RA", "AS", "PSO", "BD", "GPA", "TAK", "CD", "UC", "AIH", "PSC", "SS", "ITP", "SSC"})
            v.push_back({std::string("TRANSREG cohort ") + cohort, "transreg.toml", {}, cohort, {}, 10,
                         transreg_visits(), transreg_doses(false)});
        v.push_back({"TRANSREG cohort SLE", "transreg.toml", {}, "SLE", {}, 10, transreg_visits(),
                     transreg_doses(true)});
        for (const char* arm : {"IL-2", "placebo"})
            v.push_back({std::string("MS-IL2 arm ") + arm, "ms-il2.toml", arm, {}, {}, 4, ms_il2_visits(),
                         ms_il2_doses()});
        return v;
    }();
    return all;
}

std::vector<std::string> variant_names() {
    std::vector<std::string> names;
    for (const auto& v : variants()) names.push_back(v.name);
    return names;
}

const Variant& variant(const std::string& name) {
    const auto& all = variants();
    auto it = std::find_if(all.begin(), all.end(), [&](const Variant& v) { return v.name == name; });
    BOOST_TEST_REQUIRE((it != all.end()), "no variant " << name);
    return *it;
}

// Day 0s around the dates that break naive date arithmetic.
const std::vector<date::year_month_day> day0s{
    2027_y / 3 / 1,    // ordinary
    2027_y / 1 / 31,   // month end: D1 on 1 February, D29 on 1 March
    2027_y / 12 / 28,  // year end: D4 on 1 January 2028
    2028_y / 2 / 25,   // leap day: D4 on 29 February 2028
    2028_y / 2 / 28,   // leap day: D1 on 29 February 2028
    2028_y / 2 / 29,   // day 0 on the leap day
    2028_y / 12 / 31,  // year end into a non-leap February
    2027_y / 3 / 28,   // day 0 on the European spring daylight-saving change
    2027_y / 3 / 25,   // D3 on the spring change
    2027_y / 10 / 31,  // day 0 on the European autumn daylight-saving change
    2027_y / 10 / 27,  // D4 on the autumn change
    2027_y / 10 / 17,  // D15 on the autumn change (maintenance doses and visits)
};

CalendarRequest request(const Variant& v, date::year_month_day day0) {
    return {date::sys_days{day0}, v.arm, v.cohort, v.weight};
}

const PlannedProduct* planned_product(const Variant& v, const std::string& id) {
    for (const auto& p : v.products)
        if (p.id == id) return &p;
    return nullptr;
}

// What the spec says the calendar holds, in the order the CLI contract gives:
// by date, visits before doses, then products in file order, then intakes.
struct ExpectedEvent {
    std::string id;
    EventKind kind;
    int day;
    int before;
    int after;
    std::string product;
    std::string intake;
};

std::vector<ExpectedEvent> expected_events(const Variant& v) {
    std::vector<ExpectedEvent> out;
    for (const auto& p : v.visits)
        out.push_back({"V-D" + std::to_string(p.day), EventKind::visit, p.day, p.before, p.after, "", ""});
    for (const auto& prod : v.products)
        for (const auto& p : prod.doses) {
            const std::string base = prod.id + "-D" + std::to_string(p.day);
            if (prod.intakes.empty())
                out.push_back({base, EventKind::dose, p.day, p.before, p.after, prod.id, ""});
            for (const auto& intake : prod.intakes)
                out.push_back({base + "-" + intake, EventKind::dose, p.day, p.before, p.after, prod.id, intake});
        }
    std::stable_sort(out.begin(), out.end(), [](const ExpectedEvent& a, const ExpectedEvent& b) {
        if (a.day != b.day) return a.day < b.day;
        return a.kind == EventKind::visit && b.kind == EventKind::dose;
    });
    return out;
}

std::vector<int> sorted_days(const std::vector<Planned>& planned) {
    std::vector<int> out;
    for (const auto& p : planned) out.push_back(p.day);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(seed_calendars)

// ---------------------------------------------------------------------------
// Every variant x every day 0

BOOST_DATA_TEST_CASE(visit_and_dose_counts_match_the_spec_table,
                     bdata::make(variant_names()) * bdata::make(day0s), name, day0) {
    const Variant& v = variant(name);
    const auto c = expand_ok(seed(v.file), request(v, day0));

    BOOST_TEST(trialcal::count_visits(c) == v.visit_count);
    BOOST_TEST(v.visits.size() == v.visit_count);
    std::size_t doses = 0;
    for (const auto& p : v.products) {
        BOOST_TEST_CONTEXT("product " << p.id) {
            BOOST_TEST(trialcal::count_doses(c, p.id) == p.count);
            BOOST_TEST(p.doses.size() * std::max<std::size_t>(1, p.intakes.size()) == p.count);
        }
        doses += p.count;
    }
    BOOST_TEST(c.events.size() == v.visit_count + doses);
}

BOOST_DATA_TEST_CASE(visits_fall_on_exactly_the_spec_days_with_the_spec_windows,
                     bdata::make(variant_names()) * bdata::make(day0s), name, day0) {
    const Variant& v = variant(name);
    const auto c = expand_ok(seed(v.file), request(v, day0));

    std::vector<int> got;
    for (const auto& e : c.events)
        if (e.kind == EventKind::visit) got.push_back(e.day.count());
    std::sort(got.begin(), got.end());
    BOOST_TEST(got == sorted_days(v.visits), boost::test_tools::per_element());

    for (const auto& p : v.visits) {
        BOOST_TEST_CONTEXT("V-D" << p.day) {
            const auto& e = event(c, "V-D" + std::to_string(p.day));
            BOOST_TEST(e.kind == EventKind::visit);
            BOOST_TEST(e.day.count() == p.day);
            BOOST_TEST(e.window.from == e.date - date::days{p.before});
            BOOST_TEST(e.window.to == e.date + date::days{p.after});
            BOOST_TEST(!e.name.empty());
            BOOST_TEST(!e.procedures.empty());
        }
    }
}

BOOST_DATA_TEST_CASE(doses_fall_on_exactly_the_spec_days_per_product_with_the_spec_windows,
                     bdata::make(variant_names()) * bdata::make(day0s), name, day0) {
    const Variant& v = variant(name);
    const auto c = expand_ok(seed(v.file), request(v, day0));

    // No dose of a product the spec does not list.
    for (const auto& e : c.events)
        if (e.kind == EventKind::dose) BOOST_TEST((planned_product(v, e.product) != nullptr), e.id);

    for (const auto& p : v.products) {
        BOOST_TEST_CONTEXT("product " << p.id) {
            // One entry per intake: the days of every dose event of the product.
            std::vector<int> got, want;
            for (const auto& e : c.events)
                if (e.kind == EventKind::dose && e.product == p.id) got.push_back(e.day.count());
            for (const auto& d : p.doses)
                for (std::size_t i = 0; i < std::max<std::size_t>(1, p.intakes.size()); ++i) want.push_back(d.day);
            std::sort(got.begin(), got.end());
            std::sort(want.begin(), want.end());
            BOOST_TEST(got == want, boost::test_tools::per_element());

            for (const auto& d : p.doses) {
                const std::string base = p.id + "-D" + std::to_string(d.day);
                std::vector<std::string> ids;
                if (p.intakes.empty()) ids.push_back(base);
                for (const auto& intake : p.intakes) ids.push_back(base + "-" + intake);
                for (const auto& id : ids) {
                    BOOST_TEST_CONTEXT(id) {
                        const auto& e = event(c, id);
                        BOOST_TEST(e.kind == EventKind::dose);
                        BOOST_TEST(e.product == p.id);
                        BOOST_TEST(e.day.count() == d.day);
                        BOOST_TEST(e.window.from == e.date - date::days{d.before});
                        BOOST_TEST(e.window.to == e.date + date::days{d.after});
                    }
                }
            }
        }
    }
}

BOOST_DATA_TEST_CASE(every_event_and_window_is_day0_plus_its_study_day_on_the_calendar,
                     bdata::make(variant_names()) * bdata::make(day0s), name, day0) {
    const Variant& v = variant(name);
    const auto c = expand_ok(seed(v.file), request(v, day0));

    BOOST_TEST(c.day0 == date::sys_days{day0});
    const Ymd start = to_ymd(day0);
    std::map<std::string, ExpectedEvent> planned;
    for (auto& e : expected_events(v)) planned.emplace(e.id, e);
    for (const auto& e : c.events) {
        BOOST_TEST_CONTEXT(e.id) {
            auto it = planned.find(e.id);
            BOOST_TEST_REQUIRE((it != planned.end()), "unplanned event");
            const ExpectedEvent& x = it->second;
            BOOST_TEST(e.date == to_sys(walk(start, x.day)));
            BOOST_TEST(e.window.from == to_sys(walk(start, x.day - x.before)));
            BOOST_TEST(e.window.to == to_sys(walk(start, x.day + x.after)));
        }
    }
}

BOOST_DATA_TEST_CASE(events_are_sorted_by_date_with_visits_before_doses_on_a_date,
                     bdata::make(variant_names()) * bdata::make(day0s), name, day0) {
    const Variant& v = variant(name);
    const auto c = expand_ok(seed(v.file), request(v, day0));

    for (std::size_t i = 1; i < c.events.size(); ++i) {
        const auto& a = c.events[i - 1];
        const auto& b = c.events[i];
        BOOST_TEST_CONTEXT(a.id << " then " << b.id) {
            BOOST_TEST(a.date <= b.date);
            if (a.date == b.date) BOOST_TEST(!(a.kind == EventKind::dose && b.kind == EventKind::visit));
        }
    }
    // And the whole order is the one the spec gives, event by event.
    std::vector<std::string> got, want;
    for (const auto& e : c.events) got.push_back(e.id);
    for (const auto& e : expected_events(v)) want.push_back(e.id);
    BOOST_TEST(got == want, boost::test_tools::per_element());
}

BOOST_DATA_TEST_CASE(event_ids_are_unique_and_name_the_visit_or_product_day_and_intake,
                     bdata::make(variant_names()) * bdata::make(day0s), name, day0) {
    const Variant& v = variant(name);
    const auto c = expand_ok(seed(v.file), request(v, day0));

    std::set<std::string> seen;
    for (const auto& e : c.events) {
        BOOST_TEST(seen.insert(e.id).second, "duplicate id " << e.id);
        const std::string base = (e.kind == EventKind::visit ? std::string("V") : e.product) + "-D" +
                                 std::to_string(e.day.count());
        BOOST_TEST(e.id == (e.intake.empty() ? base : base + "-" + e.intake));
    }
    BOOST_TEST(seen.size() == c.events.size());
}

// ---------------------------------------------------------------------------
// Literal dates

BOOST_AUTO_TEST_CASE(df_il2_from_day0_2028_02_25_doses_on_the_leap_day) {
    const auto c = expand_ok(seed("df-il2.toml"), {date::sys_days{2028_y / 2 / 25}, "IL2-2", {}, {}});
    BOOST_TEST(event(c, "V-D0").date == date::sys_days{2028_y / 2 / 25});
    BOOST_TEST(event(c, "IL2-D1").date == date::sys_days{2028_y / 2 / 26});
    BOOST_TEST(event(c, "IL2-D4").date == date::sys_days{2028_y / 2 / 29});
    BOOST_TEST(event(c, "V-D4").date == date::sys_days{2028_y / 2 / 29});
    BOOST_TEST(event(c, "IL2-D5").date == date::sys_days{2028_y / 3 / 1});
    BOOST_TEST(event(c, "V-D6").date == date::sys_days{2028_y / 3 / 2});
    BOOST_TEST(event(c, "V-D15").date == date::sys_days{2028_y / 3 / 11});
    BOOST_TEST(event(c, "V-D15").window.from == date::sys_days{2028_y / 3 / 10});
    BOOST_TEST(event(c, "V-D15").window.to == date::sys_days{2028_y / 3 / 12});
    BOOST_TEST(event(c, "V-D22").date == date::sys_days{2028_y / 3 / 18});
    BOOST_TEST(event(c, "V-D60").date == date::sys_days{2028_y / 4 / 25});
    BOOST_TEST(event(c, "V-D60").window.from == date::sys_days{2028_y / 4 / 22});
    BOOST_TEST(event(c, "V-D60").window.to == date::sys_days{2028_y / 4 / 28});
    // D4 and its injection share the leap day, the visit first.
    BOOST_TEST(c.events[7].id == "V-D4");
    BOOST_TEST(c.events[8].id == "IL2-D4");
}

BOOST_AUTO_TEST_CASE(transreg_sle_from_day0_2028_02_28_starts_on_the_leap_day) {
    const auto c = expand_ok(seed("transreg.toml"), {date::sys_days{2028_y / 2 / 28}, {}, "SLE", {}});
    BOOST_TEST(event(c, "V-D1").date == date::sys_days{2028_y / 2 / 29});
    BOOST_TEST(event(c, "IL2-D1").date == date::sys_days{2028_y / 2 / 29});
    BOOST_TEST(event(c, "IL2-D2").date == date::sys_days{2028_y / 3 / 1});
    BOOST_TEST(event(c, "IL2-D183").date == date::sys_days{2028_y / 8 / 29});
    BOOST_TEST(event(c, "IL2-D183").window.from == date::sys_days{2028_y / 8 / 28});
    BOOST_TEST(event(c, "IL2-D183").window.to == date::sys_days{2028_y / 8 / 30});
    BOOST_TEST(event(c, "V-D540").date == date::sys_days{2029_y / 8 / 21});
    BOOST_TEST(c.events.back().id == "V-D540");
}

BOOST_AUTO_TEST_CASE(nct05153070_v1_from_day0_2028_12_31_crosses_into_a_non_leap_february) {
    const auto c =
        expand_ok(seed("nct05153070-v1.toml"), {date::sys_days{2028_y / 12 / 31}, "ILT-101", {}, 60.0});
    BOOST_TEST(event(c, "CSA-D1").date == date::sys_days{2029_y / 1 / 1});
    BOOST_TEST(event(c, "CSA-D59").date == date::sys_days{2029_y / 2 / 28});
    BOOST_TEST(event(c, "CSA-D60").date == date::sys_days{2029_y / 3 / 1});
    BOOST_TEST(event(c, "V-D63").date == date::sys_days{2029_y / 3 / 4});
    BOOST_TEST(event(c, "ILT101-D354").date == date::sys_days{2029_y / 12 / 20});
    BOOST_TEST(event(c, "V-D719").date == date::sys_days{2030_y / 12 / 20});
}

BOOST_AUTO_TEST_CASE(df_il2_from_day0_2027_12_28_crosses_the_year_end) {
    const auto c = expand_ok(seed("df-il2.toml"), {date::sys_days{2027_y / 12 / 28}, "IL2-1", {}, {}});
    BOOST_TEST(event(c, "IL2-D3").date == date::sys_days{2027_y / 12 / 31});
    BOOST_TEST(event(c, "IL2-D4").date == date::sys_days{2028_y / 1 / 1});
}

BOOST_AUTO_TEST_CASE(daylight_saving_changes_do_not_move_dates) {
    const auto spring = expand_ok(seed("ms-il2.toml"), {date::sys_days{2027_y / 3 / 25}, "IL-2", {}, {}});
    BOOST_TEST(event(spring, "IL2-D3").date == date::sys_days{2027_y / 3 / 28});
    BOOST_TEST(event(spring, "IL2-D4").date == date::sys_days{2027_y / 3 / 29});

    const auto autumn = expand_ok(seed("transreg.toml"), {date::sys_days{2027_y / 10 / 27}, {}, "RA", {}});
    BOOST_TEST(event(autumn, "IL2-D4").date == date::sys_days{2027_y / 10 / 31});
    BOOST_TEST(event(autumn, "IL2-D5").date == date::sys_days{2027_y / 11 / 1});

    const auto on_change = expand_ok(seed("ms-il2.toml"), {date::sys_days{2027_y / 10 / 31}, "placebo", {}, {}});
    BOOST_TEST(event(on_change, "V-D0").date == date::sys_days{2027_y / 10 / 31});
    BOOST_TEST(event(on_change, "V-D183").date == date::sys_days{2028_y / 5 / 1});
    BOOST_TEST(event(on_change, "V-D183").window.from == date::sys_days{2028_y / 4 / 24});
    BOOST_TEST(event(on_change, "V-D183").window.to == date::sys_days{2028_y / 5 / 8});
}

BOOST_AUTO_TEST_CASE(nct05153070_v2_from_day0_2027_01_31_crosses_the_month_end) {
    const auto c =
        expand_ok(seed("nct05153070-v2.toml"), {date::sys_days{2027_y / 1 / 31}, "placebo", {}, 60.0});
    BOOST_TEST(event(c, "CSA-D1-AM").date == date::sys_days{2027_y / 2 / 1});
    BOOST_TEST(event(c, "CSA-D28-PM").date == date::sys_days{2027_y / 2 / 28});
    BOOST_TEST(event(c, "CSA-D29-AM").date == date::sys_days{2027_y / 3 / 1});
}

BOOST_AUTO_TEST_CASE(nct05153070_v2_from_day0_2027_03_01_ends_with_v_d719_on_2029_02_17) {
    const auto c =
        expand_ok(seed("nct05153070-v2.toml"), {date::sys_days{2027_y / 3 / 1}, "ILT-101", {}, 60.0});
    BOOST_TEST_REQUIRE(c.events.size() == 175u);
    BOOST_TEST(c.events.front().id == "V-D0");
    BOOST_TEST(c.events.front().date == date::sys_days{2027_y / 3 / 1});
    BOOST_TEST(c.events[1].id == "CSA-D1-AM");
    BOOST_TEST(c.events[2].id == "CSA-D1-PM");
    BOOST_TEST(c.events[1].date == date::sys_days{2027_y / 3 / 2});
    BOOST_TEST(c.events[2].date == date::sys_days{2027_y / 3 / 2});
    BOOST_TEST(c.events.back().id == "V-D719");
    BOOST_TEST(c.events.back().date == date::sys_days{2029_y / 2 / 17});
    BOOST_TEST(c.events.back().window.from == date::sys_days{2029_y / 2 / 3});
    BOOST_TEST(c.events.back().window.to == date::sys_days{2029_y / 3 / 3});
    BOOST_TEST(event(c, "ILT101-D354").date == date::sys_days{2028_y / 2 / 18});
    BOOST_TEST(event(c, "V-D361").date == date::sys_days{2028_y / 2 / 25});
}

// ---------------------------------------------------------------------------
// Versions of NCT05153070: intake ids

BOOST_AUTO_TEST_CASE(nct05153070_v2_has_morning_and_evening_ciclosporin_ids) {
    const auto c = expand_ok(seed("nct05153070-v2.toml"), {date::sys_days{2027_y / 3 / 1}, "ILT-101", {}, 60.0});
    BOOST_TEST(event(c, "CSA-D1-AM").intake == "AM");
    BOOST_TEST(event(c, "CSA-D1-PM").intake == "PM");
    BOOST_TEST(event(c, "CSA-D60-PM").intake == "PM");
    BOOST_TEST(find_event(c, "CSA-D1") == nullptr);
    BOOST_TEST(find_event(c, "CSA-D61-AM") == nullptr);
    // Each day: the morning intake immediately followed by the evening one.
    for (int d = 1; d <= 60; ++d) {
        const std::string base = "CSA-D" + std::to_string(d);
        auto am = std::find_if(c.events.begin(), c.events.end(), [&](const auto& e) { return e.id == base + "-AM"; });
        BOOST_TEST_REQUIRE((am != c.events.end()));
        BOOST_TEST_REQUIRE((am + 1 != c.events.end()));
        BOOST_TEST((am + 1)->id == base + "-PM");
    }
}

BOOST_AUTO_TEST_CASE(nct05153070_v1_has_one_ciclosporin_id_a_day) {
    const auto c = expand_ok(seed("nct05153070-v1.toml"), {date::sys_days{2027_y / 3 / 1}, "ILT-101", {}, 60.0});
    BOOST_TEST(event(c, "CSA-D1").intake == "");
    BOOST_TEST(event(c, "CSA-D60").intake == "");
    BOOST_TEST(find_event(c, "CSA-D1-AM") == nullptr);
    BOOST_TEST(find_event(c, "CSA-D1-PM") == nullptr);
    BOOST_TEST(c.protocol == "NCT05153070");
    BOOST_TEST(c.version == "1");
}

// ---------------------------------------------------------------------------
// Amounts

BOOST_DATA_TEST_CASE(df_il2_active_arms_give_their_aldesleukin_dose,
                     bdata::make(std::vector<std::string>{"IL2-1", "IL2-2", "IL2-3", "il2-1", "il2-3"}) ^
                         bdata::make(std::vector<std::string>{"IL2-1", "IL2-2", "IL2-3", "IL2-1", "IL2-3"}) ^
                         bdata::make(std::vector<double>{0.33, 1, 3, 0.33, 3}),
                     typed, canonical, miu) {
    const auto c = expand_ok(seed("df-il2.toml"), {date::sys_days{2027_y / 3 / 1}, typed, {}, {}});
    BOOST_TEST_REQUIRE(c.arm.has_value());
    BOOST_TEST(*c.arm == canonical);
    BOOST_TEST(!c.blinded);
    BOOST_TEST(trialcal::count_doses(c, "IL2") == 5u);
    for (const auto& e : c.events) {
        if (e.kind != EventKind::dose) continue;
        BOOST_TEST_CONTEXT(e.id) {
            BOOST_TEST(e.drug == "aldesleukin");
            BOOST_TEST_REQUIRE(e.amount.has_value());
            BOOST_TEST(*e.amount == miu);
            BOOST_TEST(e.unit == "MIU");
            BOOST_TEST(e.route == "SC");
            BOOST_TEST(!e.blinded);
        }
    }
}

BOOST_AUTO_TEST_CASE(df_il2_placebo_arm_gives_placebo_with_no_amount) {
    const auto c = expand_ok(seed("df-il2.toml"), {date::sys_days{2027_y / 3 / 1}, "il2-4", {}, {}});
    BOOST_TEST(*c.arm == "IL2-4");
    BOOST_TEST(trialcal::count_doses(c, "IL2") == 5u);
    for (const auto& e : c.events) {
        if (e.kind != EventKind::dose) continue;
        BOOST_TEST_CONTEXT(e.id) {
            BOOST_TEST(e.drug == "placebo");
            BOOST_TEST(!e.amount.has_value());
            BOOST_TEST(e.unit == "");
            BOOST_TEST(e.route == "SC");
            BOOST_TEST(!e.blinded);
        }
    }
}

BOOST_AUTO_TEST_CASE(df_il2_without_arm_leaves_the_amount_unknown) {
    const auto c = expand_ok(seed("df-il2.toml"), {date::sys_days{2027_y / 3 / 1}, {}, {}, {}});
    BOOST_TEST(!c.arm.has_value());
    for (const auto& e : c.events) {
        if (e.kind != EventKind::dose) continue;
        BOOST_TEST(e.drug == "aldesleukin");
        BOOST_TEST(!e.amount.has_value());
    }
}

// mg/kg x weight, rounded to the nearest 25 mg, halves away from zero:
// v2 5 mg/kg: 60 kg 300 -> 300; 63 kg 315 -> 325 (12.6 steps); 62 kg 310 -> 300 (12.4);
//   62.5 kg 312.5 -> 325 (12.5, half up); 57.5 kg 287.5 -> 300 (11.5, half up); 70 kg 350 -> 350;
//   350 kg 1750 -> 1750.
// v1 7 mg/kg: 60 kg 420 -> 425 (16.8); 37.5 kg 262.5 -> 275 (10.5, half up); 64 kg 448 -> 450 (17.92);
//   80 kg 560 -> 550 (22.4); 50 kg 350 -> 350; 12.5 kg 87.5 -> 100 (3.5, half up).
BOOST_DATA_TEST_CASE(nct05153070_ciclosporin_per_intake_is_weight_times_mg_per_kg_rounded_to_25_mg,
                     bdata::make(std::vector<std::string>{"nct05153070-v2.toml", "nct05153070-v2.toml",
                                                          "nct05153070-v2.toml", "nct05153070-v2.toml",
                                                          "nct05153070-v2.toml", "nct05153070-v2.toml",
                                                          "nct05153070-v2.toml", "nct05153070-v1.toml",
                                                          "nct05153070-v1.toml", "nct05153070-v1.toml",
                                                          "nct05153070-v1.toml", "nct05153070-v1.toml",
                                                          "nct05153070-v1.toml"}) ^
                         bdata::make(std::vector<double>{60, 63, 62, 62.5, 57.5, 70, 350, 60, 37.5, 64, 80, 50, 12.5}) ^
                         bdata::make(std::vector<double>{300, 325, 300, 325, 300, 350, 1750, 425, 275, 450, 550, 350,
                                                         100}),
                     file, weight, mg) {
    for (const char* arm : {"ILT-101", "placebo"}) {
        BOOST_TEST_CONTEXT("arm " << arm) {
            const auto c = expand_ok(seed(file), {date::sys_days{2027_y / 3 / 1}, arm, {}, weight});
            std::size_t n = 0;
            for (const auto& e : c.events) {
                if (e.product != "CSA") continue;
                ++n;
                BOOST_TEST_CONTEXT(e.id) {
                    BOOST_TEST(e.drug == "ciclosporin");
                    BOOST_TEST_REQUIRE(e.amount.has_value());
                    BOOST_TEST(*e.amount == mg);
                    BOOST_TEST(e.unit == "mg");
                    BOOST_TEST(e.route == "oral");
                    BOOST_TEST(!e.blinded);
                }
            }
            BOOST_TEST(n == (file == "nct05153070-v2.toml" ? 120u : 60u));
        }
    }
}

BOOST_AUTO_TEST_CASE(nct05153070_arms_give_ilt101_1_miu_or_placebo) {
    for (const char* file : {"nct05153070-v1.toml", "nct05153070-v2.toml"}) {
        BOOST_TEST_CONTEXT(file) {
            const auto active = expand_ok(seed(file), {date::sys_days{2027_y / 3 / 1}, "ilt-101", {}, 60.0});
            BOOST_TEST(*active.arm == "ILT-101");
            for (const auto& e : active.events) {
                if (e.product != "ILT101") continue;
                BOOST_TEST(e.drug == "ILT-101");
                BOOST_TEST(e.amount == std::optional<double>{1.0});
                BOOST_TEST(e.unit == "MIU");
                BOOST_TEST(e.route == "SC");
                BOOST_TEST(!e.blinded);
            }
            const auto placebo = expand_ok(seed(file), {date::sys_days{2027_y / 3 / 1}, "PLACEBO", {}, 60.0});
            BOOST_TEST(*placebo.arm == "placebo");
            for (const auto& e : placebo.events) {
                if (e.product != "ILT101") continue;
                BOOST_TEST(e.drug == "placebo");
                // Placebo looks like the product: the same 1 ml, no MIU.
                BOOST_TEST(e.amount == std::optional<double>{1.0});
                BOOST_TEST(e.unit == "ml");
                BOOST_TEST(!e.blinded);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(transreg_gives_1_miu_open_label_and_keeps_the_canonical_cohort) {
    const auto c = expand_ok(seed("transreg.toml"), {date::sys_days{2027_y / 3 / 1}, {}, "sle", {}});
    BOOST_TEST_REQUIRE(c.cohort.has_value());
    BOOST_TEST(*c.cohort == "SLE");
    BOOST_TEST(!c.arm.has_value());
    BOOST_TEST(trialcal::count_doses(c, "IL2") == 31u);
    for (const auto& e : c.events) {
        if (e.kind != EventKind::dose) continue;
        BOOST_TEST(e.drug == "aldesleukin (Proleukin)");
        BOOST_TEST(e.amount == std::optional<double>{1.0});
        BOOST_TEST(e.unit == "MIU");
    }
}

BOOST_AUTO_TEST_CASE(ms_il2_arm_il_2_gives_1_miu_and_lowercase_arm_ids_resolve) {
    const auto c = expand_ok(seed("ms-il2.toml"), {date::sys_days{2027_y / 3 / 1}, "il-2", {}, {}});
    BOOST_TEST(*c.arm == "IL-2");
    for (const auto& e : c.events) {
        if (e.kind != EventKind::dose) continue;
        BOOST_TEST(e.drug == "aldesleukin");
        BOOST_TEST(e.amount == std::optional<double>{1.0});
        BOOST_TEST(e.unit == "MIU");
    }
}

// ---------------------------------------------------------------------------
// Blinding

BOOST_AUTO_TEST_CASE(blinded_nct05153070_shows_the_label_and_1_ml_and_leaves_ciclosporin_open) {
    for (const char* file : {"nct05153070-v1.toml", "nct05153070-v2.toml"}) {
        for (const char* arm : {"ILT-101", "placebo"}) {
            BOOST_TEST_CONTEXT(file << " arm " << arm) {
                const auto& p = seed(file);
                const auto c = trialcal::blind(expand_ok(p, {date::sys_days{2027_y / 3 / 1}, arm, {}, 60.0}), p);
                BOOST_TEST(c.blinded);
                BOOST_TEST(!c.arm.has_value());
                BOOST_TEST(trialcal::count_doses(c, "ILT101") == 46u);
                for (const auto& e : c.events) {
                    if (e.kind != EventKind::dose) continue;
                    BOOST_TEST_CONTEXT(e.id) {
                        if (e.product == "ILT101") {
                            BOOST_TEST(e.drug == "ILT-101 or placebo");
                            BOOST_TEST(e.amount == std::optional<double>{1.0});
                            BOOST_TEST(e.unit == "ml");
                            BOOST_TEST(e.route == "SC");
                            BOOST_TEST(e.blinded);
                        } else {
                            BOOST_TEST(e.product == "CSA");
                            BOOST_TEST(e.drug == "ciclosporin");
                            BOOST_TEST(e.amount ==
                                       std::optional<double>{std::string(file) == "nct05153070-v1.toml" ? 425.0 : 300.0});
                            BOOST_TEST(e.unit == "mg");
                            BOOST_TEST(e.route == "oral");
                            BOOST_TEST(!e.blinded);
                        }
                    }
                }
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(blinded_df_il2_and_ms_il2_show_the_label_and_no_amount) {
    struct Case {
        const char* file;
        const char* arm;
        const char* label;
    };
    for (const Case& k : {Case{"df-il2.toml", "IL2-3", "aldesleukin or placebo"},
                          Case{"df-il2.toml", "IL2-4", "aldesleukin or placebo"},
                          Case{"ms-il2.toml", "IL-2", "IL-2 or placebo"},
                          Case{"ms-il2.toml", "placebo", "IL-2 or placebo"}}) {
        BOOST_TEST_CONTEXT(k.file << " arm " << k.arm) {
            const auto& p = seed(k.file);
            const auto c = trialcal::blind(expand_ok(p, {date::sys_days{2027_y / 3 / 1}, k.arm, {}, {}}), p);
            BOOST_TEST(c.blinded);
            BOOST_TEST(!c.arm.has_value());
            for (const auto& e : c.events) {
                if (e.kind != EventKind::dose) continue;
                BOOST_TEST(e.drug == k.label);
                BOOST_TEST(!e.amount.has_value());
                BOOST_TEST(e.unit == "");
                BOOST_TEST(e.blinded);
            }
        }
    }
}

namespace {
void check_identical(const trialcal::Calendar& a, const trialcal::Calendar& b) {
    BOOST_TEST(a.protocol == b.protocol);
    BOOST_TEST(a.version == b.version);
    BOOST_TEST(a.arm == b.arm);
    BOOST_TEST(a.cohort == b.cohort);
    BOOST_TEST(a.blinded == b.blinded);
    BOOST_TEST(a.day0 == b.day0);
    BOOST_TEST_REQUIRE(a.events.size() == b.events.size());
    for (std::size_t i = 0; i < a.events.size(); ++i) {
        const auto& x = a.events[i];
        const auto& y = b.events[i];
        BOOST_TEST_CONTEXT("event " << i << " " << x.id) {
            BOOST_TEST(x.id == y.id);
            BOOST_TEST(x.kind == y.kind);
            BOOST_TEST(x.day.count() == y.day.count());
            BOOST_TEST(x.date == y.date);
            BOOST_TEST(x.window.from == y.window.from);
            BOOST_TEST(x.window.to == y.window.to);
            BOOST_TEST(x.name == y.name);
            BOOST_TEST(x.procedures == y.procedures, boost::test_tools::per_element());
            BOOST_TEST(x.product == y.product);
            BOOST_TEST(x.drug == y.drug);
            BOOST_TEST(x.amount == y.amount);
            BOOST_TEST(x.unit == y.unit);
            BOOST_TEST(x.route == y.route);
            BOOST_TEST(x.intake == y.intake);
            BOOST_TEST(x.blinded == y.blinded);
        }
    }
}
}  // namespace

BOOST_DATA_TEST_CASE(blinded_views_of_different_arms_are_identical_event_by_event,
                     bdata::make(std::vector<std::string>{"df-il2.toml", "df-il2.toml", "df-il2.toml",
                                                          "nct05153070-v1.toml", "nct05153070-v2.toml",
                                                          "ms-il2.toml"}) ^
                         bdata::make(std::vector<std::string>{"IL2-1", "IL2-1", "IL2-2", "ILT-101", "ILT-101", "IL-2"}) ^
                         bdata::make(std::vector<std::string>{"IL2-4", "IL2-3", "IL2-3", "placebo", "placebo",
                                                              "placebo"}),
                     file, arm_a, arm_b) {
    const auto& p = seed(file);
    const std::optional<double> weight = p.needs_weight() ? std::optional<double>{72.0} : std::nullopt;
    const auto a = trialcal::blind(expand_ok(p, {date::sys_days{2028_y / 2 / 25}, arm_a, {}, weight}), p);
    const auto b = trialcal::blind(expand_ok(p, {date::sys_days{2028_y / 2 / 25}, arm_b, {}, weight}), p);
    check_identical(a, b);
    // A preview without an arm, blinded, is the same view again.
    const auto none = trialcal::blind(expand_ok(p, {date::sys_days{2028_y / 2 / 25}, {}, {}, weight}), p);
    check_identical(a, none);
}

BOOST_AUTO_TEST_CASE(blinding_keeps_ids_dates_windows_and_order) {
    const auto& p = seed("nct05153070-v2.toml");
    const auto open = expand_ok(p, {date::sys_days{2028_y / 2 / 28}, "placebo", {}, 81.0});
    const auto blinded = trialcal::blind(open, p);
    BOOST_TEST_REQUIRE(open.events.size() == blinded.events.size());
    for (std::size_t i = 0; i < open.events.size(); ++i) {
        BOOST_TEST(open.events[i].id == blinded.events[i].id);
        BOOST_TEST(open.events[i].date == blinded.events[i].date);
        BOOST_TEST(open.events[i].window.from == blinded.events[i].window.from);
        BOOST_TEST(open.events[i].window.to == blinded.events[i].window.to);
    }
    BOOST_TEST(blinded.day0 == date::sys_days{2028_y / 2 / 28});
    BOOST_TEST(blinded.version == "2");
}

BOOST_AUTO_TEST_CASE(blinding_an_open_label_transreg_calendar_changes_nothing) {
    const auto& p = seed("transreg.toml");
    const auto open = expand_ok(p, {date::sys_days{2027_y / 3 / 1}, {}, "RA", {}});
    const auto blinded = trialcal::blind(open, p);
    BOOST_TEST(!blinded.blinded);
    BOOST_TEST(blinded.cohort == std::optional<std::string>{"RA"});
    check_identical(open, blinded);
}

// ---------------------------------------------------------------------------
// Errors

namespace {
trialcal::CalendarError expand_error(const std::string& file, const CalendarRequest& r) {
    auto c = trialcal::expand(seed(file), r);
    BOOST_TEST_REQUIRE(!c.has_value());
    return c.error();
}

bool mentions(const std::string& message, const std::string& what) {
    return message.find(what) != std::string::npos;
}

const std::vector<std::string> transreg_cohorts{"RA", "AS",  "SLE", "PSO", "BD", "GPA", "TAK",
                                                "CD", "UC", "AIH", "PSC", "SS", "ITP", "SSC"};
}  // namespace

// ---------------------------------------------------------------------------
// The early-termination visit (protocols.md, Additions): in every seed, never
// in a plan, dated from the withdrawal date.

struct EarlyTermination {
    const char* file;
    CalendarRequest request;  // any valid patient of the protocol
    const char* last_visit;   // whose procedures it repeats
};

std::ostream& operator<<(std::ostream& os, const EarlyTermination& e) { return os << e.file; }

const std::vector<EarlyTermination> early_terminations = {
    {"df-il2.toml", {2027_y / 3 / 1, "IL2-2", {}, {}}, "V-D60"},
    {"nct05153070-v1.toml", {2027_y / 3 / 1, "ILT-101", {}, 60.0}, "V-D719"},
    {"nct05153070-v2.toml", {2027_y / 3 / 1, "placebo", {}, 60.0}, "V-D719"},
    {"transreg.toml", {2027_y / 3 / 1, {}, "SLE", {}}, "V-D540"},
    {"ms-il2.toml", {2027_y / 3 / 1, "IL-2", {}, {}}, "V-D183"},
};

BOOST_DATA_TEST_CASE(early_termination_visit_is_day_0_window_0_14_with_the_last_visits_procedures,
                     bdata::make(early_terminations), et) {
    const auto& p = seed(et.file);
    const trialcal::Visit* v = trialcal::early_termination_visit(p);
    BOOST_TEST_REQUIRE(v != nullptr);
    BOOST_TEST(v->id == "V-ET");
    BOOST_TEST(v->name == "Early termination");
    BOOST_TEST(v->early_termination);
    BOOST_TEST(v->day.count() == 0);
    BOOST_TEST((v->window == trialcal::Window{date::days{0}, date::days{14}}));
    BOOST_TEST(!v->anchor.has_value());
    BOOST_TEST(v->patient_name.fr == "Visite de fin d'\u00e9tude anticip\u00e9e");
    BOOST_TEST(v->patient_name.en == "Early termination visit");
    const auto last = std::find_if(p.visits.begin(), p.visits.end(),
                                   [&](const trialcal::Visit& x) { return x.id == et.last_visit; });
    BOOST_TEST_REQUIRE((last != p.visits.end()));
    BOOST_TEST(v->procedures == last->procedures, boost::test_tools::per_element());
    for (const auto& x : p.visits) BOOST_TEST((x.day <= last->day || x.early_termination), x.id);
    const auto is_et = [](const trialcal::Visit& x) { return x.early_termination; };
    BOOST_TEST(std::count_if(p.visits.begin(), p.visits.end(), is_et) == 1);
    BOOST_TEST(p.planned_visit_count() == p.visits.size() - 1);
}

BOOST_DATA_TEST_CASE(early_termination_visit_is_in_no_plan, bdata::make(early_terminations), et) {
    const auto c = expand_ok(seed(et.file), et.request);
    BOOST_TEST(find_event(c, "V-ET") == nullptr);
}

BOOST_DATA_TEST_CASE(early_termination_event_is_dated_from_the_withdrawal, bdata::make(early_terminations), et) {
    const auto& p = seed(et.file);
    const trialcal::Visit* v = trialcal::early_termination_visit(p);
    BOOST_TEST_REQUIRE(v != nullptr);
    const auto e = trialcal::early_termination_event(p, *v, 2027_y / 5 / 10);
    BOOST_TEST(e.id == "V-ET");
    BOOST_TEST((e.kind == EventKind::visit));
    BOOST_TEST(e.day.count() == 0);
    BOOST_TEST(e.date == date::sys_days{2027_y / 5 / 10});
    BOOST_TEST(e.window.from == date::sys_days{2027_y / 5 / 10});
    BOOST_TEST(e.window.to == date::sys_days{2027_y / 5 / 24});
    BOOST_TEST(e.name == "Early termination");
    BOOST_TEST(e.procedures == v->procedures, boost::test_tools::per_element());
    BOOST_TEST(!e.anchor.has_value());
    BOOST_TEST(e.product.empty());
}

BOOST_AUTO_TEST_CASE(unknown_arm_is_refused_with_the_list_of_arms) {
    const auto e = expand_error("df-il2.toml", {date::sys_days{2027_y / 3 / 1}, "IL2-5", {}, {}});
    BOOST_TEST(e.code == CalendarErrc::unknown_arm);
    BOOST_TEST(e.value == "IL2-5");
    for (const char* arm : {"IL2-1", "IL2-2", "IL2-3", "IL2-4"}) BOOST_TEST(mentions(e.message, arm), e.message);

    const auto n = expand_error("nct05153070-v2.toml", {date::sys_days{2027_y / 3 / 1}, "active", {}, 60.0});
    BOOST_TEST(n.code == CalendarErrc::unknown_arm);
    BOOST_TEST(n.value == "active");
    BOOST_TEST(mentions(n.message, "ILT-101"), n.message);
    BOOST_TEST(mentions(n.message, "placebo"), n.message);
}

BOOST_AUTO_TEST_CASE(unknown_cohort_is_refused_with_the_list_of_cohorts) {
    const auto e = expand_error("transreg.toml", {date::sys_days{2027_y / 3 / 1}, {}, "MS", {}});
    BOOST_TEST(e.code == CalendarErrc::unknown_cohort);
    BOOST_TEST(e.value == "MS");
    for (const auto& c : transreg_cohorts) BOOST_TEST(mentions(e.message, c), c << " in: " << e.message);
}

BOOST_AUTO_TEST_CASE(transreg_without_cohort_is_refused_with_the_list_of_cohorts) {
    const auto e = expand_error("transreg.toml", {date::sys_days{2027_y / 3 / 1}, {}, {}, {}});
    BOOST_TEST(e.code == CalendarErrc::cohort_required);
    for (const auto& c : transreg_cohorts) BOOST_TEST(mentions(e.message, c), c << " in: " << e.message);
}

BOOST_AUTO_TEST_CASE(arm_given_to_single_group_transreg_is_not_applicable) {
    const auto e = expand_error("transreg.toml", {date::sys_days{2027_y / 3 / 1}, "IL2", "RA", {}});
    BOOST_TEST(e.code == CalendarErrc::arm_not_applicable);
    BOOST_TEST(e.value == "IL2");
    BOOST_TEST(mentions(e.message, "TRANSREG"), e.message);
    BOOST_TEST(mentions(e.message, "no arms"), e.message);
}

BOOST_AUTO_TEST_CASE(cohort_given_to_df_il2_is_not_applicable) {
    const auto e = expand_error("df-il2.toml", {date::sys_days{2027_y / 3 / 1}, "IL2-1", "RA", {}});
    BOOST_TEST(e.code == CalendarErrc::cohort_not_applicable);
    BOOST_TEST(e.value == "RA");
    BOOST_TEST(mentions(e.message, "no cohorts"), e.message);
}

BOOST_AUTO_TEST_CASE(nct05153070_without_weight_is_refused) {
    for (const char* file : {"nct05153070-v1.toml", "nct05153070-v2.toml"}) {
        const auto e = expand_error(file, {date::sys_days{2027_y / 3 / 1}, "ILT-101", {}, {}});
        BOOST_TEST(e.code == CalendarErrc::weight_required);
        BOOST_TEST(mentions(e.message, "weight"), e.message);
        BOOST_TEST(mentions(e.message, "kg"), e.message);
    }
}

BOOST_DATA_TEST_CASE(weight_out_of_range_is_refused_with_the_valid_range,
                     bdata::make(std::vector<double>{0, -5, 400, 350.5}) ^
                         bdata::make(std::vector<std::string>{"0", "-5", "400", "350.5"}),
                     weight, text) {
    const auto e = expand_error("nct05153070-v2.toml", {date::sys_days{2027_y / 3 / 1}, "ILT-101", {}, weight});
    BOOST_TEST(e.code == CalendarErrc::weight_out_of_range);
    BOOST_TEST(e.value == text);
    BOOST_TEST(mentions(e.message, "0"), e.message);
    BOOST_TEST(mentions(e.message, "350 kg"), e.message);
}

BOOST_AUTO_TEST_CASE(weight_of_exactly_350_kg_is_accepted) {
    const auto c = expand_ok(seed("nct05153070-v1.toml"), {date::sys_days{2027_y / 3 / 1}, "placebo", {}, 350.0});
    BOOST_TEST(event(c, "CSA-D1").amount == std::optional<double>{2450.0});  // 7 x 350 = 2450, a multiple of 25
}

BOOST_AUTO_TEST_SUITE_END()
