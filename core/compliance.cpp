#include "core/compliance.hpp"

#include <algorithm>
#include <cmath>

namespace trialcal {

namespace {

using Minutes = std::chrono::minutes;
using WallTime = date::sys_time<Minutes>;  // a site wall time as plain calendar arithmetic: no zone, no DST

// The administration's site wall time: its local date and time of day.
WallTime wall_time(const Administration& a) noexcept {
    if (!a.local) return WallTime{a.date} + noon;
    const auto local_day = date::floor<date::days>(*a.local);
    return WallTime{a.date} + (*a.local - local_day);
}

WallTime nominal(const Event& e) noexcept { return WallTime{e.date} + e.time; }

Minutes gap(Minutes a, Minutes b) noexcept { return a > b ? a - b : b - a; }

// In the dose's slot: its time of day nearer this intake than either
// neighbour; a tie goes to the earlier intake.
bool in_slot(const Event& e, Minutes t) noexcept {
    const Minutes d = gap(t, e.time);
    if (e.time_before && !(d < gap(t, *e.time_before))) return false;
    if (e.time_after && !(d <= gap(t, *e.time_after))) return false;
    return true;
}

// What closes a planned event to matching by the best matching, and to naming.
struct Closed {
    const SkipRecord* skip = nullptr;
    const HoldRecord* hold = nullptr;
    const CancelRecord* cancel = nullptr;
    [[nodiscard]] bool any() const noexcept { return skip || hold || cancel; }
};

Closed closed(const Event& e, const Records& r) {
    Closed c;
    for (const auto& s : r.skips)
        if (s.event == e.id) c.skip = &s;
    for (const auto& x : r.cancelled)
        if (x.event == e.id) c.cancel = &x;
    if (e.kind == EventKind::dose)
        for (const auto& h : r.holds)
            if (h.product == e.product && h.first <= e.date && e.date <= h.last) c.hold = &h;
    return c;
}

// The best matching's objective, compared in the spec's order of priority.
struct Score {
    int on_time = 0;
    int given = 0;
    std::int64_t distance = 0;
    friend Score operator+(Score a, Score b) noexcept {
        return {a.on_time + b.on_time, a.given + b.given, a.distance + b.distance};
    }
    // Positive when `a` is the better matching, negative when `b` is, 0 when equal.
    friend int compare(Score a, Score b) noexcept {
        if (a.on_time != b.on_time) return a.on_time > b.on_time ? 1 : -1;
        if (a.given != b.given) return a.given > b.given ? 1 : -1;
        if (a.distance != b.distance) return a.distance < b.distance ? 1 : -1;
        return 0;
    }
};

// The best non-crossing matching of administrations (time order) to doses
// (calendar order) over the pairs within reach, by a dynamic programme on
// suffixes. Each state keeps its matching as a shared list, (dose, admin)
// pairs in order, so that equal scores are told apart as the spec says:
// matched doses first in calendar order, then matched administrations first
// in time order. Suffix optima extend to longer ones because prefixing the
// same pair to two lists keeps their order.
class BestMatching {
public:
    // `fits[i * doses + j]`: administration i against dose j (block positions).
    std::vector<std::pair<std::size_t, std::size_t>> run(std::size_t admins, std::size_t doses,
                                                         const std::vector<Fit>& fits) {
        nodes_.clear();
        const std::size_t width = doses + 1;
        states_.assign((admins + 1) * width, State{});
        for (std::size_t i = admins; i-- > 0;) {
            for (std::size_t j = doses; j-- > 0;) {
                State best = states_[(i + 1) * width + j];  // administration i left extra
                consider(best, states_[i * width + j + 1]);  // dose j left unmatched
                const Fit& f = fits[i * doses + j];
                if (f.reach != Reach::beyond) {
                    const State& rest = states_[(i + 1) * width + j + 1];
                    State take{rest.score + Score{f.reach == Reach::on_time ? 1 : 0, 1, f.distance},
                               static_cast<int>(nodes_.size())};
                    nodes_.push_back({j, i, rest.head});
                    if (!consider(best, take)) nodes_.pop_back();
                }
                states_[i * width + j] = best;
            }
        }
        std::vector<std::pair<std::size_t, std::size_t>> out;  // (admin, dose)
        for (int h = states_.empty() ? -1 : states_[0].head; h >= 0; h = nodes_[static_cast<std::size_t>(h)].next)
            out.emplace_back(nodes_[static_cast<std::size_t>(h)].admin, nodes_[static_cast<std::size_t>(h)].dose);
        return out;
    }

private:
    struct Node {
        std::size_t dose;
        std::size_t admin;
        int next;
    };
    struct State {
        Score score;
        int head = -1;  // first pair of its matching; -1: none
    };

