#include "trial/anchoring.hpp"

#include "core/datetime.hpp"
#include "core/placement.hpp"
#include "trial/error.hpp"
#include "trial/sites.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace trialcal::trial {

namespace {
// Every administration of the records is matched, whatever its date.
constexpr date::sys_days far_future{date::year{9999} / 12 / 31};
}  // namespace

ActualDates actual_dates(const Calendar& plan, const Records& live) {
    ActualDates out;
    for (const VisitRecord& v : live.visits) out.insert_or_assign(v.event, v.date);
    std::map<std::int64_t, date::sys_days> given;
    for (const Administration& a : live.doses) given.emplace(a.record, a.date);
    for (const Match& m : match_doses(plan, live, far_future))
        if (m.event) out.insert_or_assign(plan.events[*m.event].id, given.at(m.record));
    return out;
}

bool has_anchors(const Protocol& p) noexcept {
    return std::any_of(p.visits.begin(), p.visits.end(), [](const Visit& v) { return v.anchor.has_value(); }) ||
           std::any_of(p.regimens.begin(), p.regimens.end(), [](const Regimen& r) { return r.anchor.has_value(); });
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
    std::string listed;
    for (const Move& m : *moves) {
        const auto it = std::find_if(plan.events.begin(), plan.events.end(), [&](const Event& e) { return e.id == m.event; });
        if (it == plan.events.end()) continue;
        Event e = *it;
        e.date = m.to;
        e.window = m.window;
        const EventPlacement placed = placement_of(e, closed);
        e.placed = placed.placed;
        e.closed_day = placed.closed_day;
        s.move_event(pp.patient.id, e);
        listed += fmt::format(" {} {}->{}", m.event, iso_date(m.from), iso_date(m.to));
    }
    s.append_audit({by, "re-project", pp.patient.id, "anchored events", "",
                    fmt::format("events={}{}", moves->size(), listed), "", why},
                   now);
    return moves->size();
}

}  // namespace trialcal::trial
