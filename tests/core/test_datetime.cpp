// parse_date and parse_datetime: strict ISO 8601 as people type it.
#include "core/datetime.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>

using namespace std::chrono_literals;
using trialcal::parse_date;
using trialcal::parse_datetime;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

date::sys_days ymd(int y, unsigned m, unsigned d) { return date::sys_days{date::year{y} / date::month{m} / date::day{d}}; }

date::local_days local_ymd(int y, unsigned m, unsigned d) {
    return date::local_days{date::year{y} / date::month{m} / date::day{d}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(datetime)

BOOST_AUTO_TEST_CASE(parse_date_accepts_real_dates) {
    const auto d = parse_date("2027-03-01");
    BOOST_TEST_REQUIRE(d.has_value());
    BOOST_TEST((*d == ymd(2027, 3, 1)));
    BOOST_TEST(date::format("%F", *d) == "2027-03-01");

    const auto leap = parse_date("2028-02-29");
    BOOST_TEST_REQUIRE(leap.has_value());
    BOOST_TEST((*leap == ymd(2028, 2, 29)));

    const auto new_year = parse_date("2026-12-31");
    BOOST_TEST_REQUIRE(new_year.has_value());
    BOOST_TEST((*new_year + date::days{1} == ymd(2027, 1, 1)));

    const auto leap_2000 = parse_date("2000-02-29");
    BOOST_TEST_REQUIRE(leap_2000.has_value());
    BOOST_TEST((*leap_2000 == ymd(2000, 2, 29)));
}

BOOST_AUTO_TEST_CASE(parse_date_refuses_impossible_dates) {
    for (const char* text : {"2027-02-30", "2027-02-29", "2027-13-01", "2027-00-10", "2027-04-31", "2027-01-00",
                             "2027-01-32", "2100-02-29"}) {
        BOOST_TEST_CONTEXT(text) {
            const auto d = parse_date(text);
            BOOST_TEST_REQUIRE(!d.has_value());
            BOOST_TEST(d.error() == "'" + std::string(text) + "' is not a calendar date");
        }
    }
}

BOOST_AUTO_TEST_CASE(parse_date_refuses_malformed_text) {
    for (const char* text : {"2027-3-1", "27-03-01", "2027/03/01", "2027-03-01x", "2027-03-01 ", " 2027-03-01", "",
                             "2027 03 01", "2027-03-1", "20270301", "2027-0a-01", "+2027-03-01", "2027-03-01T10:00"}) {
        BOOST_TEST_CONTEXT("'" << text << "'") {
            const auto d = parse_date(text);
            BOOST_TEST_REQUIRE(!d.has_value());
            BOOST_TEST(d.error() == "'" + std::string(text) + "' is not a date: expected YYYY-MM-DD");
        }
    }
}

BOOST_AUTO_TEST_CASE(parse_datetime_with_t_or_space) {
    const auto t = parse_datetime("2027-03-01T08:30");
    BOOST_TEST_REQUIRE(t.has_value());
    BOOST_TEST((t->local == local_ymd(2027, 3, 1) + 8h + 30min));
    BOOST_TEST(date::format("%F %T", t->local) == "2027-03-01 08:30:00");
    BOOST_TEST(!t->offset.has_value());

    const auto space = parse_datetime("2027-03-01 23:59");
    BOOST_TEST_REQUIRE(space.has_value());
    BOOST_TEST((space->local == local_ymd(2027, 3, 1) + 23h + 59min));
    BOOST_TEST(!space->offset.has_value());

    const auto midnight = parse_datetime("2028-02-29T00:00");
    BOOST_TEST_REQUIRE(midnight.has_value());
    BOOST_TEST((midnight->local == local_ymd(2028, 2, 29)));
}

BOOST_AUTO_TEST_CASE(parse_datetime_with_seconds) {
    const auto t = parse_datetime("2027-03-01T08:30:45");
    BOOST_TEST_REQUIRE(t.has_value());
    BOOST_TEST((t->local == local_ymd(2027, 3, 1) + 8h + 30min + 45s));
    BOOST_TEST(!t->offset.has_value());

    const auto last = parse_datetime("2027-12-31 23:59:59");
    BOOST_TEST_REQUIRE(last.has_value());
    BOOST_TEST((last->local == local_ymd(2027, 12, 31) + 23h + 59min + 59s));
}

BOOST_AUTO_TEST_CASE(parse_datetime_with_utc_offsets) {
    const auto z = parse_datetime("2027-03-01T08:30Z");
    BOOST_TEST_REQUIRE(z.has_value());
    BOOST_TEST((z->local == local_ymd(2027, 3, 1) + 8h + 30min));
    BOOST_TEST_REQUIRE(z->offset.has_value());
    BOOST_TEST(z->offset->count() == 0);

    const auto plus = parse_datetime("2027-03-01T08:30+01:00");
    BOOST_TEST_REQUIRE(plus.has_value());
    BOOST_TEST((plus->local == local_ymd(2027, 3, 1) + 8h + 30min));
    BOOST_TEST_REQUIRE(plus->offset.has_value());
    BOOST_TEST(plus->offset->count() == 60);

    const auto minus = parse_datetime("2027-03-01 08:30:15-05:30");
    BOOST_TEST_REQUIRE(minus.has_value());
    BOOST_TEST((minus->local == local_ymd(2027, 3, 1) + 8h + 30min + 15s));
    BOOST_TEST_REQUIRE(minus->offset.has_value());
    BOOST_TEST(minus->offset->count() == -330);

    const auto seconds_z = parse_datetime("2027-03-01T08:30:15Z");
    BOOST_TEST_REQUIRE(seconds_z.has_value());
    BOOST_TEST((seconds_z->local == local_ymd(2027, 3, 1) + 8h + 30min + 15s));
    BOOST_TEST(seconds_z->offset->count() == 0);

    const auto nepal = parse_datetime("2027-03-01T08:30+05:45");
    BOOST_TEST_REQUIRE(nepal.has_value());
    BOOST_TEST(nepal->offset->count() == 345);

    const auto minus_zero = parse_datetime("2027-03-01T08:30-00:00");
    BOOST_TEST_REQUIRE(minus_zero.has_value());
    BOOST_TEST(minus_zero->offset->count() == 0);
}

BOOST_AUTO_TEST_CASE(parse_datetime_refuses_impossible_times) {
    for (const char* text : {"2027-03-01T24:00", "2027-03-01T10:60", "2027-03-01T10:00:60", "2027-03-01T99:00Z"}) {
        BOOST_TEST_CONTEXT(text) {
            const auto t = parse_datetime(text);
            BOOST_TEST_REQUIRE(!t.has_value());
            BOOST_TEST(t.error() == "'" + std::string(text) + "' is not a time of day");
        }
    }
}

BOOST_AUTO_TEST_CASE(parse_datetime_refuses_impossible_offsets) {
    for (const char* text : {"2027-03-01T10:00+19:00", "2027-03-01T10:00+01:60", "2027-03-01T10:00-0a:00"}) {
        BOOST_TEST_CONTEXT(text) {
            const auto t = parse_datetime(text);
            BOOST_TEST_REQUIRE(!t.has_value());
            BOOST_TEST(t.error() == "'" + std::string(text) + "' has an impossible UTC offset");
        }
    }
}

BOOST_AUTO_TEST_CASE(parse_datetime_refuses_malformed_text) {
    const std::string expected =
        " is not a date-time: expected YYYY-MM-DDTHH:MM, optionally with :SS and Z or ±HH:MM";
    for (const char* text : {"2027-03-01", "2027-03-01T", "2027-03-01T10", "2027-03-01T10:0", "2027-03-01t10:00",
                             "2027-03-01_10:00", "2027-03-01T1000", "2027-03-01T10-00", "2027-03-01T10:00:5",
                             "2027-03-01T10:00 ", "2027-03-01T10:00z", "2027-03-01T10:00+0100", "2027-03-01T10:00+01",
                             "2027-03-01T10:00UTC", "2027-03-01T10:00Z+01:00", ""}) {
        BOOST_TEST_CONTEXT("'" << text << "'") {
            const auto t = parse_datetime(text);
            BOOST_TEST_REQUIRE(!t.has_value());
            BOOST_TEST(t.error() == "'" + std::string(text) + "'" + expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(parse_datetime_reports_a_bad_date_part) {
    const auto t = parse_datetime("2027-02-30T10:00");
    BOOST_TEST_REQUIRE(!t.has_value());
    BOOST_TEST(t.error() == "'2027-02-30T10:00': '2027-02-30' is not a calendar date");

    const auto m = parse_datetime("2027-3-01T10:00Z");
    BOOST_TEST_REQUIRE(!m.has_value());
    BOOST_TEST(contains(m.error(), "'2027-3-01T10:00Z' is not a date-time: expected YYYY-MM-DDTHH:MM"));
}

// One ISO writer serves the core, the fmt formatter and the HTML report:
// zero-padded to four year digits as fmt's {:04} pads, a sign included.
BOOST_AUTO_TEST_CASE(iso_dates_are_written_digit_by_digit) {
    const auto d = [](int y, unsigned m, unsigned day) {
        return date::sys_days{date::year{y} / date::month{m} / date::day{day}};
    };
    BOOST_TEST(trialcal::iso_date(d(1900, 1, 1)) == "1900-01-01");
    BOOST_TEST(trialcal::iso_date(d(2199, 12, 31)) == "2199-12-31");
    BOOST_TEST(trialcal::iso_date(d(2027, 3, 9)) == "2027-03-09");
    BOOST_TEST(trialcal::iso_date(d(5, 3, 1)) == "0005-03-01");
    BOOST_TEST(trialcal::iso_date(d(-1, 1, 1)) == "-001-01-01");
    BOOST_TEST(trialcal::iso_date(d(10000, 1, 1)) == "10000-01-01");
}

BOOST_AUTO_TEST_CASE(a_month_and_day_is_two_digits_each) {
    const auto july14 = trialcal::read_month_day("07-14");
    BOOST_TEST_REQUIRE(july14.has_value());
    BOOST_TEST((*july14 == date::July / date::day{14}));
    BOOST_TEST(!trialcal::read_month_day("13-01")->ok());  // the shape is right; the calendar check is the caller's
    BOOST_TEST(!trialcal::read_month_day("7-14").has_value());
    BOOST_TEST(!trialcal::read_month_day("07/14").has_value());
    BOOST_TEST(!trialcal::read_month_day("07-14 ").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
