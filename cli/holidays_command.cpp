// trialcal holidays [COUNTRY] [--year YYYY] [--format table|json]
// A country's public holidays in a year (default: this year), from
// holidays/COUNTRY.toml in the protocol folder; with no country, the
// calendars there are. What a coordinator checks before sites close on them.
#include "cli/commands.hpp"
#include "cli/error.hpp"
#include "output/holiday_view.hpp"
#include "trial/holiday_calendars.hpp"

#include <fmt/format.h>

namespace trialcal::cli {

namespace {

struct HolidaysArgs {
    std::string country;
    int year = 0;  // 0: this year
    std::string format;
};

}  // namespace

void add_holidays_command(CLI::App& app, const Globals& g) {
    auto a = std::make_shared<HolidaysArgs>();
    auto* cmd = app.add_subcommand("holidays", "a country's public holidays in a year (sites close on them)");
    cmd->add_option("country", a->country, "country code, e.g. FR (default: list the calendars)");
    cmd->add_option("--year", a->year, "the year, 1900 to 2199 (default: this year)")
        ->check(CLI::Range(static_cast<int>(first_holiday_year), static_cast<int>(last_holiday_year)));
    add_format(cmd, a->format, {"table", "json"});
    cmd->callback([&g, a] {
        const auto dir = calendars_dir(g.calendars);
        if (a->country.empty()) {
            std::string out;
            for (const auto& cc : trial::holiday_countries(dir))
                out += fmt::format("{}  {}\n", cc, trial::load_holidays(dir, cc).name);
            print(out.empty() ? fmt::format("no holiday calendar in {}\n", (dir / "holidays").string()) : out);
            return;
        }
        const HolidayCalendar c = trial::load_holidays(dir, a->country);
        const date::year y =
            a->year ? date::year{a->year} : date::year_month_day{date::floor<date::days>(g.env().clock.now())}.year();
        print(a->format == "json" ? holidays_json(c, y) : holidays_table(c, y));
    });
}

}  // namespace trialcal::cli
