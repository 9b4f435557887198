#pragma once
// fmt formatters for the core's domain values: the one place that decides how
// a study day, a window or a date reads to a person.
#include "core/calendar.hpp"
#include "core/compliance.hpp"
#include "core/datetime.hpp"
#include "core/study_day.hpp"

#include <date/date.h>
#include <fmt/format.h>

namespace trialcal {

// A calendar date written as ISO 8601 (2027-03-01).
struct IsoDate {
    date::sys_days value;
};

}  // namespace trialcal

template <>
struct fmt::formatter<trialcal::IsoDate> : fmt::formatter<fmt::string_view> {
    auto format(trialcal::IsoDate d, format_context& ctx) const {
        char buf[16];
        const char* end = trialcal::iso_date_chars(d.value, buf);
        return fmt::formatter<fmt::string_view>::format(fmt::string_view(buf, static_cast<std::size_t>(end - buf)), ctx);
    }
};

// D15, D-3
template <>
struct fmt::formatter<trialcal::StudyDay> : fmt::formatter<fmt::string_view> {
    auto format(trialcal::StudyDay d, format_context& ctx) const {
        char buf[16];
        auto end = fmt::format_to_n(buf, sizeof buf, "D{}", d.count()).out;
        return fmt::formatter<fmt::string_view>::format(fmt::string_view(buf, static_cast<std::size_t>(end - buf)), ctx);
    }
};

// [-1, +1] as protocols write it; [0, 0] is "on the day".
template <>
struct fmt::formatter<trialcal::Window> : fmt::formatter<fmt::string_view> {
    auto format(trialcal::Window w, format_context& ctx) const {
        char buf[32];
        auto end = fmt::format_to_n(buf, sizeof buf, "[-{}, +{}]", w.before.count(), w.after.count()).out;
        return fmt::formatter<fmt::string_view>::format(fmt::string_view(buf, static_cast<std::size_t>(end - buf)), ctx);
    }
};

// 2027-03-14..2027-03-16, or the single date when the window is one day.
template <>
struct fmt::formatter<trialcal::DateWindow> : fmt::formatter<fmt::string_view> {
    auto format(trialcal::DateWindow w, format_context& ctx) const {
        char buf[32];
        auto end = w.from == w.to ? fmt::format_to_n(buf, sizeof buf, "{}", trialcal::IsoDate{w.from}).out
                                  : fmt::format_to_n(buf, sizeof buf, "{}..{}", trialcal::IsoDate{w.from},
                                                     trialcal::IsoDate{w.to})
                                        .out;
        return fmt::formatter<fmt::string_view>::format(fmt::string_view(buf, static_cast<std::size_t>(end - buf)), ctx);
    }
};

template <>
struct fmt::formatter<trialcal::EventKind> : fmt::formatter<fmt::string_view> {
    auto format(trialcal::EventKind k, format_context& ctx) const {
        return fmt::formatter<fmt::string_view>::format(k == trialcal::EventKind::visit ? "visit" : "dose", ctx);
    }
};

// Who gives a regimen's doses: "site" or "home", as the protocol file spells it.
template <>
struct fmt::formatter<trialcal::Setting> : fmt::formatter<fmt::string_view> {
    auto format(trialcal::Setting s, format_context& ctx) const {
        return fmt::formatter<fmt::string_view>::format(s == trialcal::Setting::home ? "home" : "site", ctx);
    }
};

// What an extra administration was near, as reports print it:
// "second dose on 03-05", "3 days after IL2-D5's window, beyond reach".
template <>
struct fmt::formatter<trialcal::Extra> : fmt::formatter<std::string_view> {
    auto format(const trialcal::Extra& x, format_context& ctx) const {
        const date::year_month_day ymd{x.date};
        std::string s;
        if (!x.near) {
            s = "no planned dose of this product";
        } else if (x.within_reach && x.near_record) {
            s = fmt::format("second dose on {:02}-{:02}", static_cast<unsigned>(ymd.month()),
                            static_cast<unsigned>(ymd.day()));
        } else if (x.within_reach) {
            // The dose was closed to it (skipped, held, cancelled, or taken by a
            // record that named it) or matching it would have crossed time order.
            s = fmt::format("within reach of {}, not matched to it", x.near->id);
        } else {
            const auto n = x.from_window.count() < 0 ? -x.from_window.count() : x.from_window.count();
            s = fmt::format("{} day{} {} {}'s window, beyond reach", n, n == 1 ? "" : "s",
                            x.from_window.count() < 0 ? "before" : "after", x.near->id);
        }
        return fmt::formatter<std::string_view>::format(s, ctx);
    }
};
