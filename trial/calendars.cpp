// Calendars: an enrolled patient's (blinded unless unblinded with a reason,
// which is audited) and a preview of a protocol from a day 0.
#include "trial/calendars.hpp"

#include "core/course.hpp"
#include "output/calendar_view.hpp"
#include "output/formatters.hpp"
#include "output/patient_calendar_html.hpp"
#include "trial/error.hpp"
#include "trial/ics_feed.hpp"
#include "trial/recording.hpp"
#include "trial/sites.hpp"
#include "trial/time.hpp"

#include <fmt/format.h>

namespace trialcal::trial {

namespace {

std::string calendar_text(const Calendar& view, const CalendarHeader& h, const std::string& format) {
    if (format == "json") return calendar_json(view, h);
    if (format == "csv") return calendar_csv(view, h);
    return calendar_table(view, h);
}

// The calendar printed for the patient, in --lang's language.
std::string patient_html(const Calendar& view, const Protocol& protocol, const PatientCalendarHeader& h,
                         const std::string& lang) {
    const auto language = language_named(lang);
    if (!language) throw Error(Kind::bad_data, fmt::format("--lang: '{}' is not a language: write fr or en", lang));
    return patient_calendar_html(view, protocol, h, *language);
}

// Each event's status as of today at the site, judged on the view shown
// (blinded or not, the same events and ids; a status says nothing of amounts).
std::map<std::string, std::string, std::less<>> statuses(const Env& env, const PatientPlan& pp, const Calendar& view) {
    const Compliance judged = judge(view, pp.live, today_in(env, pp.patient.tz));
    std::map<std::string, std::string, std::less<>> out;
    for (const auto& o : judged.visit_events) out.emplace(o.event->id, event_status(o));
    for (const auto& d : judged.doses)
        for (const auto& o : d.events) out.emplace(o.event->id, event_status(o));
    return out;
}

}  // namespace

std::string patient_calendar(const Env& env, const Actor& by, const CalendarQuery& a) {
    std::string out;
    with_store([&] {
        Calendar view;
        store::Patient patient;
        Protocol protocol;  // the version the plan was made from: the patient's names of its visits
        std::string site;   // the site's name and code, as the patient's printed calendar heads it
        std::optional<Unblinding> unblinding;
        std::map<std::string, std::string, std::less<>> status;
        Records live;
        if (a.unblinded) {
            auto s = env.storage.open(store::Mode::update);
            PatientPlan pp = load_patient(*s, a.patient);
            // Patient and key are checked before the unblinding is audited.
            unblinding.emplace(open_unblinding(env, *s, a.key));
            view = unblinding->plan_of(pp);
            audit_unblinding(env, *s, by, a.patient, "calendar", a.reason);
            status = statuses(env, pp, view);
            live = std::move(pp.live);
            patient = pp.patient;
            protocol = std::move(pp.protocol);
            if (a.format == "html") site = site_label(*s, patient.site);
        } else {
            auto s = env.storage.open(store::Mode::read);
            PatientPlan pp = load_patient(*s, a.patient);
            view = pp.blinded_plan();
            status = statuses(env, pp, view);
            live = std::move(pp.live);
            patient = pp.patient;
            protocol = std::move(pp.protocol);
            if (a.format == "html") site = site_label(*s, patient.site);
        }
        if (a.format == "html") {
            // The patient's own calendar: what is still to be, not what a
            // status change cancelled.
            std::erase_if(view.events, [&](const Event& e) {
                const auto it = status.find(e.id);
                return it != status.end() && it->second == "cancelled";
            });
            PatientCalendarHeader ph;
            ph.patient = patient.id;
            ph.site = site;
            ph.unblinded = a.unblinded;
            ph.printed = today_in(env, patient.tz);
            out = patient_html(view, protocol, ph, a.lang);
            return;
        }
        CalendarHeader h{patient.id, patient.site, a.unblinded, std::move(status)};
        if (a.format == "ics") {
            // Reopened read-only: the feed also needs the skips and replaced events.
            auto s = env.storage.open(store::Mode::read);
            Feeds feeds;
            feeds.add(*s, load_patient(*s, a.patient), unblinding ? &*unblinding : nullptr);
            IcsHeader ih;
            ih.name = fmt::format("{}{} · {}", a.unblinded ? "UNBLINDED · " : "", view.protocol, patient.id);
            ih.stamp = env.clock.now();
            out = calendar_ics(feeds.entries(), ih);
            return;
        }
        list_unscheduled(view, live);
        out = calendar_text(view, h, a.format);
    });
    return out;
}

std::string calendar_preview(const Env& env, const Catalog& catalog, const CalendarQuery& a) {
    const ProtocolFile& file = catalog.find(a.protocol);
    CalendarRequest req{parse_date_option("--day0", a.day0), std::nullopt, std::nullopt, std::nullopt};
    if (!a.arm.empty()) req.arm = a.arm;
    if (!a.cohort.empty()) req.cohort = a.cohort;
    if (!a.weight.empty()) req.weight_kg = parse_number_option("--weight", a.weight);
    auto cal = expand(file.protocol, req);
    if (!cal) fail_calendar(cal.error());
    // A preview that names the arm shows it; without one a blinded protocol stays blinded.
    Calendar view = req.arm ? std::move(*cal) : blind(std::move(*cal), file.protocol);
    const CalendarHeader h{};
    if (a.format == "html") {
        PatientCalendarHeader ph;
        ph.printed = today_in(env, env.zones.local_zone());
        return patient_html(view, file.protocol, ph, a.lang);
    }
    if (a.format == "ics") {
        IcsPatient entry;
        entry.calendar = &view;
        IcsHeader ih;
        ih.name = fmt::format("{} version {} · preview from {}", view.protocol, view.version, IsoDate{view.day0});
        ih.stamp = env.clock.now();
        return calendar_ics({entry}, ih);
    }
    return calendar_text(view, h, a.format);
}

}  // namespace trialcal::trial
