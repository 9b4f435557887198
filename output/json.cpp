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
