// End-to-end: trialcal holidays, France's calendar as a coordinator lists
// it (dates written by hand from the Code du travail and Easter 2027), the
// year from the clock, and the refusals: an unknown country, a malformed
// file at its line and column, a file naming another country.
#include "tests/support/clinic.hpp"

#include <boost/test/unit_test.hpp>

using namespace trialcal::test;

BOOST_AUTO_TEST_SUITE(cli_holidays)

BOOST_FIXTURE_TEST_CASE(france_2027_as_a_table, Clinic) {
    BOOST_TEST(ok({"holidays", "FR", "--year", "2027"}) ==
               "Jours fériés en France (FR): 11 holidays in 2027\n"
               "\n"
               "Date             Holiday             Id              Rule\n"
               "---------------------------------------------------------------------\n"
               "2027-01-01  Fri  Jour de l'an        new-year        fixed date\n"
               "2027-03-29  Mon  Lundi de Pâques     easter-monday   Easter + 1 day\n"
               "2027-05-01  Sat  Fête du Travail     labour-day      fixed date\n"
               "2027-05-06  Thu  Ascension           ascension       Easter + 39 days\n"
               "2027-05-08  Sat  Victoire 1945       victory-1945    fixed date\n"
               "2027-05-17  Mon  Lundi de Pentecôte  whit-monday     Easter + 50 days\n"
               "2027-07-14  Wed  Fête nationale      bastille-day    fixed date\n"
               "2027-08-15  Sun  Assomption          assumption      fixed date\n"
               "2027-11-01  Mon  Toussaint           all-saints      fixed date\n"
               "2027-11-11  Thu  Armistice 1918      armistice-1918  fixed date\n"
               "2027-12-25  Sat  Noël                christmas       fixed date\n");
}

BOOST_FIXTURE_TEST_CASE(the_year_is_this_year_by_the_clock_and_json_lists_each_date, Clinic) {
    now = "2028-06-01T00:00:00Z";
    const std::string j = ok({"holidays", "FR", "--format", "json"});
    BOOST_TEST(contains(j, "\"year\": 2028,"), j);
    BOOST_TEST(contains(j, "      \"date\": \"2028-04-17\",\n      \"id\": \"easter-monday\",\n"
                           "      \"name\": \"Lundi de Pâques\",\n      \"after_easter\": 1\n"),
               j);
    BOOST_TEST(contains(j, "      \"date\": \"2028-07-14\",\n      \"id\": \"bastille-day\",\n"
                           "      \"name\": \"Fête nationale\",\n      \"after_easter\": null\n"),
               j);
    BOOST_TEST(ok({"holidays"}) == "FR  Jours fériés en France\n");
}

BOOST_FIXTURE_TEST_CASE(refusals_name_the_value, Clinic) {
    refused(66, "'DE'", {"holidays", "DE", "--year", "2027"});
    const RunResult r = run({"holidays", "DE"});
    BOOST_TEST(contains(r.err, "there are FR"), r.err);
    const RunResult late = run({"holidays", "FR", "--year", "2300"});
    BOOST_TEST(late.code == 2);  // a usage error (cli.md)
    BOOST_TEST(contains(late.err, "--year"), late.err);
}

BOOST_FIXTURE_TEST_CASE(a_malformed_file_is_refused_at_its_line_and_column, Clinic) {
    const fs::path cal = dir.path() / "cal";
    fs::create_directories(cal / "holidays");
    dir.write("cal/holidays/XX.toml", "country = \"XX\"\nname = \"X\"\n[[holidays]]\nid = \"a\"\nname = \"A\"\n"
                                      "date = \"02-30\"\n");
    dir.write("cal/holidays/YY.toml", "country = \"ZZ\"\nname = \"Y\"\n[[holidays]]\nid = \"a\"\nname = \"A\"\n"
                                      "date = \"01-01\"\n");
    const RunResult x = run({"--calendars", cal.string(), "holidays", "XX"});
    BOOST_TEST(x.code == 65);
    BOOST_TEST(contains(x.err, "holidays/XX.toml:6:8: holidays[0].date: '02-30' is not a day of every year"), x.err);
    const RunResult y = run({"--calendars", cal.string(), "holidays", "YY"});
    BOOST_TEST(y.code == 65);
    BOOST_TEST(contains(y.err, "the file is named for YY but says country = \"ZZ\""), y.err);
}

BOOST_AUTO_TEST_SUITE_END()
