#include "trial/csv_reader.hpp"

#include "trial/text.hpp"

#include <algorithm>
#include <limits>

namespace trialcal::trial {

namespace {

// Where a field is in the file: its bytes as written (a quoted field without
// its quotes; "" stays two characters), and the line and column they start at.
struct Raw {
    std::string_view text;
    int line = 0, column = 0;
};

struct Record {
    std::vector<std::string> fields;
    std::vector<Raw> raw;
    std::size_t size = 0;  // fields in use: the strings are reused, row after row
    int line = 0;
};

// Splits text into records, handing each to `take`; cells are separated by
// `sep`, and quoted fields may hold it, quotes ("") and line breaks. One
// Record is reused for every row, so a million-row file costs no allocation
// per row.
template <class Take>
std::optional<CsvError> split(std::string_view text, char sep, Take&& take) {
    int line = 1, column = 1;
    std::size_t i = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // the BOM spreadsheets write
    Record rec;
    while (i < text.size()) {
        rec.size = 0;
        rec.line = line;
        while (true) {
            if (rec.fields.size() == rec.size) rec.fields.emplace_back(), rec.raw.emplace_back();
            std::string& field = rec.fields[rec.size];
            field.clear();
            Raw& raw = rec.raw[rec.size];
            raw = {{}, line, column};
            const std::size_t raw_start = i;
            if (i < text.size() && text[i] == '"') {
                const int open_line = line, open_column = column;
                ++i, ++column;
                raw = {{}, line, column};
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
                if (!closed) return CsvError{open_line, open_column, "a quoted field is never closed"};
                raw.text = text.substr(raw_start + 1, i - 1 - (raw_start + 1));
                if (i < text.size() && text[i] != sep && text[i] != '\n' && text[i] != '\r')
                    return CsvError{line, column, "unexpected text after a closing quote"};
            } else {
                const std::size_t start = i;
                while (i < text.size() && text[i] != sep && text[i] != '\n' && text[i] != '\r') {
                    if (text[i] == '"')
                        return CsvError{line, column, "a quote inside an unquoted field: quote the whole field"};
                    ++i;
                    ++column;
                }
                field.assign(text.substr(start, i - start));
                raw.text = text.substr(start, i - start);
            }
            ++rec.size;
            if (i < text.size() && text[i] == sep) {
                ++i, ++column;
                continue;
            }
            break;
        }
        if (i < text.size() && text[i] == '\r') ++i;
        if (i < text.size() && text[i] == '\n') ++i;
        ++line, column = 1;
        // Blank lines (a trailing newline, an empty line at the end) carry no row.
        if (!(rec.size == 1 && rec.fields[0].empty()))
            if (auto e = take(rec)) return e;
    }
    return std::nullopt;
}

// The first cell of a record holding a character it may not, pointed at:
// the raw text of a field has its characters where the file has them, and
// a forbidden one comes before any line break the field holds (TAB and LF
// pass only in a multi-line column, where the check stops at neither).
std::optional<CsvError> check_cells(const Record& rec, const std::vector<Lines>& lines, const std::vector<std::string>& names) {
    for (std::size_t c = 0; c < rec.size; ++c) {
        const Lines l = c < lines.size() ? lines[c] : Lines::one;
        const auto f = find_forbidden(rec.raw[c].text, l);
        if (!f) continue;
        const std::string_view before = rec.raw[c].text.substr(0, f->byte);
        int line = rec.raw[c].line, column = rec.raw[c].column;
        for (std::size_t k = 0; k < before.size(); ++k) {
            if (before[k] == '\n') ++line, column = 1;
            else if ((static_cast<unsigned char>(before[k]) & 0xC0) != 0x80) ++column;
        }
        const std::string where = c < names.size() ? "column " + names[c] : "header cell " + std::to_string(c + 1);
        return CsvError{line, column, where + ": " + describe(*f) + " of the cell is not allowed" +
                                          (l == Lines::one ? " (one line of printable text)" : "")};
    }
    return std::nullopt;
}

// The separator the header row uses: ';' when it has a semicolon and no
// comma outside quotes (what spreadsheets write where the comma is the
// decimal mark), else ','.
char separator_of(std::string_view text) {
    bool quoted = false, comma = false, semicolon = false;
    for (const char c : text) {
        if (c == '"') quoted = !quoted;
        else if (!quoted && c == '\n') break;
        else if (!quoted && c == ',') comma = true;
        else if (!quoted && c == ';') semicolon = true;
    }
    return semicolon && !comma ? ';' : ',';
}

}  // namespace

Result<CsvTable, CsvError> CsvTable::parse(std::string_view text, const std::vector<std::string>& required,
                                           const std::vector<std::string>& optional,
                                           const std::vector<std::string>& multiline) {
    CsvTable t;
    if (text.size() > std::numeric_limits<std::uint32_t>::max())
        return Unexpected{CsvError{1, 1, "a CSV text of more than 4 GiB: split it"}};
    bool have_header = false;
    std::vector<Lines> lines;
    t.separator_ = separator_of(text);
    auto error = split(text, t.separator_, [&](const Record& rec) -> std::optional<CsvError> {
        if (!have_header) {
            have_header = true;
            if (auto e = check_cells(rec, {}, {})) return e;
            if (auto e = t.read_header(rec.fields, rec.size, rec.line, required, optional)) return e;
            for (const auto& name : t.header_)
                lines.push_back(std::find(multiline.begin(), multiline.end(), name) != multiline.end() ? Lines::several
                                                                                                        : Lines::one);
            return std::nullopt;
        }
        if (rec.size != t.header_.size())
            return CsvError{rec.line, 1,
                            "row has " + std::to_string(rec.size) + " cells, the header " +
                                std::to_string(t.header_.size()) + " (cells separated by '" + t.separator_ +
                                "', as in the header row)"};
        if (auto e = check_cells(rec, lines, t.header_)) return e;
        for (std::size_t c = 0; c < rec.size; ++c) {
            t.starts_.push_back(static_cast<std::uint32_t>(t.cells_.size()));
            t.cells_ += rec.fields[c];
        }
        t.lines_.push_back(rec.line);
        return std::nullopt;
    });
    if (error) return Unexpected{std::move(*error)};
    if (!have_header) return Unexpected{CsvError{1, 1, "empty file: expected a header row"}};
    t.starts_.push_back(static_cast<std::uint32_t>(t.cells_.size()));
    return t;
}

std::optional<CsvError> CsvTable::read_header(const std::vector<std::string>& fields, std::size_t size, int line,
                                              const std::vector<std::string>& required,
                                              const std::vector<std::string>& optional) {
    for (std::size_t c = 0; c < size; ++c) {
        std::string name = fields[c];
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
            return CsvError{line, 1, "unknown column '" + fields[c] + "' (columns: " + all + ")"};
        }
        if (std::find(header_.begin(), header_.end(), name) != header_.end())
            return CsvError{line, 1, "column '" + name + "' appears twice"};
        header_.push_back(name);
    }
    for (const auto& r : required)
        if (std::find(header_.begin(), header_.end(), r) == header_.end())
            return CsvError{line, 1, "missing column '" + r + "'"};
    return std::nullopt;
}

std::optional<std::size_t> CsvTable::column(std::string_view name) const noexcept {
    const auto it = std::find(header_.begin(), header_.end(), name);
    if (it == header_.end()) return std::nullopt;
    return static_cast<std::size_t>(it - header_.begin());
}

std::string_view CsvTable::cell(std::size_t row, std::optional<std::size_t> column) const noexcept {
    if (!column) return {};
    const std::size_t k = row * header_.size() + *column;
    return std::string_view(cells_).substr(starts_[k], starts_[k + 1] - starts_[k]);
}

std::optional<std::string> CsvTable::get(std::size_t row, std::string_view name) const {
    const std::string_view v = cell(row, column(name));
    if (v.empty()) return std::nullopt;
    return std::string(v);
}

}  // namespace trialcal::trial
