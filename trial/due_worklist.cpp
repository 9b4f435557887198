// The due worklist: the nurse's worklist. Read-only: every planned visit and
// dose not yet recorded whose reach (its window widened by the regimen's
// early/late limits) meets the period, by day, and at the top what is past
// its window but still within reach. What is beyond reach is missed: the
// compliance report lists it, the worklist no longer does. What counts as
// recorded is the core's judge().
#include "trial/due_worklist.hpp"

#include "trial/error.hpp"
#include "trial/patient_filter.hpp"
#include "trial/recording.hpp"
#include "trial/time.hpp"
#include "core/compliance.hpp"
#include "output/due_view.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>

namespace trialcal::trial {

namespace {

// The longest period one worklist covers.
constexpr int max_days = 366;

int parse_days(const std::string& text) {
    int n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || end != text.data() + text.size() || n < 1 || n > max_days)
        throw Error(Kind::bad_data, fmt::format("--days: '{}' is not a number of days from 1 to {}", text, max_days));
    return n;
}

std::optional<EventKind> parse_kind(const std::string& text) {
    if (text.empty()) return std::nullopt;
    if (text == "visit") return EventKind::visit;
    if (text == "dose") return EventKind::dose;
    throw Error(Kind::bad_data, fmt::format("--kind: '{}' is neither visit nor dose", text));
}

bool recorded(Status s) { return s == Status::on_time || s == Status::early || s == Status::late; }

// Every field of an event but its date and window: what patients on one plan
// share. A field added to Event must be added here, or two events differing
// only in it would print alike.
auto shape_fields(const Event& e) {
    return std::tie(e.id, e.kind, e.day, e.name, e.procedures, e.product, e.drug, e.amount, e.unit, e.route, e.intake,
                    e.time, e.time_before, e.time_after, e.early_limit, e.late_limit, e.setting, e.blinded, e.sequence);
}

// Builds the compact list: each site, plan and event shape stored once.
class Interner {
public:
    explicit Interner(DueList& list) : list_(list) {}

    std::uint32_t site(const std::string& s) { return intern(sites_, s, list_.sites, s); }
    std::uint32_t plan(const std::string& protocol, const std::string& version) {
        return intern(plans_, std::pair{protocol, version}, list_.plans, DuePlan{protocol, version});
    }
    std::uint32_t shape(const Event& e) {
        const std::size_t h = std::hash<std::string>{}(e.id) ^ (static_cast<std::size_t>(e.sequence) << 1) ^
                              std::hash<std::string>{}(e.drug);
        auto [lo, hi] = shapes_.equal_range(h);
        for (auto it = lo; it != hi; ++it)
            if (shape_fields(list_.shapes[it->second]) == shape_fields(e)) return it->second;
        Event shape = e;
        shape.date = {};
        shape.window = {};
        shape.placed.reset();
        shape.closed_day = false;
        list_.shapes.push_back(std::move(shape));
        const auto i = static_cast<std::uint32_t>(list_.shapes.size() - 1);
        shapes_.emplace(h, i);
        return i;
    }

private:
    template <class Key, class Value>
    static std::uint32_t intern(std::map<Key, std::uint32_t>& index, const Key& k, std::vector<Value>& values,
                                Value v) {
        auto [it, added] = index.try_emplace(k, static_cast<std::uint32_t>(values.size()));
        if (added) values.push_back(std::move(v));
        return it->second;
    }
    DueList& list_;
    std::map<std::string, std::uint32_t> sites_;
    std::map<std::pair<std::string, std::string>, std::uint32_t> plans_;
    std::unordered_multimap<std::size_t, std::uint32_t> shapes_;
};

}  // namespace

void due_worklist(const Env& env, const std::function<Catalog()>& catalog, const DueQuery& a, const Emit& emit) {
    std::optional<date::sys_days> from;
    if (!a.from.empty()) from = parse_date_option("--from", a.from);
    const int days = parse_days(a.days);
    const std::optional<EventKind> kind = parse_kind(a.kind);
    with_store([&] {
        auto store = env.storage.open(store::Mode::read);
        store::Store& st = *store;
        const PatientSelection selection = PatientSelection::resolve(st, catalog, {a.patient, a.site, a.protocol});
        DueList list;
        list.site = a.site;
        Interner intern(list);
        // By day until the period's first day is known (each patient's starts today where they are treated).
        std::map<date::sys_days, std::vector<DueItem>> due;
        std::optional<date::sys_days> first, last;
        st.for_each_patient([&](const store::Patient& pt) {
            if (!selection.admits(pt)) return;
            ++list.patients;
            const PatientPlan pp = load_patient(st, pt.id);
            // Without --from, the period starts today where the patient is treated.
            const date::sys_days start = from ? *from : today_in(env, pt.tz);
            const date::sys_days end = start + date::days{days - 1};
            first = first ? std::min(*first, start) : start;
            last = last ? std::max(*last, end) : end;
            // What the viewer may see: blinded labels and volumes only.
            const Calendar shown = pp.blinded_plan();
            const Compliance judged = judge(shown, pp.live, end);
            std::optional<std::uint32_t> patient;  // added at its first item
            for (const Event& e : shown.events) {
                if (kind && e.kind != *kind) continue;
                // Self-administered doses are not the nurse's to give.
                if (e.kind == EventKind::dose && e.setting == Setting::home && !a.home) continue;
                const Outcome* o = judged.outcome(&e);
                if (!o || recorded(o->status) || o->skipped || o->status == Status::held ||
                    o->status == Status::cancelled)
                    continue;
                const DateWindow reach = e.reach();
                // Reach ended before the period: missed, the report's business.
                if (reach.to < start || reach.from > end) continue;
                if (!patient) {
                    list.patients_seen.push_back(
                        {pt.id, intern.site(pt.site), intern.plan(pt.protocol, shown.version), start});
                    patient = static_cast<std::uint32_t>(list.patients_seen.size() - 1);
                }
                const DueItem item{*patient, intern.shape(e), e.date, e.window, e.placed, e.closed_day};
                if (e.window.to < start) list.overdue.push_back(item);
                else due[listed_day(e, start, end)].push_back(item);
            }
        });
        list.from = first ? *first : from ? *from : today_in(env, env.zones.local_zone());
        list.to = last ? *last : list.from + date::days{days - 1};
        list.by_day.resize(static_cast<std::size_t>((list.to - list.from).count() + 1));
        for (auto& [day, items] : due) list.by_day[static_cast<std::size_t>((day - list.from).count())] = std::move(items);
        due.clear();
        sort_due(list);
        ChunkedEmit out(emit);
        const DueEmit to = [&out](const std::string& piece) { out(piece); };
        if (a.format == "json") due_json(list, to);
        else if (a.format == "csv") due_csv(list, to);
        else due_table(list, to);
        out.flush();
    });
}

}  // namespace trialcal::trial
