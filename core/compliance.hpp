#pragma once
// Compliance as shared/spec/compliance.md defines it: administrations matched
// to planned doses, the status of every planned event as of a date, and the
// figures a monitor signs. Pure: the as-of date and every record come in.
#include "core/calendar.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace trialcal {

// One recorded administration, not voided.
struct Administration {
    std::int64_t record = 0;          // record id
    std::string product;              // product id
    date::sys_days date;              // administered date, site-local
    std::int64_t at = 0;              // administered instant (UTC seconds): the matching order
    std::optional<std::string> event; // the planned event it names, if any
    std::optional<double> amount;     // in the product's unit; none: as planned
};

struct VisitRecord {
    std::int64_t record = 0;
    std::string event;
    date::sys_days date;
};

struct SkipRecord {
    std::int64_t record = 0;
    std::string event;
    std::string reason;
};

struct Records {
    std::vector<Administration> doses;  // in recorded order
    std::vector<VisitRecord> visits;
    std::vector<SkipRecord> skips;
};

enum class Status : unsigned char { on_time, early, late, missed, due, upcoming };

struct Outcome {
    const Event* event = nullptr;
    Status status = Status::upcoming;
    std::optional<std::int64_t> record;   // the matched administration or visit record
    std::optional<date::sys_days> date;   // when it happened
    bool skipped = false;
    std::string skip_reason;
    bool wrong_dose = false;
};

struct Figures {
    int planned = 0;
    int expected = 0;
    int given = 0;  // "done" for visits
    int on_time = 0;
    int early = 0;
    int late = 0;
    int missed = 0;
    int skipped = 0;
    int unscheduled = 0;
    int wrong_dose = 0;

    // 100 x given / expected, to one decimal; none when nothing is expected yet.
    [[nodiscard]] std::optional<double> compliance_pct() const noexcept;
    [[nodiscard]] std::optional<double> on_time_pct() const noexcept;
    Figures& operator+=(const Figures& o) noexcept;
};

struct ProductCompliance {
    std::string product;                     // product id
    Figures figures;
    std::vector<Outcome> events;             // one per planned dose, calendar order
    std::vector<std::int64_t> unscheduled;   // administrations matched to nothing
};

struct Compliance {
    std::vector<ProductCompliance> doses;  // in the order products first appear in the plan
    Figures visits;
    std::vector<Outcome> visit_events;

    // The outcome of one planned event of the judged calendar; none if not in it.
    [[nodiscard]] const Outcome* outcome(const Event* e) const noexcept;
};

// Matches administrations to planned doses (the spec's four rules). Returns
// one Match per administration dated on or before `as_of`, in matching order
// (administered time; ties in recorded order): the index in `plan.events` it
// is matched to, or none when unscheduled. Exposed so that `dose` can say
// what a new record matched; look results up by record id.
struct Match {
    std::int64_t record;
    std::optional<std::size_t> event;  // index into plan.events
};
[[nodiscard]] std::vector<Match> match_doses(const Calendar& plan, const Records& records, date::sys_days as_of);

[[nodiscard]] Compliance judge(const Calendar& plan, const Records& records, date::sys_days as_of);

// Rounds to one decimal, half away from zero, as the reports print.
[[nodiscard]] double round1(double v) noexcept;

}  // namespace trialcal
