#pragma once
// FHIR R5 for a sponsor's or a hospital's systems (docs/interop.md): one
// Bundle (type collection) holding, for each protocol version, its
// ResearchStudy and PlanDefinition, and for each patient a Patient (the
// trial's identifiers only), a ResearchSubject whose progress follows the
// course (core/course.hpp), a CarePlan of the calendar whose activities are
// a ServiceRequest per visit and a MedicationRequest per planned dose, and a
// MedicationAdministration per dose record. Pure and blinded: the plan comes
// in as every user may see it (blinded labels and volumes, no arm), and
// every id is made from the data, so the same records give the same bytes.
#include "core/calendar.hpp"
#include "core/compliance.hpp"
#include "core/protocol.hpp"
#include "output/json.hpp"

#include <date/date.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace trialcal::fhir {

struct Subject {
    std::string site;
    std::string patient;
    const Protocol* protocol = nullptr;  // the version of the patient's plan; outlives the subject
    Calendar shown;                      // the plan, blinded, with the course followed and the amounts it plans
    Records records;                     // live (not voided)
    date::sys_days as_of;                // what is dated after it has not happened yet
};

// Written a patient at a time, so that a site's bundle is never held whole.
class BundleWriter {
public:
    // `id`: the bundle's ("site-PSL", "patient-P001").
    explicit BundleWriter(std::string_view id);
    void subject(const Subject& s);
    // What was written since the last take().
    [[nodiscard]] std::string take() { return json_.take(); }
    // Closes the bundle; returns the rest of the document.
    [[nodiscard]] std::string finish();

private:
    JsonWriter json_;
    std::set<std::string> studies_;  // protocol versions written
};

// A FHIR id from any text: letters, digits, '-' and '.', at most 64.
[[nodiscard]] std::string resource_id(std::string_view text);

}  // namespace trialcal::fhir
