#include "core/holidays.hpp"

#include "core/datetime.hpp"
#include "core/toml_reader.hpp"

#include <algorithm>
#include <array>
#include <map>

namespace trialcal {

namespace {

using toml_read::Sink;
using toml_read::TableReader;

// Ten weeks either side of Easter holds every holiday counted from it
// (Ash Wednesday -46, Corpus Christi +60); more is a typing mistake.
constexpr int max_after_easter = 70;

class Reader {
public:
    explicit Reader(Diagnostics& d) : sink_(d) {}

    void run(const toml::table& root, HolidayCalendar& c) {
        TableReader top(root, "", sink_);
        if (auto country = top.string("country", true)) {
            const bool two_capitals =
                country->size() == 2 && std::all_of(country->begin(), country->end(), [](char ch) {
                    return ch >= 'A' && ch <= 'Z';
                });
            if (two_capitals) c.country = *country;
            else
                sink_.at(*root.get("country"), "country",
                         "'" + *country + "' is not a country code: two capital letters (ISO 3166-1), e.g. \"FR\"");
        }
        if (auto name = top.string("name", true)) c.name = *name;
        const toml::node* list = root.get("holidays");
        toml_read::each_table(top, "holidays", true, [&](TableReader& r) { read_holiday(r, c); });
        if (list && list->as_array() && list->as_array()->empty())
            sink_.at(*list, "holidays", "a holiday calendar lists at least one holiday");
        toml_read::check_unique(sink_, ids_, "holiday");
    }

private:
    void read_holiday(TableReader& r, HolidayCalendar& c) {
        Holiday h;
        if (auto id = toml_read::id_key(r, "id")) {
            h.id = *id;
            ids_.push_back({*id, r.table().source(), r.path()});
        }
        if (auto name = r.string("name", true)) h.name = *name;
        const toml::node* date_node = r.get("date", false);
        const toml::node* easter_node = r.get("easter", false);
        bool ok = true;
        if (date_node && easter_node) {
            sink_.at(*easter_node, r.key("easter"),
                     "a holiday has a fixed date or a day counted from Easter, not both");
            ok = false;
        } else if (!date_node && !easter_node) {
            sink_.at(r.table().source(), r.path(),
                     "a holiday needs date = \"MM-DD\" or easter = days after Easter Sunday");
            ok = false;
        } else if (date_node) {
            ok = read_fixed(r, *date_node, h);
        } else if (auto days = r.integer("easter", true, -max_after_easter, max_after_easter)) {
            h.after_easter = static_cast<int>(*days);
        } else {
            ok = false;
        }
        const auto year = [&](std::string_view k) -> std::optional<date::year> {
            const auto y =
                r.integer(k, false, static_cast<int>(first_holiday_year), static_cast<int>(last_holiday_year));
            if (!y) return std::nullopt;
            return date::year{static_cast<int>(*y)};
        };
        if (auto from = year("from")) h.from = *from;
        if (auto until = year("until")) h.until = *until;
        if (h.from > h.until) {
            sink_.at(*r.table().get("until"), r.key("until"),
                     "kept until " + std::to_string(static_cast<int>(h.until)) + ", before it is kept from " +
                         std::to_string(static_cast<int>(h.from)));
            ok = false;
        }
        if (ok && !h.id.empty()) {
            // Two holidays on one fixed date, or on one day from Easter, are a
            // line typed twice (a fixed date and an Easter one may meet: in
            // 2008 Ascension was 1 May).
            const std::string rule = h.fixed ? fixed_text(*h.fixed) : "easter " + std::to_string(h.after_easter);
            if (const auto [it, fresh] = rules_.emplace(rule, r.path()); !fresh)
                sink_.at(h.fixed ? *date_node : *easter_node, r.key(h.fixed ? "date" : "easter"),
                         "the same day as " + it->second);
        }
        c.holidays.push_back(std::move(h));
    }

