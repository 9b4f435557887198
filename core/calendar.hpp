#pragma once
// A protocol version expanded for one patient: every planned visit and dose
// with its nominal date and window.
#include "core/protocol.hpp"
#include "core/result.hpp"
#include "core/study_day.hpp"

#include <date/date.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace trialcal {

enum class EventKind : unsigned char { visit, dose };

struct Event {
    std::string id;  // stable within a protocol version: "V-D15", "CSA-D3-PM"
    EventKind kind = EventKind::visit;
    StudyDay day;
    date::sys_days date;
    DateWindow window;
    // Visits
    std::string name;
    std::vector<std::string> procedures;
    // Doses
    std::string product;               // product id
    std::string drug;                  // what the viewer may see: drug, "placebo" or blinded label
    std::optional<double> amount;      // none when unknown to the viewer
    std::string unit;
    std::string route;
    std::string intake;                // "AM", "PM"; empty for once a day
    // Nominal time of day (site wall clock): the intake's time, or noon.
    TimeOfDay time = noon;
    // The same day's neighbouring intake times: an administration is in this
    // dose's slot when its time of day is nearer this one than either (a tie
    // goes to the earlier intake). None: no intake on that side.
    std::optional<TimeOfDay> time_before;
    std::optional<TimeOfDay> time_after;
    // Whole days before / after the window within which an administration
    // can still be matched to the dose (compliance.md: reach).
    date::days early_limit{0};
    date::days late_limit{0};
    Setting setting = Setting::site;
    bool blinded = false;
    // The event whose date this one's nominal date counts from (course.md,
    // Anchors): "ILT101-D63". None: from day 0, and for the anchor of a
    // regimen anchored on one of its own doses (it never counts from itself).
    std::optional<std::string> anchor;
    // Times the event was moved since enrollment (shift, re-projection,
    // placement): calendar feeds send it as the iCalendar SEQUENCE so clients update, not duplicate.
    int sequence = 0;
    // The open day a site event takes place on when its nominal date is a
    // day the site is closed (core/placement.hpp); none: on its nominal date.
    std::optional<date::sys_days> placed;
    // Its window holds no open day: it stays on a closed day.
    bool closed_day = false;
    // The early-termination visit a withdrawal added: its day counts from
    // the withdrawal date, not day 0 (course.md, Status).
    bool early_termination = false;
    // A visit the protocol does not plan (its id is its record's, "R12"):
    // listed on calendars, never judged.
    bool unscheduled = false;

    // The day it takes place on: the placed date, else the nominal one.
    [[nodiscard]] constexpr date::sys_days on() const noexcept { return placed.value_or(date); }

    // The window widened by the early/late limits.
    [[nodiscard]] constexpr DateWindow reach() const noexcept {
        return {window.from - early_limit, window.to + late_limit};
    }
};

struct Calendar {
    std::string protocol;
    std::string version;
    std::optional<std::string> arm;     // canonical arm id; none: no arm given or single group
    std::optional<std::string> cohort;  // canonical cohort id
    bool blinded = false;               // arms hidden from this view
    date::sys_days day0;
    std::vector<Event> events;          // by date, visits before doses on a date
};

struct CalendarRequest {
    date::sys_days day0;
    std::optional<std::string> arm;
    std::optional<std::string> cohort;
    std::optional<double> weight_kg;
};

enum class CalendarErrc : unsigned char {
    unknown_arm,
    unknown_cohort,
    cohort_required,
    cohort_not_applicable,
    arm_not_applicable,
    weight_required,
    weight_out_of_range,
    date_out_of_range,  // day 0, or a date its calendar plans, outside valid_dates
};

struct CalendarError {
    CalendarErrc code;
    std::string value;    // the value at fault, as given
    std::string message;  // says what is valid
};

// One planned event as expansion makes it: kind, study day, date and window,
// and the visit or regimen of the protocol it comes from, which holds the
// rest (name, drug, route). Trivially copyable: a whole trial network's
// calendars expand without allocating per event (bench/: instructions per event).
struct PlannedEvent {
    EventKind kind = EventKind::visit;
    std::uint16_t intake = 0;  // index into the regimen's intakes; 0 when once a day
    std::uint32_t source = 0;  // index into Protocol::visits (visit) or Protocol::regimens (dose)
    StudyDay day;
    date::sys_days date;
    DateWindow window;
};

// Every intake index fits: the parser refuses more than max_intakes_per_day.
static_assert(max_intakes_per_day <= UINT16_MAX);

// A patient's validated choices: the arm, the cohort, the weight.
struct Selection {
    const Arm* arm = nullptr;        // none: no arm given, or single group
    const Cohort* cohort = nullptr;  // none: the protocol has no cohorts
    std::optional<double> weight_kg;
};

