#include "store/sqlite/read_statement.hpp"

#include <SQLiteCpp/Exception.h>

namespace trialcal::store::sqlite {

ReadStatement::ReadStatement(sqlite3* db, Sql sql) : db_(db) {
    if (const int rc = sqlite3_prepare_v3(db, sql.text(), -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr); rc != SQLITE_OK)
        throw SQLite::Exception(db, rc);
}

ReadStatement::~ReadStatement() { sqlite3_finalize(stmt_); }

void ReadStatement::start(const std::string& text) {
    sqlite3_reset(stmt_);
    if (const int rc = sqlite3_bind_text(stmt_, 1, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
        rc != SQLITE_OK)
        throw SQLite::Exception(db_, rc);
}

void ReadStatement::start(const std::string& text, const std::string& second) {
    start(text);
    if (const int rc = sqlite3_bind_text(stmt_, 2, second.data(), static_cast<int>(second.size()), SQLITE_STATIC);
        rc != SQLITE_OK)
        throw SQLite::Exception(db_, rc);
}

bool ReadStatement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw SQLite::Exception(db_, rc);
}

}  // namespace trialcal::store::sqlite
