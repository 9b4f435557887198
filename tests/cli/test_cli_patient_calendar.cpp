// End-to-end: calendar PATIENT --format html, the calendar and diary card
// printed for the patient, rendered to PDF by headless Chromium and read back
// with pdftotext, page by page, as the patient holds it.
#include "tests/support/clinic.hpp"
#include "tests/support/print_pdf.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace trialcal::test;

namespace {

const std::string box = "\u2610";

// NCT05153070 version 2 at 60 kg, arm ILT-101 (sealed: every view but an
// unblinded one shows "ILT-101 or placebo"). N001 from 2027-03-01: ciclosporin
// at home D1-D60 is March 2 to April 30, 30 days of two intakes in each
// month. N002 from 2027-07-31: all of August 2027 (six Monday-first weeks,
// 31 days of intakes), the fullest page a calendar can have.
struct Patients : Clinic {
    // Today is 15 July 2027: N002's screening, on today, is within the 30
    // days before its day 0 that it stays valid (course.md, Eligibility).
    Patients() {
        now = "2027-07-15T12:00:00Z";
        for (const auto& [patient, day0] : {std::pair{"N001", "2027-03-01"}, std::pair{"N002", "2027-07-31"}})
            ok({"enroll", patient, "--protocol", "NCT05153070", "--site", "PSL", "--day0", day0, "--arm", "ILT-101",
                "--weight", "60"});
    }
    fs::path pdf_of(const std::string& name, const std::vector<std::string>& args) const {
        return print_to_pdf(dir, name, ok(args));
    }
};

std::string run_text(const std::string& cmd) { return run_shell(cmd).out; }

int pages_of(const fs::path& pdf) {
    const std::string info = run_text("pdfinfo " + sh_quote(pdf.string()));
    const auto at = info.find("Pages:");
    BOOST_TEST_REQUIRE(at != std::string::npos, info);
    return std::stoi(info.substr(at + 6));
}

std::string page_text(const fs::path& pdf, int page) {
    const std::string n = std::to_string(page);
    return run_text("pdftotext -layout -f " + n + " -l " + n + " " + sh_quote(pdf.string()) + " -");
}

// Runs of white space as one space, and none after a hyphen: a name wraps
// in its narrow day cell, at spaces and after hyphens ("ILT-" / "101").
std::string squeezed(const std::string& text) {
    std::string out;
    for (const char c : text) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\f';
        if (!space) out += c;
        else if (!out.empty() && out.back() != ' ' && out.back() != '-') out += ' ';
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_patient_calendar)

BOOST_FIXTURE_TEST_CASE(printed_a_page_a_month_with_a_box_per_home_intake, Patients) {
    BOOST_TEST_REQUIRE(fs::exists("/usr/bin/chromium"), "tools/test installs Debian's chromium");
    const fs::path pdf = pdf_of("n001", {"calendar", "N001", "--format", "html"});
    // March 2027 to February 2028 (D0 to the M12 visit), August 2028 (M18)
    // and February 2029 (M24): the months between hold nothing and are not printed.
    const std::vector<std::string> months{"Mars 2027",     "Avril 2027",   "Mai 2027",       "Juin 2027",
                                          "Juillet 2027",  "Août 2027",    "Septembre 2027", "Octobre 2027",
                                          "Novembre 2027", "Décembre 2027", "Janvier 2028",  "Février 2028",
                                          "Août 2028",     "Février 2029"};
    BOOST_TEST_REQUIRE(pages_of(pdf) == static_cast<int>(months.size()));
    for (int n = 1; n <= static_cast<int>(months.size()); ++n) {
        const std::string text = page_text(pdf, n);
        BOOST_TEST_CONTEXT("page " << n << ":\n" << text) {
            BOOST_TEST(contains(text, months[static_cast<std::size_t>(n - 1)]));
            BOOST_TEST(contains(text, "Patient N001"));
            BOOST_TEST(contains(text, "NCT05153070 version 2"));
            BOOST_TEST(contains(text, "Centre Hôpital Pitié-Salpêtrière, Paris (PSL)"), text);
            BOOST_TEST(contains(text, "lun."));
            BOOST_TEST(contains(text, "page " + std::to_string(n) + " sur " + std::to_string(months.size())));
            // Ciclosporin 08:00 and 20:00, 30 days in March and 30 in April.
            BOOST_TEST(count(text, box) == (n <= 2 ? 60u : 0u));
            BOOST_TEST(contains(text, "Carnet de prises à domicile") == (n <= 2));
            // Blinded labels only: never the arm, never its amount.
            BOOST_TEST(!contains(text, "MIU"));
            BOOST_TEST(!contains(text, "UNBLINDED"));
        }
    }
    const std::string march = page_text(pdf, 1);
    BOOST_TEST(count(march, "08:00") == 30u, march);
    BOOST_TEST(count(march, "20:00") == 30u, march);
    BOOST_TEST(contains(march, "Ciclosporine, par la bouche · 300 mg par prise"), march);
    BOOST_TEST(contains(squeezed(march), "Visite d'inclusion"), march);
    const std::string may = squeezed(page_text(pdf, 3));
    BOOST_TEST(contains(may, "ILT-101 ou placebo"), may);
    BOOST_TEST(contains(may, "Visite J63"), may);
    const std::string february = page_text(pdf, 12);
    BOOST_TEST(contains(february, "Prochain rendez-vous"), february);
    BOOST_TEST(contains(february, "18 août 2028, Visite de suivi à 18 mois."), february);
}

BOOST_FIXTURE_TEST_CASE(a_six_week_month_of_intakes_still_fits_its_page, Patients) {
    BOOST_TEST_REQUIRE(fs::exists("/usr/bin/chromium"), "tools/test installs Debian's chromium");
    const fs::path pdf = pdf_of("n002", {"calendar", "N002", "--format", "html", "--lang", "en"});
    // July 2027 to July 2028 (D0 to M12), January 2029 (M18), July 2029 (M24).
    BOOST_TEST_REQUIRE(pages_of(pdf) == 15);
    const std::string august = page_text(pdf, 2);
    BOOST_TEST(contains(august, "August 2027"), august);
    BOOST_TEST(contains(august, "Home-dose diary"), august);
    BOOST_TEST(count(august, box) == 62u, august);  // 31 days x 2
    const std::string september = page_text(pdf, 3);
    BOOST_TEST(contains(september, "September 2027"), september);
    BOOST_TEST(count(september, box) == 58u, september);  // D32-D60: 29 days x 2
    BOOST_TEST(contains(page_text(pdf, 1), "Mon"), "Monday first");
}

BOOST_FIXTURE_TEST_CASE(unblinded_every_page_says_so, Patients) {
    const std::string html = ok({"calendar", "N001", "--format", "html", "--unblinded", "--reason", "emergency"});
    BOOST_TEST(count(html, "<div class=\"unblinded-banner\" role=\"note\">UNBLINDED") == 14u);
    BOOST_TEST(count(html, "ILT-101 · <span class=\"amount\">1 MIU</span>") == 46u);
}

BOOST_FIXTURE_TEST_CASE(lang_is_for_html_and_a_preview_prints_too, Patients) {
    const std::string en = ok({"calendar", "N001", "--format", "html", "--lang", "en"});
    BOOST_TEST(contains(en, "<h1>March 2027</h1>"));
    BOOST_TEST(contains(en, "Injection under the skin: ILT-101 or placebo · <span class=\"amount\">1 ml</span>"));
    refused(2, "--lang", {"calendar", "N001", "--lang", "en"});
    refused(2, "--lang", {"calendar", "N001", "--format", "html", "--lang", "de"});
    const std::string preview = ok({"calendar", "--protocol", "NCT05153070", "--day0", "2027-03-01", "--weight", "60",
                                    "--format", "html"});
    BOOST_TEST(contains(preview, "<b>Aperçu à partir du 1er mars 2027</b>"));
    BOOST_TEST(count(preview, box) == 120u);
    BOOST_TEST(!contains(preview, "MIU"));
}

BOOST_AUTO_TEST_SUITE_END()
