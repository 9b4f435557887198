// Anchors and re-projection (core/anchors.hpp): which visit or regimen plans
// an event id, the seeds' anchored events moving by exactly the days their
// anchor was late, chains, records keeping their dates, undoing, shifts, and
// random protocols against a brute-force fixed point.
#include "core/anchors.hpp"
#include "core/calendar.hpp"
#include "tests/core/seed_protocols.hpp"
#include "tests/support/print.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <date/date.h>

#include <algorithm>
#include <map>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace boost::test_tools::tt_detail {
template <>
struct print_log_value<trialcal::DateWindow> {
    void operator()(std::ostream& os, const trialcal::DateWindow& w) const {
        os << '[' << date::year_month_day{w.from} << ", " << date::year_month_day{w.to} << ']';
    }
};
}  // namespace boost::test_tools::tt_detail

using namespace trialcal;
namespace bdata = boost::unit_test::data;
using date::days;

namespace {

date::sys_days ymd(int y, unsigned m, unsigned d) { return date::year{y} / date::month{m} / date::day{d}; }

// A Monday: D63 is Monday 2027-03-08, D67 Friday 2027-03-12.
const date::sys_days day0 = ymd(2027, 1, 4);

Calendar expand_ok(const Protocol& p, const CalendarRequest& r) {
    auto c = expand(p, r);
    if (!c) BOOST_TEST_MESSAGE("expand failed: " << c.error().message);
    BOOST_TEST_REQUIRE(c.has_value());
    return std::move(c).value();
}

Calendar nct_v2() {
    return expand_ok(seed_protocols::protocol("nct05153070-v2.toml"), {day0, std::string("ILT-101"), {}, 60.0});
}

const Event& event(const Calendar& c, const std::string& id) {
    const auto it = std::find_if(c.events.begin(), c.events.end(), [&](const Event& e) { return e.id == id; });
    BOOST_TEST_REQUIRE((it != c.events.end()), "no event " << id);
    return *it;
}

std::vector<Move> reproject_ok(const Protocol& p, const Calendar& c, const ActualDates& before,
                               const ActualDates& after) {
    auto moves = reproject(p, c, before, after);
    if (!moves) BOOST_TEST_MESSAGE("reproject failed: " << moves.error().message);
    BOOST_TEST_REQUIRE(moves.has_value());
    return std::move(moves).value();
}

std::map<std::string, date::sys_days> moved_to(const std::vector<Move>& moves) {
    std::map<std::string, date::sys_days> out;
    for (const Move& m : moves) out.emplace(m.event, m.to);
    return out;
}

// The ILT-101/placebo doses and visit that count, directly or through the
// fifth injection, from the first injection ILT101-D63: all but itself.
std::vector<std::string> counting_from_the_first_injection() {
    std::vector<std::string> ids{"V-D67"};
    for (int d = 64; d <= 67; ++d) ids.push_back("ILT101-D" + std::to_string(d));
    for (int d = 74; d <= 354; d += 7) ids.push_back("ILT101-D" + std::to_string(d));
    return ids;
}

struct Source {
    const char* file;
    const char* cohort;  // "" without cohorts
    const char* id;
    std::optional<EventSource> expected;
};
std::ostream& operator<<(std::ostream& os, const Source& s) { return os << s.file << " " << s.cohort << " " << s.id; }

const std::vector<Source> sources{
    {"nct05153070-v2.toml", "", "V-D67", EventSource{EventKind::visit, 2}},
    {"nct05153070-v2.toml", "", "ILT101-D63", EventSource{EventKind::dose, 1}},
    {"nct05153070-v2.toml", "", "ILT101-D354", EventSource{EventKind::dose, 2}},
    {"nct05153070-v2.toml", "", "CSA-D1-AM", EventSource{EventKind::dose, 0}},
    {"nct05153070-v2.toml", "", "CSA-D60-PM", EventSource{EventKind::dose, 0}},
    {"nct05153070-v1.toml", "", "CSA-D60", EventSource{EventKind::dose, 0}},
    // Not planned: no intake, an unknown intake, an off day, a zero-padded
    // day, a day past the end, a sign, a prefix of another id.
    {"nct05153070-v2.toml", "", "CSA-D1", std::nullopt},
    {"nct05153070-v2.toml", "", "CSA-D1-NOON", std::nullopt},
    {"nct05153070-v1.toml", "", "CSA-D1-AM", std::nullopt},
    {"nct05153070-v2.toml", "", "ILT101-D68", std::nullopt},
    {"nct05153070-v2.toml", "", "ILT101-D063", std::nullopt},
    {"nct05153070-v2.toml", "", "ILT101-D361", std::nullopt},
    {"nct05153070-v2.toml", "", "ILT101-D+63", std::nullopt},
    {"nct05153070-v2.toml", "", "ILT101-D", std::nullopt},
    {"nct05153070-v2.toml", "", "ILT10", std::nullopt},
    {"nct05153070-v2.toml", "", "V-D68", std::nullopt},
    // TRANSREG: the same id from the regimen of the patient's cohort.
    {"transreg.toml", "SLE", "IL2-D8", EventSource{EventKind::dose, 2}},
    {"transreg.toml", "RA", "IL2-D8", std::nullopt},
    {"transreg.toml", "RA", "IL2-D15", EventSource{EventKind::dose, 1}},
    {"transreg.toml", "SLE", "IL2-D15", EventSource{EventKind::dose, 2}},
    {"transreg.toml", "SLE", "IL2-D1", EventSource{EventKind::dose, 0}},
};

struct SeedCalendar {
    const char* file;
    std::optional<std::string> arm;
    std::optional<std::string> cohort;
    std::optional<double> weight;
};
std::ostream& operator<<(std::ostream& os, const SeedCalendar& s) {
    return os << s.file << " " << s.cohort.value_or("");
}

const std::vector<SeedCalendar> seed_calendars{
    {"df-il2.toml", std::string("IL2-2"), {}, {}},
    {"nct05153070-v1.toml", std::string("placebo"), {}, 72.5},
    {"nct05153070-v2.toml", std::string("ILT-101"), {}, 60.0},
    {"transreg.toml", {}, std::string("RA"), {}},
    {"transreg.toml", {}, std::string("SLE"), {}},
    {"ms-il2.toml", std::string("IL-2"), {}, {}},
};

// The anchor each seed event names (spec/protocols.md, additions), or none.
std::optional<std::string> seed_anchor(const std::string& file, const Event& e) {
    if (file.starts_with("nct05153070")) {
        if (e.id == "V-D67") return "ILT101-D63";
        if (e.product != "ILT101" || e.id == "ILT101-D63") return std::nullopt;
        return e.day.count() <= 67 ? "ILT101-D63" : "ILT101-D67";
    }
    if ((file == "transreg.toml" || file == "ms-il2.toml") && e.kind == EventKind::dose && e.day.count() > 5)
        return "IL2-D1";
    return std::nullopt;
}

// ---------------------------------------------------------------------------
// Brute force: every anchored event's projection set to its anchor's date +
// the day difference, over and over until nothing changes. Shares nothing
// with reproject() but the calendar's event ids, days and anchors.

std::vector<date::sys_days> fixed_point(const Calendar& c, const ActualDates& records) {
    std::vector<date::sys_days> projected;
    for (const Event& e : c.events) projected.push_back(c.day0 + days{e.day.count()});
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t i = 0; i < c.events.size(); ++i) {
            const Event& e = c.events[i];
            if (!e.anchor) continue;
            for (std::size_t a = 0; a < c.events.size(); ++a) {
                if (c.events[a].id != *e.anchor) continue;
                const auto r = records.find(*e.anchor);
                const date::sys_days from = r != records.end() ? r->second : projected[a];
                const date::sys_days to = from + days{e.day.count() - c.events[a].day.count()};
                if (to != projected[i]) projected[i] = to, changed = true;
            }
        }
    }
    return projected;
}

