#pragma once
// CDISC SDTM datasets as CSV, one per domain: the trial design (TV, TA, TE)
// from a protocol, and what happened to each subject (DM, SV, EX, DV, DS,
// SE) from their plan and their records. Pure: the records, the as-of date and the choice to
// unblind come in. docs/sdtm.md maps every variable to its source.
#include "core/calendar.hpp"
#include "core/compliance.hpp"
#include "core/protocol.hpp"
#include "output/dataset_json.hpp"

#include <date/date.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trialcal::sdtm {

// --- Study days ----------------------------------------------------------
// SDTM counts study days from the reference start date (RFSTDTC), which is
// day 1; there is no day 0. Here the reference start date is the patient's
// day 0, so protocol Dn (n >= 0) is SDTM day n + 1, and a date before day 0
// is negative: the day before is -1.

// The SDTM study day of `d` when `reference` is day 1.
[[nodiscard]] constexpr int study_day(date::sys_days d, date::sys_days reference) noexcept {
    const auto n = static_cast<int>((d - reference).count());
    return n >= 0 ? n + 1 : n;
}

// The SDTM planned study day (VISITDY) of protocol day Dn.
[[nodiscard]] constexpr int planned_study_day(StudyDay d) noexcept {
    return d.count() >= 0 ? d.count() + 1 : d.count();
}

// --- Domains ---------------------------------------------------------------

enum class Domain : unsigned char { TV, TA, TE, SV, EX, DV, DM, DS, SE };

inline constexpr Domain all_domains[] = {Domain::TV, Domain::TA, Domain::TE, Domain::SV, Domain::EX,
                                         Domain::DV, Domain::DM, Domain::DS, Domain::SE};

// "TV", "tv", … (ASCII case-insensitive); none for anything else.
[[nodiscard]] std::optional<Domain> parse_domain(std::string_view name) noexcept;
[[nodiscard]] std::string_view code(Domain d) noexcept;       // "TV"
// What holds a dataset's rows: CSV text (the header row first), or
// Dataset-JSON rows (output/dataset_json.hpp), whose head and tail the
// front end writes around them once it knows how many there are.
enum class Container : unsigned char { csv, dataset_json };

[[nodiscard]] std::string file_name(Domain d, Container c = Container::csv);  // "tv.csv", "tv.json"
[[nodiscard]] const std::vector<std::string>& variables(Domain d);  // the header row, in order
// The variables with their SDTMIG labels and Dataset-JSON data types, in order.
[[nodiscard]] const std::vector<dataset_json::Column>& columns(Domain d);
[[nodiscard]] std::string_view label(Domain d) noexcept;  // "Trial Visits"

// STUDYID-SITE-PATIENT
[[nodiscard]] std::string usubjid(std::string_view study, std::string_view site, std::string_view patient);

// --- Trial design: arms and elements ----------------------------------------

enum class ElementKind : unsigned char { screening, treatment, follow_up };

struct Element {
    std::string etcd;     // SCRN, TRT1, TRT2A, FU, …
    ElementKind kind = ElementKind::treatment;
    std::string name;     // ELEMENT
    StudyDay start;       // first protocol day, inclusive
    StudyDay end;         // last protocol day, inclusive
    std::string testrl;
    std::string teenrl;
    [[nodiscard]] int days() const noexcept { return (end - start).count() + 1; }
};

struct ArmStep {
    std::size_t element = 0;  // index into TrialDesign::elements
    std::string epoch;        // SCREENING, TREATMENT, TREATMENT 2, FOLLOW-UP
    std::string branch;       // TABRANCH
};

struct DesignArm {
    std::string armcd;
    std::string arm;
    std::vector<ArmStep> steps;  // TAETORD = position + 1
};

struct TrialDesign {
    std::vector<Element> elements;  // TE, in first-use order
    std::vector<DesignArm> arms;    // TA
};

