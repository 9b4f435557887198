#pragma once
// CDISC Dataset-JSON v1.1: one dataset per file, its metadata first (in the
// standard's attribute order, so that a streaming reader has the columns and
// the record count before the rows), then each row as a JSON array. Pure:
// the rows come in as the text fields a CSV would hold, and each value is
// written as its column's data type says: an integer as a JSON number, a
// decimal as a string (the standard keeps its digits exact), anything else
// as a string; an empty integer or decimal is null, an empty string "".
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace trialcal::dataset_json {

enum class DataType : unsigned char { string, integer, decimal, date, datetime };
[[nodiscard]] std::string_view type_name(DataType t) noexcept;  // "string", "integer", …

struct Column {
    std::string name;   // the variable: "VISITNUM"
    std::string label;  // "Visit Number"
    DataType type = DataType::string;
};

struct Dataset {
    std::string created;       // datasetJSONCreationDateTime, YYYY-MM-DDTHH:MM:SS
    std::string file_oid;      // fileOID
    std::string study_oid;     // studyOID; empty: left out (a dataset of several studies)
    std::string source_version;  // sourceSystem.version: trialcal's
    std::string name;          // "TV"
    std::string label;         // "Trial Visits"
    std::size_t records = 0;   // rows that follow
};

// Everything before the first row: the metadata, the columns, and `"rows": [`.
[[nodiscard]] std::string head(const Dataset& d, const std::vector<Column>& columns);
// One row, after `rows_before` others (a comma first when there are some).
// `fields` has one text per column, as a CSV row holds them.
[[nodiscard]] std::string row(const std::vector<Column>& columns, const std::vector<std::string>& fields,
                              std::size_t rows_before);
// What closes the rows and the document.
[[nodiscard]] std::string tail();

}  // namespace trialcal::dataset_json
