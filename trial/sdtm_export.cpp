// CDISC SDTM datasets (docs/sdtm.md) from the trial design and the
// subjects' plans and records, written one subject at a time.
#include "trial/sdtm_export.hpp"

#include "core/course.hpp"

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
        if (!d) throw Error(Kind::missing_input, fmt::format("unknown domain '{}': trialcal exports TV, TA, TE, SV, EX and DV", n));
        if (std::find(out.begin(), out.end(), *d) == out.end()) out.push_back(*d);
    }
    return out;
}

bool wants(const std::vector<sdtm::Domain>& ds, sdtm::Domain d) { return std::find(ds.begin(), ds.end(), d) != ds.end(); }

bool wants_subjects(const std::vector<sdtm::Domain>& ds) {
    return wants(ds, sdtm::Domain::SV) || wants(ds, sdtm::Domain::EX) || wants(ds, sdtm::Domain::DV);
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
    if (a.unblinded) {
        if (a.reason.empty()) throw Error(Kind::missing_input, "--unblinded needs --reason TEXT: unblinding is audited");
        check_text("--reason", a.reason, 2000);
        if (!wants(r.domains, sdtm::Domain::EX))
            throw Error(Kind::missing_input, "--unblinded changes EX only: export EX, or leave out --unblinded");
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
            writers.emplace_back(r.domains[i], sdtm::Options{a.unblinded});
            sinks.emplace_back([&to, i](const std::string& bytes) { to(i, bytes); });
            chunks.emplace_back(sinks.back());
        }
        const auto hand_on = [&] {
            for (std::size_t i = 0; i < writers.size(); ++i) chunks[i](writers[i].take());
        };
        std::map<std::string, Protocol> versions;  // by file hash: each stored version parsed once
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
                s.protocol = &protocol;
                s.plan = stored_plan(st, pt, protocol);
                s.records = follow_course(st, pt, protocol, s.plan);
                if (unblinding) s.plan = unblinding->plan_of(pt, protocol, std::move(s.plan));
                apply_dose_changes(protocol, s.plan, s.records);
                for (const auto& rec : st.records(pt.id))
                    if (!rec.voided && rec.kind == store::RecordKind::dose)
                        s.administered.push_back({rec.id, rec.at_local, rec.unit, rec.kit});
                s.as_of = r.as_of ? *r.as_of : today_in(env, pt.tz);
                for (auto& w : writers) w.subject(s);
                hand_on();
            });
        }
        for (auto& c : chunks) c.flush();
        for (const auto& w : writers) rows.push_back(w.rows());
    });
    return rows;
}

}  // namespace trialcal::trial
