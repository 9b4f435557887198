#pragma once
// libpq results as the engine-neutral readers want them (store/rows.hpp,
// store/row_digest.hpp): a row reader over a result, an audit row, a row
// into a digest.
#include "store/audit.hpp"
#include "store/postgresql/connection.hpp"
#include "store/row_digest.hpp"
#include "store/tables.hpp"

#include <cstdint>
#include <string_view>

namespace trialcal::store::postgresql {

class ResultRows {
public:
    explicit ResultRows(const Result& r) noexcept : r_(r) {}
    [[nodiscard]] bool step() noexcept { return ++row_ < r_.rows(); }
    [[nodiscard]] bool is_null(int i) const noexcept { return r_.null(row_, i); }
    [[nodiscard]] std::string_view text(int i) const noexcept { return r_.text(row_, i); }
    [[nodiscard]] int integer(int i) const noexcept { return static_cast<int>(r_.integer(row_, i)); }
    [[nodiscard]] std::int64_t integer64(int i) const noexcept { return r_.integer(row_, i); }
    [[nodiscard]] double real(int i) const noexcept { return r_.real(row_, i); }

private:
    const Result& r_;
    int row_ = -1;
};

// The audit columns in AuditRow order (seq … hash), row `i` of `q`.
[[nodiscard]] AuditRow read_audit_row(const Result& q, int i);
// Row `row` of `q`, columns `first` to the last, into `digest` as a row of `table`.
void add_row(RowDigest& digest, TableId table, const Result& q, int row, int first);

}  // namespace trialcal::store::postgresql