// Each arm (or cohort) walks through a screening element (the first visit
// to the day before the first dose), one treatment element per group of
// regimens (regimens that overlap are one group; a group lasts until the next
// begins), and a follow-up element (the day after the last dose to the last
// visit). Arms that share an element's treatment and days share the element.
[[nodiscard]] TrialDesign trial_design(const Protocol& p);

// --- Subjects ------------------------------------------------------------------

// What compliance's Records do not carry about one administration.
struct Administered {
    std::int64_t record = 0;
    std::string at_local;  // site wall time, YYYY-MM-DDTHH:MM
    std::string unit;      // as recorded; empty: "as planned"
    std::string kit;
};

struct Subject {
    std::string site;
    std::string patient;
    std::string country;     // the site's, ISO 3166-1 alpha-2 ("FR"); empty when the site gives none
    const Protocol* protocol = nullptr;  // the version the patient's plan comes from; outlives the subject
    Calendar plan;           // unblinded, as stored; plan.day0 is RFSTDTC; plan.arm, plan.cohort: DM's arm
    Records records;         // not voided
    std::vector<Administered> administered;
    date::sys_days as_of;    // records dated after it do not exist yet
};

// A patient screened for the study and never enrolled in it, whose last
// screening (on or before the as-of date) found them not eligible: a row of
// DM (ARMNRS "SCREEN FAILURE") and of DS, nowhere else.
struct ScreenFailure {
    std::string site;                 // where screened
    std::string patient;
    std::string country;              // the site's, ISO 3166-1 alpha-2; may be empty
    date::sys_days on;                // the last screening's date
    std::vector<std::string> failed;  // what failed, one text per criterion or group (DSTERM)
};

struct Study {
    Protocol design;                 // TV, TA, TE; STUDYID is design.id
    std::vector<Subject> subjects;   // DM, SV, EX, DV, DS, SE, in USUBJID order
    std::vector<ScreenFailure> screen_failures{};  // DM, DS: after the subjects
};

struct Options {
    // EX names the real drug and amount, DM the subject's arm, SE the
    // arm's own treatment elements; otherwise the blinded label and the
    // handled volume, and no arm (a blinded protocol's). Everything else is
    // the same either way.
    bool unblinded = false;
    Container container = Container::csv;
};

struct Dataset {
    std::string csv;       // header row, then every study's rows in turn (Dataset-JSON: the rows only)
    std::size_t rows = 0;  // not counting the header
};

// One dataset written study by study and subject by subject, so that an
// export of a network never holds its rows, or its subjects, in memory.
class DatasetWriter {
public:
    explicit DatasetWriter(Domain d, Options o = {});
    ~DatasetWriter();
    DatasetWriter(DatasetWriter&&) noexcept;
    DatasetWriter& operator=(DatasetWriter&&) noexcept;

    // The study whose subjects follow (it outlives them): TV, TA and TE
    // write its trial design here.
    void study(const Protocol& design);
    // The subject domains: the subject's rows, in the study last begun; the
    // design domains write nothing.
    void subject(const Subject& s);
    // DM and DS: a screen failure's rows, in the study last begun (after its
    // subjects); the other domains write nothing.
    void screen_failure(const ScreenFailure& f);
    // What was written since the last take(), the header row first.
    [[nodiscard]] std::string take();
    [[nodiscard]] std::size_t rows() const noexcept;  // so far, not counting the header

private:
    struct State;
    std::unique_ptr<State> state_;
};

// The whole dataset at once: what a DatasetWriter fed every study writes.
[[nodiscard]] Dataset dataset(Domain d, const std::vector<Study>& studies, const Options& o = {});

// CDISC controlled terms for a protocol's route ("SC" -> "SUBCUTANEOUS") and
// unit ("ml" -> "mL"); anything else is kept as written.
[[nodiscard]] std::string route_term(std::string_view route);
[[nodiscard]] std::string unit_term(std::string_view unit);
// DM's COUNTRY is ISO 3166-1 alpha-3: "FR" -> "FRA"; empty for a code that
// names no country.
[[nodiscard]] std::string country_term(std::string_view alpha2);

}  // namespace trialcal::sdtm
