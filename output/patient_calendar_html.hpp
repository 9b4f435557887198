#pragma once
// The calendar printed for the patient to keep at home (calendar P --format
// html): one self-contained HTML file, one A4 page per month that holds an
// event. Each page has a Monday-first month grid with the site visits and
// site doses on their days and, in a month with home doses, the diary card:
// a box to tick per planned intake, with its time, and room for notes.
//
// Everything the patient reads is in their language, French or English: the
// fixed texts here, the visits' and regimens' patient_name from the protocol
// file (docs/protocol-format.md), else the visit's name or the drug. Labels
// come only from the calendar as the viewer may see it: a blinded calendar
// shows blinded labels, never an arm.
#include "core/calendar.hpp"
#include "core/protocol.hpp"

#include <date/date.h>

#include <optional>
#include <string>
#include <string_view>

namespace trialcal {

// The patient's language. French first: the seed trials' patients are in France.
enum class Language : unsigned char { fr, en };

// "fr" or "en", as --lang takes it; none for any other.
[[nodiscard]] std::optional<Language> language_named(std::string_view code) noexcept;

struct PatientCalendarHeader {
    std::optional<std::string> patient;  // none for a preview
    std::optional<std::string> site;
    // The patient's arm and real amounts shown: every page says so.
    bool unblinded = false;
    // The day it was printed: a plan changes (shifts, amendments), and the
    // patient and the site must tell which copy is on the fridge.
    date::sys_days printed;
};

// `c` is the calendar as the viewer may see it (blinded unless unblinded),
// `p` the protocol version it was planned from: its patient names, and
// which doses have intake times.
[[nodiscard]] std::string patient_calendar_html(const Calendar& c, const Protocol& p, const PatientCalendarHeader& h,
                                                Language lang);

}  // namespace trialcal
