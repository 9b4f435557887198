// The core's input limits (issue 14): events per patient, intakes a day and
// the range of dates, each at and just past its bound.
#include "core/calendar.hpp"
#include "core/datetime.hpp"
#include "core/protocol_parser.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "tests/support/print.hpp"

namespace bdata = boost::unit_test::data;
using trialcal::CalendarErrc;
using trialcal::CalendarRequest;
using trialcal::Checks;
using trialcal::parse_protocol;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

date::sys_days ymd(int y, unsigned m, unsigned d) { return date::sys_days{date::year{y} / date::month{m} / date::day{d}}; }

// A protocol of one product dosed from D1 to D`last_day`, `intakes` times a
// day (with intake_times one minute apart from 00:00 unless `times` is
// false), and `visits` visits on D0, D1, ...
struct Shape {
    int last_day = 1;
    std::size_t intakes = 1;
    std::size_t visits = 1;
    bool times = true;
    int first_day = 1;
    std::string cohorts_block;  // [[cohorts]] tables, when wanted
    std::string regimen_extra;  // extra keys of the regimen
};

Shape shape(int last_day, std::size_t intakes, std::size_t visits, bool times = true, int first_day = 1) {
    Shape s;
    s.last_day = last_day;
    s.intakes = intakes;
    s.visits = visits;
    s.times = times;
    s.first_day = first_day;
    return s;
}

std::string intake_name(std::size_t k) { return "I" + std::to_string(k); }

std::string hh_mm(std::size_t minute) {
    const auto two = [](std::size_t v) { return (v < 10 ? "0" : "") + std::to_string(v); };
    return two(minute / 60) + ":" + two(minute % 60);
}

std::string protocol_text(const Shape& s) {
    std::string t = "[protocol]\nid = \"LIM\"\nversion = \"1\"\ntitle = \"limits\"\n\n"
                    "[[products]]\nid = \"X\"\ndrug = \"drug x\"\nroute = \"oral\"\nunit = \"mg\"\n\n" +
                    s.cohorts_block +
                    "[[regimens]]\nid = \"R\"\nproduct = \"X\"\nfirst_day = " + std::to_string(s.first_day) +
                    "\nlast_day = " + std::to_string(s.last_day) + "\nevery_days = 1\nwindow = [0, 0]\namount = 1\n" +
                    s.regimen_extra;
    if (s.intakes > 1) {
        std::string names, times;
        for (std::size_t k = 0; k < s.intakes; ++k) {
            names += (k ? ", \"" : "\"") + intake_name(k) + "\"";
            times += (k ? ", \"" : "\"") + hh_mm(k % 1440) + "\"";
        }
        t += "intakes = [" + names + "]\n";
        if (s.times) t += "intake_times = [" + times + "]\n";
    }
    for (std::size_t v = 0; v < s.visits; ++v)
        t += "\n[[visits]]\nday = " + std::to_string(v) + "\nname = \"V\"\nwindow = [0, 0]\nprocedures = []\n";
    return t;
}

std::string all_messages(const trialcal::ParsedProtocol& p) {
    std::string out;
    for (const auto& d : p.diagnostics)
        out += std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.key + ": " + d.message + "\n";
    return out;
}

// --------------------------------------------------------- events per patient

struct CountCase {
    std::string name;
    Shape shape;
    std::size_t events;  // visits + doses of the one calendar
    bool accepted;
};

std::ostream& operator<<(std::ostream& os, const CountCase& c) { return os << c.name; }

