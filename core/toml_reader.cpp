#include "core/toml_reader.hpp"

#include <algorithm>

namespace trialcal::toml_read {

namespace {

// TOML allows non-ASCII characters only inside strings and comments. toml++
// 3.3 mishandles one elsewhere (it asserts, or takes it for a key), so the
// text is screened first and such a character reported where it stands.
std::optional<Diagnostic> screen_for_toml(std::string_view t) {
    enum class In { code, comment, basic, literal, ml_basic, ml_literal } in = In::code;
    int line = 1, column = 1;
    std::size_t i = t.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;  // a UTF-8 BOM is fine
    auto advance = [&](std::size_t n) {
        for (std::size_t k = 0; k < n && i < t.size(); ++k, ++i) {
            const auto c = static_cast<unsigned char>(t[i]);
            if (c == '\n') ++line, column = 1;
            else if ((c & 0xC0) != 0x80) ++column;  // columns count characters, not bytes
        }
    };
    auto starts = [&](std::string_view s) { return t.substr(i, s.size()) == s; };
    auto non_ascii = [&](const char* where) {
        return Diagnostic{line, column, "",
                          std::string("a non-ASCII character ") + where +
                              ": TOML allows them only inside strings and comments"};
    };
    while (i < t.size()) {
        const auto c = static_cast<unsigned char>(t[i]);
        switch (in) {
        case In::code:
            if (c >= 0x80) return non_ascii("outside a string or comment");
            if (c == '#') in = In::comment;
            else if (starts("\"\"\"")) in = In::ml_basic, advance(2);
            else if (starts("'''")) in = In::ml_literal, advance(2);
            else if (c == '"') in = In::basic;
            else if (c == '\'') in = In::literal;
            break;
        case In::comment:
            if (c == '\n') in = In::code;
            break;
        case In::basic:
            if (c == '\\') advance(1);
            else if (c == '"' || c == '\n') in = In::code;
            break;
        case In::literal:
            if (c == '\'' || c == '\n') in = In::code;
            break;
        case In::ml_basic:
            if (c == '\\') {
                advance(1);
            } else if (starts("\"\"\"")) {
                in = In::code;
                advance(2);
            }
            break;
        case In::ml_literal:
            if (starts("'''")) in = In::code, advance(2);
            break;
        }
        advance(1);
    }
    return std::nullopt;
}

}  // namespace

std::optional<toml::table> parse(std::string_view text, Diagnostics& out) {
    if (auto problem = screen_for_toml(text)) {
        out.push_back(std::move(*problem));
        return std::nullopt;
    }
    toml::parse_result parsed = toml::parse(text);
    if (!parsed) {
        const auto& e = parsed.error();
        out.push_back({static_cast<int>(e.source().begin.line), static_cast<int>(e.source().begin.column), "",
                       std::string(e.description())});
        return std::nullopt;
    }
    return std::move(parsed).table();
}

std::string type_name(const toml::node& n) {
    switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
    }
}

void check_unique(Sink& sink, const std::vector<IdPlace>& ids, const std::string& what) {
    std::set<std::string> seen;
    for (const auto& p : ids)
        if (!p.id.empty() && !seen.insert(p.id).second)
            sink.at(p.where, p.path + ".id", "duplicate " + what + " id '" + p.id + "'");
}

bool plain_id(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
               c == '_' || c == '.';
    });
}

std::optional<std::string> id_key(TableReader& r, std::string_view k) {
    auto id = r.string(k, true);
    if (id && !plain_id(*id)) {
        r.sink().at(*r.table().get(k), r.key(k),
                    "'" + *id + "' must be letters, digits, '-', '_' or '.' only");
        return std::nullopt;
    }
    return id;
}

}  // namespace trialcal::toml_read
