// The compliance report: each patient judged on their blinded plan as of a
// date, in the format asked for.
#include "trial/compliance_report.hpp"

#include "core/course.hpp"
#include "trial/sealing.hpp"

#include "output/compliance_view.hpp"
#include "output/html_report.hpp"
#include "trial/error.hpp"
#include "trial/sites.hpp"
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
        // Every format is written patient by patient, and patients are read
        // one at a time, so a network's report never sits in memory: JSON
        // and CSV in one pass; the table measures every row first and writes
        // them in a second pass; the printed page gathers its head first,
        // then writes the summary, then the pages. The store is pinned to
        // one snapshot, so every pass reads the same patients and records.
        //
        // Without --as-of, today at the first patient's site heads the report.
        bool started = false;
        const auto start = [&](const store::Patient* first) {
            if (started) return;
            started = true;
            h.as_of = as_of ? *as_of : first ? today_in(env, first->tz) : today_in(env, env.zones.local_zone());
            if (first && (!q.patient.empty() || !q.site.empty())) site = SiteClock{first->site, first->tz};
        };
        const auto each_patient = [&](const std::function<void(const store::Patient&)>& fn) {
            const auto one = [&](const store::Patient& pt) {
                start(&pt);
                fn(pt);
            };
            if (!selection.patient().empty()) {
                if (auto pt = st.patient(selection.patient())) one(*pt);
            } else {
                st.for_each_patient([&](const store::Patient& pt) {
                    if (selection.admits(pt)) one(pt);
                });
            }
            start(nullptr);
        };
        std::map<std::string, Protocol> protocols;  // by file hash: each stored version parsed once
        const auto protocol_of = [&](const store::Patient& pt) -> const Protocol& {
            auto known = protocols.find(pt.protocol_sha256);
            if (known == protocols.end()) known = protocols.emplace(pt.protocol_sha256, stored_protocol(st, pt)).first;
            return known->second;
        };
        const auto judge_one = [&](const store::Patient& pt, PlanDetail detail) {
            const Protocol& protocol = protocol_of(pt);
            const date::sys_days day = as_of ? *as_of : today_in(env, pt.tz);
            Calendar plan = stored_plan(st, pt, protocol, detail);
            // As of the report's date: a status change dated after it has not happened yet.
            Records live = follow_course(st, pt, protocol, plan, day);
            // Judged on the blinded plan: wrong-dose is for unblinded products only.
            // Labels as the viewer may see them: the blinded label, or
            // unblinded the real drug and amount, which tells arms apart.
            // Amounts as the course plans them (a dose change, a new weight).
            std::optional<Calendar> unblinded;
            if (unblinding) {
                unblinded = unblinding->plan_of(pt, protocol, plan);
                apply_dose_changes(protocol, *unblinded, live);
            }
            Calendar blinded = blind(std::move(plan), protocol);
            apply_dose_changes(protocol, blinded, live);
            // The outcomes point into this calendar: the report keeps it alive.
            auto shown_ptr = std::make_shared<const Calendar>(std::move(blinded));
            const Calendar& shown = *shown_ptr;
            PatientReport r{pt.id, pt.protocol, shown.version, pt.site, judge(shown, live, day), {}, shown_ptr,
                            std::move(live), std::nullopt};
            r.status = course_status(r.records, r.compliance, day);
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
            return r;
        };
        // Small pieces (a patient's rows) go out in chunks, not one write each.
        ChunkedEmit chunks(out);
        if (q.format == "json" || q.format == "csv") {
            // Each begins once the first patient has set the date.
            std::optional<ComplianceJson> json;
            std::optional<ComplianceCsv> csv;
            const auto begin = [&] {
                if (json || csv) return;
                if (q.format == "json") json.emplace(h);
                else csv.emplace(h);
            };
            each_patient([&](const store::Patient& pt) {
                begin();
                const PatientReport r = judge_one(pt, PlanDetail::judging);
                if (json) json->add(r), chunks(json->take());
                else csv->add(r), chunks(csv->take());
            });
            begin();
            chunks(json ? json->finish() : csv->finish());
        } else if (q.format == "html") {
            HtmlReportHeader hh{h, printed_by(env, q.printed_by), "", {}};
            hh.scope = !q.patient.empty()  ? "patient " + q.patient
                       : !q.site.empty()   ? "site " + q.site
                       : !q.protocol.empty() ? "protocol " + q.protocol
                                              : "all patients";
            HtmlReportFacts facts;
            each_patient([&](const store::Patient& pt) {
                const Protocol& protocol = protocol_of(pt);
                facts.add(pt.site, protocol.blinded);
                std::string study = fmt::format("{} version {}", protocol.id, protocol.version);
                if (!protocol.title.empty()) study += ": " + protocol.title;
                if (!protocol.registry_ids.empty()) {
                    std::string ids;
                    for (const auto& id : protocol.registry_ids) ids += (ids.empty() ? "" : ", ") + id;
                    study += " (" + ids + ")";
                }
                if (std::find(hh.studies.begin(), hh.studies.end(), study) == hh.studies.end())
                    hh.studies.push_back(std::move(study));
            });
            for (auto& code : facts.sites) code = site_label(st, code);
            hh.report = h;  // its date set by the first patient
            ComplianceHtml html(std::move(hh), std::move(facts));
            chunks(html.head());
            each_patient([&](const store::Patient& pt) { chunks(html.summary(judge_one(pt, PlanDetail::judging))); });
            chunks(html.summary_end());
            each_patient([&](const store::Patient& pt) { chunks(html.page(judge_one(pt, PlanDetail::full))); });
            chunks(ComplianceHtml::end());
        } else {
            std::optional<ComplianceTable> table;
            each_patient([&](const store::Patient& pt) {
                if (!table) table.emplace(h);
                table->measure(judge_one(pt, PlanDetail::judging));
            });
            if (!table) table.emplace(h);
            chunks(table->head());
            each_patient([&](const store::Patient& pt) { chunks(table->rows(judge_one(pt, PlanDetail::judging))); });
            chunks(table->finish());
        }
        chunks.flush();
        if (!sink) return;
        const std::string content_sha256 = sink->content_sha256();
        store.reset();
        auto w = env.storage.open(store::Mode::update);
        sink->finish(sign_report(env, *w, by, *signer, head, content_sha256, q.meaning, site, q.patient));
        if (release) release();
    });
}

}  // namespace trialcal::trial
