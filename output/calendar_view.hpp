#pragma once
// A calendar as a person or a script reads it.
#include "core/calendar.hpp"
#include "core/compliance.hpp"
#include "output/json.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace trialcal {

struct CalendarHeader {
    std::optional<std::string> patient;  // none for a preview
    std::optional<std::string> site;
    // The patient's arm and real amounts shown: every format says so.
    bool unblinded = false;
    // Each event's status as of today (event_status()), by event id; a
    // preview has none and every event is "planned".
    std::map<std::string, std::string, std::less<>> status;
};

// What a calendar says of a judged event (cli.md): "planned", "due",
// "done", "missed", "skipped", "held", "cancelled".
[[nodiscard]] std::string_view event_status(const Outcome& o) noexcept;

[[nodiscard]] std::string calendar_table(const Calendar& c, const CalendarHeader& h);
[[nodiscard]] std::string calendar_json(const Calendar& c, const CalendarHeader& h);
[[nodiscard]] std::string calendar_csv(const Calendar& c, const CalendarHeader& h);

// The kind-specific fields of one event in JSON: name and procedures of a
// visit; drug, amount, unit, route, intake and blinded of a dose.
void event_details_json(JsonWriter& j, const Event& e);

// "1 MIU", "425 mg", "1 ml", or "" when the amount is not shown.
[[nodiscard]] std::string amount_text(const Event& e);
// What a nurse does at the event: the visit's procedures or the dose to give.
[[nodiscard]] std::string event_summary(const Event& e);

}  // namespace trialcal
