// Holiday calendars and closed days (core/holidays.hpp): Easter against an
// independent computus, France's holidays of 2027 and 2028 written out by
// hand, placement against brute force, and malformed files with the line,
// column and message each gets.
#include "core/holidays.hpp"
#include "tests/core/seed_protocols.hpp"
#include "tests/support/print.hpp"

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

// Gauss's Easter algorithm with its two exceptions (Gregorian): a derivation
// of its own, not the anonymous computus core/holidays.hpp uses.
date::sys_days gauss_easter(int y) {
    const int a = y % 19, b = y % 4, c = y % 7, k = y / 100;
    const int p = (13 + 8 * k) / 25, q = k / 4;
    const int m = (15 - p + k - q) % 30, n = (4 + k - q) % 7;
    const int d = (19 * a + m) % 30, e = (2 * b + 4 * c + 6 * d + n) % 7;
    if (d == 29 && e == 6) return ymd(y, 4, 19);
    if (d == 28 && e == 6 && (11 * m + 11) % 30 < 19) return ymd(y, 4, 18);
    return ymd(y, 3, 22) + days{d + e};
}

const HolidayCalendar& france() {
    static const HolidayCalendar c = [] {
        auto parsed = parse_holidays(seed_protocols::read_calendar_file("holidays/FR.toml"));
        BOOST_TEST_REQUIRE(parsed.diagnostics.empty());
        return *parsed.calendar;
    }();
    return c;
}

struct KnownEaster {
    int year;
    unsigned month, day;
};
std::ostream& operator<<(std::ostream& os, const KnownEaster& k) { return os << k.year; }

// From published tables; 1943 and 2285 are the latest and earliest possible.
const std::vector<KnownEaster> known_easters{
    {1900, 4, 15}, {1943, 4, 25}, {1961, 4, 2},  {2000, 4, 23}, {2008, 3, 23}, {2011, 4, 24}, {2019, 4, 21},
    {2024, 3, 31}, {2025, 4, 20}, {2026, 4, 5},  {2027, 3, 28}, {2028, 4, 16}, {2038, 4, 25}, {2285, 3, 22}};

}  // namespace

BOOST_AUTO_TEST_SUITE(holidays)

BOOST_DATA_TEST_CASE(easter_sunday_of_known_years, bdata::make(known_easters), k) {
    BOOST_TEST(date::sys_days{easter_sunday(date::year{k.year})} == ymd(k.year, k.month, k.day));
}

// Every year from the Gregorian reform to 4099: the same Sunday as Gauss's
// algorithm, between 22 March and 25 April.
BOOST_AUTO_TEST_CASE(easter_sunday_agrees_with_gauss_for_every_year) {
    int disagreements = 0;
    for (int y = 1583; y <= 4099; ++y) {
        const date::sys_days e{easter_sunday(date::year{y})};
        if (e != gauss_easter(y) || date::weekday{e} != date::Sunday || e < ymd(y, 3, 22) || e > ymd(y, 4, 25)) {
            ++disagreements;
            BOOST_TEST_MESSAGE("year " << y);
        }
    }
    BOOST_TEST(disagreements == 0);
}

BOOST_AUTO_TEST_CASE(france_2027_day_by_day) {
    // "YYYY-MM-DD id", printable when a line differs.
    const auto line = [](date::sys_days d, const std::string& id) { return date::format("%F ", d) + id; };
    std::vector<std::string> got;
    for (const auto& [d, h] : france().of_year(date::year{2027})) got.push_back(line(d, h->id));
    const std::vector<std::string> want{
        line(ymd(2027, 1, 1), "new-year"),      line(ymd(2027, 3, 29), "easter-monday"),
        line(ymd(2027, 5, 1), "labour-day"),    line(ymd(2027, 5, 6), "ascension"),
        line(ymd(2027, 5, 8), "victory-1945"),  line(ymd(2027, 5, 17), "whit-monday"),
        line(ymd(2027, 7, 14), "bastille-day"), line(ymd(2027, 8, 15), "assumption"),
        line(ymd(2027, 11, 1), "all-saints"),   line(ymd(2027, 11, 11), "armistice-1918"),
        line(ymd(2027, 12, 25), "christmas")};
    BOOST_TEST(got == want, boost::test_tools::per_element());
    BOOST_TEST(france().country == "FR");
    BOOST_TEST(france().holidays.at(1).name == "Lundi de Pâques");
}

