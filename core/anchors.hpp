#pragma once
// Anchors (course.md): an anchored visit or regimen counts its nominal dates
// from another planned event's date instead of day 0, so that what actually
// happened (a first injection given late) moves what depends on it.
// Re-projection is pure: it reads a calendar and the dates of records, and
// says which events move where; the store writes the moves and audits them.
#include "core/calendar.hpp"
#include "core/protocol.hpp"
#include "core/result.hpp"
#include "core/study_day.hpp"

#include <date/date.h>

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace trialcal {

// The visit or regimen of a protocol that plans an event.
struct EventSource {
    EventKind kind = EventKind::visit;
    std::size_t index = 0;  // into Protocol::visits or Protocol::regimens
    friend constexpr bool operator==(EventSource, EventSource) noexcept = default;
};

// Which visit or regimen of `p` plans event `id` ("V-D67", "ILT101-D63",
// "CSA-D1-AM") in the calendar of a patient in `cohort` ("" without
// cohorts); none when no calendar of that cohort has it. Read from the id,
// without expanding: the parser asks it for every anchor of every cohort.
[[nodiscard]] std::optional<EventSource> planned_by(const Protocol& p, std::string_view cohort,
                                                    std::string_view id) noexcept;

// The study day of planned event `id` and what plans it, in the calendar
// of any cohort: for the exports that show what counts from what (ODM,
// FHIR). None: no calendar of `p` plans it.
struct PlannedDay {
    StudyDay day;
    EventSource source;
};
[[nodiscard]] std::optional<PlannedDay> planned_day(const Protocol& p, std::string_view id) noexcept;

// planned_by() for many ids of one cohort's calendar: the visits indexed by
// id and the regimens by product once, so that a file of thousands of
// anchored visits is checked, and a calendar re-projected, in linear time.
class EventSources {
public:
    EventSources(const Protocol& p, std::string_view cohort);
    [[nodiscard]] std::optional<EventSource> operator()(std::string_view id) const noexcept;

private:
    const Protocol& p_;
    std::string cohort_;
    std::unordered_map<std::string_view, std::size_t> visits_;                 // id -> index
    std::unordered_map<std::string_view, std::vector<std::size_t>> regimens_;  // product -> indices
};

// The id of the event that event `id` counts from in a calendar of `cohort`:
// its visit's or regimen's anchor, except for the anchor dose itself (an
// event never counts from itself). Null: it counts from day 0.
[[nodiscard]] const std::string* anchor_of(const Protocol& p, std::string_view cohort, std::string_view id) noexcept;

// Whether any visit or regimen of `p` names an anchor: only then can a
// record move anything (and a protocol's tables show what counts from what).
[[nodiscard]] bool has_anchors(const Protocol& p) noexcept;

// A stored plan keeps dates and windows, not the protocol's anchors: gives
// every event of `c` the anchor `p` names for it (anchor_of), or none.
void attach_anchors(Calendar& c, const Protocol& p);

// The date each event with a record actually happened on, by event id.
using ActualDates = std::map<std::string, date::sys_days, std::less<>>;

// One event moved by re-projection: from its stored date to its new one,
// the window moved by as many days (iCalendar SEQUENCE goes up by one).
struct Move {
    std::string event;
    date::sys_days from;
    date::sys_days to;
    DateWindow window;  // the new window
    friend bool operator==(const Move&, const Move&) = default;
};

enum class ReprojectionErrc : unsigned char {
    anchor_loop,        // only a protocol the parser did not check can loop
    date_out_of_range,  // a moved date outside valid_dates
};

struct ReprojectionError {
    ReprojectionErrc code;
    std::string event;    // an event at fault
    std::string message;
};

// Where the anchored events of `c` go when the records' dates change from
// `before` to `after` (a record written: one date more; voided: one less).
//
// An event's projection is day 0 + its day, or, anchored, its anchor's date +
// (its day - the anchor's day), where the anchor's date is its record's
// date when it has one, else the anchor's own projection. Chains resolve in
// dependency order (anchors before what counts from them), in one pass.
//
// Every anchored event without a record in `after` moves by its projection
// under `after` minus its projection under `before`: new date = stored date +
// that difference, and so does its window. The stored date keeps whatever a
// `shift` added to the projection then, so a shifted event moves from its
// re-projected date by its shift, and a shift never moves other events (only
// records do). An event with a record keeps its date. Events whose anchor
// is not in `c` (a plan kept from another version) keep theirs.
//
// The moves come in calendar order; none when nothing moves.
[[nodiscard]] Result<std::vector<Move>, ReprojectionError> reproject(const Protocol& p, const Calendar& c,
                                                                     const ActualDates& before,
                                                                     const ActualDates& after);

// Writes `moves` into `c`: each event's date and window, its sequence up by
// one (calendar feeds update it), and the calendar back in calendar order.
void apply_moves(Calendar& c, std::span<const Move> moves);

}  // namespace trialcal
