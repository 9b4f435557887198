#include "core/compliance.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace trialcal {

namespace {

date::days distance(date::sys_days a, date::sys_days b) noexcept { return a > b ? a - b : b - a; }

bool skipped(const Records& r, const std::string& event) {
    return std::any_of(r.skips.begin(), r.skips.end(), [&](const SkipRecord& s) { return s.event == event; });
}

// Nearest by nominal date, the earlier on a tie, among the unmatched planned
// doses of `product` that `eligible` admits.
template <class Pred>
std::optional<std::size_t> nearest(const Calendar& plan, const std::vector<bool>& taken, const std::string& product,
                                   date::sys_days when, Pred eligible) {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < plan.events.size(); ++i) {
        const Event& e = plan.events[i];
        if (e.kind != EventKind::dose || e.product != product || taken[i] || !eligible(e)) continue;
        if (!best) {
            best = i;
            continue;
        }
        const Event& b = plan.events[*best];
        const auto d = distance(e.date, when), db = distance(b.date, when);
        // Events are in date order, so on a tie the one found first is the earlier.
        if (d < db) best = i;
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
    unscheduled += o.unscheduled;
    wrong_dose += o.wrong_dose;
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

std::vector<Match> match_doses(const Calendar& plan, const Records& records, date::sys_days as_of) {
    // Records dated after A do not exist for a report as of A.
    std::vector<const Administration*> order;
    for (const auto& a : records.doses)
        if (a.date <= as_of) order.push_back(&a);
    // By administered time; ties keep recorded order.
    std::stable_sort(order.begin(), order.end(),
                     [](const Administration* a, const Administration* b) { return a->at < b->at; });

    std::vector<bool> taken(plan.events.size(), false);
    // A skipped dose is closed: no administration is matched to it.
    for (std::size_t i = 0; i < plan.events.size(); ++i)
        if (plan.events[i].kind == EventKind::dose && skipped(records, plan.events[i].id)) taken[i] = true;

    std::vector<Match> out;
    for (const Administration* a : order) {
        std::optional<std::size_t> hit;
        if (a->event) {
            for (std::size_t i = 0; i < plan.events.size(); ++i)
                if (plan.events[i].id == *a->event && plan.events[i].product == a->product && !taken[i]) hit = i;
        }
        if (!hit) hit = nearest(plan, taken, a->product, a->date, [&](const Event& e) { return e.window.contains(a->date); });
        if (!hit) hit = nearest(plan, taken, a->product, a->date, [](const Event&) { return true; });
        if (hit) taken[*hit] = true;
        out.push_back({a->record, hit});
    }
    return out;
}

Compliance judge(const Calendar& plan, const Records& records, date::sys_days as_of) {
    Compliance c;
    const auto matches = match_doses(plan, records, as_of);

    auto open_status = [&](const Event& e, Outcome& o) {
        if (o.skipped || e.window.to < as_of) o.status = Status::missed;
        else if (e.window.from <= as_of) o.status = Status::due;
        else o.status = Status::upcoming;
    };
    auto timing = [](const Event& e, date::sys_days d) {
        return d < e.window.from ? Status::early : d > e.window.to ? Status::late : Status::on_time;
    };
    auto count = [](Figures& f, const Outcome& o) {
        ++f.planned;
        switch (o.status) {
        case Status::on_time: ++f.on_time, ++f.given, ++f.expected; break;
        case Status::early: ++f.early, ++f.given, ++f.expected; break;
        case Status::late: ++f.late, ++f.given, ++f.expected; break;
        case Status::missed: ++f.missed, ++f.expected; break;
        default: break;
        }
        if (o.skipped) ++f.skipped;
        if (o.wrong_dose) ++f.wrong_dose;
    };
    auto product_entry = [&](const std::string& product) -> ProductCompliance& {
        for (auto& p : c.doses)
            if (p.product == product) return p;
        c.doses.push_back({product, {}, {}, {}});
        return c.doses.back();
    };
    auto find_admin = [&](std::int64_t record) -> const Administration* {
        for (const auto& a : records.doses)
            if (a.record == record) return &a;
        return nullptr;
    };

    for (std::size_t i = 0; i < plan.events.size(); ++i) {
        const Event& e = plan.events[i];
        Outcome o;
        o.event = &e;
        for (const auto& s : records.skips)
            if (s.event == e.id) o.skipped = true, o.skip_reason = s.reason;
        if (e.kind == EventKind::visit) {
            for (const auto& v : records.visits)
                if (v.event == e.id && v.date <= as_of && !o.skipped) o.record = v.record, o.date = v.date;
            if (o.date) o.status = timing(e, *o.date);
            else open_status(e, o);
            count(c.visits, o);
            c.visit_events.push_back(o);
            continue;
        }
        ProductCompliance& pc = product_entry(e.product);
        for (const auto& m : matches)
            if (m.event == i) {
                const Administration* a = find_admin(m.record);
                o.record = m.record;
                o.date = a->date;
                // Only an unblinded, known amount can be judged wrong.
                o.wrong_dose = !e.blinded && e.amount && a->amount &&
                               std::fabs(*a->amount - *e.amount) > 0.01 * std::fabs(*e.amount);
            }
        if (o.date) o.status = timing(e, *o.date);
        else open_status(e, o);
        count(pc.figures, o);
        pc.events.push_back(o);
    }
    for (const auto& m : matches)
        if (!m.event) {
            const Administration* a = find_admin(m.record);
            ProductCompliance& pc = product_entry(a->product);
            ++pc.figures.unscheduled;
            pc.unscheduled.push_back(m.record);
        }
    return c;
}

}  // namespace trialcal
