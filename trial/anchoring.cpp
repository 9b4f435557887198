#include "trial/anchoring.hpp"

#include "core/datetime.hpp"
#include "core/placement.hpp"
#include "trial/error.hpp"
#include "trial/sites.hpp"

#include <fmt/format.h>

#include <string_view>
#include <unordered_map>

namespace trialcal::trial {

ActualDates actual_dates(const Calendar& plan, const Records& live) {
    ActualDates out;
    for (const VisitRecord& v : live.visits) out.insert_or_assign(v.event, v.date);
    std::map<std::int64_t, date::sys_days> given;
    for (const Administration& a : live.doses) given.emplace(a.record, a.date);
    for (const Match& m : match_doses(plan, live, far_future))
        if (m.event) out.insert_or_assign(plan.events[*m.event].id, given.at(m.record));
    return out;
}

std::size_t follow_anchors(store::Store& s, const PatientPlan& pp, const Records& before, const Records& after,
                           const std::string& why, const std::string& by, const std::string& now) {
    if (!has_anchors(pp.protocol)) return 0;
    // stored_plan() gave every event its anchor already.
    const Calendar& plan = pp.plan;
    auto moves = reproject(pp.protocol, plan, actual_dates(plan, before), actual_dates(plan, after));
    if (!moves)
        throw Error(Kind::rule, fmt::format("patient {}: {} cannot be followed: {}", pp.patient.id, why,
                                            moves.error().message));
    if (moves->empty()) return 0;
    const SiteBook sites = SiteBook::load(s);
    const Site* site = sites.lookup(pp.patient.site);
    const ClosedDays closed = site ? sites.closed_days(*site) : ClosedDays{};
    // The moved events found by id in one pass over the plan, not a scan
    // per move: a protocol may plan 20 000 events a patient.
    std::unordered_map<std::string_view, const Move*> by_event;
    by_event.reserve(moves->size());
    for (const Move& m : *moves) by_event.emplace(m.event, &m);
    for (const Event& planned : plan.events) {
        const auto it = by_event.find(planned.id);
        if (it == by_event.end()) continue;
        Event e = planned;
        e.date = it->second->to;
        e.window = it->second->window;
        const EventPlacement placed = placement_of(e, closed);
        e.placed = placed.placed;
        e.closed_day = placed.closed_day;
        s.move_event(pp.patient.id, e);
    }
    std::string listed;
    for (const Move& m : *moves) listed += fmt::format(" {} {}->{}", m.event, iso_date(m.from), iso_date(m.to));
    s.append_audit({by, "re-project", pp.patient.id, "anchored events", "",
                    fmt::format("events={}{}", moves->size(), listed), "", why},
                   now);
    return moves->size();
}

}  // namespace trialcal::trial