// A small random protocol without arms or cohorts: up to four regimens of
// their own products and up to four visits, each anchored (or not) on an
// event of a visit or regimen made before it, or a regimen on its own dose:
// no loops, chains as long as six.
Protocol random_protocol(std::mt19937& rng) {
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    Protocol p;
    p.id = "RANDOM";
    p.version = "1";
    std::vector<std::string> made;  // event ids planned so far
    auto anchor_on = [&](std::vector<std::string> own) -> std::optional<std::string> {
        const int choice = pick(0, 9);
        if (choice < 3 || (made.empty() && own.empty())) return std::nullopt;
        if (choice < 5 && !own.empty()) return own[static_cast<std::size_t>(pick(0, int(own.size()) - 1))];
        if (made.empty()) return std::nullopt;
        return made[static_cast<std::size_t>(pick(0, int(made.size()) - 1))];
    };
    std::vector<int> visit_days;
    const int made_of = pick(2, 6);
    for (int s = 0; s < made_of; ++s) {
        if (pick(0, 1) == 0) {
            int day = pick(0, 60);
            while (std::find(visit_days.begin(), visit_days.end(), day) != visit_days.end()) day = pick(0, 60);
            visit_days.push_back(day);
            Visit v;
            v.day = StudyDay{day};
            v.id = "V-D" + std::to_string(day);
            v.name = v.id;
            v.window = Window{days{pick(0, 3)}, days{pick(0, 3)}};
            v.anchor = anchor_on({});
            made.push_back(v.id);
            p.visits.push_back(std::move(v));
        } else {
            Regimen r;
            r.id = "R" + std::to_string(s);
            r.product = "P" + std::to_string(s);
            r.first_day = StudyDay{pick(1, 30)};
            r.every = days{pick(1, 3)};
            r.last_day = r.first_day + r.every * pick(0, 3);
            if (pick(0, 2) == 0) r.intakes = {"AM", "PM"};
            r.window = Window{days{pick(0, 2)}, days{pick(0, 2)}};
            r.amount = 1;
            std::vector<std::string> own;
            for (StudyDay d = r.first_day; d <= r.last_day; d += r.every) {
                if (r.intakes.empty()) own.push_back(dose_event_id(r.product, d, ""));
                for (const auto& in : r.intakes) own.push_back(dose_event_id(r.product, d, in));
            }
            r.anchor = anchor_on(own);
            made.insert(made.end(), own.begin(), own.end());
            p.products.push_back({r.product, "drug " + r.product, "SC", "mg", "", {}, {}, ""});
            p.regimens.push_back(std::move(r));
        }
    }
    if (p.visits.empty()) p.visits.push_back({"V-D0", "inclusion", StudyDay{0}, {}, {}, {}});
    return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(anchors)

BOOST_DATA_TEST_CASE(planned_by_reads_the_event_id, bdata::make(sources), s) {
    BOOST_TEST((planned_by(seed_protocols::protocol(s.file), s.cohort, s.id) == s.expected));
}

// Without records, anchored nominal dates are the day-0 ones: the anchor's
// own date is day 0 + its day. Every event names the anchor the spec gives.
BOOST_DATA_TEST_CASE(expansion_from_day_0_is_unchanged, bdata::make(seed_calendars), s) {
    const Protocol& p = seed_protocols::protocol(s.file);
    const Calendar c = expand_ok(p, {day0, s.arm, s.cohort, s.weight});
    std::size_t anchored = 0;
    for (const Event& e : c.events) {
        BOOST_TEST_CONTEXT(e.id) {
            BOOST_TEST(e.date == day0 + days{e.day.count()});
            BOOST_TEST(e.anchor == seed_anchor(s.file, e));
            if (e.anchor) ++anchored;
        }
    }
    const std::size_t expected = std::string(s.file).starts_with("nct05153070") ? 46u
                                 : s.cohort == std::optional<std::string>("SLE") ? 26u
                                 : std::string(s.file) == "df-il2.toml"          ? 0u
                                                                                 : 13u;
    BOOST_TEST(anchored == expected);
    BOOST_TEST(reproject_ok(p, c, {}, {}).empty());
    // A stored plan gets the same anchors back from the protocol.
    Calendar stored = c;
    for (Event& e : stored.events) e.anchor.reset();
    attach_anchors(stored, p);
    for (std::size_t i = 0; i < c.events.size(); ++i) BOOST_TEST(stored.events[i].anchor == c.events[i].anchor);
}

// The first ILT-101 injection given 0 to 3 days late: the rest of the
// course, the D67 visit and the 41 weekly injections move by exactly as many
// days, windows with them; ciclosporin, the other visits and the first
// injection itself (it has its record) stay.
BOOST_DATA_TEST_CASE(late_first_injection_moves_everything_counting_from_it, bdata::make({0, 1, 2, 3}), late) {
    const Protocol& p = seed_protocols::protocol("nct05153070-v2.toml");
    const Calendar c = nct_v2();
    const auto moves = reproject_ok(p, c, {}, {{"ILT101-D63", ymd(2027, 3, 8) + days{late}}});
    const auto moving = counting_from_the_first_injection();
    BOOST_TEST(moves.size() == (late == 0 ? 0u : moving.size()));
    for (const Move& m : moves) {
        BOOST_TEST_CONTEXT(m.event) {
            const Event& e = event(c, m.event);
            BOOST_TEST(m.from == e.date);
            BOOST_TEST(m.to == e.date + days{late});
            BOOST_TEST(m.window.from == e.window.from + days{late});
            BOOST_TEST(m.window.to == e.window.to + days{late});
        }
    }
    Calendar after = c;
    apply_moves(after, moves);
    BOOST_TEST(event(after, "ILT101-D63").date == ymd(2027, 3, 8));
    BOOST_TEST(event(after, "ILT101-D64").date == ymd(2027, 3, 9) + days{late});
    BOOST_TEST(event(after, "ILT101-D67").date == ymd(2027, 3, 12) + days{late});
    BOOST_TEST(event(after, "V-D67").date == ymd(2027, 3, 12) + days{late});
    BOOST_TEST(event(after, "V-D67").window == (DateWindow{ymd(2027, 3, 12) + days{late}, ymd(2027, 3, 12) + days{late}}));
    BOOST_TEST(event(after, "ILT101-D74").date == ymd(2027, 3, 19) + days{late});
    BOOST_TEST(event(after, "ILT101-D74").window ==
               (DateWindow{ymd(2027, 3, 18) + days{late}, ymd(2027, 3, 20) + days{late}}));
    BOOST_TEST(event(after, "ILT101-D354").date == ymd(2027, 12, 24) + days{late});
    BOOST_TEST(event(after, "ILT101-D354").sequence == (late == 0 ? 0 : 1));
    BOOST_TEST(event(after, "V-D63").date == ymd(2027, 3, 8));
    BOOST_TEST(event(after, "V-D88").date == ymd(2027, 4, 2));
    BOOST_TEST(event(after, "CSA-D60-PM").date == ymd(2027, 3, 5));
    BOOST_TEST(event(after, "ILT101-D63").sequence == 0);
    // Still in calendar order.
    BOOST_TEST(std::is_sorted(after.events.begin(), after.events.end(), [](const Event& a, const Event& b) {
        return a.date != b.date ? a.date < b.date : a.kind < b.kind;
    }));
}

struct Chain {
    const char* name;
    int first_late;               // days the first injection was late
    std::optional<int> fifth_on;  // the fifth injection's record, days after its day-0 date (D67)
    int weekly_by;                // days the weekly injections move
    int course_by;                // days D64-D66 and the D67 visit move
};
std::ostream& operator<<(std::ostream& os, const Chain& c) { return os << c.name; }

// The weekly injections count from the fifth injection, which counts from
// the first: the chain carries the first one's delay, and the fifth one's
// own record overrides it for what counts from the fifth only.
BOOST_DATA_TEST_CASE(chained_anchors_carry_the_delay,
                     bdata::make(std::vector<Chain>{
                         {"first_late_by_2", 2, std::nullopt, 2, 2},
                         {"fifth_given_on_its_reprojected_date", 1, 1, 1, 1},
                         {"fifth_late_after_a_late_first", 1, 3, 3, 1},
                         {"only_the_fifth_late", 0, 2, 2, 0},
                         {"fifth_early", 0, -1, -1, 0},
                     }),
                     chain) {
    const Protocol& p = seed_protocols::protocol("nct05153070-v2.toml");
    Calendar c = nct_v2();
    ActualDates records{{"ILT101-D63", ymd(2027, 3, 8) + days{chain.first_late}}};
    if (chain.fifth_on) records.emplace("ILT101-D67", ymd(2027, 3, 12) + days{*chain.fifth_on});
    const auto moves = moved_to(reproject_ok(p, c, {}, records));
    for (const char* id : {"ILT101-D64", "ILT101-D66", "V-D67"}) {
        const date::sys_days was = event(c, id).date;
        BOOST_TEST(moves.count(id) == (chain.course_by != 0 ? 1u : 0u), id);
        if (chain.course_by != 0) BOOST_TEST(moves.at(id) == was + days{chain.course_by}, id);
    }
    BOOST_TEST(moves.count("ILT101-D67") == (chain.fifth_on ? 0u : 1u));
    BOOST_TEST(moves.at("ILT101-D74") == ymd(2027, 3, 19) + days{chain.weekly_by});
    BOOST_TEST(moves.at("ILT101-D354") == ymd(2027, 12, 24) + days{chain.weekly_by});
}

// An anchored event with its own record keeps its date, whichever way its
// anchor moves; the others still move.
BOOST_AUTO_TEST_CASE(an_event_with_a_record_keeps_its_date) {
    const Protocol& p = seed_protocols::protocol("nct05153070-v2.toml");
    const Calendar c = nct_v2();
    const ActualDates records{{"ILT101-D63", ymd(2027, 3, 10)}, {"ILT101-D64", ymd(2027, 3, 9)}};
    const auto written = reproject_ok(p, c, {}, records);
    const auto moves = moved_to(written);
    BOOST_TEST(moves.count("ILT101-D64") == 0u);
    BOOST_TEST(moves.at("ILT101-D65") == ymd(2027, 3, 12));
    BOOST_TEST(moves.size() == counting_from_the_first_injection().size() - 1);
    // Voiding the anchor's record leaves it where it is too; the others go back.
    Calendar moved = c;
    apply_moves(moved, written);
    const auto back = moved_to(reproject_ok(p, moved, records, {{"ILT101-D64", ymd(2027, 3, 9)}}));
    BOOST_TEST(back.count("ILT101-D64") == 0u);
    BOOST_TEST(back.at("ILT101-D65") == ymd(2027, 3, 10));
}

// Voiding the late first injection's record brings every moved event back to
// its day-0 date and window; each was moved twice.
BOOST_AUTO_TEST_CASE(undoing_restores_the_day_0_dates) {
    const Protocol& p = seed_protocols::protocol("nct05153070-v2.toml");
    const Calendar fresh = nct_v2();
    Calendar c = fresh;
    const ActualDates late{{"ILT101-D63", ymd(2027, 3, 10)}};
    apply_moves(c, reproject_ok(p, c, {}, late));
    BOOST_TEST(event(c, "ILT101-D354").date == ymd(2027, 12, 26));
    const auto undo = reproject_ok(p, c, late, {});
    BOOST_TEST(undo.size() == counting_from_the_first_injection().size());
    apply_moves(c, undo);
    BOOST_TEST_REQUIRE(c.events.size() == fresh.events.size());
    for (std::size_t i = 0; i < c.events.size(); ++i) {
        BOOST_TEST_CONTEXT(fresh.events[i].id) {
            BOOST_TEST(c.events[i].id == fresh.events[i].id);
            BOOST_TEST(c.events[i].date == fresh.events[i].date);
            BOOST_TEST(c.events[i].window == fresh.events[i].window);
            BOOST_TEST(c.events[i].sequence == (seed_anchor("nct05153070-v2.toml", c.events[i]) ? 2 : 0));
        }
    }
}

// A shifted anchored event keeps its shift: it moves from its re-projected
// date. And a shift of the anchor itself moves nothing else: only records do.
BOOST_AUTO_TEST_CASE(a_shifted_event_moves_from_its_reprojected_date) {
    const Protocol& p = seed_protocols::protocol("nct05153070-v2.toml");
    Calendar c = nct_v2();
    apply_moves(c, std::vector<Move>{{"ILT101-D81", ymd(2027, 3, 26), ymd(2027, 3, 27),
                                      {ymd(2027, 3, 26), ymd(2027, 3, 28)}},
                                     {"ILT101-D63", ymd(2027, 3, 8), ymd(2027, 3, 9), {ymd(2027, 3, 9), ymd(2027, 3, 9)}}});
    BOOST_TEST(reproject_ok(p, c, {}, {}).empty());
    const auto moves = moved_to(reproject_ok(p, c, {}, {{"ILT101-D63", ymd(2027, 3, 10)}}));
    BOOST_TEST(moves.at("ILT101-D81") == ymd(2027, 3, 29));
    BOOST_TEST(moves.at("ILT101-D88") == ymd(2027, 4, 4));
}

// TRANSREG: an SLE patient's weekly maintenance and a fortnightly one's both
// count from the first induction dose; the visits do not move.
BOOST_DATA_TEST_CASE(maintenance_counts_from_the_first_induction_dose,
                     bdata::make({"RA", "SLE"}) ^ bdata::make({13u, 26u}) ^ bdata::make({15, 8}), cohort, doses,
                     first_maintenance) {
    const Protocol& p = seed_protocols::protocol("transreg.toml");
    const Calendar c = expand_ok(p, {day0, {}, std::string(cohort), {}});
    const auto moves = reproject_ok(p, c, {}, {{"IL2-D1", ymd(2027, 1, 6)}});
    BOOST_TEST(moves.size() == doses);
    for (const Move& m : moves) BOOST_TEST(event(c, m.event).kind == EventKind::dose);
    BOOST_TEST(moved_to(moves).at("IL2-D" + std::to_string(first_maintenance)) ==
               day0 + days{first_maintenance + 1});
    BOOST_TEST(moved_to(moves).at("IL2-D183") == ymd(2027, 7, 7));
}

// Only a protocol the parser never saw can loop: reproject says so, naming
// an event of the loop, rather than loop itself.
BOOST_AUTO_TEST_CASE(a_loop_is_an_error_not_a_hang) {
    Protocol p = seed_protocols::protocol("ms-il2.toml");
    const Calendar c = expand_ok(p, {day0, std::string("IL-2"), {}, {}});
    p.regimens.at(0).anchor = "IL2-D15";
    const auto moves = reproject(p, c, {}, {{"IL2-D183", ymd(2027, 7, 6)}});
    BOOST_TEST_REQUIRE(!moves.has_value());
    BOOST_TEST((moves.error().code == ReprojectionErrc::anchor_loop));
    BOOST_TEST(moves.error().event == "IL2-D1");
}

// Random small protocols, records and shifts: every anchored event without
// a record moves by the brute-force projection's change, and nothing else moves.
BOOST_AUTO_TEST_CASE(random_protocols_agree_with_brute_force) {
    std::mt19937 rng(20271204);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    std::size_t moved = 0, chained = 0;
    for (int round = 0; round < 400; ++round) {
        const Protocol p = random_protocol(rng);
        Calendar c = expand_ok(p, {day0, {}, {}, {}});
        // Random records before and after, some events shifted.
        ActualDates before, after;
        for (const Event& e : c.events) {
            if (pick(0, 3) == 0) before.emplace(e.id, e.date + days{pick(-3, 3)});
            if (pick(0, 3) == 0) after.emplace(e.id, e.date + days{pick(-3, 3)});
        }
        const auto was = fixed_point(c, before), is = fixed_point(c, after);
        for (std::size_t i = 0; i < c.events.size(); ++i) {
            Event& e = c.events[i];
            const days shift{pick(0, 4) == 0 ? pick(-2, 2) : 0};
            e.date = was[i] + shift;
            e.window = {e.date - days{1}, e.date + days{2}};
        }
        const Calendar stored = c;
        const auto moves = reproject_ok(p, stored, before, after);
        apply_moves(c, moves);
        for (const Event& e : stored.events) {
            const auto i = static_cast<std::size_t>(&e - stored.events.data());
            const days by = e.anchor && !after.contains(e.id) ? is[i] - was[i] : days{0};
            BOOST_TEST_CONTEXT("round " << round << ", " << e.id) {
                BOOST_TEST(event(c, e.id).date == e.date + by);
                BOOST_TEST(event(c, e.id).window == (DateWindow{e.window.from + by, e.window.to + by}));
                BOOST_TEST(event(c, e.id).sequence == (by != days{0} ? 1 : 0));
            }
            if (by != days{0}) ++moved;
            if (e.anchor && event(stored, *e.anchor).anchor) ++chained;
        }
    }
    // The rounds exercised moves and chains, not only events standing still.
    BOOST_TEST(moved > 500u);
    BOOST_TEST(chained > 100u);
}

BOOST_AUTO_TEST_SUITE_END()
