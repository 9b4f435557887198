// trialcal due: the nurse's worklist. Read-only: every planned visit and dose
// not yet recorded whose window is open in the period, by day, and at the top
// everything overdue. What counts as recorded is the core's judge().
#include "cli/clock.hpp"
#include "cli/commands.hpp"
#include "cli/error.hpp"
#include "cli/patient.hpp"
#include "core/compliance.hpp"
#include "output/due_view.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <optional>

namespace trialcal::cli {

namespace {

// The longest period one worklist covers.
constexpr int max_days = 366;

struct DueArgs {
    std::string site, from, days = "1", format;
};

int parse_days(const std::string& text) {
    int n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || end != text.data() + text.size() || n < 1 || n > max_days)
        throw Error(Exit::bad_data, fmt::format("--days: '{}' is not a number of days from 1 to {}", text, max_days));
    return n;
}

bool recorded(Status s) { return s == Status::on_time || s == Status::early || s == Status::late; }


void due(const Globals& g, const DueArgs& a) {
    std::optional<date::sys_days> from;
    if (!a.from.empty()) from = parse_date_option("--from", a.from);
    const int days = parse_days(a.days);
    with_store([&] {
        auto db = store::Database::open(g.db_path(), store::Mode::read);
        store::Store st(db);
        DueList list;
        list.site = a.site;
        std::optional<date::sys_days> first, last;
        for (const auto& pt : st.patients()) {
            if (!a.site.empty() && pt.site != a.site) continue;
            ++list.patients;
            const PatientPlan pp = load_patient(st, pt.id);
            // Without --from, the period starts today where the patient is treated.
            const date::sys_days start = from ? *from : today_in(pt.tz);
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
        list.from = first ? *first : from ? *from : today_in(local_zone_name());
        list.to = last ? *last : list.from + date::days{days - 1};
        sort_due(list);
        if (a.format == "json") print(due_json(list));
        else if (a.format == "csv") print(due_csv(list));
        else print(due_table(list));
    });
}

}  // namespace

void add_due_command(CLI::App& app, const Globals& g) {
    auto a = std::make_shared<DueArgs>();
    auto* cmd = app.add_subcommand("due", "the worklist: visits and doses due in a period, and what is overdue");
    cmd->add_option("--site", a->site, "one site (default: every site)");
    cmd->add_option("--from", a->from, "first day, YYYY-MM-DD (default: today at each patient's site)");
    cmd->add_option("--days", a->days, "how many days, from 1 to 366")->capture_default_str();
    add_format(cmd, a->format, {"table", "json", "csv"});
    cmd->callback([&g, a] { due(g, *a); });
}

}  // namespace trialcal::cli
