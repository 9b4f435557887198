#pragma once
// `db migrate --public-key FILE.pub`: a schema-1 database (arms in plain
// text) carried to schema 2 (issue 13). Blinded arms, randomisation lists and
// the old trail's sealed values are sealed to the trial's unblinding public
// key, installed by the same migration; the old tables are dropped under
// secure delete and the file vacuumed, so the plain arms leave it. How the old
// trail is carried: docs/storage.md, "Migrating from schema 1".
#include "trial/env.hpp"
#include "trial/sealing.hpp"

#include <optional>
#include <string>

namespace trialcal::trial {

// The account of an audit row carried from schema 1, which never recorded one.
inline constexpr const char* schema_one_account = "schema 1: not recorded";
// The action of the migration's own audit rows.
inline constexpr const char* migrate_action = "migrate schema 1 to 2";

// Without a key while something must be sealed: Kind::not_permitted, the
// file untouched. A schema-1 trail whose chain is broken: Kind::bad_data, the
// file untouched (a new chain over it would hide the break). A database
// already on schema 2: nothing done, and says so.
[[nodiscard]] std::string migrate_database(const Env& env, const std::string& by,
                                           const std::optional<KeyFile>& public_file);

}  // namespace trialcal::trial
