#pragma once
// Compliance reports: per patient and drug, then totals per drug label.
#include "core/compliance.hpp"

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
};

struct ReportHeader {
    date::sys_days as_of;
    std::string audit_head;            // latest audit chain hash, printed at the foot
    std::optional<double> below;       // highlight patients under this compliance %
};

[[nodiscard]] std::string compliance_json(const std::vector<PatientReport>& ps, const ReportHeader& h);
[[nodiscard]] std::string compliance_csv(const std::vector<PatientReport>& ps, const ReportHeader& h);
[[nodiscard]] std::string compliance_table(const std::vector<PatientReport>& ps, const ReportHeader& h);

}  // namespace trialcal
