// Calendar feeds: each patient's plan as the viewer may see it, what they
// skipped and what an amendment took out, for output/ics.
#include "trial/ics_feed.hpp"

#include "trial/calendars.hpp"
#include "trial/emit.hpp"
#include "trial/error.hpp"
#include "trial/patient_filter.hpp"
#include "trial/recording.hpp"
#include "trial/sites.hpp"

#include "core/course.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace trialcal::trial {

namespace {

// What the stored SEQUENCE of each event does not count (IcsPatient::changes):
// its live cancellation (+1), and for each voided skip or status change that
// had cancelled it, the cancellation and the void that undid it (+2). A
// voided withdrawal's early-termination visit was sent and then taken back:
// while no live withdrawal brings it again it goes out cancelled.
void count_changes(store::Store& s, const PatientPlan& pp, IcsPatient& entry) {
    for (const auto& [event, reason] : entry.skipped) ++entry.changes[event];
    std::optional<Calendar> stored;  // read only when a status change was voided
    int voided_withdrawals = 0;
    std::optional<Event> early_termination;
    for (const store::StoredRecord& r : s.records(pp.patient.id)) {
        if (!r.voided) continue;
        if (r.kind == store::RecordKind::skip && r.event) entry.changes[*r.event] += 2;
        if ((r.kind != store::RecordKind::discontinue && r.kind != store::RecordKind::withdraw) || !r.date) continue;
        if (!stored) stored = stored_plan(s, pp.patient, pp.protocol);
        Calendar then = *stored;
        Records one;
        one.status.push_back({r.id, r.kind == store::RecordKind::withdraw ? StatusChange::withdrawn : StatusChange::discontinued,
                              *r.date, r.reason, r.lost_to_follow_up});
        follow_course(pp.protocol, then, one);
        for (const auto& c : one.cancelled) entry.changes[c.event] += 2;
        if (r.kind != store::RecordKind::withdraw) continue;
        ++voided_withdrawals;
        for (const auto& e : then.events)
            if (e.early_termination) early_termination = e;
    }
    if (!early_termination) return;
    // Sent with each withdrawal, cancelled with each void: 2 changes a pair.
    const auto now = std::find_if(pp.plan.events.begin(), pp.plan.events.end(),
                                  [](const Event& e) { return e.early_termination; });
    if (now != pp.plan.events.end()) {
        entry.changes[now->id] += 2 * voided_withdrawals;
    } else {
        early_termination->sequence += 2 * voided_withdrawals - 1;
        entry.voided_withdrawal_visits.push_back(std::move(*early_termination));
    }
}

}  // namespace

void Feeds::add(store::Store& s, const PatientPlan& pp, const Unblinding* unblinding) {
    calendars_.push_back(unblinding ? unblinding->plan_of(pp) : pp.blinded_plan());
    IcsPatient entry;
    entry.calendar = &calendars_.back();
    entry.patient = pp.patient.id;
    // A site feed's patients share a site: its name is read once.
    if (!entries_.empty() && entries_.back().site_code == pp.patient.site) entry.site = entries_.back().site;
    else entry.site = site_label(s, pp.patient.site);
    entry.site_code = pp.patient.site;
    for (const auto& skip : pp.live.skips) entry.skipped.emplace_back(skip.event, "skipped (" + skip.reason + ")");
    for (const auto& c : pp.live.cancelled) entry.skipped.emplace_back(c.event, c.reason);
    count_changes(s, pp, entry);
    Calendar replaced;
    replaced.events = s.replaced_events(pp.patient);
    replaced.cohort = pp.patient.cohort;
    entry.replaced = unblinding ? unblinding->plan_of(pp.patient, pp.protocol, std::move(replaced)).events
                                : blind(std::move(replaced), pp.protocol).events;
    entries_.push_back(std::move(entry));
}

void site_feed(const Env& env, const SiteFeedQuery& a, const Emit& emit_to) {
    IcsHeader h;
    h.name = "trialcal · site " + a.site;
    h.patient_in_summary = true;
    if (!a.from.empty()) {
        h.from = parse_date_option("--from", a.from);
        if (!a.days.empty()) {
            const double n = parse_number_option("--days", a.days);
            if (n < 1 || n > 3660 || n != static_cast<int>(n))
                throw Error(Kind::bad_data, fmt::format("--days: '{}' is not a whole number of days from 1 to 3660", a.days));
            h.to = *h.from + date::days{static_cast<int>(n) - 1};
        }
    } else if (!a.days.empty()) {
        throw Error(Kind::missing_input, "--days needs --from");
    }
    with_store([&] {
        auto s = env.storage.open(store::Mode::read);
        // No catalog: a feed takes no --protocol.
        const PatientSelection site = PatientSelection::resolve(*s, {}, {"", a.site, ""});
        h.stamp = env.clock.now();
        // A patient at a time: only one patient's calendar is ever held.
        ChunkedEmit emit(emit_to);
        emit(ics_begin(h));
        s->for_each_patient([&](const store::Patient& p) {
            if (!site.admits(p)) return;
            Feeds feed;
            feed.add(*s, load_patient(*s, p.id), nullptr);
            emit(ics_patient(feed.entries().front(), h));
        });
        emit(ics_end());
        emit.flush();
    });
}

}  // namespace trialcal::trial
