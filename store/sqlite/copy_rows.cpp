// `db copy` on SQLite: a table's rows read as SQLite holds them (its own
// types, column by column) as of the read's pinned audit row, and rows
// inserted verbatim, many a statement.
#include "store/sqlite/sqlite_store.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <memory>

namespace trialcal::store::sqlite {

namespace {

// Rows a statement inserts: SQLite binds at most 32 766 values, and a plan's
// row has 23.
constexpr std::size_t rows_per_insert = 500;

struct Finalize {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};

void read_value(sqlite3_stmt* q, int i, StoredValue& v) {
    switch (sqlite3_column_type(q, i)) {
    case SQLITE_NULL: v = std::monostate{}; break;
    case SQLITE_INTEGER: v = static_cast<std::int64_t>(sqlite3_column_int64(q, i)); break;
    case SQLITE_FLOAT: v = sqlite3_column_double(q, i); break;
    case SQLITE_TEXT: {
        const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(q, i));
        v = std::string(t, static_cast<std::size_t>(sqlite3_column_bytes(q, i)));
        break;
    }
    default:
        // trialcal writes no blob; a row that holds one was not written by
        // it, and a network's text column would not keep it as it is.
        throw Error(Errc::not_trialcal,
                    fmt::format("column {} holds a blob, which trialcal never writes: the row cannot be copied "
                                "as it is (run `audit verify`)",
                                sqlite3_column_name(q, i)));
    }
}

}  // namespace

void SqliteStore::for_each_stored_row(const StoredTable& t, const std::function<bool(const StoredRow&)>& f) {
    // Rows written after the read's snapshot are left out (Database::pin):
    // every table is read as of the same audit row.
    const std::string sql = fmt::format("SELECT {} FROM {} WHERE {} <= trialcal_snapshot() ORDER BY {}", t.columns(),
                                        t.name(), t.order(), t.order());
    sqlite3* db = db_.sql().getHandle();
    sqlite3_stmt* raw = nullptr;
    if (const int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr); rc != SQLITE_OK)
        throw SQLite::Exception(db, rc);
    const std::unique_ptr<sqlite3_stmt, Finalize> q(raw);
    StoredRow row(static_cast<std::size_t>(t.width()));
    for (;;) {
        const int rc = sqlite3_step(q.get());
        if (rc == SQLITE_DONE) return;
        if (rc != SQLITE_ROW) throw SQLite::Exception(db, rc);
        for (int i = 0; i < t.width(); ++i) read_value(q.get(), i, row[static_cast<std::size_t>(i)]);
        if (!f(row)) return;
    }
}

void SqliteStore::insert_stored_rows(const StoredTable& t, std::span<const StoredRow> rows) {
    const int width = t.width();
    std::string one = "(";
    for (int c = 0; c < width; ++c) one += c ? ",?" : "?";
    one += ")";
    while (!rows.empty()) {
        const std::size_t n = std::min(rows.size(), rows_per_insert);
        std::string sql = fmt::format("INSERT INTO {} ({}) VALUES ", t.name(), t.columns());
        for (std::size_t r = 0; r < n; ++r) sql += (r ? "," : "") + one;
        SQLite::Statement q(db_.sql(), sql);
        int i = 0;
        for (const StoredRow& row : rows.first(n)) {
            if (static_cast<int>(row.size()) != width)
                throw Error(Errc::internal, fmt::format("a row of {} with {} values, not {}", t.name(), row.size(), width));
            for (const StoredValue& v : row) {
                ++i;
                if (const auto* x = std::get_if<std::int64_t>(&v)) q.bind(i, *x);
                else if (const auto* d = std::get_if<double>(&v)) q.bind(i, *d);
                else if (const auto* s = std::get_if<std::string>(&v)) q.bindNoCopy(i, *s);
                else q.bind(i);
            }
        }
        q.exec();
        rows = rows.subspan(n);
    }
}

}  // namespace trialcal::store::sqlite
