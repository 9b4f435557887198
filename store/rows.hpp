#pragma once
// Reading the store's rows into the trial's values, the same for every
// engine: each engine runs its own SQL for the columns named here and hands
// its rows over through a row reader with step(), is_null(i), text(i) (a
// view, "" for NULL), integer(i), integer64(i) and real(i).
#include "core/calendar.hpp"
#include "core/compliance.hpp"
#include "core/datetime.hpp"
#include "store/audit.hpp"
#include "store/sql_text.hpp"
#include "store/store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace trialcal::store {

// A visit's procedures in one column.
inline std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : "\x1f") + x;  // unit separator: procedures may hold commas
    return s;
}

inline std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    if (s.empty()) return out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= s.size(); ++i)
        if (i == s.size() || s[i] == '\x1f') {
            out.push_back(s.substr(start, i - start));
            start = i + 1;
        }
    return out;
}

// Seconds since the epoch of a stored "YYYY-MM-DDTHH:MM:SSZ".
inline std::int64_t utc_seconds(std::string_view s) noexcept {
    if (s.size() < 19) return 0;
    const auto two = [&](std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); };
    const date::sys_seconds t = from_iso(s.substr(0, 10)) + std::chrono::hours{two(11)} +
                                std::chrono::minutes{two(14)} + std::chrono::seconds{two(17)};
    return t.time_since_epoch().count();
}

// A plan's columns: the first 13 are what judging compliance needs, the rest
// only a calendar shows; the query adds `retired` after them.
inline constexpr char judging_columns[] =
    "event_id, kind, day, date, window_from, window_to, product, drug, amount, unit, sequence, ord, intake";
inline constexpr auto event_columns = join_sql(judging_columns, ", name, procedures, route, placed, closed_day");

// The first 13 columns are what judging compliance needs (11: ord, for
// sorting; 12: the intake, whose slot a dose is); the rest only a calendar shows. Filled in place: an Event is a
// dozen strings, and a report reads six million of them.
template <class Row>
void read_event(const Row& q, bool details, Event& e) {
    e.id = q.text(0);
    e.kind = q.text(1) == "visit" ? EventKind::visit : EventKind::dose;
    e.day = StudyDay{q.integer(2)};
    e.date = from_iso(q.text(3));
    e.window = {from_iso(q.text(4)), from_iso(q.text(5))};
    e.product = q.text(6);
    e.drug = q.text(7);
    if (!q.is_null(8)) e.amount = q.real(8);
    e.unit = q.text(9);
    e.sequence = q.integer(10);
    e.intake = q.text(12);
    if (!details) return;
    e.name = q.text(13);
    e.procedures = split(std::string(q.text(14)));
    e.route = q.text(15);
    if (!q.is_null(16)) e.placed = from_iso(q.text(16));
    e.closed_day = !q.is_null(17);
}

// Read in key order and sorted here: SQLite's sorter serialised every row
// of every plan once more. An event's revisions come together, oldest
// first: the newest is the plan, unless an amendment retired it. Sorted by
// index, then each event moved once.
template <class Rows>
Calendar plan_of(Rows& q, const Patient& p, bool details) {
    Calendar c;
    c.protocol = p.protocol;
    c.version = p.version;
    c.arm = p.arm;
    c.cohort = p.cohort;
    c.day0 = p.day0;
    std::vector<Event> events;
    events.reserve(64);
    struct Key {
        date::sys_days date;
        bool dose;
        int ord;
        std::uint32_t at;
    };
    std::vector<Key> keys;
    keys.reserve(64);
    const int retired_column = details ? 18 : 13;
    bool newest_retired = false;
    int newest_ord = 0;
    const auto keep_newest = [&] {
        if (events.empty() || keys.size() == events.size()) return;
        if (newest_retired) {
            events.pop_back();
            return;
        }
        keys.push_back({events.back().date, events.back().kind == EventKind::dose, newest_ord,
                        static_cast<std::uint32_t>(keys.size())});
    };
    while (q.step()) {
        if (!events.empty() && keys.size() < events.size() && events.back().id == q.text(0)) {
            events.back() = Event{};  // an older revision: this one replaces it
        } else {
            keep_newest();
            events.emplace_back();
        }
        read_event(q, details, events.back());
        newest_ord = q.integer(11);
        newest_retired = q.integer64(retired_column) != 0;
    }
    keep_newest();
    // Ties (two versions' ords after an amendment) keep key order, as SQLite's sorter did.
    std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
        return std::tie(a.date, a.dose, a.ord, a.at) < std::tie(b.date, b.dose, b.ord, b.at);
    });
    c.events.reserve(events.size());
    for (const Key& k : keys) c.events.push_back(std::move(events[k.at]));
    return c;
}

