#include "output/json.hpp"

#include "core/text.hpp"

#include <fmt/format.h>

#include <cmath>

namespace trialcal {

std::string json_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {  // DEL passes as it is: JSON allows it, and the tests rely on it
                out += fmt::format("\\u{:04x}", c);
                break;
            }
            if (c >= 0x80) {
                // C1 controls, bidirectional controls and U+2028/U+2029 (line
                // ends to JavaScript) as \uXXXX: the data stays exact, and who
                // reads the raw document sees them.
                const Decoded d = decode_utf8(s, i);
                if (d.length > 0 && forbidden_kind(d.code_point)) {
                    out += fmt::format("\\u{:04x}", static_cast<unsigned>(d.code_point));
                    i += d.length - 1;
                    break;
                }
            }
            out += static_cast<char>(c);
        }
    }
    out += '"';
    return out;
}

std::optional<std::string> json_unescape(std::string_view quoted) {
    if (quoted.size() < 2 || quoted.front() != '"' || quoted.back() != '"') return std::nullopt;
    const std::string_view s = quoted.substr(1, quoted.size() - 2);
    const auto hex4 = [&](std::size_t at) -> std::optional<unsigned> {
        if (at + 4 > s.size()) return std::nullopt;
        unsigned v = 0;
        for (std::size_t k = at; k < at + 4; ++k) {
            const char c = s[k];
            v <<= 4;
            if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
            else return std::nullopt;
        }
        return v;
    };
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '"' || c < 0x20) return std::nullopt;  // a string ends at its first bare quote
        if (c != '\\') {
            out += static_cast<char>(c);
            continue;
        }
        if (++i == s.size()) return std::nullopt;
        switch (s[i]) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
            auto cp = hex4(i + 1);
            if (!cp) return std::nullopt;
            i += 4;
            if (*cp >= 0xD800 && *cp < 0xDC00) {  // a surrogate pair
                if (i + 2 >= s.size() || s[i + 1] != '\\' || s[i + 2] != 'u') return std::nullopt;
                const auto low = hex4(i + 3);
                if (!low || *low < 0xDC00 || *low >= 0xE000) return std::nullopt;
                cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
                i += 6;
            } else if (*cp >= 0xDC00 && *cp < 0xE000) {
                return std::nullopt;
            }
            const unsigned u = *cp;
            if (u < 0x80) {
                out += static_cast<char>(u);
            } else if (u < 0x800) {
                out += static_cast<char>(0xC0 | (u >> 6));
                out += static_cast<char>(0x80 | (u & 0x3F));
            } else if (u < 0x10000) {
                out += static_cast<char>(0xE0 | (u >> 12));
                out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
                out += static_cast<char>(0x80 | (u & 0x3F));
            } else {
                out += static_cast<char>(0xF0 | (u >> 18));
                out += static_cast<char>(0x80 | ((u >> 12) & 0x3F));
                out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
                out += static_cast<char>(0x80 | (u & 0x3F));
            }
            break;
        }
        default: return std::nullopt;
        }
    }
    return out;
}

void JsonWriter::newline() {
    out_ += '\n';
    out_.append(first_.size() * 2, ' ');
}

void JsonWriter::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!first_.empty()) {
        if (!first_.back()) out_ += ',';
        first_.back() = false;
        newline();
    }
}

JsonWriter& JsonWriter::begin_object() {
    before_value();
    out_ += '{';
    first_.push_back(true);
    return *this;
}

void JsonWriter::close(char bracket) {
    const bool empty = first_.back();
    first_.pop_back();
    if (!empty) newline();
    out_ += bracket;
}

JsonWriter& JsonWriter::end_object() {
    close('}');
    return *this;
}

JsonWriter& JsonWriter::begin_array() {
    before_value();
    out_ += '[';
    first_.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_array() {
    close(']');
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
    before_value();
    out_ += json_escape(k);
    out_ += ": ";
    after_key_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
    before_value();
    out_ += json_escape(s);
    return *this;
}

JsonWriter& JsonWriter::value(double v) {
    before_value();
    if (!std::isfinite(v))
        out_ += "null";
    else if (v == std::floor(v) && std::fabs(v) < 1e15)
        out_ += fmt::format("{}", static_cast<long long>(v));
    else
        out_ += fmt::format("{}", v);
    return *this;
}

JsonWriter& JsonWriter::fixed1(std::optional<double> v) {
    before_value();
    out_ += v ? fmt::format("{:.1f}", *v) : std::string("null");
    return *this;
}

JsonWriter& JsonWriter::value(long long v) {
    before_value();
    out_ += fmt::format("{}", v);
    return *this;
}

JsonWriter& JsonWriter::value(bool b) {
    before_value();
    out_ += b ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::null() {
    before_value();
    out_ += "null";
    return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
    before_value();
    out_ += json;
    return *this;
}

}  // namespace trialcal
