#pragma once
// `audit verify`'s check of the trail, the same for every engine: the chain,
// each audit row's digest of the rows it wrote against the rows that name it
// now, rows no audit row accounts for, times that go backwards. The engine
// hands over its rows in order (one pass over the trail and one over each
// table, merged on audit_seq: memory is one write's rows at a time); the
// schema's check is the engine's own.
#include "store/audit.hpp"
#include "store/row_digest.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace trialcal::store {

// One audited table's rows in audit_seq order.
class TableRows {
public:
    virtual ~TableRows() = default;
    [[nodiscard]] virtual bool done() const = 0;
    // The current row's audit_seq; -1 when NULL.
    [[nodiscard]] virtual std::int64_t seq() const = 0;
    // How a break names the row: its table and first column.
    [[nodiscard]] virtual std::string key() const = 0;
    virtual void add_to(RowDigest& digest) = 0;
    virtual void advance() = 0;
};

// The audit trail in seq order.
class TrailRows {
public:
    virtual ~TrailRows() = default;
    // The next row into `r`; false after the last.
    virtual bool next(AuditRow& r) = 0;
};

// Checks `trail` against `tables`, adding to `c` (rows, table_rows, breaks, head).
void check_trail(TrailRows& trail, std::vector<std::unique_ptr<TableRows>>& tables, ChainCheck& c);

}  // namespace trialcal::store
