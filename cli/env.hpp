#pragma once
// The real ports the command line gives the use cases: the system clock
// (pinned by $TRIALCAL_NOW), the acting account ($TRIALCAL_USER), the
// system's zone rules, the SQLite database file, and key passphrases
// ($TRIALCAL_KEY_PASSPHRASE, else typed on /dev/tty without echo).
#include "trial/env.hpp"

#include <string>

namespace trialcal::cli {

// An Env whose storage is the database file at `db_path`; its parts live as
// long as the process.
[[nodiscard]] trial::Env real_env(const std::string& db_path);
// The account the process runs as: $TRIALCAL_USER.
[[nodiscard]] const trial::OsUser& os_user();
// Says on stderr, once, that $TRIALCAL_NOW is ignored when it is set in a
// build without the test clock (cli/clock.hpp).
void announce_clock();

}  // namespace trialcal::cli
