#pragma once
// fmt formatters for the core's domain values: the one place that decides how
// a study day, a window or a date reads to a person.
#include "core/calendar.hpp"
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
        const date::year_month_day ymd{d.value};
        char buf[16];
        auto end = fmt::format_to_n(buf, sizeof buf, "{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                                    static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()))
                       .out;
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
