// JsonWriter: the same calls always give the same bytes.
#include "output/json.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <optional>
#include <string>

using trialcal::json_escape;
using trialcal::JsonWriter;

BOOST_AUTO_TEST_SUITE(json)

BOOST_AUTO_TEST_CASE(nested_objects_and_arrays_are_indented_by_two_spaces) {
    JsonWriter w;
    w.begin_object()
        .key("id")
        .value("IL2-D3")
        .key("day")
        .value(3)
        .key("events")
        .begin_array()
        .value("a")
        .begin_object()
        .key("ok")
        .value(true)
        .key("late")
        .value(false)
        .end_object()
        .null()
        .end_array()
        .key("window")
        .begin_object()
        .key("before")
        .value(1)
        .end_object()
        .end_object();
    BOOST_TEST(w.str() ==
               "{\n"
               "  \"id\": \"IL2-D3\",\n"
               "  \"day\": 3,\n"
               "  \"events\": [\n"
               "    \"a\",\n"
               "    {\n"
               "      \"ok\": true,\n"
               "      \"late\": false\n"
               "    },\n"
               "    null\n"
               "  ],\n"
               "  \"window\": {\n"
               "    \"before\": 1\n"
               "  }\n"
               "}\n");
}

BOOST_AUTO_TEST_CASE(empty_object_and_array_stay_on_one_line) {
    JsonWriter o;
    o.begin_object().end_object();
    BOOST_TEST(o.str() == "{}\n");

    JsonWriter a;
    a.begin_array().end_array();
    BOOST_TEST(a.str() == "[]\n");

    JsonWriter nested;
    nested.begin_object().key("a").begin_array().end_array().key("o").begin_object().end_object().end_object();
    BOOST_TEST(nested.str() == "{\n  \"a\": [],\n  \"o\": {}\n}\n");

    JsonWriter arrays;
    arrays.begin_array().begin_array().end_array().begin_object().end_object().end_array();
    BOOST_TEST(arrays.str() == "[\n  [],\n  {}\n]\n");
}

BOOST_AUTO_TEST_CASE(strings_are_escaped) {
    BOOST_TEST(json_escape("say \"hi\"") == "\"say \\\"hi\\\"\"");
    BOOST_TEST(json_escape("C:\\dir") == "\"C:\\\\dir\"");
    BOOST_TEST(json_escape("a\nb") == "\"a\\nb\"");
    BOOST_TEST(json_escape("a\rb\tc") == "\"a\\rb\\tc\"");
    BOOST_TEST(json_escape("\x01") == "\"\\u0001\"");
    BOOST_TEST(json_escape("\x1f") == "\"\\u001f\"");
    BOOST_TEST(json_escape(std::string("a\0b", 3)) == "\"a\\u0000b\"");
    BOOST_TEST(json_escape("") == "\"\"");
    BOOST_TEST(json_escape("/ and \x7f") == "\"/ and \x7f\"");
}

BOOST_AUTO_TEST_CASE(utf8_passes_through_unchanged) {
    BOOST_TEST(json_escape("Beh\xC3\xA7" "et") == "\"Beh\xC3\xA7" "et\"");
    BOOST_TEST(json_escape("\xE2\x89\xA5 1000 /mm\xC2\xB3") == "\"\xE2\x89\xA5 1000 /mm\xC2\xB3\"");
    JsonWriter w;
    w.begin_object().key("disease \xC3\xA9").value("Beh\xC3\xA7" "et").end_object();
    BOOST_TEST(w.str() == "{\n  \"disease \xC3\xA9\": \"Beh\xC3\xA7" "et\"\n}\n");
}

BOOST_AUTO_TEST_CASE(keys_and_values_are_escaped_in_the_document) {
    JsonWriter w;
    w.begin_object().key("a\"b").value("line1\nline2\x01").end_object();
    BOOST_TEST(w.str() == "{\n  \"a\\\"b\": \"line1\\nline2\\u0001\"\n}\n");
}

BOOST_AUTO_TEST_CASE(numbers_print_shortest) {
    const auto one = [](auto v) {
        JsonWriter w;
        w.value(v);
        return w.str();
    };
    BOOST_TEST(one(1) == "1\n");
    BOOST_TEST(one(-7) == "-7\n");
    BOOST_TEST(one(0.33) == "0.33\n");
    BOOST_TEST(one(425.0) == "425\n");
    BOOST_TEST(one(1.0) == "1\n");
    BOOST_TEST(one(0.0) == "0\n");
    BOOST_TEST(one(-2.5) == "-2.5\n");
    BOOST_TEST(one(126.5) == "126.5\n");
    BOOST_TEST(one(3000000.0) == "3000000\n");
    BOOST_TEST(one(std::size_t{41}) == "41\n");
    BOOST_TEST(one(9007199254740993LL) == "9007199254740993\n");
    BOOST_TEST(one(std::numeric_limits<double>::quiet_NaN()) == "null\n");
    BOOST_TEST(one(std::numeric_limits<double>::infinity()) == "null\n");
}

BOOST_AUTO_TEST_CASE(fixed1_prints_one_decimal_or_null) {
    const auto one = [](std::optional<double> v) {
        JsonWriter w;
        w.fixed1(v);
        return w.str();
    };
    BOOST_TEST(one(80.0) == "80.0\n");
    BOOST_TEST(one(100.0) == "100.0\n");
    BOOST_TEST(one(66.66666) == "66.7\n");
    BOOST_TEST(one(0.0) == "0.0\n");
    BOOST_TEST(one(std::nullopt) == "null\n");

    JsonWriter w;
    w.begin_object().key("on_time_pct").fixed1(80.0).key("late_pct").fixed1(std::nullopt).end_object();
    BOOST_TEST(w.str() == "{\n  \"on_time_pct\": 80.0,\n  \"late_pct\": null\n}\n");
}

BOOST_AUTO_TEST_CASE(optional_values_print_null_when_empty) {
    JsonWriter w;
    w.begin_object()
        .key("weight")
        .value(std::optional<double>{})
        .key("dose")
        .value(std::optional<double>{0.33})
        .key("label")
        .value(std::optional<std::string>{})
        .key("unit")
        .value(std::optional<std::string>{"ml"})
        .key("count")
        .value(std::optional<long long>{12})
        .end_object();
    BOOST_TEST(w.str() ==
               "{\n"
               "  \"weight\": null,\n"
               "  \"dose\": 0.33,\n"
               "  \"label\": null,\n"
               "  \"unit\": \"ml\",\n"
               "  \"count\": 12\n"
               "}\n");
}

BOOST_AUTO_TEST_CASE(raw_json_is_written_as_a_value) {
    JsonWriter w;
    w.begin_array().raw("{\"k\": 1}").value("x").end_array();
    BOOST_TEST(w.str() == "[\n  {\"k\": 1},\n  \"x\"\n]\n");
}

BOOST_AUTO_TEST_SUITE_END()