// Records with whether they are voided (a LEFT JOIN of void as v on r).
inline constexpr char record_columns[] =
    "r.id, r.patient, r.kind, r.event_id, r.at_local, r.at_utc, r.tz, r.date, r.product, r.amount, r.unit, r.kit, "
    "r.note, r.reason, r.recorded_at, r.recorded_by, CASE WHEN v.record IS NULL THEN 0 ELSE 1 END, v.reason, r.until, "
    "r.kg, "
    "r.lost_to_follow_up, r.name";

// A record row (the columns of record_columns) as stored.
template <class Row>
StoredRecord read_record(const Row& q) {
    StoredRecord r;
    r.id = q.integer64(0);
    r.patient = q.text(1);
    r.kind = record_kind(q.text(2));
    if (!q.is_null(3)) r.event = std::string(q.text(3));
    r.at_local = q.text(4);
    r.at_utc = q.text(5);
    r.tz = q.text(6);
    if (!q.is_null(7)) r.date = from_iso(q.text(7));
    r.product = q.text(8);
    if (!q.is_null(9)) r.amount = q.real(9);
    r.unit = q.text(10);
    r.kit = q.text(11);
    r.note = q.text(12);
    r.reason = q.text(13);
    r.recorded_at = q.text(14);
    r.recorded_by = q.text(15);
    r.voided = q.integer(16) != 0;
    r.void_reason = q.text(17);
    if (!q.is_null(18)) r.until = from_iso(q.text(18));
    if (!q.is_null(19)) r.kg = q.real(19);
    r.lost_to_follow_up = !q.is_null(20);
    r.name = q.text(21);
    return r;
}

// The columns of the patient query, in this order: id, protocol, current
// version and its file's SHA-256, site, current day 0, arm, sealed arm, key,
// randomisation number, cohort, weight, zone, why the enrollment was voided.
template <class Row>
Patient read_patient(const Row& q) {
    Patient p;
    p.id = q.text(0);
    p.protocol = q.text(1);
    p.version = q.text(2);
    p.protocol_sha256 = q.text(3);
    p.site = q.text(4);
    p.day0 = from_iso(q.text(5));
    if (!q.is_null(6)) p.arm = std::string(q.text(6));
    if (!q.is_null(7)) p.sealed_arm = std::string(q.text(7));
    if (!q.is_null(8)) p.key = q.integer64(8);
    if (!q.is_null(9)) p.randomization_number = std::string(q.text(9));
    if (!q.is_null(10)) p.cohort = std::string(q.text(10));
    if (!q.is_null(11)) p.weight_kg = q.real(11);
    p.tz = q.text(12);
    if (!q.is_null(13)) p.enrollment_voided = std::string(q.text(13));
    return p;
}

// A screening's values in one column: "id=number" pairs joined by the unit separator.
inline std::string screening_values_text(const std::vector<std::pair<std::string, double>>& values) {
    std::vector<std::string> pairs;
    for (const auto& [id, v] : values) pairs.push_back(fmt::format("{}={}", id, v));
    return join(pairs);
}