    // Replaces `best` by `c` when `c` is better; says whether it did.
    bool consider(State& best, const State& c) const {
        const int by_score = compare(c.score, best.score);
        if (by_score < 0 || (by_score == 0 && !first(c.head, best.head))) return false;
        best = c;
        return true;
    }

    // Whether list `a` comes before list `b`: doses element by element, then
    // administrations. Equal scores mean equal lengths; shared tails end the walk.
    bool first(int a, int b) const {
        int by_admin = 0;
        while (a != b && a >= 0 && b >= 0) {
            const Node& x = nodes_[static_cast<std::size_t>(a)];
            const Node& y = nodes_[static_cast<std::size_t>(b)];
            if (x.dose != y.dose) return x.dose < y.dose;
            if (by_admin == 0 && x.admin != y.admin) by_admin = x.admin < y.admin ? -1 : 1;
            a = x.next;
            b = y.next;
        }
        return by_admin < 0;
    }

    std::vector<Node> nodes_;
    std::vector<State> states_;
};

// Step 2 for one product: `admins` (time order) against `doses` (calendar
// order). Pairs within reach are few and near the diagonal, so the lists are
// cut into blocks that no such pair crosses and each block is solved alone.
void match_rest(const Calendar& plan, const std::vector<const Administration*>& admins,
                const std::vector<std::size_t>& doses, std::vector<std::optional<std::size_t>>& matched) {
    constexpr std::size_t none = static_cast<std::size_t>(-1);
    const std::size_t n = admins.size();
    std::vector<std::size_t> lo(n, none), hi(n, none);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < doses.size(); ++j)
            if (plan.events[doses[j]].reach().contains(admins[i]->date)) {
                if (lo[i] == none) lo[i] = j;
                hi[i] = j;
            }
    // Administrations within reach of nothing stay extra and bound no block.
    std::vector<std::size_t> live;
    for (std::size_t i = 0; i < n; ++i)
        if (lo[i] != none) live.push_back(i);
    std::vector<std::size_t> suffix_lo(live.size() + 1, none);
    for (std::size_t k = live.size(); k-- > 0;) suffix_lo[k] = std::min(suffix_lo[k + 1], lo[live[k]]);

    BestMatching dp;
    std::vector<Fit> fits;
    for (std::size_t start = 0; start < live.size();) {
        std::size_t end = start + 1, top = hi[live[start]], bottom = lo[live[start]];
        // A cut before live[end] is safe when no later administration reaches
        // a dose this block reaches.
        while (end < live.size() && suffix_lo[end] <= top) {
            top = std::max(top, hi[live[end]]);
            bottom = std::min(bottom, lo[live[end]]);
            ++end;
        }
        const std::size_t na = end - start, nd = top - bottom + 1;
        fits.assign(na * nd, Fit{});
        for (std::size_t i = 0; i < na; ++i)
            for (std::size_t j = lo[live[start + i]]; j <= hi[live[start + i]]; ++j)
                fits[i * nd + (j - bottom)] = fit(plan.events[doses[j]], *admins[live[start + i]]);
        for (const auto& [i, j] : dp.run(na, nd, fits)) matched[live[start + i]] = doses[bottom + j];
        start = end;
    }
}

// The product's planned dose nearest `a` on the wall clock (the earlier on a tie).
const Event* nearest_dose(const Calendar& plan, const Administration& a) {
    const Event* best = nullptr;
    Minutes best_gap{};
    const WallTime t = wall_time(a);
    for (const auto& e : plan.events) {
        if (e.kind != EventKind::dose || e.product != a.product) continue;
        const Minutes g = gap(t.time_since_epoch(), nominal(e).time_since_epoch());
        if (!best || g < best_gap) best = &e, best_gap = g;
    }
    return best;
}

}  // namespace

