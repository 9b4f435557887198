// csv_field and CsvWriter: RFC 4180 quoting, \n rows, formula injection guard.
#include "output/csv.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using trialcal::csv_field;
using trialcal::CsvWriter;

BOOST_AUTO_TEST_SUITE(csv)

BOOST_AUTO_TEST_CASE(plain_values_are_untouched) {
    BOOST_TEST(csv_field("IL2-D3") == "IL2-D3");
    BOOST_TEST(csv_field("2027-03-01") == "2027-03-01");
    BOOST_TEST(csv_field("0.33") == "0.33");
    BOOST_TEST(csv_field("a b") == "a b");
    BOOST_TEST(csv_field("a=b") == "a=b");
    BOOST_TEST(csv_field("a'b") == "a'b");
    BOOST_TEST(csv_field("Beh\xC3\xA7" "et") == "Beh\xC3\xA7" "et");
    BOOST_TEST(csv_field("") == "");
}

BOOST_AUTO_TEST_CASE(comma_is_quoted) {
    BOOST_TEST(csv_field("a,b") == "\"a,b\"");
    BOOST_TEST(csv_field(",") == "\",\"");
}

BOOST_AUTO_TEST_CASE(quotes_are_doubled) {
    BOOST_TEST(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    BOOST_TEST(csv_field("\"") == "\"\"\"\"");
}

BOOST_AUTO_TEST_CASE(line_breaks_are_quoted) {
    BOOST_TEST(csv_field("a\nb") == "\"a\nb\"");
    BOOST_TEST(csv_field("a\rb") == "\"a\rb\"");
}

BOOST_AUTO_TEST_CASE(leading_formula_characters_get_an_apostrophe) {
    BOOST_TEST(csv_field("=1+2") == "\"'=1+2\"");
    BOOST_TEST(csv_field("+33 6 12 34 56 78") == "\"'+33 6 12 34 56 78\"");
    BOOST_TEST(csv_field("@SUM(A1:A2)") == "\"'@SUM(A1:A2)\"");
    BOOST_TEST(csv_field("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    BOOST_TEST(csv_field("=") == "\"'=\"");
}

// csv.cpp says a leading '-' is guarded too ("except '-', which is quoted too"):
// "-2+3" runs as a formula in a spreadsheet just like "=2+3".
BOOST_AUTO_TEST_CASE(leading_minus_is_guarded_as_documented) {
    BOOST_TEST(csv_field("-2+3") == "\"'-2+3\"");
}

BOOST_AUTO_TEST_CASE(writer_writes_header_and_rows) {
    CsvWriter w({"event", "date", "note"});
    BOOST_TEST(w.str() == "event,date,note\n");
    w.row({"IL2-D3", "2027-03-04", "before the meal, fasting"});
    w.row({"V-D0", "2027-03-01", "say \"hi\""});
    w.row({"", "", ""});
    w.row({"=cmd", "2027-03-05", "a\nb"});
    BOOST_TEST(w.str() ==
               "event,date,note\n"
               "IL2-D3,2027-03-04,\"before the meal, fasting\"\n"
               "V-D0,2027-03-01,\"say \"\"hi\"\"\"\n"
               ",,\n"
               "\"'=cmd\",2027-03-05,\"a\nb\"\n");
}

BOOST_AUTO_TEST_CASE(header_fields_are_quoted_too) {
    CsvWriter w({"a,b", "c"});
    BOOST_TEST(w.str() == "\"a,b\",c\n");
}

BOOST_AUTO_TEST_CASE(negative_numbers_stay_numbers) {
    BOOST_TEST(csv_field("-3") == "-3");
    BOOST_TEST(csv_field("-0.5") == "-0.5");
    BOOST_TEST(csv_field("-") == "\"'-\"");
    BOOST_TEST(csv_field("-3x") == "\"'-3x\"");
}

BOOST_AUTO_TEST_SUITE_END()
