#pragma once
// SQL texts as compile-time constants. The store caches each prepared
// statement under the address of its text: a lookup is a pointer hash, not a
// hash of two hundred characters and a string built for it on every call (3 %
// of an import of doses).

#include <algorithm>
#include <cstddef>

namespace trialcal::store {

// A statement's text. Only a constant expression converts to it, so the text
// has static storage and one address for the life of the program.
class Sql {
public:
    consteval Sql(const char* text) noexcept : text_(text) {}  // NOLINT: implicit, from literals and joined constants
    [[nodiscard]] constexpr const char* text() const noexcept { return text_; }

private:
    const char* text_;
};

// Text joined from string constants at compile time. A plain array, so a
// joined text can be joined again.
template <std::size_t N>
struct SqlText {
    char chars[N]{};
    [[nodiscard]] constexpr const char* c_str() const noexcept { return chars; }
};

template <std::size_t... N>
consteval SqlText<(N + ... + 0) - sizeof...(N) + 1> join_sql(const char (&... parts)[N]) noexcept {
    SqlText<(N + ... + 0) - sizeof...(N) + 1> out{};
    std::size_t at = 0;
    ((std::copy_n(parts, N - 1, out.chars + at), at += N - 1), ...);
    return out;  // the last char stays '\0'
}

}  // namespace trialcal::store
