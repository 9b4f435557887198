#include "output/csv.hpp"

#include <cassert>

namespace trialcal {

namespace {
// "-3", "-0.5": a negative number, which stays a number in a spreadsheet.
bool negative_number(std::string_view s) {
    if (s.size() < 2 || s[0] != '-') return false;
    bool dot = false;
    for (char c : s.substr(1)) {
        if (c == '.' && !dot) dot = true;
        else if (c < '0' || c > '9') return false;
    }
    return true;
}
}  // namespace

std::string csv_field(std::string_view s) {
    // A leading = + - @ (or a tab or CR) would run as a formula when a monitor
    // opens the file in a spreadsheet: such text is quoted behind an
    // apostrophe. Negative numbers (study days before day 0) stay numbers.
    const bool formula = !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '@' || s[0] == '\t' ||
                                        s[0] == '\r' || (s[0] == '-' && !negative_number(s)));
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
