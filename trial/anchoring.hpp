#pragma once
// Anchors followed (course.md, Anchors): when a record of a patient is
// written or voided, every anchored event of their plan that has no record
// moves with its anchor's actual date (core/anchors.hpp says where), placed
// again off the site's closed days, each a new revision with its SEQUENCE
// bumped, and one audit row names the moves.
#include "core/anchors.hpp"
#include "core/compliance.hpp"
#include "store/store.hpp"
#include "trial/patient.hpp"

#include <string>

namespace trialcal::trial {

// The date each planned event of `plan` happened on: a visit its record's,
// a dose the administration matching gives it (docs/compliance.md).
[[nodiscard]] ActualDates actual_dates(const Calendar& plan, const Records& live);

// Inside the write that turned the live records `before` into `after`
// (`pp.plan` read by stored_plan(), which names each event's anchor):
// moves what must move (none when the protocol has no anchors) and writes
// the audit row; `why` says what changed ("R12 written", "R12 voided").
// Returns the number of events moved.
std::size_t follow_anchors(store::Store& s, const PatientPlan& pp, const Records& before, const Records& after,
                           const std::string& why, const std::string& by, const std::string& now);

}  // namespace trialcal::trial
