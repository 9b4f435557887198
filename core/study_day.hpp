#pragma once
// The calendar's vocabulary: a study day (Dn, counted from day 0), a window
// around a nominal date, and the dates they become for one patient.
#include <date/date.h>

#include <compare>

namespace trialcal {

// Dn: calendar days after the patient's day 0. A point, not a duration.
class StudyDay {
public:
    constexpr StudyDay() noexcept = default;
    constexpr explicit StudyDay(int n) noexcept : n_(n) {}
    [[nodiscard]] constexpr int count() const noexcept { return n_; }
    [[nodiscard]] constexpr date::sys_days on(date::sys_days day0) const noexcept {
        return day0 + date::days{n_};
    }
    constexpr StudyDay& operator+=(date::days d) noexcept {
        n_ += static_cast<int>(d.count());
        return *this;
    }
    friend constexpr StudyDay operator+(StudyDay s, date::days d) noexcept { return s += d; }
    friend constexpr date::days operator-(StudyDay a, StudyDay b) noexcept {
        return date::days{a.n_ - b.n_};
    }
    friend constexpr auto operator<=>(StudyDay, StudyDay) noexcept = default;

private:
    int n_ = 0;
};

// The dates on which an event still counts as on time.
struct DateWindow {
    date::sys_days from;
    date::sys_days to;
    [[nodiscard]] constexpr bool contains(date::sys_days d) const noexcept {
        return from <= d && d <= to;
    }
    friend constexpr bool operator==(DateWindow, DateWindow) noexcept = default;
};

// Tolerance around a nominal date: on time from `before` days before it to
// `after` days after it, inclusive. [0, 0] means on the day itself.
struct Window {
    date::days before{0};
    date::days after{0};
    [[nodiscard]] constexpr DateWindow around(date::sys_days nominal) const noexcept {
        return {nominal - before, nominal + after};
    }
    friend constexpr bool operator==(Window, Window) noexcept = default;
};

}  // namespace trialcal
