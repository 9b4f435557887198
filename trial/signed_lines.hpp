#pragma once
// The text form both signed statements share (a sealed audit head, a
// report's signature): a first line naming the form and its version, then one
// `name: value` a line in a fixed order. The Ed25519 signature covers exactly
// those lines, each ending in '\n', and travels after them as one more line,
// `signature: BASE64`. Values are one line of printable text, so a statement
// reads the same to a person and to `verify`.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trialcal::trial {

struct SignedLines {
    std::string form;  // "trialcal-audit-head v1"
    std::vector<std::pair<std::string, std::string>> fields;

    // What is signed: the form line and every field line.
    [[nodiscard]] std::string message() const;
    // The value of `name`, empty when absent.
    [[nodiscard]] std::string get(std::string_view name) const;
};

// One field a form expects, in order; an optional one may be left out.
struct FieldSpec {
    const char* name;
    bool optional = false;
};

struct SignedStatement {
    SignedLines lines;
    std::string signature;  // base64, as written
    // The statement as written: message() then the signature line.
    [[nodiscard]] std::string text() const;
};

// Reads `text` (the whole statement, signature line last, each line ending
// in '\n') as `form` with exactly `fields` in order: nullopt and `why` set
// when it is not one.
[[nodiscard]] std::optional<SignedStatement> parse_statement(std::string_view text, std::string_view form,
                                                             std::span<const FieldSpec> fields, std::string& why);

}  // namespace trialcal::trial
