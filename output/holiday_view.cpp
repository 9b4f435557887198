#include "output/holiday_view.hpp"

#include "output/formatters.hpp"
#include "output/json.hpp"
#include "output/table.hpp"
#include "output/text.hpp"

#include <fmt/format.h>

#include <cstdlib>

namespace trialcal {

namespace {

// How a holiday's date is found: "fixed" or "Easter + 39 days".
std::string rule_of(const Holiday& h) {
    if (h.fixed) return "fixed date";
    if (h.after_easter == 0) return "Easter Sunday";
    return fmt::format("Easter {} {} day{}", h.after_easter > 0 ? '+' : '-', std::abs(h.after_easter),
                       std::abs(h.after_easter) == 1 ? "" : "s");
}

}  // namespace

std::string holidays_table(const HolidayCalendar& c, date::year y) {
    const auto dates = c.of_year(y);
    std::string out = fmt::format("{} ({}): {} holiday{} in {}\n\n", c.name, c.country, dates.size(),
                                  dates.size() == 1 ? "" : "s", static_cast<int>(y));
    TextTable t({{"Date"}, {""}, {"Holiday"}, {"Id"}, {"Rule"}});
    for (const auto& [d, h] : dates) t.row({fmt::format("{}", IsoDate{d}), weekday(d), h->name, h->id, rule_of(*h)});
    return out + t.str();
}

std::string holidays_json(const HolidayCalendar& c, date::year y) {
    JsonWriter j;
    j.begin_object();
    j.key("country").value(c.country);
    j.key("name").value(c.name);
    j.key("year").value(static_cast<int>(y));
    j.key("holidays").begin_array();
    for (const auto& [d, h] : c.of_year(y)) {
        j.begin_object();
        j.key("date").value(fmt::format("{}", IsoDate{d}));
        j.key("id").value(h->id);
        j.key("name").value(h->name);
        if (h->fixed) j.key("after_easter").null();
        else j.key("after_easter").value(h->after_easter);
        j.end_object();
    }
    j.end_array();
    j.end_object();
    return j.str();
}

}  // namespace trialcal
