// The calendar printed for the patient: a page per month with events, the
// diary card's boxes one per planned home intake, both languages, escaping,
// and blinded labels only.
#include "output/patient_calendar_html.hpp"

#include "core/calendar.hpp"
#include "core/protocol_parser.hpp"

#include "tests/core/seed_protocols.hpp"
#include "tests/support/check.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace date::literals;
using trialcal::Language;
using trialcal::test::contains;
using trialcal::test::count;

namespace {

const std::string box = "\u2610";

// NCT05153070 version 2 from 2027-03-01 at 60 kg: ciclosporin 300 mg at home
// twice a day D1-D60 (2027-03-02 to 2027-04-30), ILT-101 or placebo at the
// site D63-D67 then weekly to D354 (2028-02-18), visits to D719 (2029-02-17).
trialcal::Calendar nct_v2(std::optional<std::string> arm = std::nullopt) {
    const trialcal::Protocol& p = seed_protocols::protocol("nct05153070-v2.toml");
    auto c = trialcal::expand(p, {date::sys_days{2027_y / 3 / 1}, std::move(arm), std::nullopt, 60.0});
    BOOST_TEST_REQUIRE(c.has_value());
    return c->arm ? std::move(*c) : trialcal::blind(std::move(*c), p);
}

trialcal::PatientCalendarHeader header() {
    trialcal::PatientCalendarHeader h;
    h.patient = "N001";
    h.site = "PSL";
    h.printed = date::sys_days{2027_y / 2 / 26};
    return h;
}

// Each month's page, in order: the text from one <section class="month"> to the next.
std::vector<std::string> pages(const std::string& html) {
    std::vector<std::string> out;
    const std::string open = "<section class=\"month";
    for (auto at = html.find(open); at != std::string::npos;) {
        const auto next = html.find(open, at + open.size());
        out.push_back(html.substr(at, next == std::string::npos ? std::string::npos : next - at));
        at = next;
    }
    return out;
}

// The printed months: March 2027 to February 2028, then August 2028 (M18)
// and February 2029 (M24); the months between hold no event.
const std::vector<std::string> months_fr{"Mars 2027",     "Avril 2027",   "Mai 2027",     "Juin 2027",
                                         "Juillet 2027",  "Août 2027",    "Septembre 2027", "Octobre 2027",
                                         "Novembre 2027", "Décembre 2027", "Janvier 2028", "Février 2028",
                                         "Août 2028",     "Février 2029"};

}  // namespace

BOOST_AUTO_TEST_SUITE(patient_calendar_html)

