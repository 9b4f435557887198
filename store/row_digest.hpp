#pragma once
// The digest of a set of rows, by table: what an audit row says its write
// wrote, and what `audit verify` recomputes from the rows that name it.
//
// A row's canonical form is its columns' values, typed (NULL, integer, real,
// text, blob) and length-prefixed (no value can pose as two); its hash is
// SHA-256 of that. The same for every engine: a row copied from SQLite to
// PostgreSQL keeps its digest, so the copy verifies with the same head.
// A table's rows are hashed in sorted order of their hashes, so the digest
// does not depend on the order rows come back in, and is no homomorphic sum
// that rows could be crafted to cancel in: SHA-256 of the sorted list.
#include "store/tables.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trialcal::store {

struct RowsDigest {
    std::int64_t rows = 0;
    std::string digest;  // 64 hex digits; the digest of no rows is a fixed value too
};

class RowDigest {
public:
    // Adds a row, every column of the table in its order (tables.hpp), as
    // the engine reads it back: one call per column between row() and done().
    // A write that binds every column feeds the values bound and need not
    // read its rows again (a plan's events).
    void row(TableId table);
    void null();
    void integer(std::int64_t v);
    void real(double v);
    void text(std::string_view v);
    void blob(std::string_view v);  // hashed like a text, marked apart
    void done();
    [[nodiscard]] bool empty() const noexcept { return rows_ == 0; }
    [[nodiscard]] std::int64_t rows() const noexcept { return rows_; }
    // The digest of what was added; empties it.
    [[nodiscard]] RowsDigest take();
    void clear() noexcept;

private:
    std::array<std::vector<std::string>, audited_tables.size()> hashes_;
    // A value's column: one of a later schema is absent while NULL, else
    // named by its position. False when the value is left out.
    bool column(bool is_null);

    std::int64_t rows_ = 0;
    std::string canonical_;
    const Table* table_ = nullptr;  // of the row being made
    std::size_t table_index_ = 0;
    int column_ = 0;
};

}  // namespace trialcal::store
