// expand() and blind() on small protocols written here, plus the study-day
// vocabulary (StudyDay, Window, DateWindow) they are built on.
#include "core/calendar.hpp"
#include "core/protocol_parser.hpp"
#include "core/study_day.hpp"

#include <boost/test/unit_test.hpp>
#include <date/date.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/print.hpp"

namespace {

using namespace date::literals;
using trialcal::CalendarErrc;
using trialcal::CalendarRequest;
using trialcal::DateWindow;
using trialcal::EventKind;
using trialcal::StudyDay;
using trialcal::Window;

// ---------------------------------------------------------------------------
// StudyDay, Window, DateWindow: compile-time arithmetic

constexpr date::sys_days leap_day0{2028_y / 2 / 25};

static_assert(StudyDay{}.count() == 0);
static_assert(StudyDay{} == StudyDay{0});
static_assert(StudyDay{4}.count() == 4);
static_assert(StudyDay{0}.on(leap_day0) == leap_day0);
static_assert(StudyDay{4}.on(leap_day0) == date::sys_days{2028_y / 2 / 29});
static_assert(StudyDay{5}.on(leap_day0) == date::sys_days{2028_y / 3 / 1});
static_assert(StudyDay{-25}.on(leap_day0) == date::sys_days{2028_y / 1 / 31});
static_assert(StudyDay{4}.on(date::sys_days{2027_y / 12 / 28}) == date::sys_days{2028_y / 1 / 1});
static_assert(StudyDay{719}.on(date::sys_days{2027_y / 3 / 1}) == date::sys_days{2029_y / 2 / 17});
static_assert(StudyDay{1} + date::days{13} == StudyDay{14});
static_assert(StudyDay{183} - StudyDay{1} == date::days{182});
static_assert(StudyDay{1} - StudyDay{8} == date::days{-7});
static_assert(StudyDay{3} < StudyDay{4});
static_assert(StudyDay{-1} < StudyDay{0});
static_assert(StudyDay{15} >= StudyDay{15});
static_assert(StudyDay{15} != StudyDay{16});
static_assert([] {
    StudyDay s{1};
    s += date::days{14};
    s += date::days{14};
    return s.count();
}() == 29);

static_assert(Window{}.before == date::days{0} && Window{}.after == date::days{0});
static_assert(Window{}.around(leap_day0) == DateWindow{leap_day0, leap_day0});
static_assert(Window{date::days{1}, date::days{2}}.around(leap_day0) ==
              DateWindow{date::sys_days{2028_y / 2 / 24}, date::sys_days{2028_y / 2 / 27}});
static_assert(Window{date::days{3}, date::days{3}}.around(date::sys_days{2028_y / 3 / 1}) ==
              DateWindow{date::sys_days{2028_y / 2 / 27}, date::sys_days{2028_y / 3 / 4}});
static_assert(Window{date::days{14}, date::days{0}}.around(date::sys_days{2028_y / 1 / 10}) ==
              DateWindow{date::sys_days{2027_y / 12 / 27}, date::sys_days{2028_y / 1 / 10}});
static_assert(Window{date::days{1}, date::days{1}} == Window{date::days{1}, date::days{1}});
static_assert(!(Window{date::days{1}, date::days{2}} == Window{date::days{2}, date::days{1}}));

constexpr DateWindow leap_window{date::sys_days{2028_y / 2 / 28}, date::sys_days{2028_y / 3 / 1}};
static_assert(leap_window.contains(date::sys_days{2028_y / 2 / 28}));  // bounds are inclusive
static_assert(leap_window.contains(date::sys_days{2028_y / 2 / 29}));
static_assert(leap_window.contains(date::sys_days{2028_y / 3 / 1}));
static_assert(!leap_window.contains(date::sys_days{2028_y / 2 / 27}));
static_assert(!leap_window.contains(date::sys_days{2028_y / 3 / 2}));
static_assert(DateWindow{leap_day0, leap_day0}.contains(leap_day0));
static_assert(!(leap_window == DateWindow{date::sys_days{2028_y / 2 / 28}, date::sys_days{2028_y / 2 / 29}}));

// ---------------------------------------------------------------------------
// Helpers

trialcal::Protocol parse(std::string_view text) {
    auto parsed = trialcal::parse_protocol(text);
    for (const auto& d : parsed.diagnostics)
        BOOST_TEST_MESSAGE(d.line << ":" << d.column << ": " << d.key << ": " << d.message);
    BOOST_TEST_REQUIRE(parsed.diagnostics.empty());
    BOOST_TEST_REQUIRE(parsed.protocol.has_value());
    return std::move(*parsed.protocol);
}

trialcal::Calendar expand_ok(const trialcal::Protocol& p, const CalendarRequest& r) {
    auto c = trialcal::expand(p, r);
    if (!c) BOOST_TEST_MESSAGE("expand failed: " << c.error().message);
    BOOST_TEST_REQUIRE(c.has_value());
    return std::move(c).value();
}

CalendarRequest on(date::sys_days day0, std::optional<std::string> arm = {}, std::optional<std::string> cohort = {},
                   std::optional<double> weight = {}) {
    return {day0, std::move(arm), std::move(cohort), weight};
}

std::vector<std::string> ids(const trialcal::Calendar& c) {
    std::vector<std::string> out;
    for (const auto& e : c.events) out.push_back(e.id);
    return out;
}

std::vector<date::sys_days> dates(const trialcal::Calendar& c) {
    std::vector<date::sys_days> out;
    for (const auto& e : c.events) out.push_back(e.date);
    return out;
}

const trialcal::Event& event(const trialcal::Calendar& c, const std::string& id) {
    for (const auto& e : c.events)
        if (e.id == id) return e;
    BOOST_TEST_REQUIRE(false, "no event " << id);
    return c.events.front();
}

constexpr std::string_view header = R"(
[protocol]
id = "T"
version = "3"
title = "test protocol"
)";