double round1(double v) noexcept { return std::round(v * 10.0) / 10.0; }

std::optional<double> Figures::compliance_pct() const noexcept {
    if (expected == 0) return std::nullopt;
    return round1(100.0 * given / expected);
}

std::optional<double> Figures::on_time_pct() const noexcept {
    if (expected == 0) return std::nullopt;
    return round1(100.0 * on_time / expected);
}

Figures& Figures::operator+=(const Figures& o) noexcept {
    planned += o.planned;
    expected += o.expected;
    given += o.given;
    on_time += o.on_time;
    early += o.early;
    late += o.late;
    missed += o.missed;
    skipped += o.skipped;
    extra += o.extra;
    wrong_dose += o.wrong_dose;
    held += o.held;
    cancelled += o.cancelled;
    return *this;
}

const Outcome* Compliance::outcome(const Event* e) const noexcept {
    for (const auto& o : visit_events)
        if (o.event == e) return &o;
    for (const auto& p : doses)
        for (const auto& o : p.events)
            if (o.event == e) return &o;
    return nullptr;
}

Fit fit(const Event& dose, const Administration& a) noexcept {
    const WallTime t = wall_time(a), n = nominal(dose);
    Fit f;
    f.distance = gap(t.time_since_epoch(), n.time_since_epoch()).count();
    f.before = t < n;
    if (dose.window.contains(a.date) && in_slot(dose, t - WallTime{a.date}))
        f.reach = Reach::on_time;
    else if (dose.reach().contains(a.date))
        f.reach = Reach::within;
    return f;
}

std::vector<Match> match_doses(const Calendar& plan, const Records& records, date::sys_days as_of) {
    // Records dated after A do not exist for a report as of A.
    std::vector<const Administration*> order;
    for (const auto& a : records.doses)
        if (a.date <= as_of) order.push_back(&a);
    // By administered time; ties keep recorded order.
    std::stable_sort(order.begin(), order.end(),
                     [](const Administration* a, const Administration* b) { return a->at < b->at; });

    std::vector<std::optional<std::size_t>> matched(order.size());
    std::vector<bool> open(plan.events.size(), false);  // a dose step 2 may still take
    for (std::size_t i = 0; i < plan.events.size(); ++i)
        open[i] = plan.events[i].kind == EventKind::dose && !closed(plan.events[i], records).any();

    // 1. Named first, whatever their time. A name the entry checks refuse
    // (a dose of another product, closed, or already named) is not honoured:
    // the record then competes as an unnamed one.
    std::vector<bool> unnamed(order.size(), true);
    for (std::size_t k = 0; k < order.size(); ++k) {
        const Administration& a = *order[k];
        if (!a.event) continue;
        for (std::size_t i = 0; i < plan.events.size(); ++i)
            if (open[i] && plan.events[i].id == *a.event && plan.events[i].product == a.product) {
                matched[k] = i;
                open[i] = false;
                unnamed[k] = false;
                break;
            }
    }

    // 2. The best matching of the rest, per product.
    std::vector<std::string_view> products;
    for (const Administration* a : order)
        if (std::find(products.begin(), products.end(), a->product) == products.end()) products.push_back(a->product);
    std::vector<const Administration*> admins;
    std::vector<std::size_t> positions, doses;
    std::vector<std::optional<std::size_t>> got;
    for (const std::string_view product : products) {
        admins.clear();
        positions.clear();
        doses.clear();
        for (std::size_t k = 0; k < order.size(); ++k)
            if (unnamed[k] && order[k]->product == product) admins.push_back(order[k]), positions.push_back(k);
        for (std::size_t i = 0; i < plan.events.size(); ++i)
            if (open[i] && plan.events[i].product == product) doses.push_back(i);
        got.assign(admins.size(), std::nullopt);
        match_rest(plan, admins, doses, got);
        for (std::size_t k = 0; k < admins.size(); ++k) matched[positions[k]] = got[k];
    }

    std::vector<Match> out;
    out.reserve(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) out.push_back({order[k]->record, matched[k]});
    return out;
}