// A screening, its columns those of screening_columns (store/tables.hpp).
template <class Row>
Screening read_screening(const Row& q) {
    Screening s;
    s.id = q.integer64(0);
    s.patient = q.text(1);
    s.protocol = q.text(2);
    s.version = q.text(3);
    s.protocol_sha256 = q.text(4);
    s.site = q.text(5);
    s.on = from_iso(q.text(6));
    for (const std::string& pair : split(std::string(q.text(7)))) {
        const auto eq = pair.find('=');
        if (eq == std::string::npos) continue;
        double v = 0;
        std::from_chars(pair.data() + eq + 1, pair.data() + pair.size(), v);
        s.values.emplace_back(pair.substr(0, eq), v);
    }
    s.eligible = q.integer(8) != 0;
    s.at = q.text(9);
    s.by = q.text(10);
    return s;
}

// An audit row, its columns those of audit_columns (store/tables.hpp).
template <class Row>
AuditRow read_audit_row(const Row& q) {
    AuditRow r;
    r.seq = q.integer64(0);
    r.at = q.text(1);
    r.account = q.text(2);
    r.entry = {std::string(q.text(3)), std::string(q.text(4)),  std::string(q.text(5)),
               std::string(q.text(6)), std::string(q.text(7)),  std::string(q.text(8)),
               std::string(q.text(9)), std::string(q.text(10)), std::string(q.text(11))};
    r.rows = q.integer64(12);
    r.digest = q.text(13);
    r.prev_hash = q.text(14);
    r.hash = q.text(15);
    return r;
}

inline constexpr char live_record_columns[] =
    "r.id, r.kind, r.event_id, r.product, r.date, r.at_utc, r.amount, r.reason, r.at_local, r.until, r.kg, "
    "r.lost_to_follow_up, r.name";

// One row of the live-record query (the columns of live_record_columns)
// into what compliance counts.
template <class Row>
void add_live_record(const Row& q, Records& out) {
    const std::int64_t id = q.integer64(0);
    const std::string_view kind = q.text(1);
    if (kind == "dose") {
        Administration a{id, std::string(q.text(3)), from_iso(q.text(4)), utc_seconds(q.text(5)), std::nullopt,
                         std::nullopt, std::nullopt};
        if (!q.is_null(2)) a.event = std::string(q.text(2));
        if (!q.is_null(6)) a.amount = q.real(6);
        // Site wall time: slots and distances are on the wall clock.
        if (!q.is_null(8))
            if (auto t = parse_datetime(q.text(8))) a.local = date::floor<std::chrono::minutes>(t->local);
        out.doses.push_back(std::move(a));
    }
    else if (kind == "visit" && !q.is_null(2)) out.visits.push_back({id, std::string(q.text(2)), from_iso(q.text(4))});
    else if (kind == "visit")
        out.unscheduled.push_back({id, from_iso(q.text(4)), std::string(q.text(12)), std::string(q.text(7))});
    else if (kind == "skip") out.skips.push_back({id, std::string(q.text(2)), std::string(q.text(7))});
    else if (kind == "discontinue" || kind == "withdraw")
        out.status.push_back({id, kind == "withdraw" ? StatusChange::withdrawn : StatusChange::discontinued,
                              from_iso(q.text(4)), std::string(q.text(7)), !q.is_null(11)});
    else if (kind == "hold")
        out.holds.push_back({id, std::string(q.text(3)), from_iso(q.text(4)),
                             q.is_null(9) ? until_resumed : from_iso(q.text(9)), std::string(q.text(7))});
    else if (kind == "resume") out.resumes.push_back({id, std::string(q.text(3)), from_iso(q.text(4))});
    else if (kind == "weight") out.weights.push_back({id, from_iso(q.text(4)), q.real(10)});
    else if (kind == "dose_change")
        out.dose_changes.push_back({id, std::string(q.text(3)), from_iso(q.text(4)), q.real(6)});
}

}  // namespace trialcal::store
