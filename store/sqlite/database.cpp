#include "store/sqlite/database.hpp"

#include "store/sqlite/schema.sql.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cerrno>
#include <cstdint>
#include <limits>

namespace trialcal::store::sqlite {

namespace fs = std::filesystem;

namespace {
// SQLite counts every allocation under a global mutex unless told otherwise
// before its first connection; trialcal never reads those counters, and an
// import allocates a few times per row.
void configure_sqlite() noexcept {
    static const int once = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)once;
}
}  // namespace

void rethrow_sqlite(const SQLite::Exception& e, const std::string& what, int system_errno) {
    const int code = e.getErrorCode() & 0xff;
    // A full disk is SQLITE_FULL; a file-size limit or a failing disk is a
    // write I/O error. Either way the transaction was rolled back.
    if (code == SQLITE_FULL || (code == SQLITE_IOERR && (system_errno == ENOSPC || system_errno == EFBIG)))
        throw Error(Errc::io, fmt::format("{}: disk full: nothing was written, the database is as it was", what));
    if (e.getExtendedErrorCode() == SQLITE_IOERR_WRITE)
        throw Error(Errc::io, fmt::format("{}: the disk refused a write (full, a file size limit, or an I/O error): "
                                          "nothing was written, the database is as it was",
                                          what));
    switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        throw Error(Errc::busy, fmt::format("{}: database busy or locked by another user past the timeout", what));
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
        throw Error(Errc::read_only, fmt::format("{}: cannot write the database ({})", what, e.what()));
    case SQLITE_NOTADB:
        throw Error(Errc::not_trialcal, fmt::format("{}: not a trialcal database", what));
    case SQLITE_CONSTRAINT:
        throw Error(Errc::refused, fmt::format("{}: refused by the database: {}", what, e.what()));
    default:
        throw Error(Errc::io, fmt::format("{}: {}", what, e.what()));
    }
}

void translate(const std::string& what, const std::function<void()>& f) {
    try {
        f();
    } catch (const SQLite::Exception& e) {
        rethrow_sqlite(e, what);
    }
}

const char* Database::journal_mode() noexcept {
    // SQLite before 3.51.3 can corrupt a WAL database when a checkpoint
    // races a reset; the rollback journal has no such bug.
    return sqlite3_libversion_number() >= 3051003 ? "wal" : "delete";
}

namespace {
// trialcal_snapshot(): the audit seq reads are pinned to (Database::pin).
// Deterministic, so SQLite evaluates it once per statement run, not per row.
void snapshot_function(sqlite3_context* ctx, int, sqlite3_value**) {
    sqlite3_result_int64(ctx, *static_cast<const std::int64_t*>(sqlite3_user_data(ctx)));
}
}  // namespace

Database::Database(std::unique_ptr<SQLite::Database> db, fs::path path)
    : db_(std::move(db)), path_(std::move(path)),
      snapshot_(std::make_unique<std::int64_t>(std::numeric_limits<std::int64_t>::max())) {
    if (const int rc = sqlite3_create_function_v2(db_->getHandle(), "trialcal_snapshot", 0,
                                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                                                  snapshot_.get(), snapshot_function, nullptr, nullptr, nullptr);
        rc != SQLITE_OK)
        throw SQLite::Exception(db_->getHandle(), rc);
}

Database Database::memory() {
    configure_sqlite();
    Database d(std::make_unique<SQLite::Database>(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE), ":memory:");
    d.prepare(Mode::write);
    return d;
}

Database Database::open(const fs::path& path, Mode mode) {
    configure_sqlite();
    const std::string what = path.string();
    std::error_code ec;
    const bool exists = fs::exists(path, ec);
    if (exists && fs::is_directory(path, ec))
        throw Error(Errc::no_database, fmt::format("{}: is a directory, not a database file", what));
    if (!exists && mode != Mode::write)
        throw Error(Errc::no_database, fmt::format("{}: no database here (nothing has been recorded yet?)", what));
    std::unique_ptr<Database> out;
    translate(what, [&] {
        // Read mode opens read-write too (never creating), then sets
        // query_only: a writer killed mid-commit leaves a hot journal that
        // only a read-write connection may roll back, and a read-only one
        // fails with "readonly". A write-protected file still opens, read-only.
        // NOMUTEX: one thread owns the connection, so SQLite need not lock
        // a mutex on every call (a report reads millions of columns).
        const int flags = (mode == Mode::write ? (SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) : SQLite::OPEN_READWRITE) |
                          SQLite::OPEN_NOMUTEX;
        out.reset(new Database(std::make_unique<SQLite::Database>(what, flags), path));
        out->prepare(mode);
    });
    return std::move(*out);
}

