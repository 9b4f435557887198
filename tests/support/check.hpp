#pragma once
// Checks end-to-end tests share: substring counts, and run wrappers that
// assert the contract's success (exit 0) and failure (the exit code, nothing
// on stdout, a message on stderr naming the value); a strict JSON reader, so a
// test can check that stdout is one well-formed document and read its fields;
// line and CSV splitting.
#include "tests/support/run.hpp"

#include <boost/test/unit_test.hpp>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace trialcal::test {

inline std::size_t count(std::string_view text, std::string_view needle) {
    std::size_t n = 0;
    for (auto pos = text.find(needle); pos != std::string_view::npos; pos = text.find(needle, pos + needle.size())) ++n;
    return n;
}

inline bool contains(std::string_view text, std::string_view needle) {
    return text.find(needle) != std::string_view::npos;
}

inline RunResult ok(const std::vector<std::string>& args, const RunOptions& opts = {}) {
    RunResult r = run_trialcal(args, opts);
    BOOST_TEST_INFO("stderr: " << r.err);
    BOOST_TEST(r.code == 0);
    return r;
}

inline RunResult fails(int code, const std::vector<std::string>& args, std::string_view names,
                       const RunOptions& opts = {}) {
    RunResult r = run_trialcal(args, opts);
    BOOST_TEST(r.code == code);
    BOOST_TEST(r.out.empty());
    BOOST_TEST_INFO("stderr: " << r.err);
    BOOST_TEST(contains(r.err, names));
    return r;
}

// The lines of `text`, without their '\n'; a last line without one counts too.
inline std::vector<std::string> lines(std::string_view text) {
    std::vector<std::string> out;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        out.emplace_back(text.substr(0, nl));
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
    return out;
}

// The fields of one CSV line (RFC 4180 quoting: "a, b" and "say ""hi""").
// Throws on a stray quote.
inline std::vector<std::string> csv_fields(std::string_view line) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c != '"') out.back() += c;
            else if (i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
            else if (i + 1 < line.size() && line[i + 1] != ',') throw std::runtime_error("csv: text after a closing quote");
            else quoted = false;
        } else if (c == ',') {
            out.emplace_back();
        } else if (c == '"') {
            if (!out.back().empty()) throw std::runtime_error("csv: quote inside an unquoted field");
            quoted = true;
        } else {
            out.back() += c;
        }
    }
    if (quoted) throw std::runtime_error("csv: unterminated quoted field");
    return out;
}

// ---------------------------------------------------------------------------
// A strict JSON reader (RFC 8259): objects, arrays, strings with every escape
// (\uXXXX and surrogate pairs as UTF-8), numbers, true, false, null. The text
// must be exactly one document, with only whitespace around it. Malformed
// input, invalid UTF-8, a duplicate key or a wrong-type access throws
// JsonError naming the byte offset or the key.

class JsonError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Json {
public:
    enum class Type { null, boolean, number, string, array, object };

    [[nodiscard]] Type type() const noexcept { return type_; }
    [[nodiscard]] bool is_null() const noexcept { return type_ == Type::null; }
    [[nodiscard]] bool is_object() const noexcept { return type_ == Type::object; }
    [[nodiscard]] bool is_array() const noexcept { return type_ == Type::array; }

    [[nodiscard]] bool boolean() const { return expect(Type::boolean, "a boolean").boolean_; }
    [[nodiscard]] double number() const { return expect(Type::number, "a number").number_; }
    [[nodiscard]] long long integer() const {
        const double n = number();
        const auto i = static_cast<long long>(n);
        if (static_cast<double>(i) != n) throw JsonError("json: " + text_ + " is not an integer");
        return i;
    }
    [[nodiscard]] const std::string& str() const { return expect(Type::string, "a string").text_; }
    // The number as written in the document ("0.33", "1e2"), for exact checks.
    [[nodiscard]] const std::string& number_text() const { return expect(Type::number, "a number").text_; }

