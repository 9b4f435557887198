#pragma once
// The compliance report a monitor prints and signs: one self-contained HTML
// file (A4 print CSS, no scripts, no outside resources). A header with the
// study, sites, as-of date, who printed it and the audit chain head; a summary
// of every patient; then per patient, on a page of its own, an SVG timeline of
// every planned visit and dose against what happened, the figures, and the
// deviations with their reasons.
//
// Labels come only from PatientReport::plan (the calendar as the viewer may
// see it) and PatientReport::drugs: a blinded calendar never shows an arm.
#include "output/compliance_view.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trialcal {

struct HtmlReportHeader {
    ReportHeader report;               // as-of date, audit chain head, --below
    std::string printed_by;            // who printed it: the user named, else the OS account
    std::string scope;                 // what was asked for: "site PSL", "patient P001", "all patients"
    std::vector<std::string> studies;  // one line per protocol version reported, e.g. "DF-IL2 version 1: title"
};

// What the report's head says of all its patients, gathered before any
// patient is judged: how many, at which sites (in the order met), and
// whether any is on a blinded protocol.
struct HtmlReportFacts {
    std::size_t patients = 0;
    std::vector<std::string> sites;
    bool blinded = false;
    void add(const std::string& site, bool blinded_plan);
};

// The report written in three passes over the patients, so that a network's
// report never sits in memory: head(), then summary() of each patient and
// summary_end(), then page() of each patient and end(). The summary needs
// only judging; the pages need the full plans.
class ComplianceHtml {
public:
    ComplianceHtml(HtmlReportHeader h, HtmlReportFacts facts);
    [[nodiscard]] std::string head() const;
    [[nodiscard]] std::string summary(const PatientReport& p);  // the patient's rows; counted in the totals
    [[nodiscard]] std::string summary_end() const;              // the totals
    [[nodiscard]] std::string page(const PatientReport& p) const;
    [[nodiscard]] static std::string end();

private:
    HtmlReportHeader h_;
    HtmlReportFacts facts_;
    std::string as_of_;
    ComplianceTotals totals_;
};

// The whole report at once, from the same pieces.
[[nodiscard]] std::string compliance_html(const std::vector<PatientReport>& ps, const HtmlReportHeader& h);

// Text for HTML content and attribute values: & < > " ' escaped.
[[nodiscard]] std::string html_escape(std::string_view s);
// Its inverse, for the five entities it writes: nullopt on any other `&`.
[[nodiscard]] std::optional<std::string> html_unescape(std::string_view s);
// A CSS string literal ("…") for the running text of printed pages
// (@page margin boxes): quotes, backslashes, markup and controls escaped.
[[nodiscard]] std::string css_string(std::string_view s);

}  // namespace trialcal
