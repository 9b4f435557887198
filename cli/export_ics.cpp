// trialcal export ics --site S [--from DATE --days N]: a site's calendar feed.
#include "cli/commands.hpp"
#include "trial/calendars.hpp"

namespace trialcal::cli {

void add_export_ics(CLI::App& export_cmd, const Globals& g) {
    auto a = std::make_shared<trial::SiteFeedQuery>();
    auto* cmd = export_cmd.add_subcommand("ics", "a site's calendar feed (iCalendar), blinded labels only");
    cmd->add_option("--site", a->site, "site")->required();
    cmd->add_option("--from", a->from, "first date, YYYY-MM-DD (default: everything)");
    cmd->add_option("--days", a->days, "how many days from --from");
    cmd->callback([&g, a] { trial::site_feed(g.env(), *a, print); });
}

}  // namespace trialcal::cli
