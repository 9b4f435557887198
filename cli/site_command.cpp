// trialcal site add CODE --name TEXT --tz ZONE [--country CC] [--closed sat,sun] [--holidays CC|none]
// trialcal site set CODE [--name …] [--country …] [--closed …] [--holidays …]
// A site is registered once, with the zone of its patients and the days it
// is closed; `site set` changes it (not its zone: records were written in it).
#include "cli/commands.hpp"
#include "trial/sites.hpp"

namespace trialcal::cli {

namespace {

// An option whose absence means "not given", not "empty".
void add_optional(CLI::App* cmd, const std::string& flag, std::optional<std::string>& into, const std::string& help) {
    cmd->add_option_function<std::string>(flag, [&into](const std::string& v) { into = v; }, help);
}

}  // namespace

void add_site_command(CLI::App& app, const Globals& g) {
    auto* site = app.add_subcommand("site", "register a site, or change one");
    site->require_subcommand(1);

    auto add = std::make_shared<trial::SiteInput>();
    auto* add_cmd = site->add_subcommand("add", "register a site: its name, time zone and closed days");
    add_cmd->add_option("code", add->code, "site code: letters, digits, '-'")->required();
    add_optional(add_cmd, "--name", add->name, "the site's name as reports print it, e.g. \"Hôpital Saint-Antoine, Paris\"");
    add_optional(add_cmd, "--tz", add->tz, "IANA time zone of its patients, e.g. Europe/Paris");
    add_optional(add_cmd, "--country", add->country, "ISO 3166-1 alpha-2 code, e.g. FR");
    add_optional(add_cmd, "--closed", add->closed, "closed weekdays (default sat,sun; 'none')");
    add_optional(add_cmd, "--holidays", add->holidays, "holiday calendar (default the country's; 'none')");
    add_cmd->callback([&g, add] {
        const std::string by = g.user();
        print(trial::add_site(g.env(), by, calendars_dir(g.calendars), *add));
    });

    auto set = std::make_shared<trial::SiteInput>();
    auto* set_cmd = site->add_subcommand("set", "change a site's name, country, closed days or holidays");
    set_cmd->add_option("code", set->code, "site code")->required();
    add_optional(set_cmd, "--name", set->name, "the site's name");
    add_optional(set_cmd, "--country", set->country, "ISO 3166-1 alpha-2 code");
    add_optional(set_cmd, "--closed", set->closed, "closed weekdays, e.g. sat,sun ('none')");
    add_optional(set_cmd, "--holidays", set->holidays, "holiday calendar, e.g. FR ('none')");
    set_cmd->callback([&g, set] {
        const std::string by = g.user();
        print(trial::set_site(g.env(), by, calendars_dir(g.calendars), *set));
    });
}

}  // namespace trialcal::cli
