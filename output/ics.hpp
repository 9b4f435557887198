#pragma once
// Calendars as RFC 5545 iCalendar: one all-day VEVENT per planned visit or
// dose, for patients' phones and sites' calendar applications. UIDs are
// stable (study, patient, event), so importing a new export updates events
// instead of duplicating them; SEQUENCE grows when an event moves, is
// cancelled or comes back; an event that will not happen (skipped, cancelled
// by a status change, or taken out by an amendment) is CANCELLED.
#include "core/calendar.hpp"

#include <date/date.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trialcal {

// One patient's calendar as the viewer may see it, with what will not happen.
struct IcsPatient {
    const Calendar* calendar = nullptr;           // blinded unless unblinded
    std::optional<std::string> patient;           // none: a preview
    std::string site;       // LOCATION: the site's name and code
    std::string site_code;
    // Events that will not happen: skipped, or cancelled by a status change
    // (event id, why: "skipped (…)", "withdrawn: …").
    std::vector<std::pair<std::string, std::string>> skipped;
    std::vector<Event> replaced;                  // taken out by an amendment
    // The early-termination visit of a withdrawal since voided, with the
    // SEQUENCE it is sent with: the visit will not happen.
    std::vector<Event> voided_withdrawal_visits;
    // Changes a client was sent that the stored SEQUENCE does not count, by
    // event id: a cancellation by a skip or a status change, and each void
    // that brought the event back. SEQUENCE must only grow (RFC 5545
    // 3.8.7.4): clients ignore an update whose SEQUENCE is lower.
    std::map<std::string, int, std::less<>> changes;
};

struct IcsHeader {
    std::string name;          // X-WR-CALNAME: "DF-IL2 · P001", "trialcal · site PSL"
    date::sys_seconds stamp;   // DTSTAMP, UTC
    bool patient_in_summary = false;  // a site feed names the patient in each summary
    // Only events dated in [from, to]; none: all.
    std::optional<date::sys_days> from, to;
};

[[nodiscard]] std::string calendar_ics(const std::vector<IcsPatient>& patients, const IcsHeader& h);
// The same in three parts, for a feed written a patient at a time (a site's
// can hold a network's patients): calendar_ics is ics_begin, then
// ics_patient for each patient, then ics_end.
[[nodiscard]] std::string ics_begin(const IcsHeader& h);
[[nodiscard]] std::string ics_patient(const IcsPatient& p, const IcsHeader& h);
[[nodiscard]] std::string ics_end();

// RFC 5545 TEXT escaping: backslash, semicolon, comma, newline.
[[nodiscard]] std::string ics_escape(std::string_view s);
// A content line folded at 75 octets (never inside a UTF-8 character), CRLF-terminated.
[[nodiscard]] std::string ics_line(std::string_view line);

}  // namespace trialcal
