#pragma once
// How Boost.Test prints the core's values when a check fails: sys_days lives
// in std::chrono, and enums and optionals have no operator<< for ADL to find.
#include "core/calendar.hpp"
#include "core/compliance.hpp"

#include <boost/test/unit_test.hpp>
#include <date/date.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace boost::test_tools::tt_detail {
template <>
struct print_log_value<date::sys_days> {
    void operator()(std::ostream& os, const date::sys_days& d) const { os << date::year_month_day{d}; }
};
template <>
struct print_log_value<std::optional<double>> {
    void operator()(std::ostream& os, const std::optional<double>& v) const {
        if (v) os << *v; else os << "(none)";
    }
};
template <>
struct print_log_value<std::optional<std::string>> {
    void operator()(std::ostream& os, const std::optional<std::string>& v) const {
        if (v) os << '"' << *v << '"'; else os << "(none)";
    }
};
template <>
struct print_log_value<trialcal::CalendarErrc> {
    void operator()(std::ostream& os, trialcal::CalendarErrc e) const {
        switch (e) {
        case trialcal::CalendarErrc::unknown_arm: os << "unknown_arm"; return;
        case trialcal::CalendarErrc::unknown_cohort: os << "unknown_cohort"; return;
        case trialcal::CalendarErrc::cohort_required: os << "cohort_required"; return;
        case trialcal::CalendarErrc::cohort_not_applicable: os << "cohort_not_applicable"; return;
        case trialcal::CalendarErrc::arm_not_applicable: os << "arm_not_applicable"; return;
        case trialcal::CalendarErrc::weight_required: os << "weight_required"; return;
        case trialcal::CalendarErrc::weight_out_of_range: os << "weight_out_of_range"; return;
        case trialcal::CalendarErrc::date_out_of_range: os << "date_out_of_range"; return;
        }
        os << "CalendarErrc(" << static_cast<int>(e) << ")";
    }
};
template <>
struct print_log_value<trialcal::EventKind> {
    void operator()(std::ostream& os, trialcal::EventKind k) const {
        os << (k == trialcal::EventKind::visit ? "visit" : "dose");
    }
};
template <>
struct print_log_value<trialcal::Status> {
    void operator()(std::ostream& os, trialcal::Status s) const {
        switch (s) {
        case trialcal::Status::on_time: os << "on_time"; return;
        case trialcal::Status::early: os << "early"; return;
        case trialcal::Status::late: os << "late"; return;
        case trialcal::Status::missed: os << "missed"; return;
        case trialcal::Status::due: os << "due"; return;
        case trialcal::Status::upcoming: os << "upcoming"; return;
        case trialcal::Status::held: os << "held"; return;
        case trialcal::Status::cancelled: os << "cancelled"; return;
        }
        os << "Status(" << static_cast<int>(s) << ")";
    }
};
template <>
struct print_log_value<std::optional<std::int64_t>> {
    void operator()(std::ostream& os, const std::optional<std::int64_t>& v) const {
        if (v) os << 'R' << *v; else os << "(none)";
    }
};
template <>
struct print_log_value<std::optional<date::sys_days>> {
    void operator()(std::ostream& os, const std::optional<date::sys_days>& v) const {
        if (v) os << date::year_month_day{*v}; else os << "(none)";
    }
};
template <>
struct print_log_value<std::vector<std::int64_t>> {
    void operator()(std::ostream& os, const std::vector<std::int64_t>& v) const {
        os << '{';
        for (std::size_t i = 0; i < v.size(); ++i) os << (i ? ", R" : "R") << v[i];
        os << '}';
    }
};
}  // namespace boost::test_tools::tt_detail
