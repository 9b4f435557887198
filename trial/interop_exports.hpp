#pragma once
// The exports other systems read as standards (docs/interop.md): a
// protocol's schedule as an ODM 2.0 study design, and patients as a FHIR R5
// Bundle. Blinded always: no arm and no real product of a blinded trial.
#include "trial/catalog.hpp"
#include "trial/emit.hpp"
#include "trial/env.hpp"

#include <string>

namespace trialcal::trial {

struct OdmQuery {
    std::string protocol;  // ID[@VERSION] or a registry id
};
// The study design, created at the clock's now.
[[nodiscard]] std::string odm_export(const Env& env, const Catalog& catalog, const OdmQuery& q);

struct FhirQuery {
    std::string patient;  // one patient, or
    std::string site;     // every patient of a site
    std::string as_of;    // YYYY-MM-DD; empty: today at the patient's site
};
// The bundle, handed to `emit` a patient at a time.
void fhir_export(const Env& env, const FhirQuery& q, const Emit& emit);

}  // namespace trialcal::trial
