#include "store/stored_rows.hpp"

#include <algorithm>
#include <string_view>

namespace trialcal::store {

std::string StoredTable::columns() const {
    if (!audited) return audit_columns;
    return std::string(table(*audited).columns) + ", audit_seq";
}

int StoredTable::width() const noexcept {
    const std::string_view c = audited ? table(*audited).columns : audit_columns;
    // Column names hold no comma; an audited table adds audit_seq.
    return static_cast<int>(std::count(c.begin(), c.end(), ',')) + 1 + (audited ? 1 : 0);
}

std::vector<StoredTable> stored_tables() {
    std::vector<StoredTable> out;
    for (std::size_t t = 0; t < audited_tables.size(); ++t) out.push_back({static_cast<TableId>(t)});
    out.push_back({});
    return out;
}

}  // namespace trialcal::store