std::string with_header(std::string_view body) { return std::string(header) + std::string(body); }

const std::string twice_daily = with_header(R"(
[[products]]
id = "X"
drug = "drug x"
route = "oral"
unit = "mg"

[[regimens]]
id = "X"
product = "X"
first_day = 1
last_day = 3
every_days = 1
intakes = ["AM", "PM"]
intake_times = ["08:00", "20:00"]
window = [0, 0]
amount = 10

[[visits]]
day = 0
name = "Inclusion"
window = [0, 0]
procedures = ["consent"]
)");

}  // namespace

BOOST_AUTO_TEST_SUITE(calendar)

BOOST_AUTO_TEST_CASE(study_day_arithmetic_holds_at_run_time_too) {
    BOOST_TEST(StudyDay{60}.on(date::sys_days{2028_y / 12 / 31}) == date::sys_days{2029_y / 3 / 1});
    BOOST_TEST((StudyDay{74} + date::days{7 * 40}).count() == 354);
    BOOST_TEST((StudyDay{354} - StudyDay{74}).count() == 280);
    const auto w = Window{date::days{7}, date::days{7}}.around(date::sys_days{2027_y / 12 / 28});
    BOOST_TEST(w.from == date::sys_days{2027_y / 12 / 21});
    BOOST_TEST(w.to == date::sys_days{2028_y / 1 / 4});
}

BOOST_AUTO_TEST_CASE(twice_daily_intakes_give_am_then_pm_on_each_day) {
    const auto c = expand_ok(parse(twice_daily), on(date::sys_days{2027_y / 3 / 1}));
    BOOST_TEST(ids(c) ==
                   (std::vector<std::string>{"V-D0", "X-D1-AM", "X-D1-PM", "X-D2-AM", "X-D2-PM", "X-D3-AM", "X-D3-PM"}),
               boost::test_tools::per_element());
    BOOST_TEST(dates(c) ==
                   (std::vector<date::sys_days>{2027_y / 3 / 1, 2027_y / 3 / 2, 2027_y / 3 / 2, 2027_y / 3 / 3,
                                                2027_y / 3 / 3, 2027_y / 3 / 4, 2027_y / 3 / 4}),
               boost::test_tools::per_element());
    BOOST_TEST(event(c, "X-D1-AM").intake == "AM");
    BOOST_TEST(event(c, "X-D1-PM").intake == "PM");
    BOOST_TEST(event(c, "X-D2-PM").day.count() == 2);
    BOOST_TEST(event(c, "X-D3-AM").amount == std::optional<double>{10.0});
    BOOST_TEST(trialcal::count_doses(c, "X") == 6u);
}

BOOST_AUTO_TEST_CASE(three_intakes_a_day_keep_their_file_order) {
    const auto c = expand_ok(parse(with_header(R"(
[[products]]
id = "X"
drug = "drug x"
route = "oral"
unit = "mg"

[[regimens]]
id = "X"
product = "X"
first_day = 1
last_day = 2
every_days = 1
intakes = ["AM", "NOON", "PM"]
intake_times = ["08:00", "12:00", "20:00"]
window = [0, 0]
amount = 5

[[visits]]
day = 0
name = "Inclusion"
window = [0, 0]
procedures = ["consent"]
)")),
                             on(date::sys_days{2028_y / 2 / 28}));
    BOOST_TEST(ids(c) == (std::vector<std::string>{"V-D0", "X-D1-AM", "X-D1-NOON", "X-D1-PM", "X-D2-AM",
                                                   "X-D2-NOON", "X-D2-PM"}),
               boost::test_tools::per_element());
    BOOST_TEST(event(c, "X-D1-NOON").date == date::sys_days{2028_y / 2 / 29});
    BOOST_TEST(event(c, "X-D2-PM").date == date::sys_days{2028_y / 3 / 1});
}

// Two regimens whose days interleave, and visits listed out of date order:
// schedule() sorts the visits, then merges each regimen's run in file order.
constexpr std::string_view interleaved = R"(
[[products]]
id = "A"
drug = "drug a"
route = "SC"
unit = "MIU"

[[products]]
id = "B"
drug = "drug b"
route = "oral"
unit = "mg"

[[regimens]]
id = "A"
product = "A"
first_day = 1
last_day = 5
every_days = 2
window = [0, 0]
amount = 1

[[regimens]]
id = "B"
product = "B"
first_day = 2
last_day = 5
every_days = 1
window = [1, 1]
amount = 2

[[visits]]
day = 3
name = "Middle"
window = [0, 0]
procedures = ["blood"]

[[visits]]
day = 0
name = "Inclusion"
window = [0, 0]
procedures = ["consent"]
)";