BOOST_AUTO_TEST_CASE(france_2028_easter_holidays_and_the_years_a_holiday_is_kept) {
    const auto& fr = france();
    BOOST_TEST(fr.on(ymd(2028, 4, 17))->id == "easter-monday");
    BOOST_TEST(fr.on(ymd(2028, 5, 25))->id == "ascension");
    BOOST_TEST(fr.on(ymd(2028, 6, 5))->id == "whit-monday");
    BOOST_TEST(fr.on(ymd(2028, 4, 16)) == nullptr);  // Easter Sunday itself is no weekday holiday
    BOOST_TEST(fr.of_year(date::year{2028}).size() == 11u);
    // 8 May is a holiday again from 1982 only.
    BOOST_TEST(fr.on(ymd(1981, 5, 8)) == nullptr);
    BOOST_TEST(fr.on(ymd(1982, 5, 8))->id == "victory-1945");
    BOOST_TEST(fr.of_year(date::year{1981}).size() == 10u);
    // 2008: Ascension fell on 1 May; both holidays are listed, the first in the file answers.
    BOOST_TEST(fr.of_year(date::year{2008}).size() == 11u);
    BOOST_TEST(fr.on(ymd(2008, 5, 1))->id == "labour-day");
}

BOOST_AUTO_TEST_CASE(closed_days_are_weekdays_and_holidays) {
    const ClosedDays site(Weekdays::weekend(), &france());
    BOOST_TEST(site.closed(ymd(2027, 12, 25)));   // a Saturday and Christmas
    BOOST_TEST(site.closed(ymd(2027, 5, 6)));     // Ascension, a Thursday
    BOOST_TEST(!site.closed(ymd(2027, 5, 5)));    // a Wednesday
    BOOST_TEST(site.closed(ymd(2027, 3, 7)));     // a Sunday
    const ClosedDays no_holidays(Weekdays{}.with(date::Sunday), nullptr);
    BOOST_TEST(!no_holidays.closed(ymd(2027, 5, 6)));
    BOOST_TEST(!no_holidays.closed(ymd(2027, 3, 6)));  // a Saturday: open here
    BOOST_TEST(no_holidays.closed(ymd(2027, 3, 7)));
    BOOST_TEST(Weekdays::weekend().has(date::Saturday));
    BOOST_TEST(!Weekdays::weekend().has(date::Friday));
}

struct PlaceCase {
    const char* what;
    date::sys_days nominal;
    int before, after;
    date::sys_days placed;
    bool closed_day;
};
std::ostream& operator<<(std::ostream& os, const PlaceCase& c) { return os << c.what; }

const std::vector<PlaceCase> place_cases{
    {"an open day stays", ymd(2027, 5, 5), 2, 2, ymd(2027, 5, 5), false},
    {"Christmas on a Saturday, window +-2: the Friday before", ymd(2027, 12, 25), 2, 2, ymd(2027, 12, 24), false},
    {"a Sunday, window +-1: Monday, Saturday being closed too", ymd(2027, 3, 7), 1, 1, ymd(2027, 3, 8), false},
    {"14 July on a Wednesday, window +-1: the earlier of Tuesday and Thursday", ymd(2027, 7, 14), 1, 1,
     ymd(2027, 7, 13), false},
    {"Easter Sunday, window +-1: Saturday and Easter Monday closed too", ymd(2027, 3, 28), 1, 1, ymd(2027, 3, 28),
     true},
    {"Easter Sunday, window +-2: Friday and Tuesday as near, the earlier", ymd(2027, 3, 28), 2, 2, ymd(2027, 3, 26),
     false},
    {"a closed day with no window", ymd(2027, 11, 11), 0, 0, ymd(2027, 11, 11), true},
    {"Ascension 2028 (Thursday), window 0/+3: Friday", ymd(2028, 5, 25), 0, 3, ymd(2028, 5, 26), false},
    {"Whit Monday 2028, window 3/0: the Friday before", ymd(2028, 6, 5), 3, 0, ymd(2028, 6, 2), false},
};

