#pragma once
// A row as SQLite holds it, into a write's or a check's digest
// (store/row_digest.hpp): the one place SQLite's value types meet it.
#include "store/row_digest.hpp"

#include <SQLiteCpp/Statement.h>

namespace trialcal::store::sqlite {

// Adds the current row of `q`, columns `first` to the last, as rows of `table`.
void add_row(RowDigest& digest, TableId table, SQLite::Statement& q, int first);

}  // namespace trialcal::store::sqlite
