// ODM 2.0 study design: ISO 8601 day durations, and the timing constraints
// of a seed protocol with anchors that chain (NCT05153070 v2), written from
// its file by hand.
#include "core/protocol_parser.hpp"
#include "output/odm.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

using namespace trialcal;
namespace od = trialcal::odm;

namespace {

Protocol nct_v2() {
    std::ifstream in(std::string(TRIALCAL_SOURCE_DIR) + "/calendars/nct05153070-v2.toml", std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    auto parsed = parse_protocol(text.str());
    BOOST_TEST_REQUIRE(parsed.protocol.has_value());
    return *parsed.protocol;
}

bool has(const std::string& xml, const std::string& part) { return xml.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(odm)

BOOST_AUTO_TEST_CASE(days_are_iso_8601_durations) {
    BOOST_TEST(od::days_duration(15) == "P15D");
    BOOST_TEST(od::days_duration(0) == "P0D");
    BOOST_TEST(od::days_duration(-14) == "-P14D");
}

BOOST_AUTO_TEST_CASE(timings_count_from_day_0_the_anchor_or_the_withdrawal) {
    const std::string xml = od::study_design(nct_v2(), {"2027-03-10T12:00:00", "0.1.0"});
    const auto timing = [](const std::string& what, const std::string& from, const std::string& target) {
        return "PredecessorOID=\"" + from + "\" SuccessorOID=\"SE." + what + "\" Type=\"StartToStart\" " +
               "TimepointRelativeTarget=\"" + target + "\"";
    };
    // M3: D88 from day 0, window [-7, +7].
    BOOST_TEST(has(xml, timing("V-D88", "SE.DAY0", "P88D") + " TimepointPreWindow=\"P7D\" TimepointPostWindow=\"P7D\"/>"),
               xml);
    // The first injection from day 0; the fifth from the first; the D67 visit from the first.
    BOOST_TEST(has(xml, timing("ILT101-D63", "SE.DAY0", "P63D") + "/>"), xml);
    BOOST_TEST(has(xml, timing("ILT101-D67", "SE.ILT101-D63", "P4D") + "/>"), xml);
    BOOST_TEST(has(xml, timing("V-D67", "SE.ILT101-D63", "P4D") + "/>"), xml);
    // The weekly injections: the first (D74) a week after the fifth, window [-1, +1].
    BOOST_TEST(has(xml, timing("R.ILT101-weekly", "SE.ILT101-D67", "P7D") +
                            " TimepointPreWindow=\"P1D\" TimepointPostWindow=\"P1D\"/>"),
               xml);
    // Early termination: from the withdrawal date, window [0, +14].
    BOOST_TEST(has(xml, timing("V-ET", "SE.WITHDRAWAL", "P0D") + " TimepointPostWindow=\"P14D\"/>"), xml);
    BOOST_TEST(has(xml, "<StudyEventDef OID=\"SE.V-ET\""), xml);
    BOOST_TEST(has(xml, "Repeating=\"No\" Type=\"Unscheduled\" Category=\"early termination visit\""), xml);
    BOOST_TEST(has(xml, "<StudyEventDef OID=\"SE.R.ILT101-weekly\""), xml);
    // A regimen's doses in words, a blinded product by its label.
    BOOST_TEST(has(xml, "ILT-101 or placebo: D74 to D354, every 7 days, counted from ILT101-D67"), xml);
}

BOOST_AUTO_TEST_SUITE_END()
