#pragma once
// The protocol model: what a protocol file says, validated. One Protocol is
// one version of one study's schedule.
#include "core/study_day.hpp"

#include <date/date.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trialcal {

struct Product {
    std::string id;     // prefix of its dose event ids
    std::string drug;   // the real drug name
    std::string route;  // "SC", "oral"
    std::string unit;   // "MIU", "mg"
    std::string form;   // "injection", "capsule"; may be empty
    // Blinded products: what blinded staff see instead of drug and amount.
    std::optional<std::string> blinded_label;
    std::optional<double> blinded_amount;
    std::string blinded_unit;

    [[nodiscard]] bool blinded() const noexcept { return blinded_label.has_value(); }
    // What every user may be shown: the blinded label, else the drug.
    [[nodiscard]] const std::string& shown_name() const noexcept { return blinded_label ? *blinded_label : drug; }
};

struct Arm {
    std::string id;
    std::string name;
    std::vector<std::pair<std::string, double>> doses;  // product id -> amount
    std::vector<std::string> placebo;                   // product ids given as placebo

    [[nodiscard]] std::optional<double> dose_of(std::string_view product) const noexcept;
    [[nodiscard]] bool is_placebo(std::string_view product) const noexcept;
};

struct Cohort {
    std::string id;
    std::string name;
};

// Who gives a regimen's doses: staff at the site, or the patient at home
// (oral ciclosporin). Home doses are not nurse tasks on the worklist.
enum class Setting : unsigned char { site, home };

// A time of day, in minutes after midnight of the site's wall clock.
using TimeOfDay = std::chrono::minutes;

// A once-a-day dose with no intake time is planned for noon: the time of day
// farthest from both midnights, so a morning or evening record is as near.
inline constexpr TimeOfDay noon{12 * 60};

// The most administrations a regimen plans on one day: one a minute. Several
// intakes need intake_times, distinct "HH:MM" in increasing order, so no file
// can give more; the limit is stated so an intake's index has a fixed width.
inline constexpr std::size_t max_intakes_per_day = 24 * 60;

// The most events (visits and doses) one patient's calendar may have. The
// largest seed calendar has 175 (NCT05153070 v2); ten years of a dose four
// times a day with monthly visits is about 14 700. More is a typing mistake
// (every_days = 1 for 7), and expanding it would hold up enrollment, the
// worklist and every report of the site.
inline constexpr std::size_t max_events_per_patient = 20'000;

// What a patient reads for a visit or a regimen on the calendar printed for
// them (calendar --format html), in each language the file gives it; empty
// where it gives none, and the calendar falls back to the visit's name or the
// drug. The protocol's own names are for staff ("M3", "induction").
struct PatientName {
    std::string fr;
    std::string en;
};

enum class AmountRule : unsigned char {
    from_arm,   // the arm's dose of the product
    fixed,      // the same amount for everyone
    per_kg,     // mg/kg x body weight, rounded
};

struct Regimen {
    std::string id;
    std::string name;
    std::string product;
    StudyDay first_day;
    StudyDay last_day;
    date::days every{1};
    std::vector<std::string> intakes;  // empty: one intake a day
    // Nominal time of day of each intake (one for a once-a-day regimen), in
    // increasing order; empty only for once a day, which is then at noon.
    std::vector<TimeOfDay> intake_times;
    Window window;
    // Whole days before / after the window within which an administration can
    // still be matched to a dose, early or late (compliance.md: reach).
    date::days early_limit{0};
    date::days late_limit{0};
    Setting setting = Setting::site;
    AmountRule rule = AmountRule::fixed;
    double amount = 0;      // fixed
    double mg_per_kg = 0;   // per_kg
    double round_to = 0;    // per_kg
    std::vector<std::string> cohorts;         // only these, when not empty
    std::vector<std::string> except_cohorts;  // all but these
    // The planned event its doses count from instead of day 0 (course.md,
    // Anchors): "ILT101-D63". None: from day 0. One of its own doses may be
    // named; that dose then keeps its date and the others count from it.
    std::optional<std::string> anchor;
    PatientName patient_name;

    [[nodiscard]] bool applies_to(std::string_view cohort) const noexcept;
    // Administrations it plans for one patient: dosing days x intakes.
    [[nodiscard]] std::size_t dose_count() const noexcept;
    // Whether it plans doses on protocol day `d`.
    [[nodiscard]] bool doses_on(StudyDay d) const noexcept {
        return d >= first_day && d <= last_day && (d - first_day).count() % every.count() == 0;
    }
    // Nominal time of day of intake `k` (0 when once a day).
    [[nodiscard]] TimeOfDay time_of(std::size_t k) const noexcept {
        return k < intake_times.size() ? intake_times[k] : noon;
    }
};

struct Visit {
    std::string id;
    std::string name;
    StudyDay day;
    Window window;
    std::vector<std::string> procedures;
    // The planned event its date counts from instead of day 0 (course.md,
    // Anchors): "ILT101-D63". None: from day 0.
    std::optional<std::string> anchor;
    PatientName patient_name;
    // The visit a withdrawn patient is asked to come to (course.md, Status):
    // not part of the plan; added on withdrawal, its day counted from the
    // withdrawal date.
    bool early_termination = false;
};

// A numeric eligibility criterion checked at screening (course.md,
// Eligibility at enrollment). At most one lower bound (min or min_exclusive)
// and one upper bound (max or max_exclusive): protocols say "> 1000" as often
// as ">= 1000", and a strict bound written as its nearest inclusive value
// would pass exactly 1000.
struct Criterion {
    std::string id;
    std::string text;
    std::string unit;
    std::optional<double> min;            // inclusive
    std::optional<double> max;            // inclusive
    std::optional<double> min_exclusive;  // strict: the value must be above it
    std::optional<double> max_exclusive;  // strict: the value must be below it
    // The any_of group it is an alternative of ("weight_or_c_peptide"): the
    // group passes when any one of its criteria passes. Empty: on its own.
    std::string any_of;
};

struct Assumption {
    std::string about;
    std::string text;
};

struct Protocol {
    std::string id;
    std::string version;
    std::string title;
    std::string design;
    std::string notes;
    std::vector<std::string> registry_ids;
    bool blinded = false;
    std::vector<Product> products;
    std::vector<Arm> arms;
    std::vector<Cohort> cohorts;
    std::vector<Regimen> regimens;
    std::vector<Visit> visits;
    std::vector<Criterion> eligibility;
    // How long a passing screening stays good for enrollment: at most this
    // many days before day 0 ([protocol] screening_valid_days).
    date::days screening_valid_days{30};
    std::vector<Assumption> assumptions;

    [[nodiscard]] const Product* product(std::string_view id) const noexcept;
    [[nodiscard]] const Arm* arm(std::string_view id) const noexcept;
    [[nodiscard]] const Cohort* cohort(std::string_view id) const noexcept;
    // Events of the calendar of a patient in `cohort` ("" without cohorts):
    // visits and the doses of the regimens that apply, counted, not expanded.
    // The early-termination visit is not planned, so not counted.
    [[nodiscard]] std::size_t events_for(std::string_view cohort) const noexcept;
    // Visits of every patient's plan: all but the early-termination visit.
    [[nodiscard]] std::size_t planned_visit_count() const noexcept;
    // A weight is needed when any regimen doses by body weight.
    [[nodiscard]] bool needs_weight() const noexcept;
    // The protocol id or one of its registry ids, case-insensitively.
    [[nodiscard]] bool known_as(std::string_view name) const noexcept;
};

// ASCII case-insensitive equality, for ids typed by people.
[[nodiscard]] bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace trialcal
