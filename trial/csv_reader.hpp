#pragma once
// CSV files people give trialcal (RFC 4180 with what spreadsheets add: a
// UTF-8 BOM, CRLF line ends, a last line without one, ';' separators where
// the comma is the decimal mark). Columns are named by the header row and
// may come in any order.
#include "core/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trialcal::trial {

struct CsvError {
    int line = 0;    // 1-based physical line
    int column = 0;  // 1-based character column
    std::string message;
};

class CsvTable {
public:
    // Parses `text`; `required` columns must be in the header, and only
    // `required` and `optional` columns may be. Every cell is text typed by a
    // person (trial/text.hpp): one line, but for the `multiline` columns, and
    // no control or bidirectional character; the error points at it.
    static Result<CsvTable, CsvError> parse(std::string_view text, const std::vector<std::string>& required,
                                            const std::vector<std::string>& optional,
                                            const std::vector<std::string>& multiline = {});

    [[nodiscard]] std::size_t size() const noexcept { return lines_.size(); }
    // ',' or, when the header row has semicolons and no comma, ';' (a
    // French spreadsheet's export, whose numbers then have decimal commas).
    [[nodiscard]] char separator() const noexcept { return separator_; }
    // The line a row starts on, for error messages.
    [[nodiscard]] int line(std::size_t row) const noexcept { return lines_[row]; }
    // The cell of `column` in `row`; none when the column is absent or the cell empty.
    [[nodiscard]] std::optional<std::string> get(std::size_t row, std::string_view column) const;
    // The same without copies, for imports of a million rows: look the
    // column up once, then read cells ("" when absent or empty).
    [[nodiscard]] std::optional<std::size_t> column(std::string_view name) const noexcept;
    [[nodiscard]] std::string_view cell(std::size_t row, std::optional<std::size_t> column) const noexcept;

private:
    std::optional<CsvError> read_header(const std::vector<std::string>& fields, std::size_t size, int line,
                                        const std::vector<std::string>& required,
                                        const std::vector<std::string>& optional);
    std::vector<std::string> header_;
    // Every cell of every row, end to end; cell k spans starts_[k] .. starts_[k + 1].
    // 32-bit offsets: a CSV input is at most 256 MiB (trial/input_file.hpp),
    // and a million-row import keeps one offset per cell.
    std::string cells_;
    std::vector<std::uint32_t> starts_;
    std::vector<int> lines_;
    char separator_ = ',';
};

}  // namespace trialcal::trial
