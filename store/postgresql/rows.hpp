#pragma once
// libpq results as the engine-neutral readers want them (store/rows.hpp,
// store/row_digest.hpp): a row reader over a result, a row into a digest.
#include "store/postgresql/connection.hpp"
#include "store/row_digest.hpp"
#include "store/tables.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace trialcal::store::postgresql {

class ResultRows {
public:
    // Before the first row: step() moves onto it.
    explicit ResultRows(const Result& r) noexcept : r_(r), end_(r.rows()) {}
    // On row `row`.
    ResultRows(const Result& r, int row) noexcept : r_(r), row_(row), end_(r.rows()) {}
    // Before row `first`, stepping up to `end`: one patient's rows of a batch.
    ResultRows(const Result& r, int first, int end) noexcept : r_(r), row_(first - 1), end_(end) {}
    [[nodiscard]] bool step() noexcept { return ++row_ < end_; }
    [[nodiscard]] bool is_null(int i) const noexcept { return r_.null(row_, i); }
    [[nodiscard]] std::string_view text(int i) const noexcept { return r_.text(row_, i); }
    [[nodiscard]] int integer(int i) const noexcept { return static_cast<int>(r_.integer(row_, i)); }
    [[nodiscard]] std::int64_t integer64(int i) const noexcept { return r_.integer(row_, i); }
    [[nodiscard]] double real(int i) const noexcept { return r_.real(row_, i); }

private:
    const Result& r_;
    int row_ = -1;
    int end_;
};

// `head` ("INSERT INTO t (…) VALUES ") with `n` rows of `width` parameters
// each ($1, $2, …), then RETURNING `returning` unless it is empty.
[[nodiscard]] std::string rows_insert_sql(std::string_view head, int width, std::size_t n, std::string_view returning);
// Row `row` of `q`, columns `first` to the last, into `digest` as a row of `table`.
void add_row(RowDigest& digest, TableId table, const Result& q, int row, int first);

}  // namespace trialcal::store::postgresql
