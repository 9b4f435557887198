#include "output/table.hpp"

#include "output/terminal.hpp"

#include <algorithm>

namespace trialcal {

std::size_t display_width(const std::string& s) noexcept {
    // UTF-8 continuation bytes take no column of their own.
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

TextTable::TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}

void TextTable::row(std::vector<std::string> cells) {
    cells.resize(columns_.size());
    // Stored text is shown, never obeyed: an escape sequence or a bidi
    // override in a cell would redraw the table around it.
    for (auto& c : cells) c = terminal_text(c);
    rows_.push_back(std::move(cells));
}

void TextTable::rule() { rows_.emplace_back(); }

std::string TextTable::str() const {
    std::vector<std::size_t> width(columns_.size());
    for (std::size_t c = 0; c < columns_.size(); ++c) width[c] = display_width(columns_[c].title);
    for (const auto& r : rows_)
        for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], display_width(r[c]));

    std::string out;
    auto line = [&](const std::vector<std::string>& cells) {
        std::string l;
        for (std::size_t c = 0; c < columns_.size(); ++c) {
            const std::string& cell = cells[c];
            const std::size_t pad = width[c] - display_width(cell);
            const bool last = c + 1 == columns_.size();
            if (columns_[c].align == Align::right) l.append(pad, ' ');
            l += cell;
            if (columns_[c].align == Align::left && !last) l.append(pad, ' ');
            if (!last) l += "  ";
        }
        while (!l.empty() && l.back() == ' ') l.pop_back();
        out += l;
        out += '\n';
    };
    auto separator = [&] {
        std::size_t total = 0;
        for (auto w : width) total += w + 2;
        out.append(total > 2 ? total - 2 : 0, '-');
        out += '\n';
    };
    std::vector<std::string> titles;
    for (const auto& c : columns_) titles.push_back(c.title);
    line(titles);
    separator();
    for (const auto& r : rows_) {
        if (r.empty())
            separator();
        else
            line(r);
    }
    return out;
}

}  // namespace trialcal
