#pragma once
// A small streaming JSON writer: one UTF-8 document, keys in the order written,
// two-space indentation, so that the same records always give the same bytes.
#include <optional>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

namespace trialcal {

class JsonWriter {
public:
    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view k);
    JsonWriter& value(std::string_view s);
    JsonWriter& value(const char* s) { return value(std::string_view(s)); }
    JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
    JsonWriter& value(double v);
    JsonWriter& value(long long v);
    JsonWriter& value(int v) { return value(static_cast<long long>(v)); }
    JsonWriter& value(std::size_t v) { return value(static_cast<long long>(v)); }
    JsonWriter& value(bool b);
    JsonWriter& null();
    // Optional values print as null when empty.
    template <class T>
    JsonWriter& value(const std::optional<T>& v) {
        return v ? value(*v) : null();
    }
    JsonWriter& raw(std::string_view json);
    // A percentage as the reports print it: one decimal (80.0), or null.
    JsonWriter& fixed1(std::optional<double> v);  // an already-encoded value

    // The document, ending in a newline.
    [[nodiscard]] std::string str() const { return out_ + "\n"; }
    // What was written since the last take(), for documents streamed in
    // parts (a network's report); str() then holds only the rest.
    [[nodiscard]] std::string take() { return std::exchange(out_, {}); }

private:
    void before_value();
    void close(char bracket);
    void newline();
    std::string out_;
    std::vector<bool> first_;  // per open container: nothing written in it yet
    bool after_key_ = false;
};

[[nodiscard]] std::string json_escape(std::string_view s);  // quoted
// A JSON string literal's value (`quoted` with its quotes); nullopt when it is
// not one.
[[nodiscard]] std::optional<std::string> json_unescape(std::string_view quoted);

}  // namespace trialcal
