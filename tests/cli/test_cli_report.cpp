// End-to-end: report compliance as the printable HTML a monitor signs,
// rendered to PDF by headless Chromium and read back as text.
#include "tests/support/clinic.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>

using namespace trialcal::test;

namespace {

// The compliance.md worked example for P001 (arm IL2-2), and a placebo
// patient P002 with every dose on time.
struct Site : Clinic {
    Site() {
        now = "2027-03-10T12:00:00Z";
        for (const auto& [p, arm] : {std::pair{"P001", "IL2-2"}, std::pair{"P002", "IL2-4"}})
            ok({"enroll", p, "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm", arm, "--tz",
                "Europe/Paris"});
        for (const char* at : {"2027-03-02T09:00", "2027-03-03T09:10", "2027-03-05T08:50", "2027-03-05T17:00"})
            ok({"dose", "P001", "--at", at});
        ok({"skip", "P001", "V-D2", "--reason", "hospitalised"});
        for (const char* at : {"2027-03-02T09:00", "2027-03-03T09:00", "2027-03-04T09:00", "2027-03-05T09:00", "2027-03-06T09:00"})
            ok({"dose", "P002", "--at", at});
    }
    std::string head() const {
        const std::string v = ok({"audit", "verify"});
        return v.substr(v.find("head ") + 5, 64);
    }
};

std::string run_text(const std::string& cmd) { return run_shell(cmd).out; }

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_report)

BOOST_FIXTURE_TEST_CASE(html_report_has_every_patient_blinded_with_the_chain_head, Site) {
    const std::string html = ok({"report", "compliance", "--site", "PSL", "--as-of", "2027-03-10", "--format", "html"});
    BOOST_TEST(html.rfind("<!DOCTYPE html>", 0) == 0u);
    BOOST_TEST(contains(html, "P001"));
    BOOST_TEST(contains(html, "P002"));
    BOOST_TEST(contains(html, "80.0"));   // P001's dose compliance, the worked example
    BOOST_TEST(contains(html, "60.0"));   // P001's on-time %
    BOOST_TEST(contains(html, "hospitalised"));  // the skip's reason among the deviations
    BOOST_TEST(contains(html, head()));
    BOOST_TEST(contains(html, "nurse"));  // who printed it
    for (const std::string arm : {"IL2-2", "IL2-4", "0.33 MIU", "1 MIU"}) BOOST_TEST(!contains(html, arm), arm);
    BOOST_TEST(count(html, "<svg") >= 2u);
}

BOOST_FIXTURE_TEST_CASE(printed_to_pdf_by_chromium_it_reads_the_figures, Site) {
    BOOST_TEST_REQUIRE(fs::exists("/usr/bin/chromium"), "tools/test installs Debian's chromium");
    const std::string html = ok({"report", "compliance", "--site", "PSL", "--as-of", "2027-03-10", "--format", "html"});
    const auto page = dir.write("report.html", html);
    const auto pdf = dir.path() / "report.pdf";
    const std::string cmd =
        "timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
        "--disable-background-networking --disable-component-update --disable-sync --no-pdf-header-footer "
        "--user-data-dir=" + sh_quote((dir.path() / "profile").string()) +
        " --print-to-pdf=" + sh_quote(pdf.string()) + " " + sh_quote("file://" + page.string()) + " >/dev/null 2>&1";
    BOOST_TEST_REQUIRE(std::system(cmd.c_str()) == 0, cmd);
    BOOST_TEST_REQUIRE(fs::exists(pdf));
    const std::string info = run_text("pdfinfo " + sh_quote(pdf.string()));
    BOOST_TEST(contains(info, "Pages:           3"), info);  // the summary, then a page per patient
    const std::string text = run_text("pdftotext -layout " + sh_quote(pdf.string()) + " -");
    BOOST_TEST(contains(text, "Compliance report"), text);
    BOOST_TEST(contains(text, "Patient P001"), text);
    BOOST_TEST(contains(text, "Patient P002"), text);
    BOOST_TEST(contains(text, "80.0"), text);
    BOOST_TEST(contains(text, "100.0"), text);
    BOOST_TEST(contains(text, "hospitalised"), text);
    BOOST_TEST(!contains(text, "IL2-4"), text);
}

