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
#include <optional>

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

}  // namespace

std::string due_worklist(const Env& env, const std::function<Catalog()>& catalog, const DueQuery& a) {
    std::optional<date::sys_days> from;
    if (!a.from.empty()) from = parse_date_option("--from", a.from);
    const int days = parse_days(a.days);
    const std::optional<EventKind> kind = parse_kind(a.kind);
    std::string out;
    with_store([&] {
        auto store = env.storage.open(store::Mode::read);
        store::Store& st = *store;
        const PatientSelection selection = PatientSelection::resolve(st, catalog, {a.patient, a.site, a.protocol});
        DueList list;
        list.site = a.site;
        std::optional<date::sys_days> first, last;
        for (const auto& pt : st.patients()) {
            if (!selection.admits(pt)) continue;
            ++list.patients;
            const PatientPlan pp = load_patient(st, pt.id);
            // Without --from, the period starts today where the patient is treated.
            const date::sys_days start = from ? *from : today_in(env, pt.tz);
            const date::sys_days end = start + date::days{days - 1};
            first = first ? std::min(*first, start) : start;
            last = last ? std::max(*last, end) : end;
            // What the viewer may see: blinded labels and volumes only.
            const Calendar shown = pp.blinded_plan();
            const Compliance judged = judge(shown, st.live_records(pt.id), end);
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
                DueItem item{pt.id, pt.site, pt.protocol, shown.version, e, start};
                if (e.window.to < start) list.overdue.push_back(std::move(item));
                else {
                    item.listed_on = listed_day(e, start, end);
                    list.due.push_back(std::move(item));
                }
            }
        }
        list.from = first ? *first : from ? *from : today_in(env, env.zones.local_zone());
        list.to = last ? *last : list.from + date::days{days - 1};
        sort_due(list);
        out = a.format == "json" ? due_json(list) : a.format == "csv" ? due_csv(list) : due_table(list);
    });
    return out;
}

}  // namespace trialcal::trial