    [[nodiscard]] const std::vector<Json>& items() const {
        if (type_ != Type::array && type_ != Type::object) throw JsonError("json: not an array or object");
        return items_;
    }
    [[nodiscard]] std::size_t size() const { return items().size(); }
    [[nodiscard]] const Json& at(std::size_t i) const {
        const auto& all = expect(Type::array, "an array").items_;
        if (i >= all.size()) throw JsonError("json: index " + std::to_string(i) + " past the end");
        return all[i];
    }
    // Object keys, in document order.
    [[nodiscard]] const std::vector<std::string>& keys() const { return expect(Type::object, "an object").keys_; }
    [[nodiscard]] bool has(std::string_view key) const {
        for (const auto& k : keys())
            if (k == key) return true;
        return false;
    }
    [[nodiscard]] const Json& at(std::string_view key) const {
        const auto& ks = keys();
        for (std::size_t i = 0; i < ks.size(); ++i)
            if (ks[i] == key) return items_[i];
        throw JsonError("json: no key \"" + std::string(key) + "\"");
    }
    // An array of strings as a vector.
    [[nodiscard]] std::vector<std::string> strings() const {
        std::vector<std::string> out;
        for (const auto& i : expect(Type::array, "an array").items_) out.push_back(i.str());
        return out;
    }

    // Parses `text`: exactly one document.
    static Json parse(std::string_view text) {
        Parser p{text};
        p.ws();
        Json v = p.value(0);
        p.ws();
        if (p.pos != text.size()) p.fail("text after the document");
        return v;
    }

private:
    Type type_ = Type::null;
    bool boolean_ = false;
    double number_ = 0;
    std::string text_;               // string value, or a number as written
    std::vector<std::string> keys_;  // object: keys_[i] names items_[i]
    std::vector<Json> items_;

    const Json& expect(Type t, const char* what) const {
        if (type_ != t) throw JsonError(std::string("json: value is not ") + what);
        return *this;
    }

    struct Parser {
        std::string_view s;
        std::size_t pos = 0;

        [[noreturn]] void fail(const std::string& why) const {
            throw JsonError("json: offset " + std::to_string(pos) + ": " + why);
        }
        [[nodiscard]] bool at_end() const { return pos >= s.size(); }
        [[nodiscard]] char peek() const { return at_end() ? '\0' : s[pos]; }
        void ws() {
            while (!at_end() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r')) ++pos;
        }
        void literal(std::string_view word) {
            if (s.substr(pos, word.size()) != word) fail("unexpected character");
            pos += word.size();
        }

        Json value(int depth) {
            if (depth > 200) fail("nested too deeply");
            if (at_end()) fail("unexpected end of input");
            Json v;
            switch (s[pos]) {
            case '{': object(v, depth); break;
            case '[': array(v, depth); break;
            case '"': v.type_ = Type::string; v.text_ = string(); break;
            case 't': literal("true"); v.type_ = Type::boolean; v.boolean_ = true; break;
            case 'f': literal("false"); v.type_ = Type::boolean; v.boolean_ = false; break;
            case 'n': literal("null"); v.type_ = Type::null; break;
            default: number(v);
            }
            return v;
        }

        void object(Json& v, int depth) {
            v.type_ = Type::object;
            ++pos;  // {
            ws();
            if (peek() == '}') { ++pos; return; }
            for (;;) {
                ws();
                if (peek() != '"') fail("expected a string key");
                std::string k = string();
                for (const auto& other : v.keys_)
                    if (other == k) fail("duplicate key \"" + k + "\"");
                ws();
                if (peek() != ':') fail("expected ':'");
                ++pos;
                ws();
                v.keys_.push_back(std::move(k));
                v.items_.push_back(value(depth + 1));
                ws();
                if (peek() == ',') { ++pos; continue; }
                if (peek() == '}') { ++pos; return; }
                fail("expected ',' or '}'");
            }
        }

        void array(Json& v, int depth) {
            v.type_ = Type::array;
            ++pos;  // [
            ws();
            if (peek() == ']') { ++pos; return; }
            for (;;) {
                ws();
                v.items_.push_back(value(depth + 1));
                ws();
                if (peek() == ',') { ++pos; continue; }
                if (peek() == ']') { ++pos; return; }
                fail("expected ',' or ']'");
            }
        }

        unsigned hex4() {
            if (s.size() - pos < 4) fail("short \\u escape");
            unsigned u = 0;
            for (int i = 0; i < 4; ++i) {
                const char c = s[pos++];
                u <<= 4;
                if (c >= '0' && c <= '9') u |= static_cast<unsigned>(c - '0');
                else if (c >= 'a' && c <= 'f') u |= static_cast<unsigned>(c - 'a' + 10);
                else if (c >= 'A' && c <= 'F') u |= static_cast<unsigned>(c - 'A' + 10);
                else fail("bad hex digit in \\u escape");
            }
            return u;
        }

        static void utf8(std::string& out, std::uint32_t cp) {
            if (cp < 0x80) {
                out += static_cast<char>(cp);
            } else if (cp < 0x800) {
                out += static_cast<char>(0xC0 | (cp >> 6));
                out += static_cast<char>(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                out += static_cast<char>(0xE0 | (cp >> 12));
                out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                out += static_cast<char>(0x80 | (cp & 0x3F));
            } else {
                out += static_cast<char>(0xF0 | (cp >> 18));
                out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
                out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                out += static_cast<char>(0x80 | (cp & 0x3F));
            }
        }

        // One UTF-8 sequence, copied after checking it is well formed
        // (no overlong forms, no surrogates, at most U+10FFFF).
        void utf8_sequence(std::string& out) {
            const auto b0 = static_cast<unsigned char>(s[pos]);
            std::size_t n = 0;
            std::uint32_t cp = 0;
            if (b0 >= 0xC2 && b0 <= 0xDF) n = 1, cp = b0 & 0x1Fu;
            else if (b0 >= 0xE0 && b0 <= 0xEF) n = 2, cp = b0 & 0x0Fu;
            else if (b0 >= 0xF0 && b0 <= 0xF4) n = 3, cp = b0 & 0x07u;
            else fail("invalid UTF-8");
            if (s.size() - pos <= n) fail("truncated UTF-8");
            for (std::size_t i = 1; i <= n; ++i) {
                const auto b = static_cast<unsigned char>(s[pos + i]);
                if ((b & 0xC0) != 0x80) fail("invalid UTF-8");
                cp = (cp << 6) | (b & 0x3Fu);
            }
            if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
                fail("invalid UTF-8");
            out.append(s.substr(pos, n + 1));
            pos += n + 1;
        }

        std::string string() {
            ++pos;  // opening quote
            std::string out;
            for (;;) {
                if (at_end()) fail("unterminated string");
                const auto c = static_cast<unsigned char>(s[pos]);
                if (c == '"') { ++pos; return out; }
                if (c < 0x20) fail("control character in a string");
                if (c >= 0x80) { utf8_sequence(out); continue; }
                ++pos;
                if (c != '\\') { out += static_cast<char>(c); continue; }
                if (at_end()) fail("unterminated escape");
                const char e = s[pos++];
                switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    std::uint32_t cp = hex4();
                    if (cp >= 0xDC00 && cp <= 0xDFFF) fail("lone low surrogate");
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        if (s.substr(pos, 2) != "\\u") fail("high surrogate without a low one");
                        pos += 2;
                        const std::uint32_t lo = hex4();
                        if (lo < 0xDC00 || lo > 0xDFFF) fail("high surrogate without a low one");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    }
                    utf8(out, cp);
                    break;
                }
                default: fail(std::string("bad escape \\") + e);
                }
            }
        }

