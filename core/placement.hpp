#pragma once
// Placement of a patient's site events off the days the site is closed
// (course.md, Placement): visits and the doses staff give at the site move to
// the nearest open day of their window; home doses never move. Nominal
// dates, windows and study days stay as they are, so compliance is judged
// exactly as without placement.
#include "core/calendar.hpp"
#include "core/holidays.hpp"

#include <optional>

namespace trialcal {

// Whether staff do `e` at the site: every visit, and the doses of regimens
// with setting = "site".
[[nodiscard]] constexpr bool done_at_site(const Event& e) noexcept {
    return e.kind == EventKind::visit || e.setting == Setting::site;
}

// Where `e` takes place at a site closed on `closed`: `placed` set when an
// open day of its window is not its nominal date, `closed_day` when the
// window has no open day. A home dose is left where it is.
struct EventPlacement {
    std::optional<date::sys_days> placed;
    bool closed_day = false;
    friend constexpr bool operator==(const EventPlacement&, const EventPlacement&) noexcept = default;
};

[[nodiscard]] EventPlacement placement_of(const Event& e, const ClosedDays& closed) noexcept;
// The same for an event as expansion makes it, the regimen telling its setting.
[[nodiscard]] EventPlacement placement_of(const Protocol& p, const PlannedEvent& e, const ClosedDays& closed) noexcept;

// Sets every event's placement; returns how many are placed off their
// nominal date.
std::size_t place_site_events(Calendar& c, const ClosedDays& closed) noexcept;

}  // namespace trialcal
