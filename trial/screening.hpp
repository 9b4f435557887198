#pragma once
// Eligibility at screening (course.md): `screen` records the values typed
// and the verdict against the protocol version's numeric criteria (a failed
// screening is kept: screen failures are reported), `report screening` lists
// them, and enrollment asks for a passing one.
#include "trial/catalog.hpp"
#include "trial/emit.hpp"
#include "trial/env.hpp"
#include "trial/origin.hpp"
#include "trial/sites.hpp"
#include "store/store.hpp"
#include "core/eligibility.hpp"

#include <string>
#include <vector>

namespace trialcal::trial {

struct ScreenInput {
    std::string patient, protocol, site, on;
    std::vector<std::string> values;  // NAME=NUMBER, NAME a criterion id
};

// What a screening recorded: the line to show, and each failed criterion
// with its value and bound (empty: eligible). Not eligible is still a
// screening recorded; the front end exits 1 (cli.md).
struct Screened {
    std::string summary;
    bool eligible = false;
    std::vector<std::string> failures;
};
[[nodiscard]] Screened screen(const Env& env, const std::string& by, const Catalog& catalog, const ScreenInput& in);

// A screening checked as far as it can be without the database (a row of
// `import screenings`, or `screen`'s flags).
struct CheckedScreening {
    const ProtocolFile* file = nullptr;
    ScreenInput input;
    date::sys_days on;
    ScreeningValues values;
    Verdict verdict;
    Origin origin;
};
[[nodiscard]] CheckedScreening check_screening(const Catalog& catalog, const ScreenInput& in, const Origin& origin);
// Inside a write: refuses an unknown site, a date in the future at the site
// and a patient already enrolled; stores the screening and its audit row.
Screened commit_screening(const Env& env, store::Store& s, const SiteBook& sites, const CheckedScreening& c,
                          const std::string& by, const std::string& now);

// Inside an enrollment's write: the patient's passing screening for this
// protocol version at most screening_valid_days before day 0, else
// Kind::rule naming why (no screening; each failed criterion with its value
// and bound; a screening too old or after day 0).
void require_screening(store::Store& s, const Protocol& p, const std::string& patient, date::sys_days day0,
                       const Origin& origin);

// The values of a screening as typed, checked against `p`: a name that is
// no criterion, a value that is no number, a name given twice (bad data,
// naming it and where it came from).
[[nodiscard]] ScreeningValues parse_screening_values(const Protocol& p, const std::vector<std::string>& values,
                                                     const Origin& origin);

// `report screening [--site S] [--format table|json|csv]`: every screening,
// its verdict, what failed, and whether the patient was enrolled.
void screening_report(const Env& env, const std::string& site, const std::string& format, const Emit& emit);

}  // namespace trialcal::trial