// One visit and 3 333 days x 6 intakes = 19 999 events; one visit and
// 2 857 days x 7 intakes = 20 000.
const std::vector<CountCase> count_cases{
    {"one under the limit", shape(3333, 6, 1), 19'999, true},
    {"exactly the limit", shape(2857, 7, 1), 20'000, true},
    {"one over the limit", shape(2857, 7, 2), 20'001, false},
    {"far over: daily for ten years, once a minute", shape(3660, 1440, 1, true, -365), 4026u * 1440u + 1u, false},
};

// --------------------------------------------------------------- intakes

struct IntakeCase {
    std::size_t intakes;
    bool accepted;
};

std::ostream& operator<<(std::ostream& os, const IntakeCase& c) { return os << c.intakes << " intakes"; }

const std::vector<IntakeCase> intake_cases{{255, true}, {256, true}, {257, true}, {1440, true}, {1441, false}};

// ----------------------------------------------------------------- dates

struct DateCase {
    std::string text;
    bool accepted;
};

std::ostream& operator<<(std::ostream& os, const DateCase& c) { return os << c.text; }

const std::vector<DateCase> date_cases{
    {"1899-12-31", false}, {"1900-01-01", true}, {"2199-12-31", true}, {"2200-01-01", false},
    {"0000-01-01", false}, {"9999-12-31", false}, {"2027-03-01", true},
};

struct Day0Case {
    std::string name;
    date::sys_days day0;
    int first_day;        // of the regimen (D1 in most)
    int last_day;
    std::string window;   // the regimen's extra keys: none, or a wider window
    bool accepted;
    std::string names;    // what the message names when refused
};

std::ostream& operator<<(std::ostream& os, const Day0Case& c) { return os << c.name; }

const std::vector<Day0Case> day0_cases{
    {"the first valid day", ymd(1900, 1, 1), 1, 5, "", true, ""},
    {"a calendar ending on the last valid day", ymd(2199, 12, 26), 1, 5, "", true, ""},
    {"a dose on 2200-01-01", ymd(2199, 12, 27), 1, 5, "", false, "regimen R on 2200-01-01"},
    {"a dose before day 0 on 1899-12-31", ymd(1900, 1, 1), -1, 5, "", false, "regimen R on 1899-12-31"},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(limits)

BOOST_DATA_TEST_CASE(events_per_patient_are_counted_up_to_the_limit, bdata::make(count_cases), c) {
    const Shape& s = c.shape;
    const auto parsed = parse_protocol(protocol_text(s));
    if (c.accepted) {
        BOOST_TEST_REQUIRE(parsed.protocol.has_value(), all_messages(parsed));
        BOOST_TEST(parsed.protocol->events_for("") == c.events);
        const auto cal = trialcal::expand(*parsed.protocol, CalendarRequest{ymd(2027, 3, 1), {}, {}, {}});
        BOOST_TEST_REQUIRE(cal.has_value());
        BOOST_TEST(cal->events.size() == c.events);
        return;
    }
    BOOST_TEST_REQUIRE(!parsed.protocol.has_value());
    BOOST_TEST_REQUIRE(parsed.diagnostics.size() == 1u, all_messages(parsed));
    const auto& d = parsed.diagnostics.front();
    BOOST_TEST(d.key == "regimens[0]");
    BOOST_TEST(d.line > 0);
    BOOST_TEST(contains(d.message, "would have " + std::to_string(c.events) + " events"), d.message);
    BOOST_TEST(contains(d.message, "regimen 'R' makes " + std::to_string(c.events - s.visits) + " doses"), d.message);
    BOOST_TEST(contains(d.message, "more than 20000"), d.message);
}

BOOST_AUTO_TEST_CASE(visits_alone_can_pass_the_limit) {
    // Visits on one day with ids of their own: the visits are what to fix.
    std::string text = "[protocol]\nid = \"VIS\"\nversion = \"1\"\ntitle = \"visits\"\n\n"
                       "[[products]]\nid = \"X\"\ndrug = \"x\"\nroute = \"oral\"\nunit = \"mg\"\n";
    for (std::size_t v = 0; v <= trialcal::max_events_per_patient; ++v)
        text += "\n[[visits]]\nid = \"V" + std::to_string(v) + "\"\nday = 0\nname = \"V\"\nwindow = [0, 0]\nprocedures = []\n";
    const auto parsed = parse_protocol(text);
    BOOST_TEST_REQUIRE(parsed.diagnostics.size() == 1u, all_messages(parsed).substr(0, 500));
    const auto& d = parsed.diagnostics.front();
    BOOST_TEST(d.key == "visits");
    BOOST_TEST(d.line == 12);  // the first [[visits]]
    BOOST_TEST(contains(d.message, "would have 20001 events (20001 visits), more than 20000"), d.message);
}

BOOST_AUTO_TEST_CASE(the_event_limit_is_twenty_thousand) {
    BOOST_TEST(trialcal::max_events_per_patient == 20'000u);
    BOOST_TEST(trialcal::max_intakes_per_day == 1440u);
}

BOOST_AUTO_TEST_CASE(a_stored_text_over_the_limit_is_refused_too) {
    // A text read back from the store skips the id check, not the count.
    const std::string text = protocol_text(shape(2857, 7, 2));
    const auto parsed = parse_protocol(text, Checks::accepted_text);
    BOOST_TEST_REQUIRE(!parsed.protocol.has_value());
    BOOST_TEST(contains(all_messages(parsed), "would have 20001 events"), all_messages(parsed));
}

BOOST_AUTO_TEST_CASE(the_largest_cohort_calendar_is_named) {
    Shape s = shape(2000, 10, 1);
    s.cohorts_block = "[[cohorts]]\nid = \"A\"\nname = \"a\"\n\n[[cohorts]]\nid = \"B\"\nname = \"b\"\n\n";
    s.regimen_extra = "cohorts = [\"B\"]\n";
    const auto parsed = parse_protocol(protocol_text(s));
    BOOST_TEST_REQUIRE(parsed.diagnostics.size() == 1u, all_messages(parsed));
    BOOST_TEST(contains(parsed.diagnostics.front().message, "in cohort B would have 20001 events"),
               parsed.diagnostics.front().message);
    // Cohort A alone would be one visit: the limit is per calendar, not per file.
    s.last_day = 1999;
    const auto fits = parse_protocol(protocol_text(s));
    BOOST_TEST_REQUIRE(fits.protocol.has_value(), all_messages(fits));
    BOOST_TEST(fits.protocol->events_for("A") == 1u);
    BOOST_TEST(fits.protocol->events_for("B") == 19'991u);
}

BOOST_DATA_TEST_CASE(intakes_count_up_to_the_format_maximum_without_wrapping, bdata::make(intake_cases), c) {
    // 1441 intakes cannot have 1441 distinct times: a stored text from before
    // intake_times (spread evenly) is the way such a count reaches the parser.
    const bool stored = c.intakes > trialcal::max_intakes_per_day;
    const auto parsed =
        parse_protocol(protocol_text(shape(2, c.intakes, 1, !stored)), stored ? Checks::accepted_text : Checks::full);
    if (!c.accepted) {
        BOOST_TEST_REQUIRE(!parsed.protocol.has_value());
        BOOST_TEST(contains(all_messages(parsed), "regimens[0].intakes: 1441 intakes a day, more than 1440"),
                   all_messages(parsed));
        return;
    }
    BOOST_TEST_REQUIRE(parsed.protocol.has_value(), all_messages(parsed));
    const auto cal = trialcal::expand(*parsed.protocol, CalendarRequest{ymd(2027, 3, 1), {}, {}, {}});
    BOOST_TEST_REQUIRE(cal.has_value());
    // D1 and D2, every intake each day: never 0 (256 once wrapped to none).
    BOOST_TEST(trialcal::count_doses(*cal, "X") == 2 * c.intakes);
    std::set<std::string> ids;
    for (const auto& e : cal->events) ids.insert(e.id);
    BOOST_TEST(ids.size() == cal->events.size());
    BOOST_TEST(ids.count("X-D2-" + intake_name(c.intakes - 1)) == 1u);
    const auto& last = cal->events.back();
    BOOST_TEST(last.intake == intake_name(c.intakes - 1));
    BOOST_TEST(last.time.count() == static_cast<long>(c.intakes - 1));
}

BOOST_DATA_TEST_CASE(dates_are_read_within_1900_to_2199, bdata::make(date_cases), c) {
    const auto d = trialcal::parse_date(c.text);
    const auto dt = trialcal::parse_datetime(c.text + "T12:00");
    BOOST_TEST(d.has_value() == c.accepted);
    BOOST_TEST(dt.has_value() == c.accepted);
    if (c.accepted) {
        BOOST_TEST(trialcal::iso_date(*d) == c.text);
        BOOST_TEST(trialcal::valid_dates.contains(*d));
        return;
    }
    const std::string expected = "'" + c.text + "' is outside 1900-01-01 to 2199-12-31";
    BOOST_TEST(contains(d.error(), expected), d.error());
    BOOST_TEST(contains(dt.error(), expected), dt.error());
}

BOOST_AUTO_TEST_CASE(the_date_range_is_one_constant) {
    BOOST_TEST((trialcal::valid_dates.first == ymd(1900, 1, 1)));
    BOOST_TEST((trialcal::valid_dates.last == ymd(2199, 12, 31)));
    static_assert(trialcal::valid_dates.contains(date::sys_days{date::year{2027} / 3 / 1}));
    static_assert(!trialcal::valid_dates.contains(date::sys_days{date::year{2200} / 1 / 1}));
}

BOOST_DATA_TEST_CASE(every_date_of_a_calendar_is_within_the_range, bdata::make(day0_cases), c) {
    const Shape s = shape(c.last_day, 1, 1, true, c.first_day);
    const auto parsed = parse_protocol(protocol_text(s));
    BOOST_TEST_REQUIRE(parsed.protocol.has_value(), all_messages(parsed));
    const auto cal = trialcal::expand(*parsed.protocol, CalendarRequest{c.day0, {}, {}, {}});
    BOOST_TEST(cal.has_value() == c.accepted);
    if (c.accepted) {
        BOOST_TEST(trialcal::valid_dates.contains(cal->events.front().window.from));
        BOOST_TEST(trialcal::valid_dates.contains(cal->events.back().window.to));
        return;
    }
    BOOST_TEST(cal.error().code == CalendarErrc::date_out_of_range);
    BOOST_TEST(cal.error().value == trialcal::iso_date(c.day0));
    BOOST_TEST(contains(cal.error().message, c.names), cal.error().message);
    BOOST_TEST(contains(cal.error().message, "outside 1900-01-01 to 2199-12-31"), cal.error().message);
}

BOOST_AUTO_TEST_SUITE_END()