BOOST_DATA_TEST_CASE(placement_moves_to_the_nearest_open_day_in_the_window, bdata::make(place_cases), c) {
    const ClosedDays site(Weekdays::weekend(), &france());
    const DateWindow w{c.nominal - days{c.before}, c.nominal + days{c.after}};
    const Placement p = place(c.nominal, w, site);
    BOOST_TEST(p.date == c.placed);
    BOOST_TEST(p.closed_day == c.closed_day);
}

// Every day of 2027 and 2028 as the nominal date, every window up to 4 days
// either side: the open day brute force picks (least distance, then the
// earlier), or the nominal date marked closed when the window has none.
BOOST_AUTO_TEST_CASE(placement_agrees_with_brute_force) {
    const ClosedDays site(Weekdays::weekend(), &france());
    int cases = 0, disagreements = 0, moved = 0;
    for (date::sys_days n = ymd(2027, 1, 1); n <= ymd(2028, 12, 31); n += days{1})
        for (int b = 0; b <= 4; ++b)
            for (int a = 0; a <= 4; ++a) {
                const DateWindow w{n - days{b}, n + days{a}};
                Placement want{n, false};
                if (site.closed(n)) {
                    want.closed_day = true;
                    for (date::sys_days d = w.from; d <= w.to; d += days{1}) {
                        if (site.closed(d)) continue;
                        const auto dist = [&](date::sys_days x) { return x > n ? (x - n).count() : (n - x).count(); };
                        if (want.closed_day || dist(d) < dist(want.date)) want = {d, false};
                    }
                }
                const Placement got = place(n, w, site);
                ++cases;
                if (got.date != n) ++moved;
                if (!(got == want)) ++disagreements;
            }
    BOOST_TEST(cases == 731 * 25);
    BOOST_TEST(disagreements == 0);
    BOOST_TEST(moved > 0);
}

struct Malformed {
    const char* what;
    const char* text;
    int line, column;
    const char* key;
    const char* message;  // empty: toml++'s own words, not checked
};
std::ostream& operator<<(std::ostream& os, const Malformed& m) { return os << m.what; }

