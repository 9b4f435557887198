#pragma once
// `db copy --from SRC --to DST`: a unit's trial carried into a network's
// database (SQLite to PostgreSQL) or back, verbatim: every row of every
// audited table and every audit row exactly as stored, so that `audit
// verify` gives the same head on both sides. The copy adds no audit row (it
// would change the head): the destination is a trial database where nothing
// was written, and the whole copy is one transaction in it, verified against
// the source before it commits.
#include "trial/env.hpp"

#include <string>

namespace trialcal::trial {

// What was copied, to print: the rows of each table, the audit rows, the
// head. The source's trail broken: Kind::bad_data, nothing written. The
// destination not empty: Kind::rule, nothing written. The copy verifying
// otherwise than the source: Kind::internal, rolled back. The source written
// to while it was read: Kind::busy, rolled back.
[[nodiscard]] std::string copy_database(Storage& from, Storage& to);

}  // namespace trialcal::trial
