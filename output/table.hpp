#pragma once
// Plain-text tables for a terminal: columns padded to their widest cell
// (counted in characters, not bytes, so "Behçet" lines up).
#include <string>
#include <vector>

namespace trialcal {

class TextTable {
public:
    enum class Align { left, right };
    struct Column {
        std::string title;
        Align align = Align::left;
    };
    explicit TextTable(std::vector<Column> columns);
    void row(std::vector<std::string> cells);
    void rule();  // a separator line before the next row
    [[nodiscard]] std::string str() const;

    // A table too long to hold (a network's audit trail) is printed in two
    // passes over its rows, byte for byte as str() would: measure() each row
    // first, then head() and line() for each row again. Rows given to row()
    // are measured too.
    void measure(std::vector<std::string> cells);
    [[nodiscard]] std::string head() const;
    [[nodiscard]] std::string line(std::vector<std::string> cells) const;
    [[nodiscard]] std::string separator() const;  // what rule() prints

private:
    void clean(std::vector<std::string>& cells) const;
    void append_line(std::string& out, const std::vector<std::string>& cells) const;
    void append_separator(std::string& out) const;
    std::vector<Column> columns_;
    std::vector<std::size_t> width_;              // per column: the widest cell so far
    std::vector<std::vector<std::string>> rows_;  // empty row: a rule
};

[[nodiscard]] std::size_t display_width(const std::string& s) noexcept;

}  // namespace trialcal