BOOST_AUTO_TEST_CASE(schedule_merges_regimens_by_date_visits_first_and_reuses_its_buffer) {
    const auto p = parse(with_header(interleaved));
    const auto s = trialcal::select(p, on(date::sys_days{2027_y / 12 / 30}));
    BOOST_TEST_REQUIRE(s.has_value());
    std::vector<trialcal::PlannedEvent> planned(40);  // stale content: schedule() clears it
    trialcal::schedule(p, *s, date::sys_days{2027_y / 12 / 30}, planned);
    std::vector<std::string> got;
    std::string id;
    for (const auto& e : planned) {
        trialcal::write_event_id(id, p, e);
        got.push_back(id);
    }
    BOOST_TEST(got == (std::vector<std::string>{"V-D0", "A-D1", "B-D2", "V-D3", "A-D3", "B-D3", "B-D4", "A-D5",
                                                "B-D5"}),
               boost::test_tools::per_element());
    BOOST_TEST(planned[3].kind == EventKind::visit);
    BOOST_TEST(planned[3].date == date::sys_days{2028_y / 1 / 2});
    BOOST_TEST(planned[5].window.from == date::sys_days{2028_y / 1 / 1});
    BOOST_TEST(planned[5].window.to == date::sys_days{2028_y / 1 / 3});
    // expand() is built on schedule(): the same events, in the same order.
    BOOST_TEST(ids(expand_ok(p, on(date::sys_days{2027_y / 12 / 30}))) == got, boost::test_tools::per_element());
    const std::size_t capacity = planned.capacity();
    trialcal::schedule(p, *s, date::sys_days{2028_y / 2 / 27}, planned);
    BOOST_TEST(planned.size() == 9u);
    BOOST_TEST(planned.capacity() == capacity);
    BOOST_TEST(planned[1].date == date::sys_days{2028_y / 2 / 28});
    BOOST_TEST(planned[2].date == date::sys_days{2028_y / 2 / 29});
}

