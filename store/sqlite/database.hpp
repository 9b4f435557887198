#pragma once
// Opens a trialcal database: pragmas, schema migrations, and the translation
// of SQLite's errors into store::Error.
#include "store/error.hpp"
#include "store/store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace trialcal::store::sqlite {

inline constexpr int application_id = 0x5443414C;  // "TCAL"
inline constexpr int schema_version = 4;


// Owns the connection. Writes go through `write()`: one IMMEDIATE
// transaction, committed when the function returns, rolled back on error.
class Database {
public:
    static Database open(const std::filesystem::path& path, Mode mode);
    // In memory, for tests.
    static Database memory();

    SQLite::Database& sql() noexcept { return *db_; }
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
    // The schema version on disk: 1 only for a file opened with Mode::migrate
    // and not yet migrated.
    [[nodiscard]] int version() const noexcept { return version_; }
    void set_version(int v) noexcept { version_ = v; }
    // "wal" or "delete": which journal this build's SQLite is trusted with.
    [[nodiscard]] static const char* journal_mode() noexcept;

    void write(const std::function<void()>& body);

    // Reads see the trail as it stood at audit row `seq`: every table is
    // append-only and every row names the audit row that wrote it, so rows
    // with a later audit_seq are what was written since, and the queries
    // leave them out (`audit_seq <= trialcal_snapshot()`). A long read then
    // needs no long transaction: each statement is its own short one, writers
    // commit in between, and the read stays consistent (issue 14). Unpinned,
    // trialcal_snapshot() is the largest integer: every row.
    void pin(std::int64_t seq) noexcept { *snapshot_ = seq; }
    [[nodiscard]] std::int64_t snapshot() const noexcept { return *snapshot_; }
    // SQLite's page cache for this connection, in KiB (default 2 000). A bulk
    // write that touches pages all over the file (import doses: the record and
    // audit indexes) rereads them from the OS otherwise.
    void cache_kib(int kib);

private:
    Database(std::unique_ptr<SQLite::Database> db, std::filesystem::path path);
    void prepare(Mode mode);
    std::unique_ptr<SQLite::Database> db_;
    std::filesystem::path path_;
    // On the heap: SQLite's function holds its address, and a Database moves.
    std::unique_ptr<std::int64_t> snapshot_;
    int version_ = 0;
};

// Runs `f`, turning SQLite exceptions into store::Error that name `what`.
void translate(const std::string& what, const std::function<void()>& f);
[[noreturn]] void rethrow_sqlite(const SQLite::Exception& e, const std::string& what, int system_errno = 0);

}  // namespace trialcal::store::sqlite
