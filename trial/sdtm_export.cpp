// CDISC SDTM datasets (docs/sdtm.md) from the trial design and the
// subjects' plans and records, written one subject at a time.
#include "trial/sdtm_export.hpp"

#include "core/course.hpp"
#include "core/eligibility.hpp"
#include "core/protocol_parser.hpp"
#include "core/site.hpp"
#include "store/audit.hpp"

#include "trial/emit.hpp"
#include "trial/error.hpp"
#include "trial/patient_filter.hpp"
#include "trial/recording.hpp"
#include "trial/time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>

namespace trialcal::trial {

namespace {

std::vector<sdtm::Domain> parse_domains(const std::vector<std::string>& names) {
    std::vector<sdtm::Domain> out;
    for (const auto& n : names) {
        const auto d = sdtm::parse_domain(n);
        if (!d) throw Error(Kind::missing_input, fmt::format("unknown domain '{}': trialcal exports TV, TA, TE, DM, SV, EX, DV, DS and SE", n));
        if (std::find(out.begin(), out.end(), *d) == out.end()) out.push_back(*d);
    }
    return out;
}

bool wants(const std::vector<sdtm::Domain>& ds, sdtm::Domain d) { return std::find(ds.begin(), ds.end(), d) != ds.end(); }

bool wants_subjects(const std::vector<sdtm::Domain>& ds) {
    return wants(ds, sdtm::Domain::SV) || wants(ds, sdtm::Domain::EX) || wants(ds, sdtm::Domain::DV) ||
           wants(ds, sdtm::Domain::DM) || wants(ds, sdtm::Domain::DS) || wants(ds, sdtm::Domain::SE);
}

// Only DM and DS list screen failures.
bool wants_screen_failures(const std::vector<sdtm::Domain>& ds) {
    return wants(ds, sdtm::Domain::DM) || wants(ds, sdtm::Domain::DS);
}

// A protocol version stored in the database, by the SHA-256 of its text.
Protocol stored_version(store::Store& st, const std::string& sha256) {
    const std::string text = st.protocol_text(sha256);
    // Checked in full when first stored; its hash proves it is that text still.
    if (store::sha256_hex(text) != sha256)
        throw Error(Kind::internal, fmt::format("the stored protocol text no longer matches its SHA-256 {}", sha256));
    auto parsed = parse_protocol(text, Checks::accepted_text);
    if (!parsed.protocol) throw Error(Kind::internal, fmt::format("the stored protocol {} no longer parses", sha256));
    return std::move(*parsed.protocol);
}

// The studies to export: the one --protocol names (the trial design from its
// file), else every study with a patient in the database, by id: the newest
// version in the catalog, or when the catalog no longer has it, the newest
// version a patient is on, as stored.
std::vector<Protocol> designs(const Env& env, const Catalog& catalog, const SdtmQuery& a) {
    if (!a.protocol.empty()) return {catalog.find(a.protocol).protocol};
    auto store = env.storage.open(store::Mode::read);
    store::Store& st = *store;
    std::map<std::string, std::optional<store::Patient>> ids;  // id -> the patient on its newest stored version
    st.for_each_patient([&](const store::Patient& pt) {
        auto& newest = ids[pt.protocol];
        if (!newest || version_less(newest->version, pt.version)) newest = pt;
    });
    std::vector<Protocol> out;
    for (const auto& [id, newest] : ids) {
        const auto files = catalog.versions(id);
        out.push_back(files.empty() ? stored_protocol(st, *newest) : files.back()->protocol);
    }
    return out;
}

}  // namespace

SdtmRequest prepare_sdtm(const SdtmQuery& a) {
    SdtmRequest r;
    for (const auto& d : a.domains) check_line("domain", d);
    check_line("--protocol", a.protocol);
    check_line("--as-of", a.as_of);
    r.domains = parse_domains(a.domains);
    if (a.format == "dataset-json") r.container = sdtm::Container::dataset_json;
    else if (a.format != "csv")
        throw Error(Kind::missing_input, fmt::format("--format '{}': trialcal writes SDTM as csv or dataset-json", a.format));
    if (a.unblinded) {
        if (a.reason.empty()) throw Error(Kind::missing_input, "--unblinded needs --reason TEXT: unblinding is audited");
        check_text("--reason", a.reason, 2000);
        if (!wants(r.domains, sdtm::Domain::EX) && !wants(r.domains, sdtm::Domain::DM) &&
            !wants(r.domains, sdtm::Domain::SE))
            throw Error(Kind::missing_input,
                        "--unblinded changes EX, DM and SE only: export one of them, or leave out --unblinded");
    }
    if (!a.as_of.empty()) r.as_of = parse_date_option("--as-of", a.as_of);
    return r;
}

std::vector<std::size_t> stream_sdtm(const Env& env, const Actor& by, const std::function<Catalog()>& catalogs,
                                     const SdtmQuery& a, const SdtmRequest& r, const SdtmSink& to) {
    std::vector<std::size_t> rows;
    with_store([&] {
        // The key is opened before anything is read or written: a wrong key
        // or passphrase leaves no unblinding row.
        std::optional<Unblinding> unblinding;
        if (a.unblinded) unblinding.emplace(open_unblinding(env, *env.storage.open(store::Mode::read), a.key));
        const Catalog catalog = catalogs();
        const std::vector<Protocol> studies = designs(env, catalog, a);
        // The trial design alone needs no database.
        std::unique_ptr<store::Store> store;
        if (wants_subjects(r.domains)) store = env.storage.open(store::Mode::read);
        std::optional<PatientSelection> selection;  // ID@VERSION: the subjects currently on that version only
        if (store) selection = PatientSelection::resolve(*store, [&catalog] { return catalog; }, {"", "", a.protocol});
        if (a.unblinded) {
            std::string names, ids;
            for (const sdtm::Domain d : r.domains) names += (names.empty() ? "" : ", ") + std::string(sdtm::code(d));
            for (const auto& s : studies) ids += (ids.empty() ? "" : ", ") + s.id;
            // In the trail before any unblinded byte is written, even to a
            // file that a failure later removes.
            const std::string what = fmt::format("SDTM export {} ({})", names, ids.empty() ? "no study" : ids);
            audit_unblinding(env, *env.storage.open(store::Mode::update), by, "", what, a.reason);
        }

        // Each dataset handed on in chunks of about 64 KiB: a million rows are not a million writes.
        std::vector<sdtm::DatasetWriter> writers;
        std::vector<Emit> sinks;
        sinks.reserve(r.domains.size());  // the chunkers below keep references to these
        std::vector<ChunkedEmit> chunks;
        chunks.reserve(r.domains.size());
        for (std::size_t i = 0; i < r.domains.size(); ++i) {
            writers.emplace_back(r.domains[i], sdtm::Options{a.unblinded, r.container});
            sinks.emplace_back([&to, i](const std::string& bytes) { to(i, bytes); });
            chunks.emplace_back(sinks.back());
        }
        const auto hand_on = [&] {
            for (std::size_t i = 0; i < writers.size(); ++i) chunks[i](writers[i].take());
        };
        std::map<std::string, Protocol> versions;  // by file hash: each stored version parsed once
        // Sites are a handful: DM's COUNTRY, and the zone a screen failure's as-of date is taken in.
        std::map<std::string, Site> sites;
        if (store)
            for (auto& rev : store->sites()) sites.emplace(rev.site.code, std::move(rev.site));
        const auto country_of = [&](const std::string& site) {
            const auto f = sites.find(site);
            return f != sites.end() && f->second.country ? *f->second.country : std::string();
        };
        for (const Protocol& design : studies) {
            for (auto& w : writers) w.study(design);
            hand_on();
            if (!store) continue;
            store::Store& st = *store;
            st.for_each_patient([&](const store::Patient& pt) {
                if (pt.protocol != design.id || !selection->admits(pt)) return;
                auto known = versions.find(pt.protocol_sha256);
                if (known == versions.end())
                    known = versions.emplace(pt.protocol_sha256, stored_protocol(st, pt)).first;
                const Protocol& protocol = known->second;
                sdtm::Subject s;
                s.site = pt.site;
                s.patient = pt.id;
                s.country = country_of(pt.site);
                s.protocol = &protocol;
                s.as_of = r.as_of ? *r.as_of : today_in(env, pt.tz);
                s.plan = stored_plan(st, pt, protocol);
                // A withdrawal or discontinuation dated after the as-of date has not happened yet.
                s.records = follow_course(st, pt, protocol, s.plan, s.as_of);
                if (unblinding) s.plan = unblinding->plan_of(pt, protocol, std::move(s.plan));
                apply_dose_changes(protocol, s.plan, s.records);
                for (const auto& rec : st.records(pt.id))
                    if (!rec.voided && rec.kind == store::RecordKind::dose)
                        s.administered.push_back({rec.id, rec.at_local, rec.unit, rec.kit});
                for (auto& w : writers) w.subject(s);
                hand_on();
            });
            if (wants_screen_failures(r.domains)) {
                // After the study's subjects: screenings come by site, then
                // patient, so one patient's are next to each other.
                std::vector<store::Screening> theirs;
                const auto decide = [&] {
                    if (theirs.empty()) return;
                    const store::Screening last = theirs.back();
                    theirs.clear();
                    if (last.eligible) return;
                    if (const auto pt = st.patient(last.patient);
                        pt && !pt->enrollment_voided && pt->protocol == design.id)
                        return;  // enrolled after all
                    auto known = versions.find(last.protocol_sha256);
                    if (known == versions.end())
                        known = versions.emplace(last.protocol_sha256, stored_version(st, last.protocol_sha256)).first;
                    ScreeningValues values;
                    for (const auto& [criterion, v] : last.values) values.emplace(criterion, v);
                    sdtm::ScreenFailure f;
                    f.site = last.site;
                    f.patient = last.patient;
                    f.country = country_of(last.site);
                    f.on = last.on;
                    for (const auto& failure : evaluate_eligibility(known->second, values).failures)
                        f.failed.push_back(failure_text(failure));
                    for (auto& w : writers) w.screen_failure(f);
                    hand_on();
                };
                st.for_each_screening([&](const store::Screening& sc) {
                    if (sc.protocol != design.id) return;
                    if (selection->version() && sc.version != *selection->version()) return;
                    // Screenings after the as-of date have not happened yet.
                    const auto site = sites.find(sc.site);
                    const date::sys_days as_of =
                        r.as_of ? *r.as_of : today_in(env, site != sites.end() ? site->second.tz : "UTC");
                    if (sc.on > as_of) return;
                    if (!theirs.empty() && (theirs.back().site != sc.site || theirs.back().patient != sc.patient))
                        decide();
                    theirs.push_back(sc);
                });
                decide();
            }
        }
        for (auto& c : chunks) c.flush();
        for (const auto& w : writers) rows.push_back(w.rows());
    });
    return rows;
}

}  // namespace trialcal::trial
