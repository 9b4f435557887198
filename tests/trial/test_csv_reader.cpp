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
