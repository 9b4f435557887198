#include "output/dataset_json.hpp"

#include "output/json.hpp"

#include <fmt/format.h>

namespace trialcal::dataset_json {

namespace {

// An integer as CSV text holds it ("-3", "12"): written as is, the JSON
// number is the same digits. Anything else is no integer.
bool integer_text(std::string_view s) {
    if (!s.empty() && s.front() == '-') s.remove_prefix(1);
    if (s.empty() || s.size() > 18) return false;
    for (const char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

}  // namespace

std::string_view type_name(DataType t) noexcept {
    switch (t) {
    case DataType::string: return "string";
    case DataType::integer: return "integer";
    case DataType::decimal: return "decimal";
    case DataType::date: return "date";
    case DataType::datetime: return "datetime";
    }
    return "string";
}

std::string head(const Dataset& d, const std::vector<Column>& columns) {
    // The standard's attribute order: the file, the study, the dataset, its
    // columns, then its rows.
    std::string out = "{\n";
    out += fmt::format("  \"datasetJSONCreationDateTime\": {},\n", json_escape(d.created));
    out += "  \"datasetJSONVersion\": \"1.1.0\",\n";
    out += fmt::format("  \"fileOID\": {},\n", json_escape(d.file_oid));
    out += "  \"originator\": \"trialcal\",\n";
    out += fmt::format("  \"sourceSystem\": {{\"name\": \"trialcal\", \"version\": {}}},\n", json_escape(d.source_version));
    if (!d.study_oid.empty()) out += fmt::format("  \"studyOID\": {},\n", json_escape(d.study_oid));
    out += fmt::format("  \"itemGroupOID\": {},\n", json_escape("IG." + d.name));
    out += fmt::format("  \"records\": {},\n", d.records);
    out += fmt::format("  \"name\": {},\n", json_escape(d.name));
    out += fmt::format("  \"label\": {},\n", json_escape(d.label));
    out += "  \"columns\": [";
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const Column& c = columns[i];
        out += fmt::format("{}\n    {{\"itemOID\": {}, \"name\": {}, \"label\": {}, \"dataType\": \"{}\"}}",
                           i == 0 ? "" : ",", json_escape("IT." + d.name + "." + c.name), json_escape(c.name),
                           json_escape(c.label), type_name(c.type));
    }
    out += "\n  ],\n  \"rows\": [";
    return out;
}

std::string row(const std::vector<Column>& columns, const std::vector<std::string>& fields, std::size_t rows_before) {
    std::string out = rows_before == 0 ? "\n    [" : ",\n    [";
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const std::string& v = i < fields.size() ? fields[i] : std::string();
        if (i > 0) out += ", ";
        switch (columns[i].type) {
        case DataType::integer:
            // Not an integer is a writer's mistake; kept as text rather than lost.
            out += v.empty() ? "null" : integer_text(v) ? v : json_escape(v);
            break;
        case DataType::decimal: out += v.empty() ? "null" : json_escape(v); break;
        case DataType::string:
        case DataType::date:
        case DataType::datetime: out += json_escape(v); break;
        }
    }
    return out + "]";
}

std::string tail() { return "\n  ]\n}\n"; }

}  // namespace trialcal::dataset_json
