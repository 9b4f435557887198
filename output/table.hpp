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

private:
    std::vector<Column> columns_;
    std::vector<std::vector<std::string>> rows_;  // empty row: a rule
};

[[nodiscard]] std::size_t display_width(const std::string& s) noexcept;

}  // namespace trialcal
