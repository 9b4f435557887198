#pragma once
// Calendars as a nurse or a patient sees them: table, JSON, CSV, iCalendar,
// or the HTML calendar printed for the patient.
#include "trial/catalog.hpp"
#include "trial/sealing.hpp"
#include "trial/emit.hpp"
#include "trial/env.hpp"
#include "trial/patient.hpp"

#include <string>

namespace trialcal::trial {

struct CalendarQuery {
    std::string patient;                      // an enrolled patient, or
    std::string protocol, day0, arm, cohort, weight;  // a preview
    std::string format = "table";             // table | json | csv | ics | html
    std::string lang = "fr";                  // html: the patient's language, fr | en
    bool unblinded = false;                   // the patient's arm and amounts: audited, needs a reason and the key
    std::string reason;
    std::optional<KeyFile> key;
};

// The stored plan (never today's protocol file), blinded unless unblinded.
[[nodiscard]] std::string patient_calendar(const Env& env, const Actor& by, const CalendarQuery& q);
// A protocol's calendar from a day 0; it shows an arm only when one is named.
[[nodiscard]] std::string calendar_preview(const Env& env, const Catalog& catalog, const CalendarQuery& q);
// A site's calendar feed (blinded labels only), from q.from for q.days days
// when given: re-imported, it updates events rather than adding them twice.
// Handed to `emit` a patient at a time: a site's feed never sits in memory.
struct SiteFeedQuery {
    std::string site, from, days;
};
void site_feed(const Env& env, const SiteFeedQuery& q, const Emit& emit);

}  // namespace trialcal::trial
