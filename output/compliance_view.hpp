#pragma once
// Compliance reports: per patient and drug, then totals per drug label.
#include "core/compliance.hpp"
#include "core/course.hpp"
#include "output/csv.hpp"
#include "output/json.hpp"
#include "output/table.hpp"

#include <date/date.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace trialcal {

struct PatientReport {
    std::string patient;
    std::string protocol;
    std::string version;
    std::string site;
    Compliance compliance;
    std::vector<std::string> drugs;  // label of each entry of compliance.doses, as the viewer may see it
    // For the HTML report: the calendar the outcomes' Event pointers point
    // into (as the viewer may see it), kept alive with them, and the records judged.
    std::shared_ptr<const Calendar> plan;
    Records records;
    std::optional<std::string> arm;  // set in an unblinded report only
    CourseStatus status = CourseStatus::on_treatment;  // as of the report's date
};

// The patient's course in a line (course.md, Reports): "day 0 2027-03-01;
// treatment discontinued on 2027-04-02 (neutropenia, R14); withdrawn on …
// (moved away, lost to follow-up, R15); 1 unscheduled visit".
[[nodiscard]] std::string course_text(const PatientReport& p);

struct ReportHeader {
    date::sys_days as_of;
    std::string audit_head;            // latest audit chain hash, printed at the foot
    std::optional<double> below;       // highlight patients under this compliance %
    // Real drugs and amounts shown: every format says so (docs/compliance.md,
    // "Unblinded reports").
    bool unblinded = false;
};

// The first line of an unblinded table, and the banner of every printed page.
inline constexpr const char* unblinded_notice =
    "UNBLINDED: real drugs and amounts are shown; not for blinded staff";

// Totals per drug label, in the order labels first appear, and for visits.
struct ComplianceTotals {
    struct Drug {
        std::string drug;
        Figures figures;
    };
    std::vector<Drug> doses;
    Figures visits;
    void add(const PatientReport& p);
};

// The JSON and CSV reports written one patient at a time: a network's
// report never sits in memory. take() returns what is ready; finish() the rest.
class ComplianceJson {
public:
    explicit ComplianceJson(const ReportHeader& h);
    void add(const PatientReport& p);
    [[nodiscard]] std::string take() { return j_.take(); }
    [[nodiscard]] std::string finish();

private:
    ReportHeader h_;
    JsonWriter j_;
    ComplianceTotals totals_;
};

class ComplianceCsv {
public:
    explicit ComplianceCsv(const ReportHeader& h);
    void add(const PatientReport& p);
    [[nodiscard]] std::string take() { return w_.take(); }
    [[nodiscard]] std::string finish();

private:
    void row(const PatientReport* p, const std::string& what, const Figures& f, bool visits);
    ReportHeader h_;
    std::string as_of_;
    CsvWriter w_;
    ComplianceTotals totals_;
};

// The table, aligned over every row, written in two passes over the
// patients so that a network's table never sits in memory: measure() each
// patient, then head(), rows() of each patient again, and finish().
class ComplianceTable {
public:
    explicit ComplianceTable(const ReportHeader& h);
    void measure(const PatientReport& p);
    [[nodiscard]] std::string head();
    [[nodiscard]] std::string rows(const PatientReport& p) const;
    [[nodiscard]] std::string finish() const;

private:
    [[nodiscard]] bool low(const Figures& f) const;
    [[nodiscard]] std::vector<std::vector<std::string>> patient_rows(const PatientReport& p) const;
    [[nodiscard]] std::vector<std::vector<std::string>> total_rows() const;
    ReportHeader h_;
    TextTable t_;
    ComplianceTotals totals_;
    std::size_t patients_ = 0;
    int flagged_ = 0;
};

[[nodiscard]] std::string compliance_json(const std::vector<PatientReport>& ps, const ReportHeader& h);
[[nodiscard]] std::string compliance_csv(const std::vector<PatientReport>& ps, const ReportHeader& h);
[[nodiscard]] std::string compliance_table(const std::vector<PatientReport>& ps, const ReportHeader& h);

}  // namespace trialcal
