// The CSV reader behind every import: RFC 4180 quoting and what spreadsheets add.
#include "trial/csv_reader.hpp"

#include <boost/test/unit_test.hpp>

using trialcal::trial::CsvTable;

namespace {
const std::vector<std::string> required{"patient", "at"};
const std::vector<std::string> optional{"note"};
}  // namespace

BOOST_AUTO_TEST_SUITE(csv_reader)

BOOST_AUTO_TEST_CASE(columns_in_any_order_with_empty_optional_cells) {
    auto t = CsvTable::parse("at,note,patient\n2027-03-02T09:00,,P1\n2027-03-03T09:00,late,P2\n", required, optional);
    BOOST_TEST_REQUIRE(t.has_value());
    BOOST_TEST(t->size() == 2u);
    BOOST_TEST(*t->get(0, "patient") == "P1");
    BOOST_TEST(!t->get(0, "note").has_value());
    BOOST_TEST(*t->get(1, "note") == "late");
    BOOST_TEST(t->line(1) == 3);
}

BOOST_AUTO_TEST_CASE(bom_crlf_and_no_final_newline) {
    auto t = CsvTable::parse("\xEF\xBB\xBFpatient,at\r\nP1,2027-03-02T09:00\r\nP2,2027-03-03T09:00", required, optional);
    BOOST_TEST_REQUIRE(t.has_value());
    BOOST_TEST(t->size() == 2u);
    BOOST_TEST(*t->get(0, "patient") == "P1");
    BOOST_TEST(*t->get(1, "at") == "2027-03-03T09:00");
}

BOOST_AUTO_TEST_CASE(quoted_fields_hold_commas_quotes_and_line_breaks) {
    auto t = CsvTable::parse("patient,at,note\nP1,x,\"a, \"\"b\"\"\nc\"\nP2,y,z\n", required, optional, {"note"});
    BOOST_TEST_REQUIRE(t.has_value());
    BOOST_TEST(*t->get(0, "note") == "a, \"b\"\nc");
    BOOST_TEST(t->line(1) == 4);  // the quoted line break moves the next row down
}

// A French spreadsheet writes ';' between cells (the comma is its decimal
// mark): the header row says which, and a row that does not follow it is
// refused saying so.
BOOST_AUTO_TEST_CASE(semicolons_when_the_header_row_has_them_and_no_comma) {
    auto t = CsvTable::parse("patient;at;note\r\nP1;2027-03-02T09:00;\"a; b, c\"\r\nP2;2027-03-03T09:00;62,5\r\n",
                             required, optional);
    BOOST_TEST_REQUIRE(t.has_value());
    BOOST_TEST(t->separator() == ';');
    BOOST_TEST(t->size() == 2u);
    BOOST_TEST(*t->get(0, "note") == "a; b, c");
    BOOST_TEST(*t->get(1, "note") == "62,5");
    BOOST_TEST(*t->get(1, "at") == "2027-03-03T09:00");
    // Commas in the header: commas separate, a semicolon is text.
    auto c = CsvTable::parse("patient,at,note\nP1,x,a;b\n", required, optional);
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_TEST(c->separator() == ',');
    BOOST_TEST(*c->get(0, "note") == "a;b");
    // A semicolon header over comma rows.
    auto mixed = CsvTable::parse("patient;at\nP1,x\n", required, optional);
    BOOST_TEST_REQUIRE(!mixed.has_value());
    BOOST_TEST(mixed.error().line == 2);
    BOOST_TEST(mixed.error().message == "row has 1 cells, the header 2 (cells separated by ';', as in the header row)");
}

// Cell offsets are 32 bits: a text past 4 GiB is refused before a byte is
// read (the CSV inputs themselves stop at 256 MiB).
BOOST_AUTO_TEST_CASE(a_text_over_four_gib_is_refused_unread) {
    const char byte = 'p';
    const std::string_view huge(&byte, (std::size_t{1} << 32) + 1);  // never dereferenced past its first check
    auto t = CsvTable::parse(huge, required, optional);
    BOOST_TEST_REQUIRE(!t.has_value());
    BOOST_TEST(t.error().message == "a CSV text of more than 4 GiB: split it");
}

BOOST_AUTO_TEST_CASE(header_names_match_case_and_spaces_loosely) {
    auto t = CsvTable::parse(" Patient ,AT\nP1,x\n", required, optional);
    BOOST_TEST_REQUIRE(t.has_value());
    BOOST_TEST(*t->get(0, "patient") == "P1");
}

struct Bad {
    const char* text;
    int line;
    int column;
    const char* message;
};

BOOST_AUTO_TEST_CASE(malformed_files_are_located) {
    const Bad cases[] = {
        {"", 1, 1, "empty file"},
        {"patient\nP1\n", 1, 1, "missing column 'at'"},
        {"patient,at,extra\nP1,x,y\n", 1, 1, "unknown column 'extra'"},
        {"patient,at,patient\nP1,x,y\n", 1, 1, "column 'patient' appears twice"},
        {"patient,at\nP1,x\nP2\n", 3, 1, "row has 1 cells, the header 2"},
        {"patient,at\nP1,x,y\n", 2, 1, "row has 3 cells, the header 2"},
        {"patient,at\nP1,\"x\n", 2, 4, "a quoted field is never closed"},
        {"patient,at\nP1,\"x\"y\n", 2, 7, "unexpected text after a closing quote"},
        {"patient,at\nP1,x\"y\n", 2, 5, "a quote inside an unquoted field"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.text) {
            auto t = CsvTable::parse(c.text, required, optional);
            BOOST_TEST_REQUIRE(!t.has_value());
            BOOST_TEST(t.error().line == c.line);
            BOOST_TEST(t.error().column == c.column);
            BOOST_TEST(t.error().message.find(c.message) != std::string::npos, t.error().message);
        }
    }
}

BOOST_AUTO_TEST_CASE(blank_lines_carry_no_row) {
    auto t = CsvTable::parse("patient,at\n\nP1,x\n\n", required, optional);
    BOOST_TEST_REQUIRE(t.has_value());
    BOOST_TEST(t->size() == 1u);
    BOOST_TEST(t->line(0) == 3);
}

BOOST_AUTO_TEST_SUITE_END()
