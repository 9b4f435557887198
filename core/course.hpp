#pragma once
// The patient's course applied to their plan (course.md: Status, Dose
// changes): what a discontinuation or a withdrawal cancels, the
// early-termination visit a withdrawal adds, holds closed by their
// resumption, and the amounts a new weight or a dose change plans. Pure: the
// stored plan and the live records come in; nothing here is stored, so a
// voided course record undoes its effect by no longer being read.
#include "core/calendar.hpp"
#include "core/compliance.hpp"
#include "core/protocol.hpp"

#include <optional>
#include <string>

namespace trialcal {

// Holds closed by their resumption, cancellations from the status records
// (into `records.cancelled`), and the early-termination visit of a
// withdrawal inserted into `plan` in calendar order. Idempotent.
void follow_course(const Protocol& p, Calendar& plan, Records& records);

// The planned amounts of `c` as the course leaves them: weight-based doses
// dated on or after a weight record follow the newest such weight (rounded
// as the regimen says), and a dose change sets the amount of its product's
// doses dated on or after its date (the newest change in force wins over a
// weight). Doses shown blinded, and placebo, keep theirs: a dose change is
// of the active drug, and a blinded view shows volumes.
void apply_dose_changes(const Protocol& p, Calendar& c, const Records& records);

// The unscheduled visits of `records` as events of `c` ("R12", kind visit,
// `unscheduled`, its name, the reason as its one procedure), in calendar
// order: what a calendar lists. Never judge a calendar with them in it.
void list_unscheduled(Calendar& c, const Records& records);

// Where the patient stands as of a judged date (course.md, Status).
enum class CourseStatus : unsigned char { on_treatment, discontinued, withdrawn, completed };
[[nodiscard]] const char* status_name(CourseStatus s) noexcept;  // "on treatment", …
[[nodiscard]] const char* status_key(CourseStatus s) noexcept;   // "on_treatment", … (JSON, CSV)

// Withdrawn when a live withdrawal is dated on or before `as_of`; else
// completed when the last planned event not cancelled or held (by date) is
// done or missed; else discontinued when treatment was discontinued on or
// before `as_of`; else on treatment.
[[nodiscard]] CourseStatus course_status(const Records& records, const Compliance& judged,
                                         date::sys_days as_of) noexcept;

// The last event still planned (not cancelled or held), by date: the one
// whose outcome decides completion. Null for an empty plan.
[[nodiscard]] const Outcome* last_planned(const Compliance& judged) noexcept;
// The date a completed course completed on: the last planned event's, done
// (its date) or missed (its planned date).
[[nodiscard]] std::optional<date::sys_days> completed_on(const Compliance& judged) noexcept;

// The live status record of a kind, if any (at most one each: a second is refused).
[[nodiscard]] const StatusRecord* status_record(const Records& records, StatusChange kind) noexcept;

}  // namespace trialcal
