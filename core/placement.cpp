#include "core/placement.hpp"

namespace trialcal {

namespace {

EventPlacement placement(date::sys_days nominal, DateWindow window, const ClosedDays& closed) noexcept {
    const Placement p = place(nominal, window, closed);
    EventPlacement out;
    if (p.date != nominal) out.placed = p.date;
    out.closed_day = p.closed_day;
    return out;
}

}  // namespace

EventPlacement placement_of(const Event& e, const ClosedDays& closed) noexcept {
    if (!done_at_site(e)) return {};
    return placement(e.date, e.window, closed);
}

EventPlacement placement_of(const Protocol& p, const PlannedEvent& e, const ClosedDays& closed) noexcept {
    if (e.kind == EventKind::dose && p.regimens[e.source].setting != Setting::site) return {};
    return placement(e.date, e.window, closed);
}

std::size_t place_site_events(Calendar& c, const ClosedDays& closed) noexcept {
    std::size_t moved = 0;
    for (Event& e : c.events) {
        const EventPlacement p = placement_of(e, closed);
        e.placed = p.placed;
        e.closed_day = p.closed_day;
        moved += p.placed.has_value();
    }
    return moved;
}

}  // namespace trialcal
