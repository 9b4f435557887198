#pragma once
// Public holiday calendars and the days a site is closed (course.md, Sites).
// A country's holidays come from a data file (calendars/holidays/CC.toml):
// fixed dates, and dates counted from Easter Sunday, which is computed,
// never typed year by year. Parsed from text like a protocol: the core
// opens no file, and every problem is a Diagnostic at its line and column.
#include "core/diagnostic.hpp"
#include "core/study_day.hpp"

#include <date/date.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trialcal {

// Easter Sunday of Gregorian year `y` (the anonymous Gregorian computus of
// the 1876 Nature letter, as Meeus gives it): exact for every year from
// 1583 on.
[[nodiscard]] constexpr date::year_month_day easter_sunday(date::year y) noexcept {
    const int year = static_cast<int>(y);
    const int a = year % 19, b = year / 100, c = year % 100;
    const int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
    const int h = (19 * a + b - d - g + 15) % 30;
    const int i = c / 4, k = c % 4;
    const int l = (32 + 2 * e + 2 * i - h - k) % 7;
    const int m = (a + 11 * h + 22 * l) / 451;
    const int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
    return {y, date::month{static_cast<unsigned>(month)}, date::day{static_cast<unsigned>(day)}};
}

// The years a holiday calendar covers: those every date of a calendar lies in.
inline constexpr date::year first_holiday_year{1900};
inline constexpr date::year last_holiday_year{2199};

struct Holiday {
    std::string id;    // "easter-monday"
    std::string name;  // "Lundi de Pâques"
    // A fixed month and day, or else a number of days after Easter Sunday.
    std::optional<date::month_day> fixed;
    int after_easter = 0;
    // The years it is kept, both included.
    date::year from = first_holiday_year;
    date::year until = last_holiday_year;

    // Its date in year `y`; none when it is not kept that year.
    [[nodiscard]] std::optional<date::sys_days> in(date::year y) const noexcept;
};

struct HolidayCalendar {
    std::string country;  // ISO 3166-1 alpha-2: "FR"
    std::string name;
    std::vector<Holiday> holidays;  // in file order

    // The holiday falling on `d` (the first in file order), if any.
    [[nodiscard]] const Holiday* on(date::sys_days d) const noexcept;
    // Every holiday of year `y`, by date (a date two holidays share, twice).
    [[nodiscard]] std::vector<std::pair<date::sys_days, const Holiday*>> of_year(date::year y) const;
};

struct ParsedHolidays {
    std::optional<HolidayCalendar> calendar;  // set only when diagnostics is empty
    Diagnostics diagnostics;                  // every problem found, in file order
};

[[nodiscard]] ParsedHolidays parse_holidays(std::string_view text);

// The weekdays a site is closed on, one bit each (Sunday bit 0, as
// date::weekday counts them).
class Weekdays {
public:
    constexpr Weekdays() noexcept = default;
    [[nodiscard]] static constexpr Weekdays weekend() noexcept {
        return Weekdays{}.with(date::Saturday).with(date::Sunday);
    }
    [[nodiscard]] constexpr Weekdays with(date::weekday d) const noexcept {
        return Weekdays(static_cast<std::uint8_t>(bits_ | (1u << d.c_encoding())));
    }
    [[nodiscard]] constexpr bool has(date::weekday d) const noexcept { return (bits_ >> d.c_encoding()) & 1u; }
    [[nodiscard]] constexpr bool all() const noexcept { return bits_ == 0x7f; }
    friend constexpr bool operator==(Weekdays, Weekdays) noexcept = default;

private:
    constexpr explicit Weekdays(std::uint8_t bits) noexcept : bits_(bits) {}
    std::uint8_t bits_ = 0;
};

// Closed weekdays as a site lists them: "sat,sun", three-letter English
// abbreviations in any case and order, "" or "none" for none. None when a
// name is not a weekday (or given twice): `bad` is then set to it.
[[nodiscard]] std::optional<Weekdays> parse_weekdays(std::string_view text, std::string* bad = nullptr);
// The canonical text of a set: "mon,…,sun" order, "" for none.
[[nodiscard]] std::string weekdays_text(Weekdays w);

// The days a site does not work: its closed weekdays and its country's
// holidays (none when `holidays` is null). `holidays` outlives this.
class ClosedDays {
public:
    constexpr ClosedDays() noexcept = default;
    constexpr ClosedDays(Weekdays weekdays, const HolidayCalendar* holidays) noexcept
        : weekdays_(weekdays), holidays_(holidays) {}
    [[nodiscard]] bool closed(date::sys_days d) const noexcept {
        return weekdays_.has(date::weekday{d}) || (holidays_ && holidays_->on(d));
    }

private:
    Weekdays weekdays_;
    const HolidayCalendar* holidays_ = nullptr;
};

// Where an event done at the site takes place (course.md, Placement): its
// nominal date when the site is open that day; else the open day nearest to
// it inside its window, the earlier of two as near; else, when the window
// holds no open day, the nominal date marked as a closed day. The nominal
// date and window themselves never change: compliance is judged on them.
struct Placement {
    date::sys_days date;
    bool closed_day = false;  // no open day in the window: it stays, on a closed day
    friend constexpr bool operator==(Placement, Placement) noexcept = default;
};

[[nodiscard]] Placement place(date::sys_days nominal, DateWindow window, const ClosedDays& closed) noexcept;

}  // namespace trialcal
