#include "core/anchors.hpp"

#include "core/datetime.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <unordered_map>

namespace trialcal {

namespace {

constexpr std::size_t none = SIZE_MAX;

// The study day of dose id `id` ("CSA-D1-AM") when regimen `r` makes it:
// its product, "-D", a study day written as dose_event_id() writes it (no
// sign, no leading zero), a dosing day of the regimen, then "-" and one of
// its intakes when it has several. Allocation-free: the parser calls it
// cohorts x anchors times.
std::optional<StudyDay> dose_day(const Regimen& r, std::string_view id) noexcept {
    if (id.size() < r.product.size() + 2 || id.substr(0, r.product.size()) != r.product ||
        id.substr(r.product.size(), 2) != "-D")
        return std::nullopt;
    std::string_view rest = id.substr(r.product.size() + 2);
    const std::size_t digits_end = rest.find('-', rest.starts_with('-') ? 1 : 0);
    const std::string_view number = rest.substr(0, digits_end);
    int day = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), day);
    if (ec != std::errc{} || end != number.data() + number.size()) return std::nullopt;
    char canonical[16];
    const auto [cend, cec] = std::to_chars(canonical, canonical + sizeof canonical, day);
    if (std::string_view(canonical, static_cast<std::size_t>(cend - canonical)) != number) return std::nullopt;
    if (!r.doses_on(StudyDay{day})) return std::nullopt;
    rest = digits_end == std::string_view::npos ? std::string_view{} : rest.substr(digits_end);
    if (r.intakes.empty()) return rest.empty() ? std::optional(StudyDay{day}) : std::nullopt;
    if (rest.starts_with('-') && std::find(r.intakes.begin(), r.intakes.end(), rest.substr(1)) != r.intakes.end())
        return StudyDay{day};
    return std::nullopt;
}

bool makes_dose(const Regimen& r, std::string_view id) noexcept { return dose_day(r, id).has_value(); }

}  // namespace

std::optional<EventSource> planned_by(const Protocol& p, std::string_view cohort, std::string_view id) noexcept {
    // The early-termination visit is no planned event: nothing counts from it.
    for (std::size_t i = 0; i < p.visits.size(); ++i)
        if (p.visits[i].id == id && !p.visits[i].early_termination) return EventSource{EventKind::visit, i};
    for (std::size_t i = 0; i < p.regimens.size(); ++i)
        if (p.regimens[i].applies_to(cohort) && makes_dose(p.regimens[i], id)) return EventSource{EventKind::dose, i};
    return std::nullopt;
}

std::optional<PlannedDay> planned_day(const Protocol& p, std::string_view id) noexcept {
    for (std::size_t i = 0; i < p.visits.size(); ++i)
        if (p.visits[i].id == id && !p.visits[i].early_termination)
            return PlannedDay{p.visits[i].day, EventSource{EventKind::visit, i}};
    for (std::size_t i = 0; i < p.regimens.size(); ++i)
        if (const auto d = dose_day(p.regimens[i], id)) return PlannedDay{*d, EventSource{EventKind::dose, i}};
    return std::nullopt;
}

EventSources::EventSources(const Protocol& p, std::string_view cohort) : p_(p), cohort_(cohort) {
    visits_.reserve(p.visits.size());
    for (std::size_t i = 0; i < p.visits.size(); ++i)
        if (!p.visits[i].early_termination) visits_.emplace(p.visits[i].id, i);  // the first of an id
    for (std::size_t i = 0; i < p.regimens.size(); ++i)
        if (p.regimens[i].applies_to(cohort)) regimens_[p.regimens[i].product].push_back(i);
}

std::optional<EventSource> EventSources::operator()(std::string_view id) const noexcept {
    if (const auto v = visits_.find(id); v != visits_.end()) return EventSource{EventKind::visit, v->second};
    // A product id may hold "-D" itself: try every place a dose id's "-D<day>" can start.
    for (std::size_t at = id.find("-D"); at != std::string_view::npos; at = id.find("-D", at + 1)) {
        const auto r = regimens_.find(id.substr(0, at));
        if (r == regimens_.end()) continue;
        for (const std::size_t i : r->second)
            if (makes_dose(p_.regimens[i], id)) return EventSource{EventKind::dose, i};
    }
    return std::nullopt;
}

namespace {

const std::string* anchor_named(const Protocol& p, std::optional<EventSource> source, std::string_view id) noexcept {
    if (!source) return nullptr;
    const std::optional<std::string>& anchor =
        source->kind == EventKind::visit ? p.visits[source->index].anchor : p.regimens[source->index].anchor;
    if (!anchor || *anchor == id) return nullptr;
    return &*anchor;
}

}  // namespace

const std::string* anchor_of(const Protocol& p, std::string_view cohort, std::string_view id) noexcept {
    return anchor_named(p, planned_by(p, cohort, id), id);
}

bool has_anchors(const Protocol& p) noexcept {
    return std::any_of(p.visits.begin(), p.visits.end(), [](const Visit& v) { return v.anchor.has_value(); }) ||
           std::any_of(p.regimens.begin(), p.regimens.end(), [](const Regimen& r) { return r.anchor.has_value(); });
}

