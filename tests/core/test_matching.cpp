// Compliance version 2 matching (docs/compliance.md): the spec's six worked
// examples and further hand-worked scenarios across the seed calendars, each
// a row of a table checked value by value (which record took which dose, the
// status of the doses that matter, every figure, what each extra was near);
// and a property test against a brute-force search of every non-crossing
// matching. Every expected value is worked out by hand in the row's comment.
#include "core/calendar.hpp"
#include "core/compliance.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <date/date.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "tests/core/compliance_fixtures.hpp"
#include "tests/support/print.hpp"

namespace {

using namespace compliance_fixtures;
using trialcal::Compliance;
using trialcal::Event;
using trialcal::Figures;
using trialcal::Records;
using trialcal::Status;
using Pct = std::optional<double>;

// TRANSREG, cohort SLE, day 0 = 2027-01-04: induction D1..D5 = 01-05..01-09
// [0, 0] reach 0; weekly maintenance D8 01-12, D15 01-19 ... [-1, +1], limits
// 1/1: D8 reaches 01-10..01-14, D15 01-17..01-21.
Calendar transreg_sle() {
    return plan("transreg.toml", {.day0 = 2027_y / 1 / 4, .arm = {}, .cohort = "SLE", .weight_kg = {}});
}

// DF-IL2 with late_limit = 1 (worked example 2).
Calendar df_il2_late_1() {
    Calendar c = df_il2();
    for (auto& e : c.events)
        if (e.kind == trialcal::EventKind::dose) e.late_limit = date::days{1};
    return c;
}

// The induction of TRANSREG (01-05..01-09) given on its days at 09:00, R1..R5.
std::vector<Administration> induction() {
    std::vector<Administration> out;
    for (int i = 0; i < 5; ++i) out.push_back(dose(1 + i, "IL2", date::sys_days{2027_y / 1 / 5} + date::days{i}, 9, 0));
    return out;
}

std::vector<Administration> plus(std::vector<Administration> a, std::vector<Administration> b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

struct ExtraWant {
    std::int64_t record;
    std::string near;  // the nearest dose's id
    long long from_window;
    bool within_reach;
    std::optional<std::int64_t> near_record;
};

struct Case {
    std::string name;
    std::function<Calendar()> calendar;
    std::vector<Administration> doses;
    date::sys_days as_of;
    std::string product;
    std::vector<std::pair<std::int64_t, std::string>> matches;  // record -> event id, "" for extra
    std::vector<std::pair<std::string, Status>> statuses;
    Figures figures;
    Pct compliance, on_time;
    std::vector<ExtraWant> extras;  // every extra, in time order
    std::vector<trialcal::SkipRecord> skips = {};
    std::vector<trialcal::HoldRecord> holds = {};
    std::vector<trialcal::CancelRecord> cancelled = {};
};

std::ostream& operator<<(std::ostream& os, const Case& c) { return os << c.name; }

void check(const Case& k) {
    const Calendar c = k.calendar();
    Records r;
    r.doses = k.doses;
    r.skips = k.skips;
    r.holds = k.holds;
    r.cancelled = k.cancelled;
    const auto ms = trialcal::match_doses(c, r, k.as_of);
    for (const auto& [record, id] : k.matches) {
        auto it = std::find_if(ms.begin(), ms.end(), [&](const trialcal::Match& m) { return m.record == record; });
        BOOST_TEST_REQUIRE((it != ms.end()), "R" << record << " not considered");
        BOOST_TEST((it->event ? c.events.at(*it->event).id : std::string{}) == id, "R" << record);
    }
    const Compliance j = trialcal::judge(c, r, k.as_of);
    auto pc = std::find_if(j.doses.begin(), j.doses.end(), [&](const auto& p) { return p.product == k.product; });
    BOOST_TEST_REQUIRE((pc != j.doses.end()));
    for (const auto& [id, status] : k.statuses) {
        auto o = std::find_if(pc->events.begin(), pc->events.end(), [&](const auto& x) { return x.event->id == id; });
        BOOST_TEST_REQUIRE((o != pc->events.end()), id);
        BOOST_TEST(o->status == status, id);
    }
    const Figures& f = pc->figures;
    const Figures& w = k.figures;
    BOOST_TEST(f.planned == w.planned);
    BOOST_TEST(f.expected == w.expected);
    BOOST_TEST(f.given == w.given);
    BOOST_TEST(f.on_time == w.on_time);
    BOOST_TEST(f.early == w.early);
    BOOST_TEST(f.late == w.late);
    BOOST_TEST(f.missed == w.missed);
    BOOST_TEST(f.skipped == w.skipped);
    BOOST_TEST(f.extra == w.extra);
    BOOST_TEST(f.wrong_dose == w.wrong_dose);
    BOOST_TEST(f.held == w.held);
    BOOST_TEST(f.cancelled == w.cancelled);
    BOOST_TEST(f.compliance_pct() == k.compliance);
    BOOST_TEST(f.on_time_pct() == k.on_time);
    BOOST_TEST_REQUIRE(pc->extra.size() == k.extras.size());
    for (std::size_t i = 0; i < k.extras.size(); ++i) {
        const auto& x = pc->extra[i];
        const auto& want = k.extras[i];
        BOOST_TEST(x.record == want.record);
        BOOST_TEST_REQUIRE(x.near != nullptr);
        BOOST_TEST(x.near->id == want.near);
        BOOST_TEST(x.from_window.count() == want.from_window);
        BOOST_TEST(x.within_reach == want.within_reach);
        BOOST_TEST(x.near_record == want.near_record);
    }
}

constexpr auto on_time = Status::on_time;
constexpr auto early = Status::early;
constexpr auto late = Status::late;
constexpr auto missed = Status::missed;
constexpr auto due = Status::due;
constexpr auto upcoming = Status::upcoming;
constexpr auto held = Status::held;
constexpr auto cancelled = Status::cancelled;

// NCT05153070 v2: CSA-D33 is 04-03. As of 04-04, D1..D33 (66 intakes) have
// their reach ended or are matched: expected 66.
const std::vector<Case> worked_examples = {
    // 1. DF-IL2, reach 0, A = 03-10: R3 08:50 is nearer noon than R4 17:00
    // (190 against 300 minutes): D4; R4 extra, a second dose on 03-05.
    {"example_1_version_1_example_again", df_il2,
     {dose(1, "IL2", 2027_y / 3 / 2, 9, 0), dose(2, "IL2", 2027_y / 3 / 3, 9, 10), dose(3, "IL2", 2027_y / 3 / 5, 8, 50),
      dose(4, "IL2", 2027_y / 3 / 5, 17, 0)},
     2027_y / 3 / 10, "IL2",
     {{1, "IL2-D1"}, {2, "IL2-D2"}, {3, "IL2-D4"}, {4, ""}},
     {{"IL2-D1", on_time}, {"IL2-D2", on_time}, {"IL2-D3", missed}, {"IL2-D4", on_time}, {"IL2-D5", missed}},
     {.planned = 5, .expected = 5, .given = 3, .on_time = 3, .missed = 2, .extra = 1}, 60.0, 60.0,
     {{4, "IL2-D4", 0, true, 3}}},
    // 2. late_limit = 1: most given (4) without crossing: R3 -> D3 late, R4 -> D4.
    {"example_2_late_limit_1", df_il2_late_1,
     {dose(1, "IL2", 2027_y / 3 / 2, 9, 0), dose(2, "IL2", 2027_y / 3 / 3, 9, 10), dose(3, "IL2", 2027_y / 3 / 5, 8, 50),
      dose(4, "IL2", 2027_y / 3 / 5, 17, 0)},
     2027_y / 3 / 10, "IL2",
     {{1, "IL2-D1"}, {2, "IL2-D2"}, {3, "IL2-D3"}, {4, "IL2-D4"}},
     {{"IL2-D1", on_time}, {"IL2-D2", on_time}, {"IL2-D3", late}, {"IL2-D4", on_time}, {"IL2-D5", missed}},
     {.planned = 5, .expected = 5, .given = 4, .on_time = 3, .late = 1, .missed = 1}, 80.0, 60.0, {}},
    // 3. One extra injection (03-02 17:00) no longer shifts the rest: D1..D5 on time.
    {"example_3_one_extra_does_not_shift", df_il2,
     {dose(1, "IL2", 2027_y / 3 / 2, 9, 0), dose(2, "IL2", 2027_y / 3 / 2, 17, 0), dose(3, "IL2", 2027_y / 3 / 3, 9, 0),
      dose(4, "IL2", 2027_y / 3 / 4, 9, 0), dose(5, "IL2", 2027_y / 3 / 5, 9, 0), dose(6, "IL2", 2027_y / 3 / 6, 9, 0)},
     2027_y / 3 / 10, "IL2",
     {{1, "IL2-D1"}, {2, ""}, {3, "IL2-D2"}, {4, "IL2-D3"}, {5, "IL2-D4"}, {6, "IL2-D5"}},
     {{"IL2-D1", on_time}, {"IL2-D5", on_time}},
     {.planned = 5, .expected = 5, .given = 5, .on_time = 5, .extra = 1}, 100.0, 100.0,
     {{2, "IL2-D1", 0, true, 1}}},
    // 4a. Morning forgotten, evening at 20:05: slot PM, on time; AM missed.
    // As of 04-04: expected 66, given 1: 1.5 %.
    {"example_4_evening_only", nct_v2_60kg,
     {dose(1, "CSA", 2027_y / 4 / 3, 20, 5)}, 2027_y / 4 / 4, "CSA",
     {{1, "CSA-D33-PM"}},
     {{"CSA-D33-AM", missed}, {"CSA-D33-PM", on_time}, {"CSA-D34-AM", due}},
     {.planned = 120, .expected = 66, .given = 1, .on_time = 1, .missed = 65}, 1.5, 1.5, {}},
    // 4b. Morning capsules at 15:00 (slot PM) and evening at 20:05: at most one
    // on time (PM); most given: 15:00 -> AM late (same day, within reach).
    // 2/66 = 3.0 %, 1/66 = 1.5 %.
    {"example_4_morning_at_15", nct_v2_60kg,
     {dose(1, "CSA", 2027_y / 4 / 3, 15, 0), dose(2, "CSA", 2027_y / 4 / 3, 20, 5)}, 2027_y / 4 / 4, "CSA",
     {{1, "CSA-D33-AM"}, {2, "CSA-D33-PM"}},
     {{"CSA-D33-AM", late}, {"CSA-D33-PM", on_time}},
     {.planned = 120, .expected = 66, .given = 2, .on_time = 1, .late = 1, .missed = 64}, 3.0, 1.5, {}},
    // 4c. Three intakes on D33 (08:00, 13:00, 20:05): AM and PM on time, the
    // 13:00 one (slot AM, nearer 08:00) extra, a second dose on 04-03.
    {"example_4_three_intakes", nct_v2_60kg,
     {dose(1, "CSA", 2027_y / 4 / 3, 8, 0), dose(2, "CSA", 2027_y / 4 / 3, 13, 0), dose(3, "CSA", 2027_y / 4 / 3, 20, 5)},
     2027_y / 4 / 4, "CSA",
     {{1, "CSA-D33-AM"}, {2, ""}, {3, "CSA-D33-PM"}},
     {{"CSA-D33-AM", on_time}, {"CSA-D33-PM", on_time}},
     {.planned = 120, .expected = 66, .given = 2, .on_time = 2, .missed = 64, .extra = 1}, 3.0, 3.0,
     {{2, "CSA-D33-AM", 0, true, 1}}},
    // 5. Named first: R1 (03-04 09:00, entered first) names IL2-D3 and keeps
    // it; R2 (03-03 17:00, unnamed) is on time for D2. As of 03-04: D1 missed,
    // D2 and D3 on time; D4, D5 upcoming: 2/3 = 66.7.
    {"example_5_named_first", df_il2,
     {dose(1, "IL2", 2027_y / 3 / 4, 9, 0, std::string{"IL2-D3"}), dose(2, "IL2", 2027_y / 3 / 3, 17, 0)},
     2027_y / 3 / 4, "IL2",
     {{1, "IL2-D3"}, {2, "IL2-D2"}},
     {{"IL2-D1", missed}, {"IL2-D2", on_time}, {"IL2-D3", on_time}, {"IL2-D4", upcoming}},
     {.planned = 5, .expected = 3, .given = 2, .on_time = 2, .missed = 1}, 66.7, 66.7, {}},
    // 6. TRANSREG RA: D29 02-02 (window 01-31..02-04, reach to 02-07); R7 on
    // 02-08 is beyond it and before D43's reach (from 02-11): extra, 4 days
    // after D29's window. As of 02-09: D29 missed; D1..D5, D15 on time.
    {"example_6_beyond_reach", transreg_ra,
     plus(induction(), {dose(6, "IL2", 2027_y / 1 / 19, 9, 0), dose(7, "IL2", 2027_y / 2 / 8, 9, 0)}), 2027_y / 2 / 9,
     "IL2",
     {{6, "IL2-D15"}, {7, ""}},
     {{"IL2-D29", missed}, {"IL2-D43", upcoming}},
     {.planned = 18, .expected = 7, .given = 6, .on_time = 6, .missed = 1, .extra = 1}, 85.7, 85.7,
     {{7, "IL2-D29", 4, false, std::nullopt}}},
};


// ILT-101 on NCT05153070 v2 (day 0 03-01): daily D63..D67 = 05-03..05-07
// reach 0; weekly D74 05-14 (window 05-13..05-15, limits 2/2: reach
// 05-11..05-17), D81 05-21 (reach 05-18..05-24), D88 05-28 (reach from 05-25).
// TRANSREG RA maintenance (limits 3/3): D15 01-19, window 01-17..01-21,
// reach 01-14..01-24; D29 reach from 01-28.
const std::vector<Case> scenarios = {
    // Ciclosporin twice a day (AM 08:00, PM 20:00, reach 0).
    // Morning at 07:30 only, as of that day: AM on time, PM still due.
    {"csa_morning_only_pm_due", nct_v2_60kg, {dose(1, "CSA", 2027_y / 3 / 2, 7, 30)}, 2027_y / 3 / 2, "CSA",
     {{1, "CSA-D1-AM"}}, {{"CSA-D1-AM", on_time}, {"CSA-D1-PM", due}},
     {.planned = 120, .expected = 1, .given = 1, .on_time = 1}, 100.0, 100.0, {}},
    // 14:00 is as near 08:00 as 20:00: the tie goes to the earlier intake, AM.
    // As of 03-03: D1-PM missed, D2 due: 1/2.
    {"csa_midday_tie_is_the_morning_slot", nct_v2_60kg, {dose(1, "CSA", 2027_y / 3 / 2, 14, 0)}, 2027_y / 3 / 3, "CSA",
     {{1, "CSA-D1-AM"}}, {{"CSA-D1-AM", on_time}, {"CSA-D1-PM", missed}, {"CSA-D2-AM", due}},
     {.planned = 120, .expected = 2, .given = 1, .on_time = 1, .missed = 1}, 50.0, 50.0, {}},
    // 14:01 is nearer 20:00: slot PM, on time; AM missed.
    {"csa_one_minute_past_midday_is_the_evening_slot", nct_v2_60kg, {dose(1, "CSA", 2027_y / 3 / 2, 14, 1)},
     2027_y / 3 / 3, "CSA", {{1, "CSA-D1-PM"}}, {{"CSA-D1-AM", missed}, {"CSA-D1-PM", on_time}},
     {.planned = 120, .expected = 2, .given = 1, .on_time = 1, .missed = 1}, 50.0, 50.0, {}},
    // The evening intake taken at 00:30 the next day: no wrapping past
    // midnight, its slot is 03-03 AM, on time; D1-AM and D1-PM missed.
    {"csa_no_wrapping_past_midnight", nct_v2_60kg, {dose(1, "CSA", 2027_y / 3 / 3, 0, 30)}, 2027_y / 3 / 3, "CSA",
     {{1, "CSA-D2-AM"}}, {{"CSA-D1-PM", missed}, {"CSA-D2-AM", on_time}, {"CSA-D2-PM", due}},
     {.planned = 120, .expected = 3, .given = 1, .on_time = 1, .missed = 2}, 33.3, 33.3, {}},
    // Both at 19:00 and 21:00 (slot PM): one on time at most; most given puts
    // 19:00 on AM (late, same day) and 21:00 on PM, without crossing.
    {"csa_two_evening_records_fill_both_intakes", nct_v2_60kg,
     {dose(1, "CSA", 2027_y / 3 / 2, 19, 0), dose(2, "CSA", 2027_y / 3 / 2, 21, 0)}, 2027_y / 3 / 2, "CSA",
     {{1, "CSA-D1-AM"}, {2, "CSA-D1-PM"}}, {{"CSA-D1-AM", late}, {"CSA-D1-PM", on_time}},
     {.planned = 120, .expected = 2, .given = 2, .on_time = 1, .late = 1}, 100.0, 50.0, {}},
    // At noon the AM slot (4 h against 8 h): on time, not late.
    {"csa_noon_is_the_morning_slot", nct_v2_60kg, {dose(1, "CSA", 2027_y / 3 / 2, 12, 0)}, 2027_y / 3 / 2, "CSA",
     {{1, "CSA-D1-AM"}}, {{"CSA-D1-AM", on_time}, {"CSA-D1-PM", due}},
     {.planned = 120, .expected = 1, .given = 1, .on_time = 1}, 100.0, 100.0, {}},
    // Evening then next morning: D1-PM and D2-AM on time, D1-AM missed.
    {"csa_evening_then_next_morning", nct_v2_60kg,
     {dose(1, "CSA", 2027_y / 3 / 2, 20, 0), dose(2, "CSA", 2027_y / 3 / 3, 8, 0)}, 2027_y / 3 / 3, "CSA",
     {{1, "CSA-D1-PM"}, {2, "CSA-D2-AM"}}, {{"CSA-D1-AM", missed}, {"CSA-D2-PM", due}},
     {.planned = 120, .expected = 3, .given = 2, .on_time = 2, .missed = 1}, 66.7, 66.7, {}},
    // Weekly ILT-101, limits 2/2. 05-17 is 2 days after D74's window: late.
    // As of 05-19: D63..D67 missed (5), D81 due (reach from 05-18).
    {"weekly_late_within_reach", nct_v2_60kg, {dose(1, "ILT101", 2027_y / 5 / 17, 9, 0)}, 2027_y / 5 / 19, "ILT101",
     {{1, "ILT101-D74"}}, {{"ILT101-D74", late}, {"ILT101-D81", due}, {"ILT101-D67", missed}},
     {.planned = 46, .expected = 6, .given = 1, .late = 1, .missed = 5}, 16.7, 0.0, {}},
    // 05-11, 2 days before D74's window (D67's reach is 05-07 only): early.
    {"weekly_early_within_reach", nct_v2_60kg, {dose(1, "ILT101", 2027_y / 5 / 11, 9, 0)}, 2027_y / 5 / 12, "ILT101",
     {{1, "ILT101-D74"}}, {{"ILT101-D74", early}, {"ILT101-D81", upcoming}},
     {.planned = 46, .expected = 6, .given = 1, .early = 1, .missed = 5}, 16.7, 0.0, {}},
    // 05-10: after D67's reach, before D74's: extra, 3 days after D67's window
    // (nearer than D74, 4 days). D74 upcoming as of 05-10.
    {"weekly_between_reaches_is_extra", nct_v2_60kg, {dose(1, "ILT101", 2027_y / 5 / 10, 9, 0)}, 2027_y / 5 / 10,
     "ILT101", {{1, ""}}, {{"ILT101-D74", upcoming}},
     {.planned = 46, .expected = 5, .missed = 5, .extra = 1}, 0.0, Pct{0.0}, {{1, "ILT101-D67", 3, false, std::nullopt}}},
    // 05-17 and 05-18: D74 late and D81 early, both given. As of 05-25: D81's
    // reach ended 05-24, D88 due.
    {"weekly_two_neighbours_late_and_early", nct_v2_60kg,
     {dose(1, "ILT101", 2027_y / 5 / 17, 9, 0), dose(2, "ILT101", 2027_y / 5 / 18, 9, 0)}, 2027_y / 5 / 25, "ILT101",
     {{1, "ILT101-D74"}, {2, "ILT101-D81"}}, {{"ILT101-D74", late}, {"ILT101-D81", early}, {"ILT101-D88", due}},
     {.planned = 46, .expected = 7, .given = 2, .early = 1, .late = 1, .missed = 5}, 28.6, 0.0, {}},
    // TRANSREG RA maintenance, limits 3/3. 01-24, 3 days after D15's window: late.
    {"maintenance_late_at_the_end_of_reach", transreg_ra, plus(induction(), {dose(6, "IL2", 2027_y / 1 / 24, 9, 0)}),
     2027_y / 1 / 25, "IL2", {{6, "IL2-D15"}}, {{"IL2-D15", late}, {"IL2-D29", upcoming}},
     {.planned = 18, .expected = 6, .given = 6, .on_time = 5, .late = 1}, 100.0, 83.3, {}},
    // 01-14, 3 days before D15's window: early.
    {"maintenance_early_at_the_start_of_reach", transreg_ra, plus(induction(), {dose(6, "IL2", 2027_y / 1 / 14, 9, 0)}),
     2027_y / 1 / 25, "IL2", {{6, "IL2-D15"}}, {{"IL2-D15", early}},
     {.planned = 18, .expected = 6, .given = 6, .on_time = 5, .early = 1}, 100.0, 83.3, {}},
    // 01-25, 4 days after D15's window: beyond reach, extra; D15 missed.
    {"maintenance_beyond_reach_is_extra", transreg_ra, plus(induction(), {dose(6, "IL2", 2027_y / 1 / 25, 9, 0)}),
     2027_y / 1 / 25, "IL2", {{6, ""}}, {{"IL2-D15", missed}},
     {.planned = 18, .expected = 6, .given = 5, .on_time = 5, .missed = 1, .extra = 1}, 83.3, 83.3,
     {{6, "IL2-D15", 4, false, std::nullopt}}},
    // The same record naming IL2-D15: named first, whatever its time: late.
    {"maintenance_named_outside_reach", transreg_ra,
     plus(induction(), {dose(6, "IL2", 2027_y / 1 / 25, 9, 0, std::string{"IL2-D15"})}), 2027_y / 1 / 25, "IL2",
     {{6, "IL2-D15"}}, {{"IL2-D15", late}},
     {.planned = 18, .expected = 6, .given = 6, .on_time = 5, .late = 1}, 100.0, 83.3, {}},
    // Two records in D15's window (01-18 and 01-20, 09:00): 01-20 is nearer
    // noon on 01-19 (21 h against 27 h): it takes D15, 01-18 is extra.
    {"maintenance_two_in_one_window_nearer_wins", transreg_ra,
     plus(induction(), {dose(6, "IL2", 2027_y / 1 / 18, 9, 0), dose(7, "IL2", 2027_y / 1 / 20, 9, 0)}),
     2027_y / 1 / 25, "IL2", {{6, ""}, {7, "IL2-D15"}}, {{"IL2-D15", on_time}},
     {.planned = 18, .expected = 6, .given = 6, .on_time = 6, .extra = 1}, 100.0, 100.0,
     {{6, "IL2-D15", 0, true, 7}}},
    // TRANSREG SLE weekly, limits 1/1. 01-14, a day after D8's window: late.
    {"sle_one_day_after_window_is_late", transreg_sle, plus(induction(), {dose(6, "IL2", 2027_y / 1 / 14, 9, 0)}),
     2027_y / 1 / 15, "IL2", {{6, "IL2-D8"}}, {{"IL2-D8", late}, {"IL2-D15", upcoming}},
     {.planned = 31, .expected = 6, .given = 6, .on_time = 5, .late = 1}, 100.0, 83.3, {}},
    // 01-15, 2 days after D8's window: beyond reach (D15's starts 01-17): extra.
    {"sle_two_days_after_window_is_extra", transreg_sle, plus(induction(), {dose(6, "IL2", 2027_y / 1 / 15, 9, 0)}),
     2027_y / 1 / 15, "IL2", {{6, ""}}, {{"IL2-D8", missed}},
     {.planned = 31, .expected = 6, .given = 5, .on_time = 5, .missed = 1, .extra = 1}, 83.3, 83.3,
     {{6, "IL2-D8", 2, false, std::nullopt}}},
    // The induction-maintenance junction: D5 missed (no record on 01-09); a
    // record on 01-10 is beyond D5's reach (0) and early for D8.
    {"sle_junction_goes_to_maintenance", transreg_sle,
     {dose(1, "IL2", 2027_y / 1 / 5, 9, 0), dose(2, "IL2", 2027_y / 1 / 6, 9, 0), dose(3, "IL2", 2027_y / 1 / 7, 9, 0),
      dose(4, "IL2", 2027_y / 1 / 8, 9, 0), dose(5, "IL2", 2027_y / 1 / 10, 9, 0)},
     2027_y / 1 / 10, "IL2", {{5, "IL2-D8"}}, {{"IL2-D5", missed}, {"IL2-D8", early}},
     {.planned = 31, .expected = 6, .given = 5, .on_time = 4, .early = 1, .missed = 1}, 83.3, 66.7, {}},
    // Held: D3 and D4 inside a hold (03-04..03-05): neither expected nor missed.
    {"held_doses_are_not_expected", df_il2,
     {dose(1, "IL2", 2027_y / 3 / 2, 9, 0), dose(2, "IL2", 2027_y / 3 / 3, 9, 0), dose(5, "IL2", 2027_y / 3 / 6, 9, 0)},
     2027_y / 3 / 10, "IL2", {{5, "IL2-D5"}}, {{"IL2-D3", held}, {"IL2-D4", held}, {"IL2-D5", on_time}},
     {.planned = 5, .expected = 3, .given = 3, .on_time = 3, .held = 2}, 100.0, 100.0, {},
     {}, {{30, "IL2", 2027_y / 3 / 4, 2027_y / 3 / 5, "neutropenia"}}},
    // A record on a held dose's date stays extra: the hold closes the dose.
    {"record_on_a_held_dose_is_extra", df_il2,
     {dose(1, "IL2", 2027_y / 3 / 2, 9, 0), dose(2, "IL2", 2027_y / 3 / 3, 9, 0), dose(3, "IL2", 2027_y / 3 / 4, 9, 0)},
     2027_y / 3 / 4, "IL2", {{3, ""}}, {{"IL2-D3", held}, {"IL2-D4", upcoming}},
     {.planned = 5, .expected = 2, .given = 2, .on_time = 2, .extra = 1, .held = 1}, 100.0, 100.0,
     {{3, "IL2-D3", 0, true, std::nullopt}}, {}, {{30, "IL2", 2027_y / 3 / 4, 2027_y / 3 / 4, "fever"}}},
    // Cancelled after discontinuation: D4, D5 counted in planned only.
    {"cancelled_doses_are_planned_not_expected", df_il2,
     {dose(1, "IL2", 2027_y / 3 / 2, 9, 0), dose(2, "IL2", 2027_y / 3 / 3, 9, 0), dose(3, "IL2", 2027_y / 3 / 4, 9, 0)},
     2027_y / 3 / 10, "IL2", {}, {{"IL2-D4", cancelled}, {"IL2-D5", cancelled}},
     {.planned = 5, .expected = 3, .given = 3, .on_time = 3, .cancelled = 2}, 100.0, 100.0, {}, {}, {},
     {{"IL2-D4", "discontinued"}, {"IL2-D5", "discontinued"}}},
    // A skipped dose is closed: the unnamed record on its date is extra.
    {"record_on_a_skipped_dose_is_extra", df_il2,
     {dose(1, "IL2", 2027_y / 3 / 2, 9, 0), dose(2, "IL2", 2027_y / 3 / 3, 9, 0)}, 2027_y / 3 / 3, "IL2",
     {{1, "IL2-D1"}, {2, ""}}, {{"IL2-D2", missed}},
     {.planned = 5, .expected = 2, .given = 1, .on_time = 1, .missed = 1, .skipped = 1, .extra = 1}, 50.0, 50.0,
     {{2, "IL2-D2", 0, true, std::nullopt}}, {{40, "IL2-D2", "patient did not come"}}},
    // A record naming IL2-D1 at noon takes it from an earlier, unnamed one
    // the same morning, which is then extra (a second dose on 03-02).
    {"named_takes_the_dose_from_an_unnamed_one", df_il2,
     {dose(1, "IL2", 2027_y / 3 / 2, 9, 0), dose(2, "IL2", 2027_y / 3 / 2, 12, 0, std::string{"IL2-D1"})},
     2027_y / 3 / 2, "IL2", {{1, ""}, {2, "IL2-D1"}}, {{"IL2-D1", on_time}, {"IL2-D2", upcoming}},
     {.planned = 5, .expected = 1, .given = 1, .on_time = 1, .extra = 1}, 100.0, 100.0, {{1, "IL2-D1", 0, true, 2}}},
};

BOOST_AUTO_TEST_SUITE(matching)

BOOST_DATA_TEST_CASE(worked_examples_of_the_spec, boost::unit_test::data::make(worked_examples), k) { check(k); }

BOOST_DATA_TEST_CASE(hand_worked_scenarios, boost::unit_test::data::make(scenarios), k) { check(k); }

// Expansion carries what matching needs: slot times, neighbours, limits, setting.
BOOST_AUTO_TEST_CASE(seed_events_carry_slot_times_reach_and_setting) {
    using std::chrono::minutes;
    const Calendar c = nct_v2_60kg();
    auto find = [&](std::string_view id) {
        return *std::find_if(c.events.begin(), c.events.end(), [&](const Event& e) { return e.id == id; });
    };
    const Event& am = find("CSA-D1-AM");
    BOOST_TEST((am.time == minutes{8 * 60}));
    BOOST_TEST(!am.time_before.has_value());
    BOOST_TEST((am.time_after == minutes{20 * 60}));
    BOOST_TEST((am.setting == trialcal::Setting::home));
    const Event& pm = find("CSA-D1-PM");
    BOOST_TEST((pm.time == minutes{20 * 60}));
    BOOST_TEST((pm.time_before == minutes{8 * 60}));
    BOOST_TEST(!pm.time_after.has_value());
    BOOST_TEST((pm.reach() == pm.window));
    const Event& weekly = find("ILT101-D74");
    BOOST_TEST((weekly.time == trialcal::noon));
    BOOST_TEST((weekly.setting == trialcal::Setting::site));
    BOOST_TEST((weekly.reach() == trialcal::DateWindow{2027_y / 5 / 11, 2027_y / 5 / 17}));
    // Visits have no limits: their reach is their window.
    const Event& visit = find("V-D88");
    BOOST_TEST((visit.reach() == visit.window));
}

// Distances are wall-clock minutes: across the night daylight-saving time
// starts in Paris (2027-03-28, 02:00 -> 03:00), 23:00 on 03-27 is 13 h from
// noon on 03-28 by the clock although 12 h passed; UTC does not enter.
BOOST_AUTO_TEST_CASE(distance_is_wall_clock_across_a_dst_change) {
    const Calendar c = plan("df-il2.toml", {.day0 = 2027_y / 3 / 26, .arm = "IL2-2", .cohort = {}, .weight_kg = {}});
    const auto& d2 = *std::find_if(c.events.begin(), c.events.end(), [](const auto& e) { return e.id == "IL2-D2"; });
    BOOST_TEST(d2.date == date::sys_days{2027_y / 3 / 28});
    Administration before = dose(1, "IL2", 2027_y / 3 / 27, 23, 0);
    before.at = utc(2027_y / 3 / 27, 22, 0);  // CET, UTC+1
    BOOST_TEST(trialcal::fit(d2, before).distance == 13 * 60);
    BOOST_TEST(trialcal::fit(d2, before).before);
    Administration after = dose(2, "IL2", 2027_y / 3 / 28, 14, 30);
    after.at = utc(2027_y / 3 / 28, 12, 30);  // CEST, UTC+2
    BOOST_TEST(trialcal::fit(d2, after).distance == 150);
    BOOST_TEST((trialcal::fit(d2, after).reach == trialcal::Reach::on_time));
    // 10:30 CEST (08:30 UTC) against 13:20 CEST (11:20 UTC): 90 against 80
    // minutes by the clock, so the later one takes D2 and the earlier is extra.
    Records r;
    r.doses = {dose(3, "IL2", 2027_y / 3 / 28, 10, 30), dose(4, "IL2", 2027_y / 3 / 28, 13, 20)};
    r.doses[0].at = utc(2027_y / 3 / 28, 8, 30);
    r.doses[1].at = utc(2027_y / 3 / 28, 11, 20);
    const auto ms = trialcal::match_doses(c, r, 2027_y / 3 / 28);
    BOOST_TEST_REQUIRE(ms.size() == 2u);
    BOOST_TEST(!ms[0].event.has_value());
    BOOST_TEST(c.events.at(ms[1].event.value()).id == "IL2-D2");
}


// ---------------------------------------------------------------------------
// Property: the dynamic programme's matching is the one a brute-force search
// of every non-crossing matching picks under the same order of priority.

struct Candidate {
    int on_time = 0, given = 0;
    std::int64_t distance = 0;
    std::vector<std::size_t> doses, admins;  // matched pairs, in order
};

// Positive when a is the better matching (the spec's order of priority).
int better(const Candidate& a, const Candidate& b) {
    if (a.on_time != b.on_time) return a.on_time > b.on_time ? 1 : -1;
    if (a.given != b.given) return a.given > b.given ? 1 : -1;
    if (a.distance != b.distance) return a.distance < b.distance ? 1 : -1;
    if (a.doses != b.doses) return a.doses < b.doses ? 1 : -1;
    if (a.admins != b.admins) return a.admins < b.admins ? 1 : -1;
    return 0;
}

// Every non-crossing matching of `admins` (time order) to `doses` (calendar
// order) over pairs within reach, the best kept in `best`.
void search(const Calendar& c, const std::vector<const Administration*>& admins, const std::vector<std::size_t>& doses,
            std::size_t i, std::size_t next_dose, Candidate& now, Candidate& best) {
    if (i == admins.size()) {
        if (better(now, best) > 0) best = now;
        return;
    }
    search(c, admins, doses, i + 1, next_dose, now, best);  // admins[i] extra
    for (std::size_t j = next_dose; j < doses.size(); ++j) {
        const auto f = trialcal::fit(c.events[doses[j]], *admins[i]);
        if (f.reach == trialcal::Reach::beyond) continue;
        Candidate saved = now;
        now.on_time += f.reach == trialcal::Reach::on_time;
        now.given += 1;
        now.distance += f.distance;
        now.doses.push_back(j);
        now.admins.push_back(i);
        search(c, admins, doses, i + 1, j + 1, now, best);
        now = saved;
    }
}

BOOST_AUTO_TEST_CASE(best_matching_equals_brute_force_and_figures_add_up) {
    const std::vector<std::pair<std::string, Calendar>> plans = {
        {"IL2", df_il2()},         {"IL2", df_il2_late_1()}, {"CSA", nct_v2_60kg()},
        {"ILT101", nct_v2_60kg()}, {"IL2", transreg_ra()},   {"IL2", transreg_sle()}};
    std::mt19937 rng(20270301);  // fixed: the same cases every run
    for (int n = 0; n < 3000; ++n) {
        const auto& [product, c] = plans[rng() % plans.size()];
        std::vector<std::size_t> all;
        for (std::size_t i = 0; i < c.events.size(); ++i)
            if (c.events[i].kind == trialcal::EventKind::dose && c.events[i].product == product) all.push_back(i);
        // A handful of records around one dose: dates within 6 days of it.
        const Event& anchor = c.events[all[rng() % std::min<std::size_t>(all.size(), 12)]];
        Records r;
        const int count = 1 + static_cast<int>(rng() % 6);
        for (int k = 0; k < count; ++k) {
            const auto day = anchor.date + date::days{static_cast<int>(rng() % 13) - 6};
            // Half the times on a few round hours, so that equal distances and
            // equal instants (the tie-breaks) come up often.
            const bool round = rng() % 2 == 0;
            const int hh = static_cast<int>(round ? 6 + (rng() % 3) * 6 : rng() % 24);
            const int mm = static_cast<int>(round ? 0 : rng() % 60);
            r.doses.push_back(dose(k + 1, product, day, hh, mm));
        }
        if (rng() % 4 == 0) r.skips.push_back({99, c.events[all[rng() % std::min<std::size_t>(all.size(), 12)]].id, "x"});
        const auto as_of = anchor.date + date::days{static_cast<int>(rng() % 20) - 5};

        // The brute force's inputs: records dated <= A in time order, open doses.
        std::vector<const Administration*> admins;
        for (const auto& a : r.doses)
            if (a.date <= as_of) admins.push_back(&a);
        std::stable_sort(admins.begin(), admins.end(), [](const auto* a, const auto* b) { return a->at < b->at; });
        std::vector<std::size_t> doses;
        for (std::size_t i : all)
            if (r.skips.empty() || r.skips[0].event != c.events[i].id) doses.push_back(i);
        Candidate now, best;
        best.given = -1;  // anything beats it
        search(c, admins, doses, 0, 0, now, best);

        const auto ms = trialcal::match_doses(c, r, as_of);
        BOOST_TEST_REQUIRE(ms.size() == admins.size());
        std::vector<std::optional<std::size_t>> want(admins.size());
        for (std::size_t k = 0; k < best.admins.size(); ++k) want[best.admins[k]] = doses[best.doses[k]];
        for (std::size_t k = 0; k < admins.size(); ++k) {
            BOOST_TEST_CONTEXT("case " << n << ", R" << admins[k]->record) {
                BOOST_TEST(ms[k].record == admins[k]->record);
                BOOST_TEST((ms[k].event == want[k]));
            }
        }

        // Figures add up, per product.
        const Compliance j = trialcal::judge(c, r, as_of);
        for (const auto& pc : j.doses) {
            const Figures& f = pc.figures;
            int due = 0, upcoming_n = 0;
            for (const auto& o : pc.events) due += o.status == Status::due, upcoming_n += o.status == Status::upcoming;
            BOOST_TEST_CONTEXT("case " << n << " " << pc.product) {
                BOOST_TEST(f.expected == f.given + f.missed);
                BOOST_TEST(f.given == f.on_time + f.early + f.late);
                BOOST_TEST(f.planned == f.expected + due + upcoming_n + f.held + f.cancelled);
                BOOST_TEST(f.skipped <= f.missed);
                BOOST_TEST(static_cast<std::size_t>(f.extra) == pc.extra.size());
            }
        }
        const Figures& f = std::find_if(j.doses.begin(), j.doses.end(), [&](const auto& p) { return p.product == product; })
                               ->figures;
        BOOST_TEST(f.given + f.extra == static_cast<int>(admins.size()), "case " << n);
    }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
