// CDISC SDTM datasets (docs/sdtm.md) assembled in memory from the trial
// design and the subjects' plans and records.
#include "trial/sdtm_export.hpp"

#include "trial/error.hpp"
#include "trial/patient_filter.hpp"
#include "trial/recording.hpp"
#include "trial/time.hpp"

#include <fmt/format.h>

#include <algorithm>

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

// One subject as the datasets need them: plan, records not voided, and the
// details of each administration (wall time, unit, kit).
sdtm::Subject subject(const Env& env, store::Store& st, const store::Patient& pt, std::optional<date::sys_days> as_of,
                      const Unblinding* unblinding) {
    PatientPlan pp = load_patient(st, pt.id);
    sdtm::Subject s;
    s.site = pt.site;
    s.patient = pt.id;
    s.plan = unblinding ? unblinding->plan_of(pp) : std::move(pp.plan);
    s.protocol = std::move(pp.protocol);
    s.records = st.live_records(pt.id);
    for (const auto& r : st.records(pt.id))
        if (!r.voided && r.kind == store::RecordKind::dose) s.administered.push_back({r.id, r.at_local, r.unit, r.kit});
    s.as_of = as_of ? *as_of : today_in(env, pt.tz);
    return s;
}

// The studies to export: the one --protocol names (the trial design from its
// file, the subjects enrolled on any of its versions), else every study with
// a patient in the database, by id.
std::vector<sdtm::Study> studies(const Env& env, const std::function<Catalog()>& catalogs, const SdtmQuery& a,
                                 const std::vector<sdtm::Domain>& domains, std::optional<date::sys_days> as_of,
                                 const Unblinding* unblinding) {
    const bool subjects = wants(domains, sdtm::Domain::SV) || wants(domains, sdtm::Domain::EX) ||
                          wants(domains, sdtm::Domain::DV);
    const Catalog catalog = catalogs();
    std::vector<sdtm::Study> out;
    if (!a.protocol.empty()) {
        out.push_back({catalog.find(a.protocol).protocol, {}});
        if (!subjects) return out;  // the trial design alone needs no database
    }
    auto store = env.storage.open(store::Mode::read);
    store::Store& st = *store;
    const std::vector<store::Patient> patients = st.patients();
    if (a.protocol.empty()) {
        std::vector<std::string> ids;
        for (const auto& pt : patients)
            if (std::find(ids.begin(), ids.end(), pt.protocol) == ids.end()) ids.push_back(pt.protocol);
        std::sort(ids.begin(), ids.end());
        for (const auto& id : ids) {
            const auto files = catalog.versions(id);
            if (!files.empty()) {
                out.push_back({files.back()->protocol, {}});
                continue;
            }
            // No longer in the catalog: the newest version a patient is on, as stored.
            std::optional<Protocol> newest;
            for (const auto& pt : patients)
                if (pt.protocol == id) {
                    Protocol p = load_patient(st, pt.id).protocol;
                    if (!newest || version_less(newest->version, p.version)) newest = std::move(p);
                }
            out.push_back({std::move(*newest), {}});
        }
    }
    if (!subjects) return out;
    // ID@VERSION: the subjects currently on that version only.
    const PatientSelection selection =
        PatientSelection::resolve(st, [&catalog] { return catalog; }, {"", "", a.protocol});
    for (auto& study : out)
        for (const auto& pt : patients)
            if (pt.protocol == study.design.id && selection.admits(pt))
                study.subjects.push_back(subject(env, st, pt, as_of, unblinding));
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

std::vector<SdtmFile> assemble_sdtm(const Env& env, const Actor& by, const std::function<Catalog()>& catalog,
                                    const SdtmQuery& a, const SdtmRequest& r) {
    std::vector<SdtmFile> files;
    std::string names;
    with_store([&] {
        // The key is opened before anything is read or written: a wrong key
        // or passphrase leaves no unblinding row.
        std::optional<Unblinding> unblinding;
        if (a.unblinded) unblinding.emplace(open_unblinding(env, *env.storage.open(store::Mode::read), a.key));
        const std::vector<sdtm::Study> all =
            studies(env, catalog, a, r.domains, r.as_of, unblinding ? &*unblinding : nullptr);
        for (const sdtm::Domain d : r.domains) {
            files.push_back({sdtm::file_name(d), sdtm::dataset(d, all, {a.unblinded})});
            names += (names.empty() ? "" : ", ") + std::string(sdtm::code(d));
        }
        if (a.unblinded) {
            std::string ids;
            for (const auto& s : all) ids += (ids.empty() ? "" : ", ") + s.design.id;
            // In the trail before any unblinded byte is written.
            const std::string what = fmt::format("SDTM export {} ({})", names, ids.empty() ? "no study" : ids);
            audit_unblinding(env, *env.storage.open(store::Mode::update), by, "", what, a.reason);
        }
    });
    return files;
}

}  // namespace trialcal::trial