BOOST_FIXTURE_TEST_CASE(html_has_a_legend_and_says_who_printed_it, Site) {
    user.clear();  // a read-only report needs nobody's name
    const std::string html = ok({"report", "compliance", "--site", "PSL", "--as-of", "2027-03-10", "--format", "html"});
    BOOST_TEST(contains(html, "<dt>Printed by</dt><dd>unknown</dd>"));
    BOOST_TEST(contains(html, "<dt>As of</dt><dd>2027-03-10</dd>"));
    BOOST_TEST(contains(html, "<dt>Site</dt><dd>PSL</dd>"));
    BOOST_TEST(contains(html, "DF-IL2 version 1: Dose-effect relationship of low-dose IL-2 in type 1 diabetes"));
    for (const std::string status : {"on time", "early", "late", "missed", "skipped", "due", "upcoming", "unscheduled"})
        BOOST_TEST(count(html, "class=\"key\">" + status + "</text>") == 2u, status);  // one legend per patient
    // P001's late dose: IL2-D3 given 03-05, a day after its window.
    BOOST_TEST(contains(html, "Given 2027-03-05, 1 day after the window."));
    const std::string by = ok({"report", "compliance", "--as-of", "2027-03-10", "--format", "html", "--by", "Dr <Mo> & co"});
    BOOST_TEST(contains(by, "<dt>Printed by</dt><dd>Dr &lt;Mo&gt; &amp; co</dd>"));
    BOOST_TEST(!contains(by, "Dr <Mo>"));
}

BOOST_FIXTURE_TEST_CASE(below_marks_the_rows_under_the_threshold, Site) {
    const std::string out = ok({"report", "compliance", "--as-of", "2027-03-10", "--below", "90"});
    // P001 doses 80.0; visits of both patients 0.0 (none recorded); P002 doses 100.0.
    BOOST_TEST(contains(out, "! 3 rows below 90.0 % compliance"), out);
    BOOST_TEST(count(out, "\n!  ") == 3u, out);
    refused(65, "--below: 'ninety'", {"report", "compliance", "--below", "ninety"});
}

BOOST_FIXTURE_TEST_CASE(unblinded_report_needs_a_reason_and_is_audited, Site) {
    refused(2, "--reason", {"report", "compliance", "--unblinded"});
    const std::string blinded = ok({"report", "compliance", "--as-of", "2027-03-10", "--format", "csv"});
    BOOST_TEST(count(blinded, "aldesleukin or placebo") == 3u);  // two patients and the total
    const std::string out =
        ok({"report", "compliance", "--as-of", "2027-03-10", "--format", "csv", "--unblinded", "--reason", "DSMB"});
    BOOST_TEST(contains(out, ",P001,DF-IL2,1,PSL,aldesleukin 1 MIU,5,5,4,3,0,1,1,0,0,0,80.0,60.0,"), out);
    BOOST_TEST(contains(out, ",P002,DF-IL2,1,PSL,placebo,5,5,5,5,0,0,0,0,0,0,100.0,100.0,"), out);
    BOOST_TEST(contains(out, ",TOTAL,,,,placebo,"), out);
    const std::string trail = ok({"audit", "--format", "csv"});
    BOOST_TEST(count(trail, ",unblind,,compliance report,") == 1u, trail);
    BOOST_TEST(contains(trail, "DSMB"));
}

BOOST_FIXTURE_TEST_CASE(protocol_is_named_by_id_or_registry_number, Site) {
    const std::string by_nct = ok({"report", "compliance", "--protocol", "NCT01353833", "--as-of", "2027-03-10", "--format", "csv"});
    BOOST_TEST(by_nct == ok({"report", "compliance", "--protocol", "df-il2", "--as-of", "2027-03-10", "--format", "csv"}));
    BOOST_TEST(count(by_nct, ",DF-IL2,1,PSL,") == 4u);  // P001 and P002, doses and visits
    refused(65, "unknown protocol 'NOPE'", {"report", "compliance", "--protocol", "NOPE"});
}

BOOST_AUTO_TEST_SUITE_END()
