#pragma once
// The real ports the command line gives the use cases: the system clock
// (pinned by $TRIALCAL_NOW), the acting account ($TRIALCAL_USER), the
// system's zone rules, the database (an SQLite file, or a network's
// PostgreSQL database by its postgresql:// URI), and key passphrases
// ($TRIALCAL_KEY_PASSPHRASE, else typed on /dev/tty without echo).
#include "trial/env.hpp"

#include <string>

namespace trialcal::cli {

// An Env whose storage is the database at `db_path` (a file, or a URI); its
// parts live as long as the process. On PostgreSQL, the user is the role
// that logged in.
[[nodiscard]] trial::Env real_env(const std::string& db_path);
// Whether `db_path` names a network's PostgreSQL database.
[[nodiscard]] bool is_network(const std::string& db_path) noexcept;
// The role the server authenticated for `db_path` (asked once per process).
[[nodiscard]] const std::string& network_role(const std::string& db_path);
// The account the process runs as: $TRIALCAL_USER.
[[nodiscard]] const trial::OsUser& os_user();
// Says on stderr, once, that $TRIALCAL_NOW is ignored when it is set in a
// build without the test clock (cli/clock.hpp).
void announce_clock();

}  // namespace trialcal::cli