    bool read_fixed(TableReader& r, const toml::node& n, Holiday& h) {
        const auto* s = n.as_string();
        if (!s) {
            sink_.at(n, r.key("date"), "expected \"MM-DD\", found " + toml_read::type_name(n));
            return false;
        }
        const auto md = read_month_day(s->get());
        if (!md) {
            sink_.at(n, r.key("date"), "'" + s->get() + "' is not a month and day \"MM-DD\", e.g. \"07-14\"");
            return false;
        }
        if (!md->ok() || *md == date::February / date::day{29}) {
            sink_.at(n, r.key("date"),
                     "'" + s->get() + "' is not a day of every year" +
                         (md->ok() ? ": 29 February comes once in four years" : ""));
            return false;
        }
        h.fixed = *md;
        return true;
    }

    static std::string fixed_text(date::month_day md) {
        const auto m = static_cast<unsigned>(md.month()), d = static_cast<unsigned>(md.day());
        return std::string{static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10), '-',
                           static_cast<char>('0' + d / 10), static_cast<char>('0' + d % 10)};
    }

    Sink sink_;
    std::vector<toml_read::IdPlace> ids_;
    std::map<std::string, std::string> rules_;  // "07-14" or "easter 1" -> the path of the first holiday on it
};

}  // namespace

std::optional<date::sys_days> Holiday::in(date::year y) const noexcept {
    if (y < from || y > until) return std::nullopt;
    if (fixed) return date::sys_days{y / fixed->month() / fixed->day()};
    return date::sys_days{easter_sunday(y)} + date::days{after_easter};
}

const Holiday* HolidayCalendar::on(date::sys_days d) const noexcept {
    const date::year y = date::year_month_day{d}.year();
    for (const auto& h : holidays)
        if (h.in(y) == d) return &h;
    return nullptr;
}

std::vector<std::pair<date::sys_days, const Holiday*>> HolidayCalendar::of_year(date::year y) const {
    std::vector<std::pair<date::sys_days, const Holiday*>> out;
    for (const auto& h : holidays)
        if (const auto d = h.in(y)) out.emplace_back(*d, &h);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return out;
}

ParsedHolidays parse_holidays(std::string_view text) {
    ParsedHolidays out;
    const std::optional<toml::table> root = toml_read::parse(text, out.diagnostics);
    if (!root) return out;
    HolidayCalendar c;
    Reader(out.diagnostics).run(*root, c);
    std::stable_sort(out.diagnostics.begin(), out.diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    if (out.diagnostics.empty()) out.calendar = std::move(c);
    return out;
}

namespace {
// Monday first, as a French (and ISO) week is written.
constexpr std::array<std::pair<std::string_view, unsigned>, 7> weekday_names{{
    {"mon", 1}, {"tue", 2}, {"wed", 3}, {"thu", 4}, {"fri", 5}, {"sat", 6}, {"sun", 0}}};
}  // namespace

std::optional<Weekdays> parse_weekdays(std::string_view text, std::string* bad) {
    Weekdays out;
    if (text.empty() || text == "none") return out;
    while (true) {
        const std::size_t comma = text.find(',');
        const std::string_view name = text.substr(0, comma);
        const auto it = std::find_if(weekday_names.begin(), weekday_names.end(), [&](const auto& w) {
            return name.size() == 3 && std::equal(name.begin(), name.end(), w.first.begin(), [](char a, char b) {
                       return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
                   });
        });
        if (it == weekday_names.end() || out.has(date::weekday{it->second})) {
            if (bad) *bad = std::string(name);
            return std::nullopt;
        }
        out = out.with(date::weekday{it->second});
        if (comma == std::string_view::npos) return out;
        text.remove_prefix(comma + 1);
    }
}

std::string weekdays_text(Weekdays w) {
    std::string out;
    for (const auto& [name, day] : weekday_names) {
        if (!w.has(date::weekday{day})) continue;
        if (!out.empty()) out += ',';
        out += name;
    }
    return out;
}

Placement place(date::sys_days nominal, DateWindow window, const ClosedDays& closed) noexcept {
    if (!closed.closed(nominal)) return {nominal, false};
    // Outwards from the nominal date, the earlier side first at each distance.
    const auto before = (nominal - window.from).count(), after = (window.to - nominal).count();
    for (long n = 1; n <= std::max(before, after); ++n) {
        if (n <= before && !closed.closed(nominal - date::days{n})) return {nominal - date::days{n}, false};
        if (n <= after && !closed.closed(nominal + date::days{n})) return {nominal + date::days{n}, false};
    }
    return {nominal, true};
}

}  // namespace trialcal
