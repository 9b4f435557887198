// output/terminal.hpp: stored text on a terminal shows its control and
// bidirectional characters as visible escapes; JSON keeps them as \uXXXX.
#include "output/json.hpp"
#include "output/table.hpp"
#include "output/terminal.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using trialcal::Lines;
using trialcal::terminal_text;

BOOST_AUTO_TEST_SUITE(terminal)

BOOST_AUTO_TEST_CASE(controls_bidi_and_bad_bytes_become_visible_escapes) {
    BOOST_TEST(terminal_text("K\x1b[31m1") == "K\\u{001B}[31m1");
    BOOST_TEST(terminal_text("P\xe2\x80\xae" "10") == "P\\u{202E}10");
    BOOST_TEST(terminal_text("a\xc2\x85" "b\x7f") == "a\\u{0085}b\\u{007F}");
    BOOST_TEST(terminal_text("x\xff" "y") == "x\\xFFy");
    BOOST_TEST(terminal_text("Beh\xc3\xa7" "et \xe2\x80\x8d ok") == "Beh\xc3\xa7" "et \xe2\x80\x8d ok");
    BOOST_TEST(terminal_text("a\nb\tc") == "a\\u{000A}b\\u{0009}c");
    BOOST_TEST(terminal_text("a\nb\tc\r", Lines::several) == "a\nb\tc\\u{000D}");
}

BOOST_AUTO_TEST_CASE(table_cells_are_escaped_and_still_line_up) {
    trialcal::TextTable t({{"Kit"}, {"Note"}});
    t.row({"K\x1b[2J", "x"});
    t.row({"LONGER-KIT", "y"});
    const std::string s = t.str();
    BOOST_TEST(s.find('\x1b') == std::string::npos, s);
    BOOST_TEST(s.find("K\\u{001B}[2J  x") != std::string::npos, s);
}

BOOST_AUTO_TEST_CASE(json_escapes_c1_bidi_and_line_separators) {
    BOOST_TEST(trialcal::json_escape("a\xe2\x80\xae" "b") == "\"a\\u202eb\"");
    BOOST_TEST(trialcal::json_escape("\xe2\x80\xa8\xe2\x80\xa9") == "\"\\u2028\\u2029\"");
    BOOST_TEST(trialcal::json_escape("\xc2\x85\x7f") == "\"\\u0085\x7f\"");
    BOOST_TEST(trialcal::json_escape("caf\xc3\xa9 \xe2\x9c\x93") == "\"caf\xc3\xa9 \xe2\x9c\x93\"");
}

BOOST_AUTO_TEST_SUITE_END()