void attach_anchors(Calendar& c, const Protocol& p) {
    const std::string_view cohort = c.cohort ? std::string_view{*c.cohort} : std::string_view{};
    const EventSources sources(p, cohort);
    for (Event& e : c.events) {
        const std::string* anchor = anchor_named(p, sources(e.id), e.id);
        e.anchor = anchor ? std::optional<std::string>(*anchor) : std::nullopt;
    }
}

Result<std::vector<Move>, ReprojectionError> reproject(const Protocol& p, const Calendar& c,
                                                       const ActualDates& before, const ActualDates& after) {
    const std::vector<Event>& events = c.events;
    const std::size_t n = events.size();
    const std::string_view cohort = c.cohort ? std::string_view{*c.cohort} : std::string_view{};

    // Each event's anchor, as a position in the calendar: a forest, each
    // event one edge up to what it counts from.
    std::unordered_map<std::string_view, std::size_t> position;
    position.reserve(n);
    for (std::size_t i = 0; i < n; ++i) position.emplace(events[i].id, i);
    std::vector<std::size_t> anchor(n, none);
    const EventSources sources(p, cohort);
    for (std::size_t i = 0; i < n; ++i) {
        const std::string* id = anchor_named(p, sources(events[i].id), events[i].id);
        if (!id) continue;
        if (const auto it = position.find(*id); it != position.end() && it->second != i) anchor[i] = it->second;
    }

    // Dependency order (Kahn): every anchor before the events counting from
    // it, found without recursion, so a chain as long as the calendar is fine.
    std::vector<std::size_t> first_dependent(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i)
        if (anchor[i] != none) ++first_dependent[anchor[i] + 1];
    for (std::size_t i = 0; i < n; ++i) first_dependent[i + 1] += first_dependent[i];
    std::vector<std::size_t> dependents(first_dependent[n]);
    {
        std::vector<std::size_t> next(first_dependent.begin(), first_dependent.end() - 1);
        for (std::size_t i = 0; i < n; ++i)
            if (anchor[i] != none) dependents[next[anchor[i]]++] = i;
    }
    std::vector<std::size_t> order;
    order.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        if (anchor[i] == none) order.push_back(i);
    for (std::size_t k = 0; k < order.size(); ++k)
        for (std::size_t d = first_dependent[order[k]]; d < first_dependent[order[k] + 1]; ++d)
            order.push_back(dependents[d]);
    if (order.size() < n) {
        std::vector<bool> ordered(n, false);
        for (const std::size_t i : order) ordered[i] = true;
        const auto stuck = static_cast<std::size_t>(std::find(ordered.begin(), ordered.end(), false) - ordered.begin());
        return Unexpected{ReprojectionError{ReprojectionErrc::anchor_loop, events[stuck].id,
                                            "the anchors of " + events[stuck].id +
                                                " loop: following them never reaches an event counting from day 0"}};
    }

    // Each event's projection under one set of records.
    auto project = [&](const ActualDates& records) {
        std::vector<date::sys_days> projected(n);
        for (const std::size_t i : order) {
            const Event& e = events[i];
            if (anchor[i] == none) {
                projected[i] = e.day.on(c.day0);
                continue;
            }
            const Event& a = events[anchor[i]];
            const auto record = records.find(a.id);
            const date::sys_days from = record != records.end() ? record->second : projected[anchor[i]];
            projected[i] = from + (e.day - a.day);
        }
        return projected;
    };
    const std::vector<date::sys_days> was = project(before), is = project(after);

    std::vector<Move> moves;
    for (std::size_t i = 0; i < n; ++i) {
        const Event& e = events[i];
        if (anchor[i] == none || after.contains(e.id)) continue;
        const date::days by = is[i] - was[i];
        if (by == date::days{0}) continue;
        const date::sys_days to = e.date + by;
        const DateWindow window{e.window.from + by, e.window.to + by};
        for (const date::sys_days d : {to, window.from, window.to})
            if (!valid_dates.contains(d))
                return Unexpected{ReprojectionError{ReprojectionErrc::date_out_of_range, e.id,
                                                    e.id + " would move to " + iso_date(d) + ", which " +
                                                        outside_valid_dates()}};
        moves.push_back({e.id, e.date, to, window});
    }
    return moves;
}

void apply_moves(Calendar& c, std::span<const Move> moves) {
    if (moves.empty()) return;
    std::unordered_map<std::string_view, const Move*> by_event;
    by_event.reserve(moves.size());
    for (const Move& m : moves) by_event.emplace(m.event, &m);
    for (Event& e : c.events) {
        const auto it = by_event.find(e.id);
        if (it == by_event.end()) continue;
        e.date = it->second->to;
        e.window = it->second->window;
        ++e.sequence;
    }
    // Calendar order: by date, visits before doses on a date; a stable sort
    // keeps the rest of the order as it was.
    std::stable_sort(c.events.begin(), c.events.end(), [](const Event& a, const Event& b) {
        return a.date != b.date ? a.date < b.date : a.kind < b.kind;
    });
}

}  // namespace trialcal