Compliance judge(const Calendar& plan, const Records& records, date::sys_days as_of) {
    Compliance c;
    const auto matches = match_doses(plan, records, as_of);
    std::vector<const Administration*> by_event(plan.events.size(), nullptr);
    auto find_admin = [&](std::int64_t record) -> const Administration* {
        for (const auto& a : records.doses)
            if (a.record == record) return &a;
        return nullptr;
    };
    for (const auto& m : matches)
        if (m.event) by_event[*m.event] = find_admin(m.record);

    // Not matched: closed by a cancellation or hold, or by its reach.
    auto open_status = [&](const Event& e, const Closed& closed, Outcome& o) {
        if (closed.cancel) o.status = Status::cancelled, o.reason = closed.cancel->reason;
        else if (closed.hold) o.status = Status::held, o.reason = closed.hold->reason;
        // A skip counts as missed from the event's nominal date on; before
        // that the event is simply not due (a skip may be entered ahead).
        else if ((o.skipped && e.date <= as_of) || e.reach().to < as_of) o.status = Status::missed;
        else if (!o.skipped && e.reach().from <= as_of) o.status = Status::due;
        else o.status = Status::upcoming;
    };
    auto visit_timing = [](const Event& e, date::sys_days d) {
        return d < e.window.from ? Status::early : d > e.window.to ? Status::late : Status::on_time;
    };
    auto count = [](Figures& f, const Outcome& o) {
        ++f.planned;
        switch (o.status) {
        case Status::on_time: ++f.on_time, ++f.given, ++f.expected; break;
        case Status::early: ++f.early, ++f.given, ++f.expected; break;
        case Status::late: ++f.late, ++f.given, ++f.expected; break;
        case Status::missed: ++f.missed, ++f.expected; break;
        case Status::held: ++f.held; break;
        case Status::cancelled: ++f.cancelled; break;
        case Status::due:
        case Status::upcoming: break;
        }
        if (o.skipped && o.status == Status::missed) ++f.skipped;  // skipped is part of missed
        if (o.wrong_dose) ++f.wrong_dose;
    };
    auto product_entry = [&](const std::string& product) -> ProductCompliance& {
        for (auto& p : c.doses)
            if (p.product == product) return p;
        c.doses.push_back({product, {}, {}, {}});
        return c.doses.back();
    };

    for (std::size_t i = 0; i < plan.events.size(); ++i) {
        const Event& e = plan.events[i];
        const Closed closed_by = closed(e, records);
        Outcome o;
        o.event = &e;
        if (closed_by.skip) o.skipped = true, o.skip_reason = closed_by.skip->reason;
        if (e.kind == EventKind::visit) {
            if (!closed_by.any())
                for (const auto& v : records.visits)
                    if (v.event == e.id && v.date <= as_of) o.record = v.record, o.date = v.date;
            if (o.date) o.status = visit_timing(e, *o.date);
            else open_status(e, closed_by, o);
            count(c.visits, o);
            c.visit_events.push_back(o);
            continue;
        }
        ProductCompliance& pc = product_entry(e.product);
        if (const Administration* a = by_event[i]) {
            o.record = a->record;
            o.date = a->date;
            const Fit f = fit(e, *a);
            o.status = f.reach == Reach::on_time ? Status::on_time : f.before ? Status::early : Status::late;
            // Only an unblinded, known amount can be judged wrong.
            o.wrong_dose = !e.blinded && e.amount && a->amount &&
                           std::fabs(*a->amount - *e.amount) > 0.01 * std::fabs(*e.amount);
        } else {
            open_status(e, closed_by, o);
        }
        count(pc.figures, o);
        pc.events.push_back(o);
    }
    for (const auto& m : matches) {
        if (m.event) continue;
        const Administration* a = find_admin(m.record);
        ProductCompliance& pc = product_entry(a->product);
        Extra x{a->record, a->date, nearest_dose(plan, *a), date::days{0}, false, std::nullopt};
        if (x.near) {
            const auto& w = x.near->window;
            x.from_window = a->date < w.from ? a->date - w.from : a->date > w.to ? a->date - w.to : date::days{0};
            x.within_reach = x.near->reach().contains(a->date);
            if (const Administration* other = by_event[static_cast<std::size_t>(x.near - plan.events.data())])
                x.near_record = other->record;
        }
        ++pc.figures.extra;
        pc.extra.push_back(x);
    }
    return c;
}

}  // namespace trialcal
