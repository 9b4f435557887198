#pragma once
// Compliance as docs/compliance.md (version 2) states it: administrations
// matched to planned doses (named first, then the one best matching), the
// status of every planned event as of a date, and the figures a monitor
// signs. Pure: the as-of date and every record come in.
#include "core/calendar.hpp"

#include <chrono>
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
    // The site's wall time it was given at (its date is `date`): slots and
    // distances are measured on the wall clock. None: only the date is
    // known, taken as noon.
    std::optional<date::local_time<std::chrono::minutes>> local;
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

// The last day of a hold given no end: it lasts until resumed
// (core/course.hpp closes it on the day before).
inline constexpr date::sys_days until_resumed{date::year{9999} / 12 / 31};

// The investigator interrupted a product from `first` to `last` (inclusive):
// its planned doses dated inside are held, neither expected nor missed.
struct HoldRecord {
    std::int64_t record = 0;
    std::string product;
    date::sys_days first;
    date::sys_days last = until_resumed;
    std::string reason;
};

// The end of an open hold: the product is given again from `on`.
struct ResumeRecord {
    std::int64_t record = 0;
    std::string product;
    date::sys_days on;
};

// A planned event that will not happen: treatment discontinued or patient
// withdrawn. Not expected, not missed. `by` is the status record.
struct CancelRecord {
    std::string event;
    std::string reason;
    std::int64_t by = 0;
};

// The patient's course (course.md, Status): treatment discontinued (its
// doses after `on` cancelled, visits go on) or the patient withdrawn (every
// event after `on` cancelled, the early-termination visit added).
enum class StatusChange : unsigned char { discontinued, withdrawn };
struct StatusRecord {
    std::int64_t record = 0;
    StatusChange change = StatusChange::discontinued;
    date::sys_days on;
    std::string reason;
    bool lost_to_follow_up = false;
};

// An investigator's dose change: the planned amount of `product` from `from`.
struct DoseChangeRecord {
    std::int64_t record = 0;
    std::string product;
    date::sys_days from;
    double amount = 0;  // in the product's unit
};

// A body weight measured on `on`: weight-based doses from then on follow it.
struct WeightRecord {
    std::int64_t record = 0;
    date::sys_days on;
    double kg = 0;
};

// A visit the protocol does not plan: listed, never counted.
struct UnscheduledVisit {
    std::int64_t record = 0;
    date::sys_days date;
    std::string name;
    std::string reason;
};

struct Records {
    std::vector<Administration> doses;  // in recorded order
    std::vector<VisitRecord> visits;
    std::vector<SkipRecord> skips;
    std::vector<HoldRecord> holds;
    std::vector<CancelRecord> cancelled;  // made by follow_course() from `status`
    // The course, in recorded order (core/course.hpp reads them).
    std::vector<ResumeRecord> resumes;
    std::vector<StatusRecord> status;
    std::vector<DoseChangeRecord> dose_changes;
    std::vector<WeightRecord> weights;
    std::vector<UnscheduledVisit> unscheduled;
};

enum class Status : unsigned char { on_time, early, late, missed, due, upcoming, held, cancelled };

struct Outcome {
    const Event* event = nullptr;
    Status status = Status::upcoming;
    std::optional<std::int64_t> record;   // the matched administration or visit record
    std::optional<date::sys_days> date;   // when it happened
    bool skipped = false;
    std::string skip_reason;
    std::string reason;  // why held or cancelled
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
    int extra = 0;  // administrations matched to no planned dose (version 1: "unscheduled")
    int wrong_dose = 0;
    int held = 0;
    int cancelled = 0;

    // 100 x given / expected, to one decimal; none when nothing is expected yet.
    [[nodiscard]] std::optional<double> compliance_pct() const noexcept;
    [[nodiscard]] std::optional<double> on_time_pct() const noexcept;
    Figures& operator+=(const Figures& o) noexcept;
};

// An administration matched to no planned dose, with what it was near, so a
// report can say "second dose on 03-05" or "3 days after IL2-D5's window,
// beyond reach".
struct Extra {
    std::int64_t record = 0;
    date::sys_days date;                      // its site-local date
    const Event* near = nullptr;              // the product's planned dose nearest on the wall clock; none if no dose
    date::days from_window{0};                // days before (< 0) or after (> 0) near's window; 0 inside it
    bool within_reach = false;                // dated where it could have been matched to near
    std::optional<std::int64_t> near_record;  // the administration matched to near, if any
};

struct ProductCompliance {
    std::string product;        // product id
    Figures figures;
    std::vector<Outcome> events;  // one per planned dose, calendar order
    std::vector<Extra> extra;     // administrations matched to nothing, in time order
};

struct Compliance {
    std::vector<ProductCompliance> doses;  // in the order products first appear in the plan
    Figures visits;
    std::vector<Outcome> visit_events;

    // The outcome of one planned event of the judged calendar; none if not in it.
    [[nodiscard]] const Outcome* outcome(const Event* e) const noexcept;
};

// How an administration stands to one planned dose (compliance.md: slots).
enum class Reach : unsigned char { on_time, within, beyond };
struct Fit {
    Reach reach = Reach::beyond;
    std::int64_t distance = 0;  // minutes between wall time and nominal time, >= 0
    bool before = false;        // given before the nominal time
};
[[nodiscard]] Fit fit(const Event& dose, const Administration& a) noexcept;

// Matches administrations to planned doses: named first, then the best
// matching of the rest (docs/compliance.md). Returns one Match per
// administration dated on or before `as_of`, in time order (administered
// instant; ties in recorded order): the index in `plan.events` it is matched
// to, or none when extra. Exposed so that `dose` can say what a new record
// matched; look results up by record id.
struct Match {
    std::int64_t record;
    std::optional<std::size_t> event;  // index into plan.events
};
[[nodiscard]] std::vector<Match> match_doses(const Calendar& plan, const Records& records, date::sys_days as_of);

[[nodiscard]] Compliance judge(const Calendar& plan, const Records& records, date::sys_days as_of);

// Rounds to one decimal, half away from zero, as the reports print.
[[nodiscard]] double round1(double v) noexcept;

}  // namespace trialcal
