#include "trial/signed_lines.hpp"

#include <fmt/format.h>

namespace trialcal::trial {

std::string SignedLines::message() const {
    std::string out = form + "\n";
    for (const auto& [name, value] : fields) out += name + ": " + value + "\n";
    return out;
}

std::string SignedLines::get(std::string_view name) const {
    for (const auto& [n, v] : fields)
        if (n == name) return v;
    return {};
}

std::string SignedStatement::text() const { return lines.message() + "signature: " + signature + "\n"; }

std::optional<SignedStatement> parse_statement(std::string_view text, std::string_view form,
                                               std::span<const FieldSpec> fields, std::string& why) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        if (end == std::string_view::npos) {
            why = "its last line does not end";
            return std::nullopt;
        }
        lines.push_back(text.substr(0, end));
        text.remove_prefix(end + 1);
    }
    if (lines.empty() || lines.front() != form) {
        why = fmt::format("it does not start with '{}'", form);
        return std::nullopt;
    }
    SignedStatement s;
    s.lines.form = std::string(form);
    std::size_t at = 1;
    // `name: value` at line `at`, if that is the line's name.
    const auto value_of = [&](std::string_view name) -> std::optional<std::string_view> {
        if (at >= lines.size()) return std::nullopt;
        const std::string_view line = lines[at];
        if (line.size() < name.size() + 2 || line.substr(0, name.size()) != name ||
            line.substr(name.size(), 2) != ": ")
            return std::nullopt;
        return line.substr(name.size() + 2);
    };
    for (const FieldSpec& f : fields) {
        const auto v = value_of(f.name);
        if (!v) {
            if (f.optional) continue;
            why = fmt::format("line {} is not its '{}:' line", at + 1, f.name);
            return std::nullopt;
        }
        s.lines.fields.emplace_back(f.name, std::string(*v));
        ++at;
    }
    const auto sig = value_of("signature");
    if (!sig) {
        why = fmt::format("line {} is not its 'signature:' line", at + 1);
        return std::nullopt;
    }
    s.signature = std::string(*sig);
    if (at + 1 != lines.size()) {
        why = fmt::format("line {} follows its signature", at + 2);
        return std::nullopt;
    }
    return s;
}

}  // namespace trialcal::trial
