#include "output/csv.hpp"

#include <cassert>

namespace trialcal {

std::string csv_field(std::string_view s) {
    // A leading = + - @ would run as a formula when a monitor opens the file in
    // a spreadsheet; dates and numbers never start with them except '-', which
    // is quoted too: harmless for readers, safe for spreadsheets.
    const bool formula = !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '@');
    if (!formula && s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    if (formula) out += '\'';
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

CsvWriter::CsvWriter(std::vector<std::string> header) : columns_(header.size()) { write(header); }

void CsvWriter::row(const std::vector<std::string>& fields) {
    assert(fields.size() == columns_);
    write(fields);
}

void CsvWriter::write(const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out_ += ',';
        out_ += csv_field(fields[i]);
    }
    out_ += '\n';
}

}  // namespace trialcal
