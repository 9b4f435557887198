#include "output/table.hpp"

#include "output/terminal.hpp"

#include <algorithm>

namespace trialcal {

std::size_t display_width(const std::string& s) noexcept {
    // UTF-8 continuation bytes take no column of their own.
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

TextTable::TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {
    for (const auto& c : columns_) width_.push_back(display_width(c.title));
}

void TextTable::clean(std::vector<std::string>& cells) const {
    cells.resize(columns_.size());
    // Stored text is shown, never obeyed: an escape sequence or a bidi
    // override in a cell would redraw the table around it.
    for (auto& c : cells) c = terminal_text(c);
}

void TextTable::measure(std::vector<std::string> cells) {
    clean(cells);
    for (std::size_t c = 0; c < cells.size(); ++c) width_[c] = std::max(width_[c], display_width(cells[c]));
}

void TextTable::row(std::vector<std::string> cells) {
    clean(cells);
    for (std::size_t c = 0; c < cells.size(); ++c) width_[c] = std::max(width_[c], display_width(cells[c]));
    rows_.push_back(std::move(cells));
}

void TextTable::rule() { rows_.emplace_back(); }

void TextTable::append_line(std::string& out, const std::vector<std::string>& cells) const {
    const std::size_t start = out.size();
    for (std::size_t c = 0; c < columns_.size(); ++c) {
        const std::string& cell = cells[c];
        const std::size_t pad = width_[c] - display_width(cell);
        const bool last = c + 1 == columns_.size();
        if (columns_[c].align == Align::right) out.append(pad, ' ');
        out += cell;
        if (columns_[c].align == Align::left && !last) out.append(pad, ' ');
        if (!last) out += "  ";
    }
    while (out.size() > start && out.back() == ' ') out.pop_back();
    out += '\n';
}

void TextTable::append_separator(std::string& out) const {
    std::size_t total = 0;
    for (auto w : width_) total += w + 2;
    out.append(total > 2 ? total - 2 : 0, '-');
    out += '\n';
}

std::string TextTable::head() const {
    std::string out;
    std::vector<std::string> titles;
    for (const auto& c : columns_) titles.push_back(c.title);
    append_line(out, titles);
    append_separator(out);
    return out;
}

std::string TextTable::line(std::vector<std::string> cells) const {
    clean(cells);
    std::string out;
    append_line(out, cells);
    return out;
}

std::string TextTable::separator() const {
    std::string out;
    append_separator(out);
    return out;
}

std::string TextTable::str() const {
    std::string out = head();
    for (const auto& r : rows_) {
        if (r.empty())
            append_separator(out);
        else
            append_line(out, r);
    }
    return out;
}

}  // namespace trialcal
