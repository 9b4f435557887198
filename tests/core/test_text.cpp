// core/text.hpp: which characters text typed by a person may not hold, at
// every boundary of the refused ranges, and where the first one is.
#include "core/text.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <ostream>
#include <string>

namespace bdata = boost::unit_test::data;
using trialcal::find_forbidden;
using trialcal::Lines;
using trialcal::TextFaultKind;

namespace {

// A code point as UTF-8.
std::string utf8(char32_t c) {
    std::string s;
    if (c < 0x80) {
        s += static_cast<char>(c);
    } else if (c < 0x800) {
        s += static_cast<char>(0xC0 | (c >> 6));
        s += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        s += static_cast<char>(0xE0 | (c >> 12));
        s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        s += static_cast<char>(0xF0 | (c >> 18));
        s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (c & 0x3F));
    }
    return s;
}

struct Boundary {
    char32_t code_point;
    bool refused;
};
std::ostream& operator<<(std::ostream& os, const Boundary& b) {
    return os << "U+" << std::hex << std::uppercase << static_cast<unsigned>(b.code_point)
              << (b.refused ? " refused" : " allowed");
}

const Boundary boundaries[] = {
    {0x00, true},    {0x09, true},    {0x0A, true},   {0x0D, true},   {0x1F, true},   {0x20, false},
    {0x7E, false},   {0x7F, true},    {0x80, true},   {0x85, true},   {0x9F, true},   {0xA0, false},
    {0x061B, false}, {0x061C, true},  {0x061D, false}, {0x200D, false}, {0x200E, true}, {0x200F, true},
    {0x2010, false}, {0x2027, false}, {0x2028, true}, {0x2029, true}, {0x202A, true}, {0x202E, true},
    {0x202F, false}, {0x2065, false}, {0x2066, true}, {0x2067, true}, {0x2068, true}, {0x2069, true},
    {0x206A, false}, {0xFEFF, false}, {0x1F489, false},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(text)

// Each alone, and in the middle of an id: refused where the rules say, found
// at its character (not byte) position.
BOOST_DATA_TEST_CASE(every_boundary_code_point, bdata::make(boundaries), b) {
    BOOST_TEST(find_forbidden(utf8(b.code_point)).has_value() == b.refused);
    const std::string id = "P\xC3\xA7" + utf8(b.code_point) + "01";
    const auto f = find_forbidden(id);
    BOOST_TEST_REQUIRE(f.has_value() == b.refused);
    if (!f) return;
    BOOST_TEST(static_cast<unsigned>(f->code_point) == static_cast<unsigned>(b.code_point));
    BOOST_TEST(f->character == 3u);
    BOOST_TEST(f->byte == 3u);
    const bool bidi = b.code_point == 0x061C || (b.code_point >= 0x200E && b.code_point <= 0x200F) ||
                      (b.code_point >= 0x202A && b.code_point <= 0x202E) ||
                      (b.code_point >= 0x2066 && b.code_point <= 0x2069);
    const bool separator = b.code_point == 0x2028 || b.code_point == 0x2029;
    BOOST_TEST((f->kind == (bidi ? TextFaultKind::bidi : separator ? TextFaultKind::line_break : TextFaultKind::control)));
}

BOOST_DATA_TEST_CASE(bidi_embeddings_and_isolates_all_refused, bdata::xrange(0x202A, 0x202F), c) {
    BOOST_TEST(find_forbidden(utf8(static_cast<char32_t>(c))).has_value());
}

// A note may hold lines and tabs, nothing else that a one-line field refuses.
BOOST_AUTO_TEST_CASE(several_lines_allow_tab_lf_and_separators_only) {
    BOOST_TEST(!find_forbidden("line 1\nline 2\ttabbed " + utf8(0x2028), Lines::several));
    BOOST_TEST(find_forbidden("a\tb").has_value());
    BOOST_TEST(!find_forbidden("a\r\nb", Lines::several));  // a spreadsheet's line end
    BOOST_TEST(static_cast<unsigned>(find_forbidden("a\rb", Lines::several)->code_point) == 0x0Du);
    BOOST_TEST(find_forbidden("a\nb" + utf8(0x202E), Lines::several)->character == 4u);
    BOOST_TEST(static_cast<unsigned>(find_forbidden("\x1b[31m", Lines::several)->code_point) == 0x1Bu);
}

BOOST_AUTO_TEST_CASE(bytes_that_are_not_utf8_are_named_by_byte) {
    const auto f = find_forbidden("ab\xff");
    BOOST_TEST_REQUIRE(f.has_value());
    BOOST_TEST((f->kind == TextFaultKind::invalid_utf8));
    BOOST_TEST(static_cast<unsigned>(f->code_point) == 0xFFu);
    BOOST_TEST(f->character == 3u);
    BOOST_TEST(find_forbidden("\xc3").has_value());            // cut short
    BOOST_TEST(find_forbidden("\xed\xa0\x80").has_value());    // a surrogate
    BOOST_TEST(find_forbidden("\xf4\x90\x80\x80").has_value());  // past U+10FFFF
    BOOST_TEST(!find_forbidden("").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