        static bool digit(char c) { return c >= '0' && c <= '9'; }

        void number(Json& v) {
            const std::size_t start = pos;
            if (peek() == '-') ++pos;
            if (peek() == '0') ++pos;
            else if (digit(peek()) ) { while (digit(peek())) ++pos; }
            else fail("unexpected character");
            if (peek() == '.') {
                ++pos;
                if (!digit(peek())) fail("digit expected after '.'");
                while (digit(peek())) ++pos;
            }
            if (peek() == 'e' || peek() == 'E') {
                ++pos;
                if (peek() == '+' || peek() == '-') ++pos;
                if (!digit(peek())) fail("digit expected in exponent");
                while (digit(peek())) ++pos;
            }
            v.type_ = Type::number;
            v.text_ = std::string(s.substr(start, pos - start));
            const auto [end, ec] = std::from_chars(v.text_.data(), v.text_.data() + v.text_.size(), v.number_);
            if (ec != std::errc{} || end != v.text_.data() + v.text_.size()) fail("number out of range: " + v.text_);
        }
    };
};

inline Json parse_json(std::string_view text) { return Json::parse(text); }

// Runs trialcal, checks it succeeded, and reads its stdout as one JSON
// document (a malformed one fails the test and throws).
inline Json ok_json(const std::vector<std::string>& args, const RunOptions& opts = {}) {
    const RunResult r = ok(args, opts);
    try {
        return Json::parse(r.out);
    } catch (const JsonError& e) {
        BOOST_FAIL("stdout is not one JSON document (" << e.what() << "): " << r.out.substr(0, 2000));
        throw;
    }
}

}  // namespace trialcal::test
