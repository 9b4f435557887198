// The due worklist: the nurse's worklist. Read-only: every planned visit and dose
// not yet recorded whose window is open in the period, by day, and at the top
// everything overdue. What counts as recorded is the core's judge().
#include "trial/due_worklist.hpp"

#include "trial/error.hpp"
#include "trial/recording.hpp"
#include "trial/time.hpp"
#include "core/compliance.hpp"
#include "output/due_view.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <memory>
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

bool recorded(Status s) { return s == Status::on_time || s == Status::early || s == Status::late; }

}  // namespace

std::string due_worklist(const Env& env, const DueQuery& a) {
    std::optional<date::sys_days> from;
    if (!a.from.empty()) from = parse_date_option("--from", a.from);
    const int days = parse_days(a.days);
    std::string out;
    with_store([&] {
        auto store = env.storage.open(store::Mode::read);
        store::Store& st = *store;
        DueList list;
        list.site = a.site;
        std::optional<date::sys_days> first, last;
        for (const auto& pt : st.patients()) {
            if (!a.site.empty() && pt.site != a.site) continue;
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
                const Outcome* o = judged.outcome(&e);
                if (!o || recorded(o->status) || o->skipped) continue;
                DueItem item{pt.id, pt.site, pt.protocol, shown.version, e, start};
                if (e.window.to < start) list.overdue.push_back(std::move(item));
                else if (e.window.from <= end) {
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
