// Calendar feeds: each patient's plan as the viewer may see it, what they
// skipped and what an amendment took out, for output/ics.
#include "trial/ics_feed.hpp"

#include "trial/calendars.hpp"
#include "trial/emit.hpp"
#include "trial/error.hpp"
#include "trial/patient_filter.hpp"
#include "trial/recording.hpp"
#include "trial/sites.hpp"

#include <fmt/format.h>

namespace trialcal::trial {

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
