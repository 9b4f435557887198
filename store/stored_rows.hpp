#pragma once
// Rows exactly as an engine holds them, for `db copy`: a unit's SQLite file
// carried into a network's PostgreSQL database (and back) value for value,
// so every row keeps its digest and every audit row its hash, and the copy
// verifies with the same head. Engine-neutral: no SQL type appears here.
#include "store/tables.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace trialcal::store {

// A column's value as stored: NULL, integer, real or text (the kinds the
// row digest types; trialcal stores no blob).
using StoredValue = std::variant<std::monostate, std::int64_t, double, std::string>;
using StoredRow = std::vector<StoredValue>;

// A table copied row for row: an audited table (tables.hpp), its canonical
// columns then audit_seq, in audit_seq order; or, without one, the audit
// trail, its columns in seq order.
struct StoredTable {
    std::optional<TableId> audited;  // none: the audit trail

    [[nodiscard]] const char* name() const noexcept { return audited ? table(*audited).name : "audit"; }
    // The column list, for SELECT and INSERT alike.
    [[nodiscard]] std::string columns() const;
    // The column the rows are read in order of.
    [[nodiscard]] const char* order() const noexcept { return audited ? "audit_seq" : "seq"; }
    // How many columns columns() names.
    [[nodiscard]] int width() const noexcept;
};

// Every table `db copy` carries, in the order it writes them: the audited
// tables in tables.hpp's order (each names only tables before it: the
// foreign keys hold as rows arrive), then the trail.
[[nodiscard]] std::vector<StoredTable> stored_tables();

}  // namespace trialcal::store