BOOST_AUTO_TEST_CASE(a_page_per_month_with_events_and_a_box_per_home_intake) {
    const auto& p = seed_protocols::protocol("nct05153070-v2.toml");
    const std::string html = trialcal::patient_calendar_html(nct_v2(), p, header(), Language::fr);
    BOOST_TEST(html.rfind("<!DOCTYPE html>\n<html lang=\"fr\">", 0) == 0u);
    const auto ps = pages(html);
    BOOST_TEST_REQUIRE(ps.size() == months_fr.size());
    for (std::size_t i = 0; i < ps.size(); ++i) {
        BOOST_TEST_CONTEXT("page " << i + 1) {
            BOOST_TEST(contains(ps[i], "<h1>" + months_fr[i] + "</h1>"));
            BOOST_TEST(contains(ps[i], "<b>Patient N001</b><br>Étude NCT05153070 version 2<br>Centre PSL"));
            // Ciclosporin D1-D30 in March, D31-D60 in April: 30 days x 2 intakes each.
            const std::size_t boxes = i < 2 ? 60u : 0u;
            BOOST_TEST(count(ps[i], box) == boxes);
            BOOST_TEST(count(ps[i], box + "</span> 08:00") == boxes / 2);
            BOOST_TEST(count(ps[i], box + "</span> 20:00") == boxes / 2);
            BOOST_TEST(contains(ps[i], "Carnet de prises à domicile") == (boxes > 0));
        }
    }
    // A row per day of the month's intakes, the first one on Tuesday 2 March.
    BOOST_TEST(count(ps[0], "<tr><th scope=\"row\">") == 30u);
    BOOST_TEST(contains(ps[0], "<tr><th scope=\"row\">mar. 2</th>"));
    BOOST_TEST(contains(ps[1], "<tr><th scope=\"row\">jeu. 1</th>"));
    BOOST_TEST(contains(ps[0], "<h3>Ciclosporine, par la bouche · 300 mg par prise</h3>"));
    BOOST_TEST(contains(ps[0], "<p class=\"visit\">Visite d&#39;inclusion</p>"));
    // Monday-first weeks: March 2027 starts on a Monday, August 2028 on a Tuesday.
    BOOST_TEST(contains(ps[0], "<tbody>\n<tr><td class=\"day\"><span class=\"n\">1</span>"));
    BOOST_TEST(contains(ps[12], "<tbody>\n<tr><td class=\"out\"></td><td class=\"day\"><span class=\"n\">1</span>"));
    BOOST_TEST(contains(ps[0], "<th>lun.</th><th>mar.</th><th>mer.</th><th>jeu.</th><th>ven.</th><th>sam.</th><th>dim.</th>"));
    // A visit's window; the site doses of D63 and the visit that day.
    // May 2027: D63-D67 daily, then D74, D81 and D88 weekly; the M3 visit on D88 (28 May).
    BOOST_TEST(contains(ps[2], "Visite à 3 mois <span class=\"win\">± 7 j</span>"));
    BOOST_TEST(count(ps[2], "<p class=\"dose\">Injection sous la peau : ILT-101 ou placebo · "
                            "<span class=\"amount\">1 ml</span></p>") == 8u);
    // Before the empty months, the next appointment.
    BOOST_TEST(contains(ps[11], "Prochain rendez-vous :</b> 18 août 2028, Visite de suivi à 18 mois."));
    BOOST_TEST(contains(ps[12], "Prochain rendez-vous :</b> 17 février 2029, Visite à 24 mois, fin de l&#39;étude."));
    BOOST_TEST(count(html, "Prochain rendez-vous") == 2u);
    BOOST_TEST(contains(html, "imprimé le 26 février 2027"));
}

BOOST_AUTO_TEST_CASE(blinded_pages_show_the_label_never_the_arm) {
    const auto& p = seed_protocols::protocol("nct05153070-v2.toml");
    const std::string html = trialcal::patient_calendar_html(nct_v2(), p, header(), Language::fr);
    BOOST_TEST(!contains(html, "MIU"));
    BOOST_TEST(!contains(html, "ILT-101 1 MIU"));
    BOOST_TEST(!contains(html, "UNBLINDED"));
    BOOST_TEST(count(html, "ILT-101 ou placebo · <span class=\"amount\">1 ml</span>") == 46u);  // 5 daily + 41 weekly injections

    // Unblinded, every page says so and a blinded product shows its real drug.
    auto h = header();
    h.unblinded = true;
    const std::string unblinded = trialcal::patient_calendar_html(nct_v2("ILT-101"), p, h, Language::fr);
    BOOST_TEST(count(unblinded, "<div class=\"unblinded-banner\" role=\"note\">UNBLINDED") == months_fr.size());
    BOOST_TEST(count(unblinded, "<p class=\"dose\">ILT-101 · <span class=\"amount\">1 MIU</span></p>") == 46u);
    BOOST_TEST(!contains(unblinded, "ILT-101 ou placebo"));
}

