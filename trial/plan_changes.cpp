// A patient's plan changes, with its reason: shift and re-consent. The old
// dates stay in the audit trail.
#include "trial/plan_changes.hpp"

#include "core/compliance.hpp"
#include "output/formatters.hpp"
#include "trial/error.hpp"
#include "trial/time.hpp"

#include <fmt/format.h>

#include <charconv>
#include <set>

namespace trialcal::trial {

namespace {

// Events that already have a record: done visits, matched doses, skips.
std::set<std::string> recorded_events(const Calendar& shown, const Records& live) {
    std::set<std::string> out;
    for (const auto& v : live.visits) out.insert(v.event);
    for (const auto& s : live.skips) out.insert(s.event);
    for (const auto& m : match_doses(shown, live, far_future))
        if (m.event) out.insert(shown.events[*m.event].id);
    return out;
}

}  // namespace

std::string shift(const Env& env, const std::string& by, const ShiftInput& a) {
    check_line("patient", a.patient);
    check_line("event", a.event);
    check_line("--days", a.days);
    int days = 0;
    auto [end, ec] = std::from_chars(a.days.data(), a.days.data() + a.days.size(), days);
    if (ec != std::errc{} || end != a.days.data() + a.days.size() || days == 0 || days < -365 || days > 365)
        throw Error(Kind::bad_data, fmt::format("--days: '{}' is not a whole number of days from -365 to 365, other than 0",
                                                a.days));
    check_text("--reason", a.reason, 2000);
    return write_recorded(env, fmt::format("unknown patient '{}'", a.patient), [&](store::Store& s) {
        const PatientPlan pp = load_patient(s, a.patient);
        const Calendar shown = pp.blinded_plan();
        const Event& from = find_event(shown, a.patient, a.event);
        const auto recorded = recorded_events(shown, pp.live);
        const date::sys_days today = today_in(env, pp.patient.tz);
        const auto moved_event = [&](const Event& e) {
            Event m = e;
            m.date += date::days{days};
            m.window = {e.window.from + date::days{days}, e.window.to + date::days{days}};
            return m;
        };
        // What has passed cannot be moved: what was missed stays missed.
        const auto refuse_unmovable = [&](const Event& e, const Event& m) {
            if (recorded.count(e.id))
                throw Error(Kind::rule,
                            fmt::format("{} ({}) already has a record: shift only events not yet done, from a "
                                        "later one",
                                        e.id, IsoDate{e.date}));
            if (m.date < pp.patient.day0)
                throw Error(Kind::rule,
                            fmt::format("--days {}: {} would move to {}, before day 0 ({})", days, e.id,
                                        IsoDate{m.date}, IsoDate{pp.patient.day0}));
            if (e.window.to < today)
                throw Error(Kind::rule,
                            fmt::format("{} ({}): its window ended on {}, before today ({}): record it late with "
                                        "trialcal {} or skip it",
                                        e.id, IsoDate{e.date}, IsoDate{e.window.to}, IsoDate{today}, e.kind));
            if (m.date < today)
                throw Error(Kind::rule, fmt::format("--days {}: {} would move to {}, before today ({})", days, e.id,
                                                    IsoDate{m.date}, IsoDate{today}));
            // The plan keeps every date within the range any date is read in.
            if (!valid_dates.contains(m.window.from) || !valid_dates.contains(m.window.to))
                throw Error(Kind::bad_data, fmt::format("--days {}: {}'s window would move to {} to {}, which {}", days,
                                                        e.id, IsoDate{m.window.from}, IsoDate{m.window.to},
                                                        outside_valid_dates()));
        };
        // What a status change cancelled will not happen, and the
        // early-termination visit counts from the withdrawal, not day 0.
        refuse_cancelled(pp.live, from.id);
        if (from.early_termination)
            throw Error(Kind::rule, fmt::format("{} is dated from the withdrawal: void the withdrawal and record it "
                                                "again with its right date",
                                                from.id));
        // The event named first, so that the message is about it.
        refuse_unmovable(from, moved_event(from));
        std::string old_dates, new_dates;
        std::size_t moved = 0;
        for (const Event& e : shown.events) {
            if (e.date < from.date || e.early_termination) continue;  // not in the stored plan
            const Event m = moved_event(e);
            refuse_unmovable(e, m);
            s.move_event(a.patient, m);
            old_dates += fmt::format("{}{}={}", moved ? " " : "", e.id, IsoDate{e.date});
            new_dates += fmt::format("{}{}={}", moved ? " " : "", e.id, IsoDate{m.date});
            ++moved;
        }
        const std::string now = now_text(env);
        s.append_audit({by, "shift", a.patient, a.event, old_dates, new_dates, "", a.reason}, now);
        return fmt::format("Moved {} event{} of patient {} by {:+} day{}, from {} ({} -> {}) on; reason: {}.\n", moved,
                          moved == 1 ? "" : "s", a.patient, days, days == 1 || days == -1 ? "" : "s", from.id,
                          IsoDate{from.date}, IsoDate{from.date + date::days{days}}, a.reason);
    });
}

std::string reconsent(const Env& env, const std::string& by, const Catalog& catalog, const ReconsentInput& a) {
    check_line("patient", a.patient);
    check_line("--version", a.version);
    check_line("--on", a.on);
    const date::sys_days on = parse_date_option("--on", a.on);
    check_text("--reason", a.reason, 2000);
    return write_recorded(env, fmt::format("unknown patient '{}'", a.patient), [&](store::Store& s) {
        const PatientPlan pp = load_patient(s, a.patient);
        const ProtocolFile& file = catalog.find(pp.patient.protocol + "@" + a.version);
        if (file.protocol.version == pp.patient.version)
            throw Error(Kind::rule, fmt::format("patient {} already follows {} version {}", a.patient,
                                                   pp.patient.protocol, a.version));
        // Amendments only go forward: a patient consents to the newer text.
        if (version_less(file.protocol.version, pp.patient.version))
            throw Error(Kind::rule, fmt::format("--version {}: older than the version patient {} follows ({} version {})",
                                                a.version, a.patient, pp.patient.protocol, pp.patient.version));
        if (on < pp.patient.day0)
            throw Error(Kind::rule,
                        fmt::format("--on {}: before day 0 of patient {} ({})", a.on, a.patient, IsoDate{pp.patient.day0}));
        if (const date::sys_days today = today_in(env, pp.patient.tz); on > today)
            throw Error(Kind::bad_data, fmt::format("--on {}: in the future (today is {} in {})", a.on, IsoDate{today},
                                                    pp.patient.tz));
        // The same patient under the new version: day 0, arm, cohort, weight
        // unchanged. A sealed arm stays sealed: a blinded version's plan is
        // stored blinded, which needs no arm.
        auto expanded =
            expand(file.protocol, {pp.patient.day0, pp.patient.arm, pp.patient.cohort, pp.patient.weight_kg});
        if (!expanded) fail_calendar(expanded.error());
        const std::optional<Calendar> next = blind(std::move(*expanded), file.protocol);
        const std::string& sha = file.sha256;
        s.save_protocol_file(sha, file.protocol.id, file.protocol.version, file.path.filename().string(), file.text);
        const std::size_t before = pp.plan.events.size();
        std::size_t dropped = 0, added = 0;
        for (const auto& e : pp.plan.events) dropped += e.date > on;
        for (const auto& e : next->events) added += e.date > on;
        const std::string now = now_text(env);
        s.amend_plan(a.patient, on, *next, sha, now, by, a.reason);
        s.append_audit({by, "reconsent", a.patient, a.patient,
                                 fmt::format("version={} events={} replaced_after={}", pp.patient.version, before,
                                             dropped),
                                 fmt::format("version={} on={} added={} protocol_sha256={}", file.protocol.version,
                                             a.on, added, sha),
                                 "", a.reason},
                            now);
        return fmt::format("Patient {} re-consented to {} version {} on {}: {} planned events after that date "
                          "replaced by {}; everything on or before it stays.\n",
                          a.patient, file.protocol.id, file.protocol.version, IsoDate{on}, dropped, added);
    });
}

}  // namespace trialcal::trial