void Database::prepare(Mode mode) {
    SQLite::Database& db = *db_;
    const std::string what = path_.string();
    db.setBusyTimeout(10000);
    if (mode == Mode::read) db.exec("PRAGMA query_only = ON");
    db.exec("PRAGMA foreign_keys = ON");
    const int app = db.execAndGet("PRAGMA application_id").getInt();
    const int version = db.execAndGet("PRAGMA user_version").getInt();
    const bool empty = db.execAndGet("SELECT count(*) FROM sqlite_schema").getInt() == 0;
    if (!empty && app != application_id)
        throw Error(Errc::not_trialcal,
                    fmt::format("{}: not a trialcal database (application_id {:#x})", what, static_cast<unsigned>(app)));
    if (version > schema_version)
        throw Error(Errc::newer_schema,
                    fmt::format("{}: written by a newer trialcal (schema {}, this build knows {}): upgrade trialcal",
                                what, version, schema_version));
    // The use cases add how to migrate (trial::with_store): the store knows
    // no command.
    if (version == 1 && mode != Mode::migrate)
        throw Error(Errc::old_schema,
                    fmt::format("{}: written by an older trialcal (schema 1, arms in plain text): it must be "
                                "migrated to schema {} before this trialcal opens it",
                                what, schema_version));
    if (version == 2 && mode != Mode::migrate)
        throw Error(Errc::before_sites,
                    fmt::format("{}: written by an older trialcal (schema 2, before sites were registered): it must "
                                "be migrated to schema {} before this trialcal opens it",
                                what, schema_version));
    if (version == 3 && mode != Mode::migrate)
        throw Error(Errc::before_course,
                    fmt::format("{}: written by an older trialcal (schema 3, before the patient's course was "
                                "recorded): it must be migrated to schema {} before this trialcal opens it",
                                what, schema_version));
    version_ = version;
    if (mode == Mode::read) {
        if (empty) throw Error(Errc::not_trialcal, fmt::format("{}: an empty file, not a trialcal database", what));
        // A read-only command reads the trail as it stands now, however long it
        // reads and whatever is written meanwhile (pin()).
        pin(db.execAndGet("SELECT coalesce(max(seq), 0) FROM audit").getInt64());
        return;
    }
    if ((mode == Mode::update || mode == Mode::migrate) && empty)
        throw Error(Errc::no_database, fmt::format("{}: an empty file: nothing has been recorded yet", what));
    // 16 KiB pages, set while the file is still empty: a trial network's
    // import writes a quarter of the pages (and system calls) of 4 KiB ones.
    if (empty) db.exec("PRAGMA page_size = 16384");
    db.exec(fmt::format("PRAGMA journal_mode = {}", journal_mode()));
    db.exec("PRAGMA synchronous = FULL");
    // Schemas 1 to 3 stay as they are until `db migrate` carries them over.
    if (version >= 1 && version <= 3) return;
    if (version < schema_version) {
        write([&] {
            // Another writer may have made it while we waited for the lock.
            if (db.execAndGet("PRAGMA user_version").getInt() >= schema_version) return;
            db.exec(schema_v2);
            db.exec(schema_v3);
            db.exec(schema_v4);
            db.exec(fmt::format("PRAGMA application_id = {}", application_id));
            db.exec(fmt::format("PRAGMA user_version = {}", schema_version));
        });
        version_ = schema_version;
    }
}

void Database::cache_kib(int kib) { db_->exec(fmt::format("PRAGMA cache_size = -{}", kib)); }

void Database::write(const std::function<void()>& body) {
    SQLite::Transaction t(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    try {
        body();
        t.commit();
    } catch (const SQLite::Exception& e) {
        // Read the OS error before the Transaction's destructor rolls back and
        // overwrites it; then say what failed, where.
        rethrow_sqlite(e, path_.string(), sqlite3_system_errno(db_->getHandle()));
    }
}

}  // namespace trialcal::store::sqlite