BOOST_AUTO_TEST_CASE(english_texts_and_names) {
    const auto& p = seed_protocols::protocol("nct05153070-v2.toml");
    const std::string html = trialcal::patient_calendar_html(nct_v2(), p, header(), Language::en);
    BOOST_TEST(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0) == 0u);
    const auto ps = pages(html);
    BOOST_TEST_REQUIRE(ps.size() == months_fr.size());
    BOOST_TEST(contains(ps[0], "<h1>March 2027</h1>"));
    BOOST_TEST(contains(ps[5], "<h1>August 2027</h1>"));
    BOOST_TEST(contains(ps[13], "<h1>February 2029</h1>"));
    BOOST_TEST(contains(ps[0], "<th>Mon</th><th>Tue</th><th>Wed</th><th>Thu</th><th>Fri</th><th>Sat</th><th>Sun</th>"));
    BOOST_TEST(contains(ps[0], "<b>Patient N001</b><br>Study NCT05153070 version 2<br>Site PSL"));
    BOOST_TEST(contains(ps[0], "<h2>Home-dose diary · March 2027</h2>"));
    BOOST_TEST(contains(ps[0], "<h3>Ciclosporin, by mouth · 300 mg per intake</h3>"));
    BOOST_TEST(contains(ps[0], "<tr><th scope=\"row\">Tue 2</th>"));
    BOOST_TEST(contains(ps[0], "<p class=\"visit\">Inclusion visit</p>"));
    BOOST_TEST(count(ps[0], box) == 60u);
    BOOST_TEST(contains(ps[11], "Next appointment:</b> 18 August 2028, 18-month follow-up visit."));
    for (const std::string french : {"Mars", "Visite", "Carnet", "lun."}) BOOST_TEST(!contains(html, french), french);
}

// Names from the file, the patient's id and the site are escaped; a language
// the file leaves out falls back to the visit's name or the drug.
BOOST_AUTO_TEST_CASE(names_are_escaped_and_fall_back) {
    const auto parsed = trialcal::parse_protocol(R"([protocol]
id = "ESC-1"
version = "1"
title = "Escaping"

[[products]]
id = "X"
drug = "drug <x> & \"y\""
route = "oral"
unit = "mg"

[[regimens]]
id = "X-home"
product = "X"
first_day = 1
last_day = 3
every_days = 1
window = [0, 0]
setting = "home"
amount = 0.5
patient_name = { fr = "Gélule <b>X</b> & \"co\"" }

[[visits]]
day = 0
name = "Inclusion <V0>"
window = [0, 0]
procedures = []
patient_name = { fr = "Visite <J0> & \"bilan\"" }
)");
    BOOST_TEST_REQUIRE(parsed.diagnostics.empty());
    const trialcal::Protocol& p = *parsed.protocol;
    auto c = trialcal::expand(p, {date::sys_days{2027_y / 3 / 1}, std::nullopt, std::nullopt, std::nullopt});
    BOOST_TEST_REQUIRE(c.has_value());
    auto h = header();
    h.patient = "P<&\"1";
    h.site = "S'<2>";

    const std::string fr = trialcal::patient_calendar_html(*c, p, h, Language::fr);
    BOOST_TEST(contains(fr, "Visite &lt;J0&gt; &amp; &quot;bilan&quot;"));
    BOOST_TEST(contains(fr, "<h3>Gélule &lt;b&gt;X&lt;/b&gt; &amp; &quot;co&quot; · 0,5 mg par prise</h3>"));
    BOOST_TEST(contains(fr, "<b>Patient P&lt;&amp;&quot;1</b>"));
    BOOST_TEST(contains(fr, "Centre S&#39;&lt;2&gt;"));
    // The running footer is a CSS string: nothing in it can close <style>.
    BOOST_TEST(contains(fr, "trialcal · Patient P\\3C \\26 \\22 1 · Étude ESC-1 version 1"));
    for (const std::string raw : {"<J0>", "<b>X</b>", "P<&", "<2>", "<x>"}) BOOST_TEST(!contains(fr, raw), raw);
    BOOST_TEST(count(fr, box) == 3u);  // once a day, D1-D3
    BOOST_TEST(count(fr, box + "</span></span>") == 3u);  // no intake_times: no time to keep to

    const std::string en = trialcal::patient_calendar_html(*c, p, h, Language::en);
    BOOST_TEST(contains(en, "<p class=\"visit\">Inclusion &lt;V0&gt;</p>"));
    BOOST_TEST(contains(en, "<h3>drug &lt;x&gt; &amp; &quot;y&quot; · 0.5 mg per intake</h3>"));
}

BOOST_AUTO_TEST_CASE(languages_by_code) {
    BOOST_TEST((trialcal::language_named("fr") == Language::fr));
    BOOST_TEST((trialcal::language_named("en") == Language::en));
    BOOST_TEST(!trialcal::language_named("FR").has_value());
    BOOST_TEST(!trialcal::language_named("de").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
