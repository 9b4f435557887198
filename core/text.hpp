#pragma once
// Which characters text typed by a person may not hold: ids, names, reasons,
// notes, kit numbers, who acts (trust.md, "Who acts"). Control characters
// (C0, DEL, C1) and the bidirectional controls (an id that reads "P001" on
// screen but sorts and matches as something else) are refused, and so are
// bytes that are not UTF-8. One-line text (every field but a dose's note)
// also refuses TAB, LF, CR and the Unicode line and paragraph separators
// (U+2028, U+2029); a note may hold TAB, LF (or CRLF) and those separators.
//
// Pure and constexpr: the first fault as a value, for the use cases to word
// (trial/) and the output layer to escape (output/terminal.hpp).
#include "core/utf8.hpp"

#include <cstddef>
#include <optional>
#include <string_view>

namespace trialcal {

enum class TextFaultKind : unsigned char {
    invalid_utf8,  // `code_point` is the offending byte
    control,       // C0, DEL, C1
    bidi,          // a bidirectional control
    line_break,    // U+2028, U+2029
};

enum class Lines : bool { one, several };

struct TextFault {
    TextFaultKind kind = TextFaultKind::control;
    char32_t code_point = 0;
    std::size_t byte = 0;       // 0-based offset of its first byte
    std::size_t character = 1;  // 1-based position in characters (code points)
    friend constexpr bool operator==(const TextFault&, const TextFault&) = default;
};

// Unicode's Bidi_Control property: ALM, LRM, RLM, LRE…RLO, LRI…PDI.
[[nodiscard]] constexpr bool bidi_control(char32_t c) noexcept {
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

[[nodiscard]] constexpr bool control_character(char32_t c) noexcept { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// What a code point is when it may not appear in one-line text; none when it may.
[[nodiscard]] constexpr std::optional<TextFaultKind> forbidden_kind(char32_t c, Lines lines = Lines::one) noexcept {
    const bool several = lines == Lines::several;
    if (several && (c == U'\t' || c == U'\n' || c == 0x2028 || c == 0x2029)) return std::nullopt;
    if (control_character(c)) return TextFaultKind::control;
    if (bidi_control(c)) return TextFaultKind::bidi;
    if (c == 0x2028 || c == 0x2029) return TextFaultKind::line_break;
    return std::nullopt;
}

// The first character the text may not hold, or none.
[[nodiscard]] constexpr std::optional<TextFault> find_forbidden(std::string_view s, Lines lines = Lines::one) noexcept {
    std::size_t character = 1;
    for (std::size_t i = 0; i < s.size(); ++character) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7F) {  // printable ASCII: the common case
            ++i;
            continue;
        }
        // A note's line ends as a spreadsheet writes them (CRLF) are line ends.
        if (c == '\r' && lines == Lines::several && i + 1 < s.size() && s[i + 1] == '\n') {
            i += 2;
            ++character;
            continue;
        }
        const Decoded d = decode_utf8(s, i);
        if (d.length == 0) return TextFault{TextFaultKind::invalid_utf8, c, i, character};
        if (const auto kind = forbidden_kind(d.code_point, lines)) return TextFault{*kind, d.code_point, i, character};
        i += d.length;
    }
    return std::nullopt;
}

static_assert(!find_forbidden("Behçet P-001 ILT-101 \xe2\x80\x8d"));  // U+200D joins, it does not reorder
static_assert(find_forbidden("ab\x1b") == TextFault{TextFaultKind::control, 0x1B, 2, 3});
static_assert(find_forbidden("\xc3\xa7\xe2\x80\xae") == TextFault{TextFaultKind::bidi, 0x202E, 2, 2});
static_assert(find_forbidden("a\xff") == TextFault{TextFaultKind::invalid_utf8, 0xFF, 1, 2});
static_assert(find_forbidden("\xc2\x85")->code_point == 0x85);
static_assert(!find_forbidden("line 1\nline 2\tend", Lines::several));
static_assert(!find_forbidden("a\r\nb", Lines::several));
static_assert(find_forbidden("a\rb", Lines::several)->code_point == U'\r');
static_assert(find_forbidden("\xc0\xaf")->kind == TextFaultKind::invalid_utf8);  // overlong '/'

}  // namespace trialcal
