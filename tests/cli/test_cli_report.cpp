// End-to-end: report compliance as the printable HTML a monitor signs,
// rendered to PDF by headless Chromium and read back as text.
#include "tests/support/clinic.hpp"
#include "tests/support/network.hpp"
#include "tests/support/print_pdf.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>

#include <pwd.h>
#include <unistd.h>

using namespace trialcal::test;

namespace {

// The compliance.md worked example for P001 (arm IL2-2), and a placebo
// patient P002 with every dose on time.
struct Site : Clinic {
    Site() {
        now = "2027-03-10T12:00:00Z";
        for (const auto& [p, arm] : {std::pair{"P001", "IL2-2"}, std::pair{"P002", "IL2-4"}})
            ok({"enroll", p, "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm", arm});
        for (const char* at : {"2027-03-02T09:00", "2027-03-03T09:10", "2027-03-05T08:50", "2027-03-05T17:00"})
            ok({"dose", "P001", "--at", at});
        ok({"skip", "P001", "V-D2", "--reason", "hospitalised"});
        for (const char* at : {"2027-03-02T09:00", "2027-03-03T09:00", "2027-03-04T09:00", "2027-03-05T09:00", "2027-03-06T09:00"})
            ok({"dose", "P002", "--at", at});
    }
    // The page printed to NAME.pdf by headless Chromium, as a monitor would print it.
    fs::path print_to_pdf(const std::string& name, const std::string& html) const {
        return trialcal::test::print_to_pdf(dir, name, html);
    }
    std::string head() const {
        const std::string v = ok({"audit", "verify"});
        return v.substr(v.find("head ") + 5, 64);
    }
};

std::string run_text(const std::string& cmd) { return run_shell(cmd).out; }

// "pdftotext -f 2 -l 2 ": a command with a page number in it.
std::string fmt_page(const std::string& pattern, int n) { return replace_all(pattern, "{0}", std::to_string(n)); }

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_report)

BOOST_FIXTURE_TEST_CASE(html_report_has_every_patient_blinded_with_the_chain_head, Site) {
    const std::string html = ok({"report", "compliance", "--site", "PSL", "--as-of", "2027-03-10", "--format", "html"});
    BOOST_TEST(html.rfind("<!DOCTYPE html>", 0) == 0u);
    BOOST_TEST(contains(html, "P001"));
    BOOST_TEST(contains(html, "P002"));
    // Compliance v2, worked example 1: P001's doses 60.0 % and 60.0 % on time;
    // with P002's 5 of 5, the total is 8 of 10: 80.0 %.
    BOOST_TEST(contains(html, "<td class=\"n\">60.0</td><td class=\"n\">60.0</td>"));
    BOOST_TEST(contains(html, "80.0"));
    BOOST_TEST(contains(html, "hospitalised"));  // the skip's reason among the deviations
    BOOST_TEST(contains(html, head()));
    BOOST_TEST(contains(html, "nurse"));  // who printed it
    for (const std::string arm : {"IL2-2", "IL2-4", "0.33 MIU", "1 MIU"}) BOOST_TEST(!contains(html, arm), arm);
    BOOST_TEST(count(html, "<svg") >= 2u);
}

BOOST_FIXTURE_TEST_CASE(printed_to_pdf_by_chromium_it_reads_the_figures, Site) {
    BOOST_TEST_REQUIRE(fs::exists("/usr/bin/chromium"), "tools/test installs Debian's chromium");
    const std::string html = ok({"report", "compliance", "--site", "PSL", "--as-of", "2027-03-10", "--format", "html"});
    const fs::path pdf = print_to_pdf("report", html);
    const std::string info = run_text("pdfinfo " + sh_quote(pdf.string()));
    BOOST_TEST(contains(info, "Pages:           3"), info);  // the summary, then a page per patient
    const std::string text = run_text("pdftotext -layout " + sh_quote(pdf.string()) + " -");
    BOOST_TEST(contains(text, "Compliance report"), text);
    BOOST_TEST(contains(text, "Patient P001"), text);
    BOOST_TEST(contains(text, "Patient P002"), text);
    BOOST_TEST(contains(text, "60.0"), text);  // P001's doses
    BOOST_TEST(contains(text, "80.0"), text);  // the total, 8 of 10
    BOOST_TEST(contains(text, "100.0"), text);
    BOOST_TEST(contains(text, "hospitalised"), text);
    BOOST_TEST(!contains(text, "IL2-4"), text);
}

// Issue 12: unblinded, every printed page says so (the @page top margin box),
// and the banner hides no line: every patient's page still reads in full.
BOOST_FIXTURE_TEST_CASE(unblinded_printed_pdf_says_so_on_every_page, Site) {
    BOOST_TEST_REQUIRE(fs::exists("/usr/bin/chromium"), "tools/test installs Debian's chromium");
    const std::string html = ok({"report", "compliance", "--site", "PSL", "--as-of", "2027-03-10", "--format", "html",
                                 "--unblinded", "--reason", "DSMB"});
    const fs::path pdf = print_to_pdf("unblinded", html);
    const std::string info = run_text("pdfinfo " + sh_quote(pdf.string()));
    BOOST_TEST(contains(info, "Pages:           3"), info);
    for (int n = 1; n <= 3; ++n) {
        const std::string text =
            run_text(fmt_page("pdftotext -layout -f {0} -l {0} ", n) + sh_quote(pdf.string()) + " -");
        BOOST_TEST(text.find("UNBLINDED") < 200u, "page " << n << ": " << text.substr(0, 400));
    }
    const std::string all = run_text("pdftotext -layout " + sh_quote(pdf.string()) + " -");
    BOOST_TEST(contains(all, "Patient P001"), all);
    BOOST_TEST(contains(all, "Patient P002"), all);
    BOOST_TEST(contains(all, "aldesleukin 1 MIU"), all);
}

