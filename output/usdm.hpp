#pragma once
// A protocol as a CDISC USDM v4.0.0 study definition (docs/interop.md, USDM):
// arms, cohorts, visits as encounters on the main timeline with their timings
// and windows, procedures as activities, products as study interventions and
// regimens as their administrations. What USDM has no field for (a regimen's
// first day and spacing, intakes, amounts per arm, limits) travels in
// extension attributes whose urls start with usdm_ext::prefix, which
// `protocol import usdm` reads back.
#include "core/protocol.hpp"

#include <string>
#include <string_view>

namespace trialcal {

namespace usdm_ext {
inline constexpr std::string_view prefix = "urn:trialcal:usdm:";
// The StudyVersion's.
inline constexpr std::string_view screening_valid_days = "urn:trialcal:usdm:screening_valid_days";
// A StudyIntervention's (one per product).
inline constexpr std::string_view product_route = "urn:trialcal:usdm:product:route";
inline constexpr std::string_view product_unit = "urn:trialcal:usdm:product:unit";
inline constexpr std::string_view product_form = "urn:trialcal:usdm:product:form";
inline constexpr std::string_view blinded_label = "urn:trialcal:usdm:product:blinded_label";
inline constexpr std::string_view blinded_amount = "urn:trialcal:usdm:product:blinded_amount";
inline constexpr std::string_view blinded_unit = "urn:trialcal:usdm:product:blinded_unit";
// A StudyArm's: one per product dosed (the url ends with ":" + product id,
// the value is the amount) and one per placebo product.
inline constexpr std::string_view arm_dose = "urn:trialcal:usdm:arm:dose:";
inline constexpr std::string_view arm_placebo = "urn:trialcal:usdm:arm:placebo";
// A StudyArm standing for a single-group protocol (trialcal: no arms).
inline constexpr std::string_view single_group = "urn:trialcal:usdm:arm:single_group";
// An Administration's (one per regimen).
inline constexpr std::string_view first_day = "urn:trialcal:usdm:regimen:first_day";
inline constexpr std::string_view last_day = "urn:trialcal:usdm:regimen:last_day";
inline constexpr std::string_view every_days = "urn:trialcal:usdm:regimen:every_days";
inline constexpr std::string_view intake = "urn:trialcal:usdm:regimen:intake";            // one per intake
inline constexpr std::string_view intake_time = "urn:trialcal:usdm:regimen:intake_time";  // "HH:MM", one per intake
inline constexpr std::string_view window_before = "urn:trialcal:usdm:regimen:window_before";
inline constexpr std::string_view window_after = "urn:trialcal:usdm:regimen:window_after";
inline constexpr std::string_view early_limit = "urn:trialcal:usdm:regimen:early_limit";
inline constexpr std::string_view late_limit = "urn:trialcal:usdm:regimen:late_limit";
inline constexpr std::string_view setting = "urn:trialcal:usdm:regimen:setting";        // "site" | "home"
inline constexpr std::string_view amount = "urn:trialcal:usdm:regimen:amount";          // "arm" or a number
inline constexpr std::string_view mg_per_kg = "urn:trialcal:usdm:regimen:mg_per_kg";
inline constexpr std::string_view round_to = "urn:trialcal:usdm:regimen:round_to";
inline constexpr std::string_view cohort = "urn:trialcal:usdm:regimen:cohort";            // one per cohort
inline constexpr std::string_view except_cohort = "urn:trialcal:usdm:regimen:except_cohort";
inline constexpr std::string_view anchor = "urn:trialcal:usdm:regimen:anchor";
// An EligibilityCriterion's: trialcal's numeric bounds (numbers as text).
inline constexpr std::string_view criterion_min = "urn:trialcal:usdm:criterion:min";
inline constexpr std::string_view criterion_max = "urn:trialcal:usdm:criterion:max";
inline constexpr std::string_view criterion_min_exclusive = "urn:trialcal:usdm:criterion:min_exclusive";
inline constexpr std::string_view criterion_max_exclusive = "urn:trialcal:usdm:criterion:max_exclusive";
inline constexpr std::string_view criterion_unit = "urn:trialcal:usdm:criterion:unit";
inline constexpr std::string_view criterion_any_of = "urn:trialcal:usdm:criterion:any_of";
// An Encounter's or an Administration's.
inline constexpr std::string_view patient_name_fr = "urn:trialcal:usdm:patient_name:fr";
inline constexpr std::string_view patient_name_en = "urn:trialcal:usdm:patient_name:en";
// The ScheduleTimeline holding trialcal's early-termination visit (a
// timeline import recognises by its name is read so too, as an assumption).
inline constexpr std::string_view early_termination = "urn:trialcal:usdm:timeline:early_termination";
// The code system of the CommentAnnotation codes that carry an assumption's `about`.
inline constexpr std::string_view assumption_system = "urn:trialcal:usdm:assumption";
}  // namespace usdm_ext

// The code system of values trialcal holds as free text (routes, units, forms).
inline constexpr std::string_view trialcal_code_system = "urn:trialcal:text";

// The early-termination timeline's name, which import recognises.
inline constexpr std::string_view early_termination_timeline = "Early Termination Timeline";

// The study definition, a USDM Wrapper-Input document.
[[nodiscard]] std::string usdm_json(const Protocol& p);

}  // namespace trialcal
