#include "store/sqlite/digest_row.hpp"

#include <SQLiteCpp/Column.h>
#include <sqlite3.h>

#include <string_view>

namespace trialcal::store::sqlite {

void add_row(RowDigest& digest, TableId table, SQLite::Statement& q, int first) {
    digest.row(table);
    const int n = q.getColumnCount();
    for (int i = first; i < n; ++i) {
        const SQLite::Column c = q.getColumn(i);
        switch (c.getType()) {
        case SQLITE_NULL: digest.null(); break;
        case SQLITE_INTEGER: digest.integer(c.getInt64()); break;
        case SQLITE_FLOAT: digest.real(c.getDouble()); break;
        case SQLITE_BLOB:
            digest.blob(std::string_view(static_cast<const char*>(c.getBlob()), static_cast<std::size_t>(c.getBytes())));
            break;
        default: digest.text(std::string_view(c.getText(), static_cast<std::size_t>(c.getBytes())));
        }
    }
    digest.done();
}

}  // namespace trialcal::store::sqlite
