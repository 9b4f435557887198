#pragma once
// What the files of crypto/ share and nothing else sees: the start flag, key
// lengths, and the `key: value` text of key files (key_text.cpp).
#include "crypto/crypto.hpp"

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace trialcal::crypto::detail {

// sodium_init() succeeded (once; later calls only read the result).
[[nodiscard]] bool started() noexcept;

inline constexpr std::size_t public_key_bytes = 32;  // X25519 and Ed25519 alike
[[nodiscard]] std::size_t secret_key_bytes(KeyKind kind) noexcept;
// `secret` is the secret half of `pub` (derived again and compared).
[[nodiscard]] bool is_pair(const std::string& secret, const PublicKey& pub) noexcept;

// Appends the line `key: value`.
void add_line(std::string& out, std::string_view key, std::string_view value);
// The start of both key files: kind, name (when there is one), public.
void add_public_lines(std::string& out, const PublicKey& k);
// std::invalid_argument when a name would break its line.
void check_name(const std::string& name);

// A key file read: a magic first line, then `key: value` lines, each key at
// most once and among `known`, the last line ended. Every fault is
// Errc::damaged with a message naming `origin`.
class KeyText {
public:
    KeyText(std::string_view text, std::string_view magic, std::initializer_list<std::string_view> known,
            std::string origin);

    [[nodiscard]] bool has(std::string_view key) const noexcept;
    // The value; Errc::damaged when the line is missing.
    [[nodiscard]] std::string_view get(std::string_view key) const;
    // Base64 of exactly `length` bytes.
    [[nodiscard]] std::string bytes(std::string_view key, std::size_t length) const;
    // A decimal number within [min, max].
    [[nodiscard]] unsigned long long number(std::string_view key, unsigned long long min, unsigned long long max) const;
    // kind, name and public, as add_public_lines writes them.
    [[nodiscard]] PublicKey public_key() const;
    // The file's text before the line of `key` (which must be there).
    [[nodiscard]] std::string_view text_before(std::string_view key) const;

    [[noreturn]] void damaged(const std::string& what) const;

private:
    struct Line {
        std::string_view key, value;
        std::size_t offset = 0;  // of the line in the text
    };
    [[nodiscard]] const Line* find(std::string_view key) const noexcept;

    std::string_view text_;
    std::string origin_;
    std::vector<Line> lines_;
};

}  // namespace trialcal::crypto::detail