// What one dose of a regimen is for one patient: drug name and amount.
struct Dose {
    std::string drug;
    std::optional<double> amount;  // none when unknown without the arm
    std::string unit;
};

// Heaviest body weight, in kg, that a weight-based dose is computed for.
inline constexpr double max_weight_kg = 350.0;

// A dose's event id: "IL2-D3", or "CSA-D3-PM" with an intake. The parser
// checks with it that every calendar's ids are unique.
[[nodiscard]] std::string dose_event_id(std::string_view product, StudyDay day, std::string_view intake);

// Writes the id of `e` into `out` (replacing its content): the visit's id,
// or dose_event_id(). Reusing `out` keeps bulk writers from allocating.
void write_event_id(std::string& out, const Protocol& p, const PlannedEvent& e);

// Checks arm, cohort and weight against the protocol, and that day 0 and
// every date of the calendar (nominal dates and windows) are in valid_dates.
[[nodiscard]] Result<Selection, CalendarError> select(const Protocol& p, const CalendarRequest& r);

// The patient's planned events into `out` (cleared first, capacity kept), in
// calendar order: by date, visits before doses, then file order.
void schedule(const Protocol& p, const Selection& s, date::sys_days day0, std::vector<PlannedEvent>& out);

// The dose regimen `r` gives this patient (placebo, arm amount, mg/kg).
[[nodiscard]] Dose dose_for(const Protocol& p, const Regimen& r, const Selection& s);

// The event `pe` of `p` is, as expand() makes it: `doses` is dose_for() of
// each regimen, by index. A store that keeps plans as Events builds them so.
[[nodiscard]] Event event_of(const Protocol& p, const PlannedEvent& pe, std::span<const Dose> doses);

// What a dose's regimen says of its slot and reach: the intake's nominal time
// and its neighbours', the early and late limits, the setting.
void set_regimen_timing(Event& dose, const Regimen& r, std::size_t intake) noexcept;

// A stored plan keeps dates and windows, not the regimen each dose came from:
// gives every dose of `c` the timing of its regimen in `p` (same product,
// applying to the calendar's cohort, planning the dose's study day, with an
// intake of that name). A dose that no regimen of `p` plans (one kept from an
// earlier protocol version by an amendment) keeps noon, no limits, site.
void attach_regimens(Calendar& c, const Protocol& p) noexcept;

// The regimen of `p` that plans dose `e` for a patient in `cohort` ("" without
// cohorts), and the index of its intake; none for a visit, or a dose no
// regimen of `p` plans.
struct RegimenIntake {
    const Regimen* regimen = nullptr;
    std::size_t intake = 0;
};
[[nodiscard]] RegimenIntake regimen_of(const Protocol& p, const Event& e, std::string_view cohort) noexcept;

// One dose of a weight-based regimen for a body weight, rounded as the
// regimen says (to what can be dispensed).
[[nodiscard]] double per_kg_amount(const Regimen& r, double weight_kg) noexcept;

// Expands `p` for one patient. Without an arm, arm-dependent amounts are unknown.
[[nodiscard]] Result<Calendar, CalendarError> expand(const Protocol& p, const CalendarRequest& r);

// What a stored plan holds for a dose of `r`: for a blinded product, the
// blinded label and the handled volume (the same in every arm, so the stored
// plan tells no arm apart); otherwise dose_for().
[[nodiscard]] Dose stored_dose(const Protocol& p, const Regimen& r, const Selection& s);

// The reverse of blind() for one patient: each blinded product's dose shows
// the drug and amount of the arm in `s` (placebo included). Used only once
// the arm was unsealed with the trial's private key.
[[nodiscard]] Calendar unblind(Calendar c, const Protocol& p, const Selection& s);

// The same calendar as a blinded user must see it: every blinded product's
// dose shows the blinded label and handled volume only, and the arm is hidden.
// A calendar of an unblinded protocol comes back unchanged.
[[nodiscard]] Calendar blind(Calendar c, const Protocol& p);

// The protocol's early-termination visit ([[visits]] early_termination =
// true), or null when it has none. Not part of the plan: a withdrawal adds it.
[[nodiscard]] const Visit* early_termination_visit(const Protocol& p) noexcept;

// The early-termination visit `v` of `p` as the event a withdrawal on
// `withdrawn_on` adds (course.md, Status): dated withdrawn_on + its day, with
// its window, name and procedures, made as expand() makes every visit. Its
// day stays the visit's own, counted from the withdrawal date. The caller
// checks the dates against valid_dates, as select() does for a plan.
[[nodiscard]] Event early_termination_event(const Protocol& p, const Visit& v, date::sys_days withdrawn_on);

// Number of dose events of one product.
[[nodiscard]] std::size_t count_doses(const Calendar& c, std::string_view product) noexcept;
[[nodiscard]] std::size_t count_visits(const Calendar& c) noexcept;

}  // namespace trialcal
