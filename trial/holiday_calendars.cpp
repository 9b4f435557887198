#include "trial/holiday_calendars.hpp"

#include "trial/catalog.hpp"
#include "trial/error.hpp"
#include "trial/input_file.hpp"
#include "trial/text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace trialcal::trial {

namespace fs = std::filesystem;

std::vector<std::string> holiday_countries(const fs::path& calendars) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(calendars / "holidays", ec))
        if (entry.path().extension() == ".toml" && entry.is_regular_file(ec))
            out.push_back(entry.path().stem().string());
    std::sort(out.begin(), out.end());
    return out;
}

HolidayCalendar load_holidays(const fs::path& calendars, const std::string& country) {
    return read_holidays(calendars, country).calendar;
}

HolidayFile read_holidays(const fs::path& calendars, const std::string& country) {
    check_line("country", country);
    const auto known = holiday_countries(calendars);
    if (std::find(known.begin(), known.end(), country) == known.end()) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        throw Error(Kind::not_found, fmt::format("no holiday calendar for '{}' in {}: there are {}", country,
                                                 (calendars / "holidays").string(), list.empty() ? "none" : list));
    }
    const fs::path path = calendars / "holidays" / (country + ".toml");
    std::string text = read_regular_file(path, text_file_limit);
    auto parsed = parse_holidays(text);
    if (!parsed.calendar) throw Error(Kind::bad_data, describe(path, parsed.diagnostics));
    if (parsed.calendar->country != country)
        throw Error(Kind::bad_data, fmt::format("{}: the file is named for {} but says country = \"{}\"",
                                                path.string(), country, parsed.calendar->country));
    return {std::move(text), std::move(*parsed.calendar)};
}

}  // namespace trialcal::trial
