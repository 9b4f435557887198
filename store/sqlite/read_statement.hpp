#pragma once
// A query read column by column through SQLite's own API. SQLiteCpp's Column
// copies a shared pointer per access (two atomic operations), and a network's
// report reads seventy million columns: the plan and record reads of a report
// go through this instead. Prepared once, reset for each use; errors are
// SQLite::Exception, turned into the store's own at its boundary like every
// other statement's.

#include "store/sql_text.hpp"

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace trialcal::store::sqlite {

// SQLiteCpp's statement on its current row as a row reader (store/rows.hpp).
struct StatementRow {
    SQLite::Statement& q;
    [[nodiscard]] bool is_null(int i) const { return q.getColumn(i).isNull(); }
    [[nodiscard]] std::string_view text(int i) const {
        const SQLite::Column c = q.getColumn(i);
        return {c.getText(), static_cast<std::size_t>(c.getBytes())};
    }
    [[nodiscard]] int integer(int i) const { return q.getColumn(i).getInt(); }
    [[nodiscard]] std::int64_t integer64(int i) const { return q.getColumn(i).getInt64(); }
    [[nodiscard]] double real(int i) const { return q.getColumn(i).getDouble(); }
};

class ReadStatement {
public:
    ReadStatement(sqlite3* db, Sql sql);
    ~ReadStatement();
    ReadStatement(const ReadStatement&) = delete;
    ReadStatement& operator=(const ReadStatement&) = delete;

    // Resets and binds parameter 1 (and 2); the texts must outlive the reading.
    void start(const std::string& text);
    void start(const std::string& text, const std::string& second);
    // The next row: false at the end.
    [[nodiscard]] bool step();
    // Done before the end: a statement left between rows holds its read.
    void finish() noexcept { sqlite3_reset(stmt_); }

    [[nodiscard]] std::string_view text(int i) const noexcept {
        const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
        return t ? std::string_view(t, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))) : std::string_view{};
    }
    [[nodiscard]] bool is_null(int i) const noexcept { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
    [[nodiscard]] int integer(int i) const noexcept { return sqlite3_column_int(stmt_, i); }
    [[nodiscard]] std::int64_t integer64(int i) const noexcept { return sqlite3_column_int64(stmt_, i); }
    [[nodiscard]] double real(int i) const noexcept { return sqlite3_column_double(stmt_, i); }

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace trialcal::store::sqlite
