// trialcal export ics --site S [--from DATE --days N]: a site's calendar feed.
#include "cli/clock.hpp"
#include "cli/commands.hpp"
#include "cli/error.hpp"
#include "cli/ics_feed.hpp"

#include <fmt/format.h>

namespace trialcal::cli {

void Feeds::add(store::Store& s, const PatientPlan& pp, bool unblinded) {
    calendars_.push_back(unblinded ? pp.plan : pp.blinded_plan());
    IcsPatient entry;
    entry.calendar = &calendars_.back();
    entry.patient = pp.patient.id;
    entry.site = pp.patient.site;
    for (const auto& skip : s.live_records(pp.patient.id).skips) entry.skipped.emplace_back(skip.event, skip.reason);
    Calendar replaced;
    replaced.events = s.replaced_events(pp.patient);
    entry.replaced = unblinded ? std::move(replaced.events) : blind(std::move(replaced), pp.protocol).events;
    entries_.push_back(std::move(entry));
}

date::sys_seconds ics_stamp() { return now_utc(); }

namespace {

struct ExportIcsArgs {
    std::string site, from, days;
};

}  // namespace

void add_export_ics(CLI::App& export_cmd, const Globals& g) {
    auto a = std::make_shared<ExportIcsArgs>();
    auto* cmd = export_cmd.add_subcommand("ics", "a site's calendar feed (iCalendar), blinded labels only");
    cmd->add_option("--site", a->site, "site")->required();
    cmd->add_option("--from", a->from, "first date, YYYY-MM-DD (default: everything)");
    cmd->add_option("--days", a->days, "how many days from --from");
    cmd->callback([&g, a] {
        IcsHeader h;
        h.name = "trialcal · site " + a->site;
        h.patient_in_summary = true;
        if (!a->from.empty()) {
            h.from = parse_date_option("--from", a->from);
            if (!a->days.empty()) {
                const double n = parse_number_option("--days", a->days);
                if (n < 1 || n > 3660 || n != static_cast<int>(n))
                    throw Error(Exit::bad_data, fmt::format("--days: '{}' is not a whole number of days from 1 to 3660", a->days));
                h.to = *h.from + date::days{static_cast<int>(n) - 1};
            }
        } else if (!a->days.empty()) {
            throw Error(Exit::usage, "--days needs --from");
        }
        with_store([&] {
            auto db = store::Database::open(g.db_path(), store::Mode::read);
            store::Store s(db);
            Feeds feeds;
            for (const auto& p : s.patients())
                if (p.site == a->site) feeds.add(s, load_patient(s, p.id), false);
            if (feeds.entries().empty())
                throw Error(Exit::bad_data, fmt::format("--site: no patient is enrolled at site '{}'", a->site));
            h.stamp = ics_stamp();
            print(calendar_ics(feeds.entries(), h));
        });
    });
}

}  // namespace trialcal::cli
