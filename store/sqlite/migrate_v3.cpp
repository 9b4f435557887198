// Schemas 2 and 3 to the current one: their changes made in one
// transaction, then `copy` writes what the migration derives (sites for
// schema 2) and its audit rows. Schema 4 (issue 16) makes the record table
// again with the course's kinds; every row is carried as it is.
#include "store/sqlite/schema.sql.hpp"
#include "store/sqlite/sqlite_store.hpp"

#include <fmt/format.h>

namespace trialcal::store::sqlite {

bool SqliteStore::migrate_schema_three(const std::function<void()>& copy) {
    return migrate_to_current(3, {schema_v4}, copy);
}

void SqliteStore::check_foreign_keys() {
    finalize_statements();  // foreign_key_check refuses while a statement is open
    if (SQLite::Statement fk(db_.sql(), "PRAGMA foreign_key_check"); fk.executeStep())
        throw Error(Errc::internal, fmt::format("the migrated table {} has a row whose {} does not exist: nothing was "
                                                "migrated",
                                                fk.getColumn(0).getString(), fk.getColumn(2).getString()));
}

bool SqliteStore::migrate_to_current(int from, std::initializer_list<const char*> changes,
                                     const std::function<void()>& copy) {
    if (db_.version() != from) return false;
    SQLite::Database& db = db_.sql();
    bool migrated = false;
    audit_seq_.reset();
    written_.clear();
    // Schema 4 makes the record table again: with foreign keys on, dropping
    // the old one would count every void row as an orphan for good (the rows
    // were copied before the new table took the name). Off for the
    // migration (they cannot be switched inside a transaction), and checked
    // in full before the commit instead.
    db.exec("PRAGMA foreign_keys = OFF");
    try {
        db_.write([&] {
            // Another trialcal may have migrated it while we waited for the lock.
            if (db.execAndGet("PRAGMA user_version").getInt() != from) return;
            finalize_statements();  // prepared against the old schema's tables
            for (const char* change : changes) db.exec(change);
            copy();
            if (!written_.empty())
                throw Error(Errc::internal, fmt::format("{} row(s) written without an audit row: nothing was migrated",
                                                        written_.rows()));
            check_foreign_keys();
            db.exec(fmt::format("PRAGMA user_version = {}", sqlite::schema_version));
            migrated = true;
        });
    } catch (...) {
        audit_seq_.reset();
        written_.clear();
        finalize_statements();
        db.exec("PRAGMA foreign_keys = ON");
        throw;
    }
    db.exec("PRAGMA foreign_keys = ON");
    audit_seq_.reset();
    finalize_statements();
    if (migrated) db_.set_version(sqlite::schema_version);
    return migrated;
}

}  // namespace trialcal::store::sqlite