BOOST_AUTO_TEST_CASE(every_days_steps_from_first_to_last_day_with_the_regimen_window) {
    const auto c = expand_ok(parse(with_header(R"(
[[products]]
id = "Y"
drug = "drug y"
route = "SC"
unit = "MIU"

[[regimens]]
id = "Y"
product = "Y"
first_day = 2
last_day = 20
every_days = 6
window = [1, 2]
amount = 1.5

[[visits]]
day = 0
name = "Inclusion"
window = [0, 0]
procedures = ["consent"]
)")),
                             on(date::sys_days{2027_y / 12 / 28}));
    BOOST_TEST(ids(c) == (std::vector<std::string>{"V-D0", "Y-D2", "Y-D8", "Y-D14", "Y-D20"}),
               boost::test_tools::per_element());
    BOOST_TEST(dates(c) == (std::vector<date::sys_days>{2027_y / 12 / 28, 2027_y / 12 / 30, 2028_y / 1 / 5,
                                                        2028_y / 1 / 11, 2028_y / 1 / 17}),
               boost::test_tools::per_element());
    const auto& d8 = event(c, "Y-D8");
    BOOST_TEST(d8.kind == EventKind::dose);
    BOOST_TEST(d8.window.from == date::sys_days{2028_y / 1 / 4});
    BOOST_TEST(d8.window.to == date::sys_days{2028_y / 1 / 7});
    BOOST_TEST(d8.intake == "");
    BOOST_TEST(d8.amount == std::optional<double>{1.5});
    BOOST_TEST(d8.unit == "MIU");
    BOOST_TEST(d8.drug == "drug y");
    BOOST_TEST(d8.route == "SC");
    BOOST_TEST(!d8.blinded);
    BOOST_TEST(trialcal::count_doses(c, "Y") == 4u);
}

BOOST_AUTO_TEST_CASE(a_regimen_of_one_day_gives_one_dose) {
    const auto c = expand_ok(parse(with_header(R"(
[[products]]
id = "Y"
drug = "drug y"
route = "SC"
unit = "MIU"

[[regimens]]
id = "Y"
product = "Y"
first_day = 5
last_day = 5
every_days = 7
window = [0, 0]
amount = 1

[[visits]]
day = 0
name = "Inclusion"
window = [0, 0]
procedures = ["consent"]
)")),
                             on(date::sys_days{2027_y / 1 / 31}));
    BOOST_TEST(ids(c) == (std::vector<std::string>{"V-D0", "Y-D5"}), boost::test_tools::per_element());
    BOOST_TEST(event(c, "Y-D5").date == date::sys_days{2027_y / 2 / 5});
}

namespace {
const std::string cohort_protocol = with_header(R"(
[[cohorts]]
id = "A"
name = "cohort a"

[[cohorts]]
id = "B"
name = "cohort b"

[[cohorts]]
id = "C"
name = "cohort c"

[[products]]
id = "Z"
drug = "drug z"
route = "SC"
unit = "MIU"

[[regimens]]
id = "everyone"
product = "Z"
first_day = 1
last_day = 1
every_days = 1
window = [0, 0]
amount = 1

[[regimens]]
id = "only-a"
product = "Z"
first_day = 2
last_day = 2
every_days = 1
window = [0, 0]
amount = 1
cohorts = ["A"]

[[regimens]]
id = "all-but-a"
product = "Z"
first_day = 3
last_day = 3
every_days = 1
window = [0, 0]
amount = 1
except_cohorts = ["A"]

[[regimens]]
id = "a-and-b"
product = "Z"
first_day = 4
last_day = 4
every_days = 1
window = [0, 0]
amount = 1
cohorts = ["A", "B"]

[[regimens]]
id = "all-but-b-and-c"
product = "Z"
first_day = 5
last_day = 5
every_days = 1
window = [0, 0]
amount = 1
except_cohorts = ["B", "C"]

[[visits]]
day = 0
name = "Inclusion"
window = [0, 0]
procedures = ["consent"]
)");
}  // namespace

BOOST_AUTO_TEST_CASE(cohorts_and_except_cohorts_select_the_regimens_of_a_cohort) {
    const auto p = parse(cohort_protocol);
    const auto day0 = date::sys_days{2027_y / 3 / 1};

    const auto a = expand_ok(p, on(day0, {}, "A"));
    BOOST_TEST(ids(a) == (std::vector<std::string>{"V-D0", "Z-D1", "Z-D2", "Z-D4", "Z-D5"}),
               boost::test_tools::per_element());
    BOOST_TEST(a.cohort == std::optional<std::string>{"A"});

    const auto b = expand_ok(p, on(day0, {}, "B"));
    BOOST_TEST(ids(b) == (std::vector<std::string>{"V-D0", "Z-D1", "Z-D3", "Z-D4"}), boost::test_tools::per_element());

    // Cohort ids are typed by people: any case, canonical in the calendar.
    const auto c = expand_ok(p, on(day0, {}, "c"));
    BOOST_TEST(ids(c) == (std::vector<std::string>{"V-D0", "Z-D1", "Z-D3"}), boost::test_tools::per_element());
    BOOST_TEST(c.cohort == std::optional<std::string>{"C"});
    BOOST_TEST(trialcal::count_doses(c, "Z") == 2u);
}

BOOST_AUTO_TEST_CASE(a_protocol_with_cohorts_needs_a_known_one) {
    const auto p = parse(cohort_protocol);
    auto missing = trialcal::expand(p, on(date::sys_days{2027_y / 3 / 1}));
    BOOST_TEST_REQUIRE(!missing.has_value());
    BOOST_TEST(missing.error().code == CalendarErrc::cohort_required);
    BOOST_TEST(missing.error().message == "T needs a cohort: A, B, C");

    auto unknown = trialcal::expand(p, on(date::sys_days{2027_y / 3 / 1}, {}, "D"));
    BOOST_TEST_REQUIRE(!unknown.has_value());
    BOOST_TEST(unknown.error().code == CalendarErrc::unknown_cohort);
    BOOST_TEST(unknown.error().value == "D");
    BOOST_TEST(unknown.error().message == "cohorts of T: A, B, C");
}

// Not part of the plan: expand() leaves it out, and early_termination_event()
// dates it from the withdrawal, day and window as written, across a month end.
BOOST_AUTO_TEST_CASE(early_termination_visit_is_dated_from_the_withdrawal_not_day_0) {
    const auto p = parse(twice_daily + R"(
[[visits]]
id = "V-ET"
day = 3
name = "Early termination"
window = [1, 2]
procedures = ["blood sample", "exam"]
early_termination = true
)");
    const auto c = expand_ok(p, on(2027_y / 1 / 10));
    BOOST_TEST(ids(c) == (std::vector<std::string>{"V-D0", "X-D1-AM", "X-D1-PM", "X-D2-AM", "X-D2-PM", "X-D3-AM",
                                                   "X-D3-PM"}),
               boost::test_tools::per_element());
    const trialcal::Visit* v = trialcal::early_termination_visit(p);
    BOOST_TEST_REQUIRE(v == &p.visits[1]);
    const auto e = trialcal::early_termination_event(p, *v, 2027_y / 1 / 30);
    BOOST_TEST(e.id == "V-ET");
    BOOST_TEST((e.kind == EventKind::visit));
    BOOST_TEST(e.day.count() == 3);
    BOOST_TEST(e.date == date::sys_days{2027_y / 2 / 2});
    BOOST_TEST((e.window == DateWindow{date::sys_days{2027_y / 2 / 1}, date::sys_days{2027_y / 2 / 4}}));
    BOOST_TEST(e.name == "Early termination");
    BOOST_TEST(e.procedures == (std::vector<std::string>{"blood sample", "exam"}), boost::test_tools::per_element());
    BOOST_TEST(!e.anchor.has_value());
}

BOOST_AUTO_TEST_CASE(visits_come_before_doses_on_the_same_date_whatever_the_file_order) {
    // Visits listed last, and out of day order.
    const auto c = expand_ok(parse(with_header(R"(
[[products]]
id = "X"
drug = "drug x"
route = "SC"
unit = "MIU"

[[regimens]]
id = "X"
product = "X"
first_day = 1
last_day = 3
every_days = 1
window = [0, 0]
amount = 1

[[visits]]
day = 2
name = "D2"
window = [0, 0]
procedures = ["blood"]

[[visits]]
day = 1
name = "D1"
window = [0, 0]
procedures = ["blood"]

[[visits]]
day = 3
name = "D3"
window = [1, 1]
procedures = ["blood"]
)")),
                             on(date::sys_days{2028_y / 2 / 28}));
    BOOST_TEST(ids(c) == (std::vector<std::string>{"V-D1", "X-D1", "V-D2", "X-D2", "V-D3", "X-D3"}),
               boost::test_tools::per_element());
    BOOST_TEST(dates(c) == (std::vector<date::sys_days>{2028_y / 2 / 29, 2028_y / 2 / 29, 2028_y / 3 / 1,
                                                        2028_y / 3 / 1, 2028_y / 3 / 2, 2028_y / 3 / 2}),
               boost::test_tools::per_element());
    const auto& v3 = event(c, "V-D3");
    BOOST_TEST(v3.kind == EventKind::visit);
    BOOST_TEST(v3.name == "D3");
    BOOST_TEST(v3.window.from == date::sys_days{2028_y / 3 / 1});
    BOOST_TEST(v3.window.to == date::sys_days{2028_y / 3 / 3});
    BOOST_TEST(v3.product == "");
    BOOST_TEST(!v3.amount.has_value());
    BOOST_TEST(trialcal::count_visits(c) == 3u);
}

BOOST_AUTO_TEST_CASE(products_and_visits_on_the_same_date_keep_their_file_order) {
    const auto c = expand_ok(parse(with_header(R"(
[[products]]
id = "A"
drug = "drug a"
route = "SC"
unit = "MIU"

[[products]]
id = "B"
drug = "drug b"
route = "oral"
unit = "mg"

[[regimens]]
id = "A"
product = "A"
first_day = 1
last_day = 2
every_days = 1
window = [0, 0]
amount = 1

[[regimens]]
id = "B"
product = "B"
first_day = 1
last_day = 2
every_days = 1
intakes = ["AM", "PM"]
intake_times = ["08:00", "20:00"]
window = [0, 0]
amount = 20

[[visits]]
id = "second"
day = 2
name = "listed first, second of the day"
window = [0, 0]
procedures = ["blood"]

[[visits]]
id = "first"
day = 1
name = "first"
window = [0, 0]
procedures = ["blood"]

[[visits]]
id = "third"
day = 2
name = "listed last, also on D2"
window = [0, 0]
procedures = ["urine"]
)")),
                             on(date::sys_days{2027_y / 10 / 29}));
    BOOST_TEST(ids(c) == (std::vector<std::string>{"first", "A-D1", "B-D1-AM", "B-D1-PM", "second", "third", "A-D2",
                                                   "B-D2-AM", "B-D2-PM"}),
               boost::test_tools::per_element());
    BOOST_TEST(event(c, "A-D2").date == date::sys_days{2027_y / 10 / 31});
    BOOST_TEST(event(c, "third").date == date::sys_days{2027_y / 10 / 31});
    BOOST_TEST(event(c, "B-D1-PM").unit == "mg");
    BOOST_TEST(event(c, "B-D1-PM").route == "oral");
    BOOST_TEST(trialcal::count_doses(c, "A") == 2u);
    BOOST_TEST(trialcal::count_doses(c, "B") == 4u);
    BOOST_TEST(trialcal::count_visits(c) == 3u);
}

BOOST_AUTO_TEST_CASE(a_visit_before_day0_gets_a_negative_day_and_comes_first) {
    const auto c = expand_ok(parse(with_header(R"(
[[products]]
id = "X"
drug = "drug x"
route = "SC"
unit = "MIU"

[[regimens]]
id = "X"
product = "X"
first_day = 1
last_day = 1
every_days = 1
window = [0, 0]
amount = 1

[[visits]]
day = 0
name = "Inclusion"
window = [0, 0]
procedures = ["consent"]

[[visits]]
day = -14
name = "Screening"
window = [7, 0]
procedures = ["eligibility"]
)")),
                             on(date::sys_days{2028_y / 1 / 10}));
    BOOST_TEST(ids(c) == (std::vector<std::string>{"V-D-14", "V-D0", "X-D1"}), boost::test_tools::per_element());
    const auto& s = event(c, "V-D-14");
    BOOST_TEST(s.day.count() == -14);
    BOOST_TEST(s.date == date::sys_days{2027_y / 12 / 27});
    BOOST_TEST(s.window.from == date::sys_days{2027_y / 12 / 20});
    BOOST_TEST(s.window.to == date::sys_days{2027_y / 12 / 27});
    BOOST_TEST(s.procedures == (std::vector<std::string>{"eligibility"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(count_doses_and_count_visits_count_by_kind_and_product) {
    const auto c = expand_ok(parse(twice_daily), on(date::sys_days{2027_y / 3 / 1}));
    BOOST_TEST(trialcal::count_visits(c) == 1u);
    BOOST_TEST(trialcal::count_doses(c, "X") == 6u);
    BOOST_TEST(trialcal::count_doses(c, "x") == 0u);  // product ids match exactly
    BOOST_TEST(trialcal::count_doses(c, "V") == 0u);
    BOOST_TEST(trialcal::count_doses(c, "") == 0u);  // visits have no product

    const trialcal::Calendar empty{};
    BOOST_TEST(trialcal::count_visits(empty) == 0u);
    BOOST_TEST(trialcal::count_doses(empty, "X") == 0u);
}

BOOST_AUTO_TEST_CASE(calendar_names_the_protocol_version_day0_and_canonical_arm) {
    const auto p = parse(with_header(R"(
[[products]]
id = "P"
drug = "drug p"
route = "SC"
unit = "MIU"

[[arms]]
id = "High"
name = "high dose"
doses = { P = 3 }

[[arms]]
id = "Low"
name = "low dose"
doses = { P = 0.5 }

[[regimens]]
id = "P"
product = "P"
first_day = 1
last_day = 2
every_days = 1
window = [0, 0]
amount = "arm"

[[visits]]
day = 0
name = "Inclusion"
window = [0, 0]
procedures = ["consent"]
)"));
    const auto c = expand_ok(p, on(date::sys_days{2027_y / 3 / 28}, "low"));
    BOOST_TEST(c.protocol == "T");
    BOOST_TEST(c.version == "3");
    BOOST_TEST(c.day0 == date::sys_days{2027_y / 3 / 28});
    BOOST_TEST(c.arm == std::optional<std::string>{"Low"});
    BOOST_TEST(!c.cohort.has_value());
    BOOST_TEST(!c.blinded);
    BOOST_TEST(event(c, "P-D1").amount == std::optional<double>{0.5});
    BOOST_TEST(event(c, "P-D2").amount == std::optional<double>{0.5});
    BOOST_TEST(event(c, "P-D2").date == date::sys_days{2027_y / 3 / 30});

    const auto high = expand_ok(p, on(date::sys_days{2027_y / 3 / 28}, "HIGH"));
    BOOST_TEST(high.arm == std::optional<std::string>{"High"});
    BOOST_TEST(event(high, "P-D1").amount == std::optional<double>{3.0});

    const auto none = expand_ok(p, on(date::sys_days{2027_y / 3 / 28}));
    BOOST_TEST(!none.arm.has_value());
    BOOST_TEST(!event(none, "P-D1").amount.has_value());
    BOOST_TEST(event(none, "P-D1").drug == "drug p");

    auto unknown = trialcal::expand(p, on(date::sys_days{2027_y / 3 / 28}, "Medium"));
    BOOST_TEST_REQUIRE(!unknown.has_value());
    BOOST_TEST(unknown.error().code == CalendarErrc::unknown_arm);
    BOOST_TEST(unknown.error().value == "Medium");
    BOOST_TEST(unknown.error().message == "arms of T: High, Low");

    auto cohort = trialcal::expand(p, on(date::sys_days{2027_y / 3 / 28}, "Low", "RA"));
    BOOST_TEST_REQUIRE(!cohort.has_value());
    BOOST_TEST(cohort.error().code == CalendarErrc::cohort_not_applicable);
    BOOST_TEST(cohort.error().value == "RA");
}

namespace {
const std::string weight_protocol = with_header(R"(
[[products]]
id = "W"
drug = "drug w"
route = "oral"
unit = "mg"

[[regimens]]
id = "W"
product = "W"
first_day = 1
last_day = 1
every_days = 1
window = [0, 0]
mg_per_kg = 2.5
round_to = 10

[[visits]]
day = 0
name = "Inclusion"
window = [0, 0]
procedures = ["weight"]
)");
}  // namespace

BOOST_AUTO_TEST_CASE(weight_based_doses_round_to_the_nearest_step_halves_away_from_zero) {
    const auto p = parse(weight_protocol);
    struct Case {
        double kg;
        double mg;
    };
    // 2.5 mg/kg, steps of 10 mg: 47 kg 117.5 -> 120 (11.75); 49 kg 122.5 -> 120 (12.25);
    // 50 kg 125 -> 130 (12.5, half up); 54 kg 135 -> 140 (13.5, half up); 2 kg 5 -> 10 (0.5, half up).
    for (const Case& k : {Case{47, 120}, Case{49, 120}, Case{50, 130}, Case{54, 140}, Case{2, 10}}) {
        BOOST_TEST_CONTEXT(k.kg << " kg") {
            const auto c = expand_ok(p, on(date::sys_days{2027_y / 3 / 1}, {}, {}, k.kg));
            BOOST_TEST(event(c, "W-D1").amount == std::optional<double>{k.mg});
            BOOST_TEST(event(c, "W-D1").unit == "mg");
        }
    }
}

BOOST_AUTO_TEST_CASE(a_weight_whose_dose_rounds_to_nothing_is_refused) {
    const auto p = parse(weight_protocol);
    // 1 kg x 2.5 mg/kg = 2.5 mg, a quarter of a 10 mg step: 0 mg.
    auto c = trialcal::expand(p, on(date::sys_days{2027_y / 3 / 1}, {}, {}, 1.0));
    BOOST_TEST_REQUIRE(!c.has_value());
    BOOST_TEST(c.error().code == CalendarErrc::weight_out_of_range);
    BOOST_TEST(c.error().value == "1");
    BOOST_TEST(c.error().message.find("1 kg gives 0 mg of ") == 0u, c.error().message);
}

BOOST_AUTO_TEST_CASE(weight_based_doses_need_a_weight_in_range) {
    const auto p = parse(weight_protocol);
    auto none = trialcal::expand(p, on(date::sys_days{2027_y / 3 / 1}));
    BOOST_TEST_REQUIRE(!none.has_value());
    BOOST_TEST(none.error().code == CalendarErrc::weight_required);
    BOOST_TEST(none.error().message == "T doses by body weight: a weight in kg is needed");

    auto heavy = trialcal::expand(p, on(date::sys_days{2027_y / 3 / 1}, {}, {}, 350.25));
    BOOST_TEST_REQUIRE(!heavy.has_value());
    BOOST_TEST(heavy.error().code == CalendarErrc::weight_out_of_range);
    BOOST_TEST(heavy.error().value == "350.25");
    BOOST_TEST(heavy.error().message == "a body weight is more than 0 and at most 350 kg");

    auto zero = trialcal::expand(p, on(date::sys_days{2027_y / 3 / 1}, {}, {}, 0.0));
    BOOST_TEST_REQUIRE(!zero.has_value());
    BOOST_TEST(zero.error().code == CalendarErrc::weight_out_of_range);
    BOOST_TEST(zero.error().value == "0");
}

namespace {
const std::string blinded_protocol = R"(
[protocol]
id = "B"
version = "1"
title = "blinded test protocol"
blinded = true

[[products]]
id = "OPEN"
drug = "open drug"
route = "oral"
unit = "mg"

[[products]]
id = "VOL"
drug = "active v"
route = "SC"
unit = "MIU"
blinded_label = "V or placebo"
blinded_amount = 0.5
blinded_unit = "ml"

[[products]]
id = "NOVOL"
drug = "active n"
route = "SC"
unit = "MIU"
blinded_label = "N or placebo"

[[arms]]
id = "active"
name = "active"
doses = { VOL = 2, NOVOL = 4 }

[[arms]]
id = "placebo"
name = "placebo"
placebo = ["VOL", "NOVOL"]

[[regimens]]
id = "OPEN"
product = "OPEN"
first_day = 1
last_day = 1
every_days = 1
window = [0, 0]
amount = 100

[[regimens]]
id = "VOL"
product = "VOL"
first_day = 1
last_day = 1
every_days = 1
window = [0, 0]
amount = "arm"

[[regimens]]
id = "NOVOL"
product = "NOVOL"
first_day = 1
last_day = 1
every_days = 1
window = [0, 0]
amount = "arm"

[[visits]]
day = 0
name = "Inclusion"
window = [0, 0]
procedures = ["consent"]
)";
}  // namespace

BOOST_AUTO_TEST_CASE(arms_give_active_amounts_or_placebo_with_the_handled_volume) {
    const auto p = parse(blinded_protocol);
    const auto active = expand_ok(p, on(date::sys_days{2027_y / 3 / 1}, "active"));
    BOOST_TEST(ids(active) == (std::vector<std::string>{"V-D0", "OPEN-D1", "VOL-D1", "NOVOL-D1"}),
               boost::test_tools::per_element());
    BOOST_TEST(event(active, "VOL-D1").drug == "active v");
    BOOST_TEST(event(active, "VOL-D1").amount == std::optional<double>{2.0});
    BOOST_TEST(event(active, "VOL-D1").unit == "MIU");
    BOOST_TEST(event(active, "NOVOL-D1").amount == std::optional<double>{4.0});

    const auto placebo = expand_ok(p, on(date::sys_days{2027_y / 3 / 1}, "placebo"));
    BOOST_TEST(event(placebo, "VOL-D1").drug == "placebo");
    BOOST_TEST(event(placebo, "VOL-D1").amount == std::optional<double>{0.5});
    BOOST_TEST(event(placebo, "VOL-D1").unit == "ml");
    BOOST_TEST(event(placebo, "NOVOL-D1").drug == "placebo");
    BOOST_TEST(!event(placebo, "NOVOL-D1").amount.has_value());
    BOOST_TEST(event(placebo, "NOVOL-D1").unit == "");
    BOOST_TEST(event(placebo, "OPEN-D1").drug == "open drug");
    BOOST_TEST(event(placebo, "OPEN-D1").amount == std::optional<double>{100.0});
}

BOOST_AUTO_TEST_CASE(blind_shows_labels_and_volumes_hides_the_arm_and_leaves_open_products) {
    const auto p = parse(blinded_protocol);
    for (const char* arm : {"active", "placebo"}) {
        BOOST_TEST_CONTEXT("arm " << arm) {
            const auto c = trialcal::blind(expand_ok(p, on(date::sys_days{2027_y / 3 / 1}, arm)), p);
            BOOST_TEST(c.blinded);
            BOOST_TEST(!c.arm.has_value());
            BOOST_TEST(ids(c) == (std::vector<std::string>{"V-D0", "OPEN-D1", "VOL-D1", "NOVOL-D1"}),
                       boost::test_tools::per_element());

            const auto& open = event(c, "OPEN-D1");
            BOOST_TEST(open.drug == "open drug");
            BOOST_TEST(open.amount == std::optional<double>{100.0});
            BOOST_TEST(open.unit == "mg");
            BOOST_TEST(!open.blinded);

            const auto& vol = event(c, "VOL-D1");
            BOOST_TEST(vol.drug == "V or placebo");
            BOOST_TEST(vol.amount == std::optional<double>{0.5});
            BOOST_TEST(vol.unit == "ml");
            BOOST_TEST(vol.route == "SC");
            BOOST_TEST(vol.blinded);

            const auto& novol = event(c, "NOVOL-D1");
            BOOST_TEST(novol.drug == "N or placebo");
            BOOST_TEST(!novol.amount.has_value());
            BOOST_TEST(novol.unit == "");
            BOOST_TEST(novol.blinded);

            const auto& visit = event(c, "V-D0");
            BOOST_TEST(!visit.blinded);
            BOOST_TEST(visit.name == "Inclusion");
        }
    }
}

BOOST_AUTO_TEST_CASE(blind_leaves_a_calendar_of_an_unblinded_protocol_unchanged) {
    const auto p = parse(twice_daily);
    const auto open = expand_ok(p, on(date::sys_days{2027_y / 3 / 1}));
    const auto c = trialcal::blind(open, p);
    BOOST_TEST(!c.blinded);
    BOOST_TEST(ids(c) == ids(open), boost::test_tools::per_element());
    for (std::size_t i = 0; i < c.events.size(); ++i) {
        BOOST_TEST(c.events[i].drug == open.events[i].drug);
        BOOST_TEST(c.events[i].amount == open.events[i].amount);
        BOOST_TEST(c.events[i].unit == open.events[i].unit);
        BOOST_TEST(c.events[i].blinded == open.events[i].blinded);
    }
}

BOOST_AUTO_TEST_CASE(arm_given_to_a_protocol_without_arms_is_not_applicable) {
    auto r = trialcal::expand(parse(twice_daily), on(date::sys_days{2027_y / 3 / 1}, "active"));
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error().code == CalendarErrc::arm_not_applicable);
    BOOST_TEST(r.error().value == "active");
    BOOST_TEST(r.error().message == "T is single-group: it has no arms");
}

BOOST_AUTO_TEST_SUITE_END()