#define HOLIDAY_HEAD "country = \"FR\"\nname = \"France\"\n"
const std::vector<Malformed> malformed{
    {"a lower-case country", "country = \"fr\"\nname = \"x\"\n[[holidays]]\nid = \"a\"\nname = \"A\"\ndate = \"01-01\"\n",
     1, 11, "country", "'fr' is not a country code: two capital letters (ISO 3166-1), e.g. \"FR\""},
    {"no holidays", HOLIDAY_HEAD, 1, 1, "holidays", "missing required key 'holidays'"},
    {"an empty list", HOLIDAY_HEAD "holidays = []\n", 3, 12, "holidays",
     "a holiday calendar lists at least one holiday"},
    {"month 13", HOLIDAY_HEAD "[[holidays]]\nid = \"a\"\nname = \"A\"\ndate = \"13-01\"\n", 6, 8, "holidays[0].date",
     "'13-01' is not a day of every year"},
    {"29 February", HOLIDAY_HEAD "[[holidays]]\nid = \"a\"\nname = \"A\"\ndate = \"02-29\"\n", 6, 8,
     "holidays[0].date", "'02-29' is not a day of every year: 29 February comes once in four years"},
    {"one digit", HOLIDAY_HEAD "[[holidays]]\nid = \"a\"\nname = \"A\"\ndate = \"1-1\"\n", 6, 8, "holidays[0].date",
     "'1-1' is not a month and day \"MM-DD\", e.g. \"07-14\""},
    {"a date as a number", HOLIDAY_HEAD "[[holidays]]\nid = \"a\"\nname = \"A\"\ndate = 101\n", 6, 8,
     "holidays[0].date", "expected \"MM-DD\", found an integer"},
    {"a date and Easter", HOLIDAY_HEAD "[[holidays]]\nid = \"a\"\nname = \"A\"\ndate = \"01-01\"\neaster = 1\n", 7, 10,
     "holidays[0].easter", "a holiday has a fixed date or a day counted from Easter, not both"},
    {"neither", HOLIDAY_HEAD "[[holidays]]\nid = \"a\"\nname = \"A\"\n", 3, 1, "holidays[0]",
     "a holiday needs date = \"MM-DD\" or easter = days after Easter Sunday"},
    {"Easter too far", HOLIDAY_HEAD "[[holidays]]\nid = \"a\"\nname = \"A\"\neaster = 120\n", 6, 10,
     "holidays[0].easter", "120 is out of range -70 to 70"},
    {"an id twice",
     HOLIDAY_HEAD "[[holidays]]\nid = \"a\"\nname = \"A\"\ndate = \"01-01\"\n[[holidays]]\nid = \"a\"\nname = \"B\"\n"
                  "date = \"01-02\"\n",
     7, 1, "holidays[1].id", "duplicate holiday id 'a'"},
    {"a date twice",
     HOLIDAY_HEAD "[[holidays]]\nid = \"a\"\nname = \"A\"\ndate = \"01-01\"\n[[holidays]]\nid = \"b\"\nname = \"B\"\n"
                  "date = \"01-01\"\n",
     10, 8, "holidays[1].date", "the same day as holidays[0]"},
    {"day instead of date", HOLIDAY_HEAD "[[holidays]]\nid = \"a\"\nname = \"A\"\nday = \"01-01\"\n", 3, 1, "holidays[0]",
     "a holiday needs date = \"MM-DD\" or easter = days after Easter Sunday"},
    {"an id with a space", HOLIDAY_HEAD "[[holidays]]\nid = \"a b\"\nname = \"A\"\ndate = \"01-01\"\n", 4, 6,
     "holidays[0].id", "'a b' must be letters, digits, '-', '_' or '.' only"},
    {"kept until before from",
     HOLIDAY_HEAD "[[holidays]]\nid = \"a\"\nname = \"A\"\ndate = \"01-01\"\nfrom = 2000\nuntil = 1990\n", 8, 9,
     "holidays[0].until", "kept until 1990, before it is kept from 2000"},
    {"a year past 2199", HOLIDAY_HEAD "[[holidays]]\nid = \"a\"\nname = \"A\"\ndate = \"01-01\"\nuntil = 2300\n", 7,
     9, "holidays[0].until", "2300 is out of range 1900 to 2199"},
    {"not TOML", HOLIDAY_HEAD "[[holidays]\n", 3, 12, "", ""},
    {"a non-ASCII key", "country = \"FR\"\nnàme = \"x\"\n", 2, 2, "",
     "a non-ASCII character outside a string or comment: TOML allows them only inside strings and comments"},
};

BOOST_DATA_TEST_CASE(malformed_files_are_refused_at_their_line_and_column, bdata::make(malformed), m) {
    const ParsedHolidays p = parse_holidays(m.text);
    BOOST_TEST(!p.calendar.has_value());
    BOOST_TEST_REQUIRE(!p.diagnostics.empty());
    const Diagnostic& d = p.diagnostics.front();
    BOOST_TEST(d.line == m.line);
    BOOST_TEST(d.column == m.column);
    BOOST_TEST(d.key == m.key);
    if (*m.message) BOOST_TEST(d.message == m.message);
}

// An unknown key is reported as such, beside what else is wrong.
BOOST_AUTO_TEST_CASE(an_unknown_key_is_named) {
    const ParsedHolidays p =
        parse_holidays(HOLIDAY_HEAD "[[holidays]]\nid = \"a\"\nname = \"A\"\ndate = \"01-01\"\nregion = \"IDF\"\n");
    BOOST_TEST_REQUIRE(p.diagnostics.size() == 1u);
    BOOST_TEST(p.diagnostics[0].line == 7);
    BOOST_TEST(p.diagnostics[0].column == 1);
    BOOST_TEST(p.diagnostics[0].key == "holidays[0].region");
    BOOST_TEST(p.diagnostics[0].message == "unknown key 'region'");
}

BOOST_AUTO_TEST_SUITE_END()
