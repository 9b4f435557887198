#include "trial/interop_exports.hpp"

#include "output/fhir.hpp"
#include "output/odm.hpp"
#include "trial/error.hpp"
#include "trial/patient.hpp"
#include "trial/patient_filter.hpp"
#include "trial/recording.hpp"
#include "trial/text.hpp"
#include "trial/time.hpp"

#include <fmt/format.h>

namespace trialcal::trial {

std::string odm_export(const Env& env, const Catalog& catalog, const OdmQuery& q) {
    check_line("--protocol", q.protocol);
    const Protocol& p = catalog.find(q.protocol).protocol;
    return odm::study_design(p, {date::format("%FT%T", env.clock.now()),
                                 TRIALCAL_VERSION});
}

void fhir_export(const Env& env, const FhirQuery& q, const Emit& emit_to) {
    check_line("--patient", q.patient);
    check_line("--site", q.site);
    check_line("--as-of", q.as_of);
    if (q.patient.empty() == q.site.empty())
        throw Error(Kind::missing_input, "give --patient P or --site S: the patient, or every patient of the site");
    std::optional<date::sys_days> as_of;
    if (!q.as_of.empty()) as_of = parse_date_option("--as-of", q.as_of);
    with_store([&] {
        auto s = env.storage.open(store::Mode::read);
        const PatientSelection selection = PatientSelection::resolve(*s, {}, {q.patient, q.site, ""});
        ChunkedEmit emit(emit_to);
        fhir::BundleWriter bundle(q.patient.empty() ? "site-" + q.site : "patient-" + q.patient);
        s->for_each_patient([&](const store::Patient& pt) {
            if (!selection.admits(pt)) return;
            PatientPlan pp = load_patient(*s, pt.id);
            fhir::Subject subject;
            subject.site = pt.site;
            subject.patient = pt.id;
            subject.shown = pp.blinded_plan();
            subject.records = std::move(pp.live);
            subject.as_of = as_of ? *as_of : today_in(env, pt.tz);
            subject.protocol = &pp.protocol;
            bundle.subject(subject);
            emit(bundle.take());
        });
        emit(bundle.finish());
        emit.flush();
    });
}

}  // namespace trialcal::trial
