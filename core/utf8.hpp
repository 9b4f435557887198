#pragma once
// Whether bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing past U+10FFFF). Everything trialcal stores comes out
// again as JSON, which must be UTF-8.
#include <cstddef>
#include <string_view>

namespace trialcal {

// One UTF-8 sequence at s[i]: its code point and length, or a length of 0
// when the bytes there are not UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing past U+10FFFF).
struct Decoded {
    char32_t code_point = 0;
    std::size_t length = 0;
};
[[nodiscard]] constexpr Decoded decode_utf8(std::string_view s, std::size_t i) noexcept {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    char32_t cp = 0;
    if (c < 0x80) return {c, 1};
    if (c >= 0xC2 && c <= 0xDF) n = 1, cp = c & 0x1F;
    else if (c == 0xE0) n = 2, lo = 0xA0, cp = c & 0x0F;
    else if (c >= 0xE1 && c <= 0xEC) n = 2, cp = c & 0x0F;
    else if (c == 0xED) n = 2, hi = 0x9F, cp = c & 0x0F;  // no surrogates
    else if (c >= 0xEE && c <= 0xEF) n = 2, cp = c & 0x0F;
    else if (c == 0xF0) n = 3, lo = 0x90, cp = c & 0x07;
    else if (c >= 0xF1 && c <= 0xF3) n = 3, cp = c & 0x07;
    else if (c == 0xF4) n = 3, hi = 0x8F, cp = c & 0x07;  // nothing past U+10FFFF
    else return {};
    if (i + n >= s.size()) return {};
    for (std::size_t k = 1; k <= n; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return {};
        cp = (cp << 6) | (b & 0x3F);
    }
    return {cp, n + 1};
}

[[nodiscard]] constexpr bool valid_utf8(std::string_view s) noexcept {
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = decode_utf8(s, i).length;
        if (n == 0) return false;
        i += n;
    }
    return true;
}

static_assert(valid_utf8("Behçet"));
static_assert(valid_utf8(""));
static_assert(!valid_utf8("\xff"));
static_assert(!valid_utf8("\xc3"));          // cut short
static_assert(!valid_utf8("\xc0\xaf"));      // overlong '/'
static_assert(!valid_utf8("\xed\xa0\x80"));  // a surrogate
static_assert(valid_utf8("\xf0\x9f\x92\x89"));  // U+1F489, a syringe

}  // namespace trialcal
