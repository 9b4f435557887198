// output/table.hpp: a table printed in two passes (measure every row, then
// head() and line() per row, as the audit listing of a network does) is
// byte for byte the table str() prints from rows it holds.
#include "output/table.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using trialcal::TextTable;

namespace {

const std::vector<TextTable::Column> columns{{"Seq", TextTable::Align::right}, {"Who"}, {"Details"}, {"Reason"}};

// Cells of every kind the listing prints: wide UTF-8, an escape sequence
// (shown as text, and measured so), a multi-line cell, empty cells and
// trailing blanks that str() trims.
const std::vector<std::vector<std::string>> rows{
    {"1", "nurse", "enroll P1", "first"},
    {"12", "Behçet", "dose\nR5: 1 mg\nR6: 2 mg", ""},
    {"123", "x\x1b[31my", "", "a reason"},
    {"7", "", "short", ""},
    {"8"},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(table)

BOOST_AUTO_TEST_CASE(two_passes_print_what_str_prints) {
    TextTable whole(columns);
    for (const auto& r : rows) whole.row(r);

    TextTable streamed(columns);
    for (const auto& r : rows) streamed.measure(r);
    std::string out = streamed.head();
    for (const auto& r : rows) out += streamed.line(r);

    BOOST_TEST(out == whole.str());
}

BOOST_AUTO_TEST_CASE(no_rows_gives_the_titles_alone) {
    TextTable whole(columns);
    const TextTable streamed(columns);
    BOOST_TEST(streamed.head() == whole.str());
    BOOST_TEST(streamed.head() == "Seq  Who  Details  Reason\n-------------------------\n");
}

BOOST_AUTO_TEST_SUITE_END()
