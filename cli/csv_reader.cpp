#include "cli/csv_reader.hpp"

#include <algorithm>

namespace trialcal::cli {

namespace {

struct Record {
    std::vector<std::string> fields;
    int line = 0;
};

// Splits text into records; quoted fields may hold commas, quotes ("") and
// line breaks.
Result<std::vector<Record>, CsvError> split(std::string_view text) {
    std::vector<Record> out;
    int line = 1, column = 1;
    std::size_t i = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // the BOM spreadsheets write
    while (i < text.size()) {
        Record rec;
        rec.line = line;
        while (true) {
            std::string field;
            if (i < text.size() && text[i] == '"') {
                const int open_line = line, open_column = column;
                ++i, ++column;
                bool closed = false;
                while (i < text.size()) {
                    const char c = text[i];
                    if (c == '"') {
                        if (i + 1 < text.size() && text[i + 1] == '"') {
                            field += '"';
                            i += 2, column += 2;
                            continue;
                        }
                        ++i, ++column;
                        closed = true;
                        break;
                    }
                    if (c == '\n') ++line, column = 1;
                    else ++column;
                    field += c;
                    ++i;
                }
                if (!closed) return Unexpected{CsvError{open_line, open_column, "a quoted field is never closed"}};
                if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                    return Unexpected{CsvError{line, column, "unexpected text after a closing quote"}};
            } else {
                while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
                    if (text[i] == '"')
                        return Unexpected{CsvError{line, column, "a quote inside an unquoted field: quote the whole field"}};
                    field += text[i++];
                    ++column;
                }
            }
            rec.fields.push_back(std::move(field));
            if (i < text.size() && text[i] == ',') {
                ++i, ++column;
                continue;
            }
            break;
        }
        if (i < text.size() && text[i] == '\r') ++i;
        if (i < text.size() && text[i] == '\n') ++i;
        ++line, column = 1;
        // Blank lines (a trailing newline, an empty line at the end) carry no row.
        if (!(rec.fields.size() == 1 && rec.fields[0].empty())) out.push_back(std::move(rec));
    }
    return out;
}

}  // namespace

Result<CsvTable, CsvError> CsvTable::parse(std::string_view text, const std::vector<std::string>& required,
                                           const std::vector<std::string>& optional) {
    auto records = split(text);
    if (!records) return Unexpected{records.error()};
    if (records->empty()) return Unexpected{CsvError{1, 1, "empty file: expected a header row"}};
    CsvTable t;
    const Record& head = records->front();
    for (std::size_t c = 0; c < head.fields.size(); ++c) {
        std::string name = head.fields[c];
        // Header cells are matched loosely on case and surrounding spaces.
        name.erase(0, name.find_first_not_of(' '));
        name.erase(name.find_last_not_of(' ') + 1);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return std::tolower(ch); });
        const bool known = std::find(required.begin(), required.end(), name) != required.end() ||
                           std::find(optional.begin(), optional.end(), name) != optional.end();
        if (!known) {
            std::string all;
            for (const auto& r : required) all += (all.empty() ? "" : ",") + r;
            for (const auto& o : optional) all += "," + o;
            return Unexpected{CsvError{head.line, 1, "unknown column '" + head.fields[c] + "' (columns: " + all + ")"}};
        }
        if (std::find(t.header_.begin(), t.header_.end(), name) != t.header_.end())
            return Unexpected{CsvError{head.line, 1, "column '" + name + "' appears twice"}};
        t.header_.push_back(name);
    }
    for (const auto& r : required)
        if (std::find(t.header_.begin(), t.header_.end(), r) == t.header_.end())
            return Unexpected{CsvError{head.line, 1, "missing column '" + r + "'"}};
    for (std::size_t k = 1; k < records->size(); ++k) {
        const Record& rec = (*records)[k];
        if (rec.fields.size() != t.header_.size())
            return Unexpected{CsvError{rec.line, 1,
                                       "row has " + std::to_string(rec.fields.size()) + " cells, the header " +
                                           std::to_string(t.header_.size())}};
        t.rows_.push_back(rec.fields);
        t.lines_.push_back(rec.line);
    }
    return t;
}

std::optional<std::string> CsvTable::get(std::size_t row, std::string_view column) const {
    const auto it = std::find(header_.begin(), header_.end(), column);
    if (it == header_.end()) return std::nullopt;
    const std::string& cell = rows_[row][static_cast<std::size_t>(it - header_.begin())];
    if (cell.empty()) return std::nullopt;
    return cell;
}

}  // namespace trialcal::cli
