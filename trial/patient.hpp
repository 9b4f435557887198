#pragma once
// An enrolled patient as the use cases see them: the stored row, the protocol
// version they were enrolled on (from the stored text, not today's file),
// and their plan.
#include "trial/env.hpp"
#include "core/calendar.hpp"
#include "core/protocol.hpp"
#include "store/store.hpp"

#include <functional>
#include <string>

namespace trialcal::trial {

// The end of time for matching (core/compliance.hpp): every record counts,
// whatever its date.
inline constexpr date::sys_days far_future{date::year{9999} / 12 / 31};

struct PatientPlan {
    store::Patient patient;
    Protocol protocol;
    Calendar plan;  // the truth as stored, with the course followed (core/course.hpp)
    Records live;   // not voided; its cancellations and holds as the course makes them
    // What every user sees unless unblinded with a reason (see compliance),
    // with the amounts the course plans.
    [[nodiscard]] Calendar blinded_plan() const;
};

// The patient's live records, with the course followed on `plan` (the
// stored plan of `p`): cancellations, closed holds, the early-termination
// visit. Every plan that is judged, listed or written to is read so.
// With `as_of`, status changes dated after it are left out (a report as of a date).
[[nodiscard]] Records follow_course(store::Store& s, const store::Patient& p, const Protocol& protocol, Calendar& plan,
                                    std::optional<date::sys_days> as_of = std::nullopt);

// The protocol version a stored patient follows, parsed from the text kept
// in the database.
[[nodiscard]] Protocol stored_protocol(store::Store& s, const store::Patient& p);

// A patient whose enrollment was voided takes nothing more: Kind::rule
// naming why (`row`: an import's "file:line: ", else empty).
void refuse_voided_enrollment(const store::Patient& p, const std::string& row = {});

// Unknown patient: Kind::bad_data naming the id. `judging` leaves out what
// only a calendar shows (visit names, procedures, route).
enum class PlanDetail : unsigned char { full, judging };
// A patient's stored plan, each dose with its regimen's slot times, reach and
// setting from `protocol` (the stored rows hold dates only): every plan that
// is judged or listed is read through here.
[[nodiscard]] Calendar stored_plan(store::Store& s, const store::Patient& p, const Protocol& protocol,
                                   PlanDetail detail = PlanDetail::full);
[[nodiscard]] PatientPlan load_patient(store::Store& s, const std::string& id, PlanDetail detail = PlanDetail::full);

// The product `drug` names: its id, drug name or blinded label, case-insensitive.
[[nodiscard]] const Product* find_product(const Protocol& p, std::string_view drug) noexcept;
// Resolves --drug: a product id, the drug name, or the blinded label, case-insensitive.
[[nodiscard]] const Product& resolve_drug(const Protocol& p, const std::string& drug, const std::string& field);

// Runs a store operation, turning store errors into use-case errors.
void with_store(const std::function<void()>& f);

// Who acts, asked only once a write is sure to need it: a refusal found
// first is the error the user sees.
using Actor = std::function<std::string()>;

// Unblinding needs a reason, and is itself written to the audit trail of
// `s` (opened for update) before anything unblinded is shown.
void audit_unblinding(const Env& env, store::Store& s, const Actor& by, const std::string& patient,
                      const std::string& what, const std::string& reason);

}  // namespace trialcal::trial
