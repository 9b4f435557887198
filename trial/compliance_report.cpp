// The compliance report: each patient judged on their blinded plan as of a
// date, in the format asked for.
#include "trial/compliance_report.hpp"
#include "trial/sealing.hpp"

#include "output/compliance_view.hpp"
#include "output/html_report.hpp"
#include "trial/error.hpp"
#include "trial/patient_filter.hpp"
#include "trial/report_signature.hpp"
#include "trial/recording.hpp"
#include "trial/time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>

namespace trialcal::trial {

namespace {

// Who prints a report: the user named, else whoever $TRIALCAL_USER says,
// else the operating-system account. A report is read-only, so nobody need
// say; the printed page still names someone.
std::string printed_by(const Env& env, const std::string& named) {
    if (!named.empty()) return named;
    return env.os_user.name().value_or(env.os_user.account());
}

}  // namespace

void compliance_report(const Env& env, const Actor& by, const std::function<Catalog()>& catalog,
                       const ReportQuery& q, const Emit& emit, const std::function<void()>& release) {
    std::optional<date::sys_days> as_of;
    if (!q.as_of.empty()) as_of = parse_date_option("--as-of", q.as_of);
    ReportHeader h{};
    if (!q.below.empty()) h.below = parse_number_option("--below", q.below);
    h.unblinded = q.unblinded;
    std::optional<SignedFormat> signed_as;
    if (q.sign) {
        signed_as = signed_format(q.format);
        check_meaning(q.meaning);
        if (!q.signing_key)
            throw Error(Kind::not_permitted, "--sign needs the signer's private signing key: --key FILE");
    } else if (!q.meaning.empty()) {
        throw Error(Kind::missing_input, "--meaning is the meaning of a signature: give --sign too");
    }
    with_store([&] {
        // Every filter is checked before the unblinding is audited: a typo
        // refuses the whole report and writes nothing.
        const PatientSelection selection = [&] {
            auto st = env.storage.open(store::Mode::read);
            return PatientSelection::resolve(*st, catalog, {q.patient, q.site, q.protocol});
        }();
        // So is the signing key, opened before anything is written or made:
        // a wrong passphrase or a key not installed writes nothing.
        std::optional<Signer> signer;
        if (q.sign) {
            auto st = env.storage.open(store::Mode::read);
            signer.emplace(open_signer(env, *st, *q.signing_key, "--key"));
        }
        std::optional<Unblinding> unblinding;
        if (q.unblinded) {
            auto s = env.storage.open(store::Mode::update);
            // The key is opened first: a wrong key or passphrase writes nothing.
            unblinding.emplace(open_unblinding(env, *s, q.key));
            // The unblinding is in the trail before anything unblinded is printed.
            audit_unblinding(env, *s, by, q.patient, "compliance report", q.reason);
        }
        auto store = env.storage.open(store::Mode::read);
        store::Store& st = *store;
        const store::Head head = st.audit_head();
        h.audit_head = head.text();
        // A signed report is hashed as it goes out, the signature's place held back.
        std::optional<SigningSink> sink;
        if (signed_as) sink.emplace(*signed_as, emit);
        const Emit out = sink ? Emit([&](const std::string& piece) { (*sink)(piece); }) : emit;
        // A report of one patient or one site is signed at that site's clock too.
        std::optional<SiteClock> site;
        // JSON and CSV are written patient by patient, and patients are
        // read one at a time: a network's report never sits in memory.
        // The table and the printed page need all rows.
        std::optional<ComplianceJson> json;
        std::optional<ComplianceCsv> csv;
        bool started = false;
        // Without --as-of, today at the first patient's site heads the report.
        const auto start = [&](const store::Patient* first) {
            started = true;
            h.as_of = as_of ? *as_of : first ? today_in(env, first->tz) : today_in(env, env.zones.local_zone());
            if (q.format == "json") json.emplace(h);
            if (q.format == "csv") csv.emplace(h);
        };
        std::vector<PatientReport> reports;
        std::vector<std::string> studies;
        std::map<std::string, Protocol> protocols;  // by file hash: each stored version parsed once
        const auto judge_one = [&](const store::Patient& pt) {
            if (!started) start(&pt);
            if (!site && (!q.patient.empty() || !q.site.empty())) site = SiteClock{pt.site, pt.tz};
            auto known = protocols.find(pt.protocol_sha256);
            if (known == protocols.end()) known = protocols.emplace(pt.protocol_sha256, stored_protocol(st, pt)).first;
            const Protocol& protocol = known->second;
            const date::sys_days day = as_of ? *as_of : today_in(env, pt.tz);
            Calendar plan = stored_plan(st, pt, protocol, q.format == "html" ? PlanDetail::full : PlanDetail::judging);
            // Judged on the blinded plan: wrong-dose is for unblinded products only.
            // Labels as the viewer may see them: the blinded label, or
            // unblinded the real drug and amount, which tells arms apart.
            std::optional<Calendar> unblinded;
            if (unblinding) unblinded = unblinding->plan_of(pt, protocol, plan);
            // The outcomes point into this calendar: the report keeps it alive.
            auto shown_ptr = std::make_shared<const Calendar>(blind(std::move(plan), protocol));
            const Calendar& shown = *shown_ptr;
            Records live = st.live_records(pt.id);
            PatientReport r{pt.id, pt.protocol, shown.version, pt.site, judge(shown, live, day), {}, shown_ptr,
                            std::move(live), std::nullopt};
            if (unblinded) r.arm = unblinded->arm;
            const Calendar& labels = unblinded ? *unblinded : shown;
            for (const auto& d : r.compliance.doses) {
                std::string label = d.product;
                for (const auto& e : labels.events)
                    if (e.product == d.product) {
                        label = e.drug;
                        if (q.unblinded && e.amount) label += fmt::format(" {} {}", *e.amount, e.unit);
                        break;
                    }
                r.drugs.push_back(label);
            }
            if (json) {
                json->add(r);
                out(json->take());
                return;
            }
            if (csv) {
                csv->add(r);
                out(csv->take());
                return;
            }
            if (q.format == "html") {
                std::string study = fmt::format("{} version {}", protocol.id, protocol.version);
                if (!protocol.title.empty()) study += ": " + protocol.title;
                if (!protocol.registry_ids.empty()) {
                    std::string ids;
                    for (const auto& id : protocol.registry_ids) ids += (ids.empty() ? "" : ", ") + id;
                    study += " (" + ids + ")";
                }
                if (std::find(studies.begin(), studies.end(), study) == studies.end()) studies.push_back(study);
            }
            reports.push_back(std::move(r));
        };
        if (!selection.patient().empty()) {
            if (auto one = st.patient(selection.patient())) judge_one(*one);
        } else {
            st.for_each_patient([&](const store::Patient& pt) {
                if (selection.admits(pt)) judge_one(pt);
            });
        }
        if (!started) start(nullptr);
        if (json) out(json->finish());
        else if (csv) out(csv->finish());
        else if (q.format == "html") {
            HtmlReportHeader hh{h, printed_by(env, q.printed_by), "", studies};
            hh.scope = !q.patient.empty()  ? "patient " + q.patient
                       : !q.site.empty()   ? "site " + q.site
                       : !q.protocol.empty() ? "protocol " + q.protocol
                                              : "all patients";
            out(compliance_html(reports, hh));
        }
        else out(compliance_table(reports, h));
        if (!sink) return;
        const std::string content_sha256 = sink->content_sha256();
        store.reset();
        auto w = env.storage.open(store::Mode::update);
        sink->finish(sign_report(env, *w, by, *signer, head, content_sha256, q.meaning, site, q.patient));
        if (release) release();
    });
}

}  // namespace trialcal::trial