BOOST_FIXTURE_TEST_CASE(html_has_a_legend_and_says_who_printed_it, Site) {
    user.clear();  // a read-only report needs nobody's name; it names the OS account (issue 12)
    const std::string html = ok({"report", "compliance", "--site", "PSL", "--as-of", "2027-03-10", "--format", "html"});
    const passwd* account = ::getpwuid(::geteuid());
    BOOST_TEST_REQUIRE(account != nullptr);
    BOOST_TEST(contains(html, "<dt>Printed by</dt><dd>" + std::string(account->pw_name) + "</dd>"));
    BOOST_TEST(!contains(html, "<dd>unknown</dd>"));
    BOOST_TEST(contains(html, "<dt>As of</dt><dd>2027-03-10</dd>"));
    BOOST_TEST(contains(html, "<dt>Site</dt><dd>Hôpital Pitié-Salpêtrière, Paris (PSL)</dd>"));
    BOOST_TEST(contains(html, "DF-IL2 version 1: Dose-effect relationship of low-dose IL-2 in type 1 diabetes"));
    for (const std::string status :
         {"on time", "early", "late", "missed", "skipped", "due", "upcoming", "extra", "held", "cancelled"})
        BOOST_TEST(count(html, "class=\"key\">" + status + "</text>") == 2u, status);  // one legend per patient
    // Compliance v2: DF-IL2 has no late limit, so 03-05 17:00 cannot be D3's;
    // D4 went to 08:50 (nearer noon), 17:00 is extra and D3 missed.
    BOOST_TEST(contains(html, "Given 2027-03-05, matched to no planned dose: second dose on 03-05."));
    BOOST_TEST(contains(html, "Nothing recorded by the end of its window."));
    const std::string by = ok({"report", "compliance", "--as-of", "2027-03-10", "--format", "html", "--by", "Dr <Mo> & co"});
    BOOST_TEST(contains(by, "<dt>Printed by</dt><dd>Dr &lt;Mo&gt; &amp; co</dd>"));
    BOOST_TEST(!contains(by, "Dr <Mo>"));
}

BOOST_FIXTURE_TEST_CASE(below_marks_the_rows_under_the_threshold, Site) {
    const std::string out = ok({"report", "compliance", "--as-of", "2027-03-10", "--below", "90"});
    // P001 doses 60.0; visits of both patients 0.0 (none recorded); P002 doses 100.0.
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
    // planned,expected,given,on_time,early,late,missed,skipped,extra,wrong_dose,held,cancelled,%,%
    BOOST_TEST(contains(out, ",P001,DF-IL2,1,PSL,on_treatment,aldesleukin 1 MIU,5,5,3,3,0,0,2,0,1,0,0,0,60.0,60.0,"), out);
    BOOST_TEST(contains(out, ",P002,DF-IL2,1,PSL,on_treatment,placebo,5,5,5,5,0,0,0,0,0,0,0,0,100.0,100.0,"), out);
    BOOST_TEST(contains(out, ",true\n"), out);  // the unblinded column
    BOOST_TEST(!contains(blinded, ",true\n"), blinded);
    BOOST_TEST(contains(out, ",TOTAL,,,,,placebo,"), out);
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

// Issue 14: every format is written patient by patient (the table and the
// printed page in several passes over one snapshot). The outputs are the ones
// trialcal printed whole before (commit 9e8e8e7), byte for byte but for the
// audit head, which differs from run to run (arms are sealed with a fresh
// ephemeral key each time).
BOOST_AUTO_TEST_SUITE(streamed)

std::string without_head(std::string text) {
    text = std::regex_replace(text, std::regex(R"(\b\d+:[0-9a-f]{64}\b)"), "<audit head>");
    return std::regex_replace(text, std::regex(R"(audit head \d+:[0-9a-f]{13})"), "audit head <audit head>");
}

BOOST_FIXTURE_TEST_CASE(streamed_report_is_byte_for_byte_the_one_printed_whole, trialcal::test::TwoSiteNetwork) {
    using trialcal::test::expected_or_written;
    const auto same = [&](const std::vector<std::string>& args, const std::string& name) {
        const std::string actual = without_head(ok(args));
        BOOST_TEST(actual == expected_or_written(name, actual), name);
    };
    for (const std::string format : {"table", "html", "json", "csv"})
        same({"report", "compliance", "--format", format}, "report_all." + format);
    for (const std::string format : {"table", "html"})
        same({"report", "compliance", "--format", format, "--site", "PSL", "--below", "90"}, "report_psl_below." + format);
    same({"report", "compliance", "--patient", "Q1"}, "report_q1.table");
    same({"report", "compliance", "--unblinded", "--reason", "safety review", "--by", "monitor"},
         "report_unblinded.table");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()
