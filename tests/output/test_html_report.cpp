// The printable compliance report: self-contained, escaped, one page per
// patient, every planned event drawn.
#include "output/html_report.hpp"

#include "core/calendar.hpp"
#include "core/compliance.hpp"

#include "tests/support/check.hpp"

#include <boost/test/unit_test.hpp>

#include <memory>

using namespace date::literals;

namespace {

using trialcal::test::count;

trialcal::Event event(std::string id, trialcal::EventKind kind, int day, date::sys_days day0) {
    trialcal::Event e;
    e.id = std::move(id);
    e.kind = kind;
    e.day = trialcal::StudyDay{day};
    e.date = e.day.on(day0);
    e.window = {e.date, e.date};
    e.name = "Visit <D" + std::to_string(day) + ">";
    e.product = "IL2";
    e.drug = "IL-2 or placebo";
    e.route = "SC";
    e.blinded = kind == trialcal::EventKind::dose;
    return e;
}

// Two patients, one with a late dose and a skipped visit.
std::vector<trialcal::PatientReport> reports() {
    const date::sys_days day0{2027_y / 3 / 1};
    auto plan = std::make_shared<trialcal::Calendar>();
    plan->protocol = "MS-IL2";
    plan->version = "1";
    plan->day0 = day0;
    plan->blinded = true;
    plan->events = {event("V-D1", trialcal::EventKind::visit, 1, day0), event("IL2-D1", trialcal::EventKind::dose, 1, day0),
                    event("IL2-D2", trialcal::EventKind::dose, 2, day0), event("V-D5", trialcal::EventKind::visit, 5, day0)};
    std::vector<trialcal::PatientReport> out;
    for (const std::string id : {"P<1>&\"'", "P2"}) {
        trialcal::Records r;
        r.visits = {{1, "V-D1", day0 + date::days{1}}};
        r.doses = {{2, "IL2", day0 + date::days{3}, 100, std::nullopt, std::nullopt, std::nullopt}};  // IL2-D1, 2 days late
        r.skips = {{3, "V-D5", "patient <refused> & left"}};
        trialcal::PatientReport p{id, "MS-IL2", "1", "PSL", trialcal::judge(*plan, r, day0 + date::days{10}), {}, plan, r, std::nullopt};
        for (const auto& d : p.compliance.doses) p.drugs.push_back(d.product == "IL2" ? "IL-2 or placebo" : d.product);
        out.push_back(std::move(p));
    }
    return out;
}

trialcal::HtmlReportHeader header() {
    trialcal::HtmlReportHeader h;
    h.report.as_of = date::sys_days{2027_y / 3 / 11};
    h.report.audit_head = std::string(64, 'a');
    h.printed_by = "monitor <m>";
    h.scope = "site PSL";
    h.studies = {"MS-IL2 version 1: Low-dose IL-2 in relapsing-remitting multiple sclerosis"};
    return h;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(html_report)

BOOST_AUTO_TEST_CASE(escape_covers_the_five_characters) {
    BOOST_TEST(trialcal::html_escape("<a href=\"x\">&'</a>") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
    BOOST_TEST(trialcal::html_escape("Behçet") == "Behçet");
}

BOOST_AUTO_TEST_CASE(report_is_one_self_contained_printable_document) {
    const std::string html = trialcal::compliance_html(reports(), header());
    BOOST_TEST(html.rfind("<!DOCTYPE html>", 0) == 0u);
    BOOST_TEST(count(html, "</html>") == 1u);
    BOOST_TEST(count(html, "size: A4") == 1u);
    BOOST_TEST(count(html, "<script") == 0u);
    BOOST_TEST(count(html, "src=\"http") == 0u);
    BOOST_TEST(count(html, "href=\"http") == 0u);
    BOOST_TEST(count(html, std::string(64, 'a')) >= 1u);  // the audit chain head
}

BOOST_AUTO_TEST_CASE(every_text_from_the_records_is_escaped) {
    const std::string html = trialcal::compliance_html(reports(), header());
    BOOST_TEST(count(html, "P<1>") == 0u);
    BOOST_TEST(count(html, "P&lt;1&gt;&amp;&quot;&#39;") >= 1u);
    BOOST_TEST(count(html, "patient <refused>") == 0u);
    BOOST_TEST(count(html, "patient &lt;refused&gt; &amp; left") >= 1u);  // the skip reason, among the deviations
    BOOST_TEST(count(html, "monitor &lt;m&gt;") >= 1u);
    BOOST_TEST(count(html, "Visit <D") == 0u);
}

BOOST_AUTO_TEST_CASE(each_patient_has_a_page_with_a_timeline) {
    const std::string html = trialcal::compliance_html(reports(), header());
    BOOST_TEST(count(html, "<svg") >= 2u);
    BOOST_TEST(count(html, "class=\"patient\"") == 2u);
    BOOST_TEST(count(html, "break-before: page") == 1u);  // the rule that gives each patient its page
}

BOOST_AUTO_TEST_CASE(deviations_name_wrong_doses_unscheduled_and_out_of_window) {
    const date::sys_days day0{2027_y / 3 / 1};
    auto plan = std::make_shared<trialcal::Calendar>();
    plan->protocol = "TRANSREG";
    plan->version = "1";
    plan->day0 = day0;
    plan->arm = "open";
    plan->events = {event("V-D1", trialcal::EventKind::visit, 1, day0), event("IL2-D1", trialcal::EventKind::dose, 1, day0),
                    event("IL2-D2", trialcal::EventKind::dose, 2, day0)};
    for (auto& e : plan->events) {
        e.blinded = false;
        e.drug = "aldesleukin";
        if (e.kind == trialcal::EventKind::dose) e.amount = 1.0, e.unit = "MIU";
    }
    trialcal::Records r;
    r.visits = {{1, "V-D1", day0}};                                            // a day early
    r.doses = {{2, "IL2", day0 + date::days{1}, 10, std::nullopt, 2.0, std::nullopt},       // IL2-D1, twice the dose
               {3, "IL2", day0 + date::days{2}, 20, std::nullopt, 1.0, std::nullopt},       // IL2-D2 on time
               {4, "IL2", day0 + date::days{4}, 30, std::nullopt, 1.0, std::nullopt}};      // beyond reach of everything: extra
    trialcal::PatientReport p{"T1", "TRANSREG", "1", "PSL", trialcal::judge(*plan, r, day0 + date::days{10}),
                              {"aldesleukin"}, plan, r, std::nullopt};
    BOOST_TEST(p.compliance.doses.at(0).figures.wrong_dose == 1);
    BOOST_TEST(p.compliance.doses.at(0).figures.extra == 1);
    const std::string html = trialcal::compliance_html({p}, header());
    BOOST_TEST(count(html, "Done 2027-03-01, 1 day before the window.") == 1u);
    BOOST_TEST(count(html, "Recorded 2 MIU, planned 1 MIU: more than 1 % apart.") == 1u);
    BOOST_TEST(count(html, "Given 2027-03-05, matched to no planned dose: 2 days after IL2-D2&#39;s window, beyond reach.") == 1u);
    BOOST_TEST(count(html, "<td class=\"dev\">") == 3u);  // early, wrong dose, extra
    BOOST_TEST(count(html, "class=\"wrong\">!</text>") == 2u);  // on the timeline, and in the legend
    BOOST_TEST(count(html, "arm open") == 1u);  // an open-label calendar names its arm
    BOOST_TEST(count(html, "Blinded report") == 0u);
}

BOOST_AUTO_TEST_CASE(a_blinded_calendar_never_shows_its_arm) {
    auto rs = reports();
    auto plan = std::make_shared<trialcal::Calendar>(*rs[0].plan);
    plan->arm = "SECRET-ARM";
    for (auto& p : rs) {
        p.compliance = trialcal::judge(*plan, p.records, date::sys_days{2027_y / 3 / 11});
        p.plan = plan;
    }
    const std::string html = trialcal::compliance_html(rs, header());
    BOOST_TEST(count(html, "SECRET-ARM") == 0u);
    BOOST_TEST(count(html, "arm blinded") == 2u);
    BOOST_TEST(count(html, "Blinded report") == 1u);
}

// Version 2: an extra says what it was near, held doses show their reason,
// and the report cites the project's own rules, nothing outside it.
BOOST_AUTO_TEST_CASE(extras_say_what_they_were_near_and_held_doses_their_reason) {
    const date::sys_days day0{2027_y / 3 / 1};
    auto plan = std::make_shared<trialcal::Calendar>();
    plan->protocol = "TRANSREG";
    plan->version = "1";
    plan->day0 = day0;
    plan->events = {event("IL2-D1", trialcal::EventKind::dose, 1, day0), event("IL2-D2", trialcal::EventKind::dose, 2, day0)};
    for (auto& e : plan->events) e.blinded = false;
    trialcal::Records r;
    const auto at = [&](int day, int hh) { return date::local_days{(day0 + date::days{day}).time_since_epoch()} + std::chrono::hours{hh}; };
    // 03-02 09:00 and 18:00: the nearer noon takes IL2-D1, the other is a second dose.
    r.doses = {{1, "IL2", day0 + date::days{1}, 1, std::nullopt, std::nullopt, at(1, 9)},
               {2, "IL2", day0 + date::days{1}, 2, std::nullopt, std::nullopt, at(1, 18)}};
    r.holds = {{3, "IL2", day0 + date::days{2}, day0 + date::days{2}, "neutropenia <grade 3>"}};
    trialcal::PatientReport p{"T1", "TRANSREG", "1", "PSL", trialcal::judge(*plan, r, day0 + date::days{10}),
                              {"aldesleukin"}, plan, r, std::nullopt};
    BOOST_TEST(p.compliance.doses.at(0).figures.extra == 1);
    BOOST_TEST(p.compliance.doses.at(0).figures.held == 1);
    const std::string html = trialcal::compliance_html({p}, header());
    BOOST_TEST(count(html, "Given 2027-03-02, matched to no planned dose: second dose on 03-02.") == 1u);
    BOOST_TEST(count(html, "Reason: neutropenia &lt;grade 3&gt;") == 1u);
    BOOST_TEST(count(html, "IL2-D2 (D2), planned 2027-03-03: held: neutropenia &lt;grade 3&gt;") == 1u);  // timeline title
    BOOST_TEST(count(html, "class=\"key\">held</text>") == 1u);
    BOOST_TEST(count(html, "class=\"key\">cancelled</text>") == 1u);
    BOOST_TEST(count(html, "docs/compliance.md") >= 1u);
    BOOST_TEST(count(html, "shared/spec") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
