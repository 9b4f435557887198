// read_usdm: what USDM allows but trialcal cannot plan becomes a warning
// naming its JSON path, and a document the import cannot read is refused
// naming the path; study days and anchors follow the timings.
#include "trial/error.hpp"
#include "trial/usdm_import.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using trialcal::trial::read_usdm;
namespace bdata = boost::unit_test::data;

namespace {

std::string code(const std::string& decode) {
    return R"({"id": "C", "code": "x", "codeSystem": "s", "codeSystemVersion": "1", "decode": ")" + decode +
           R"(", "instanceType": "Code"})";
}

// An instance with an encounter of the same name.
std::string instance(const std::string& name, const std::string& type = "ScheduledActivityInstance") {
    return R"({"id": ")" + name + R"(", "name": ")" + name + R"(", "encounterId": "E-)" + name +
           R"(", "activityIds": [], "instanceType": ")" + type + R"("})";
}

std::string encounter(const std::string& name) {
    return R"({"id": "E-)" + name + R"(", "name": ")" + name + R"(", "label": "visit )" + name + R"(", "type": )" +
           code("Visit") + R"(, "instanceType": "Encounter"})";
}

std::string timing(const std::string& from, const std::string& type, const std::string& value, const std::string& to,
                   const std::string& rest = "") {
    return R"({"id": "T-)" + from + R"(", "name": "T", "type": )" + code(type) + R"(, "value": ")" + value +
           R"(", "valueLabel": "", "relativeToFrom": )" + code(rest.empty() ? "Start to Start" : rest) +
           R"(, "relativeFromScheduledInstanceId": ")" + from + R"(", "relativeToScheduledInstanceId": ")" + to +
           R"(", "instanceType": "Timing"})";
}

// A study whose main timeline has these instances and timings; every
// instance has its own encounter.
std::string study(const std::vector<std::string>& names, const std::vector<std::string>& timings,
                  const std::string& more_timelines = "", const std::string& instance_type = "") {
    std::string ins, encs, tims;
    for (const auto& n : names) {
        ins += (ins.empty() ? "" : ", ") +
               instance(n, n == "BRANCH" && !instance_type.empty() ? instance_type : "ScheduledActivityInstance");
        encs += (encs.empty() ? "" : ", ") + encounter(n);
    }
    for (const auto& t : timings) tims += (tims.empty() ? "" : ", ") + t;
    return R"({"usdmVersion": "4.0.0", "study": {"name": "S", "instanceType": "Study", "versions": [{
        "id": "V", "versionIdentifier": "1", "rationale": "", "studyIdentifiers": [],
        "titles": [{"id": "T1", "text": "STUDY-1", "type": )" + code("Study Acronym") + R"(, "instanceType": "StudyTitle"},
                   {"id": "T2", "text": "A study", "type": )" + code("Official Study Title") + R"(, "instanceType": "StudyTitle"}],
        "studyDesigns": [{"id": "D", "name": "D", "arms": [], "studyCells": [], "epochs": [], "rationale": "",
            "population": {"id": "P", "name": "P", "includesHealthySubjects": false, "instanceType": "StudyDesignPopulation"},
            "eligibilityCriteria": [], "model": )" + code("Parallel Study") + R"(, "activities": [],
            "encounters": [)" + encs + R"(],
            "scheduleTimelines": [{"id": "TL", "name": "Main", "mainTimeline": true, "entryCondition": "", "entryId": "A",
                "instances": [)" + ins + R"(], "timings": [)" + tims + R"(], "instanceType": "ScheduleTimeline"})" +
           more_timelines + R"(],
            "instanceType": "InterventionalStudyDesign"}],
        "instanceType": "StudyVersion"}]}})";
}

const std::string tl0 = "$.study.versions[0].studyDesigns[0].scheduleTimelines[0]";

struct Refusal {
    std::string name, document, message;
};

std::ostream& operator<<(std::ostream& os, const Refusal& r) { return os << r.name; }

const std::vector<Refusal> refusals{
    {"no fixed reference", study({"A", "B"}, {timing("B", "After", "P1D", "A")}),
     tl0 + ".timings[0].relativeToScheduledInstanceId: 'A' has no timing: no day to count from"},
    {"a loop", study({"A", "B", "C"}, {timing("A", "Fixed Reference", "P0D", "A"), timing("B", "After", "P1D", "C"),
                                       timing("C", "After", "P1D", "B")}),
     tl0 + ".timings[1]: timings loop back to 'B'"},
    {"a bad duration", study({"A", "B"}, {timing("A", "Fixed Reference", "P0D", "A"), timing("B", "After", "1 week", "A")}),
     tl0 + ".timings[1].value: '1 week' is not an ISO 8601 duration (PnYnMnWnDTnHnMnS)"},
    {"an unknown type", study({"A", "B"}, {timing("A", "Fixed Reference", "P0D", "A"), timing("B", "Around", "P1D", "A")}),
     tl0 + ".timings[1].type: timing type 'Around' (x): expected Fixed Reference, Before or After"},
    {"a dangling instance", study({"A"}, {timing("A", "Fixed Reference", "P0D", "A"), timing("Z", "After", "P1D", "A")}),
     tl0 + ".timings[1].relativeFromScheduledInstanceId: 'Z' is no instance of this timeline"},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(usdm_import)

BOOST_AUTO_TEST_CASE(days_count_from_the_fixed_reference_and_anchors_follow_the_timings) {
    const auto r = read_usdm(study({"S", "A", "B", "C"}, {timing("S", "Before", "P2W", "A"),
                                                          timing("A", "Fixed Reference", "P0D", "A", ""),
                                                          timing("B", "After", "P10D", "A"),
                                                          timing("C", "After", "P1W", "B")}));
    const auto& v = r.protocol.visits;
    BOOST_TEST_REQUIRE(v.size() == 4u);
    BOOST_TEST(r.protocol.id == "STUDY-1");
    BOOST_TEST(r.protocol.title == "A study");
    BOOST_TEST(v[0].id == "S");
    BOOST_TEST(v[0].day.count() == -14);
    BOOST_TEST(v[1].day.count() == 0);
    BOOST_TEST(v[2].day.count() == 10);
    BOOST_TEST(!v[2].anchor.has_value());
    BOOST_TEST(v[3].day.count() == 17);
    BOOST_TEST(*v[3].anchor == "B");
    BOOST_TEST(v[3].name == "visit C");
    BOOST_TEST(r.warnings.empty());
    // No window given: [0, 0], an assumption per visit.
    BOOST_TEST(r.protocol.assumptions.size() == 4u);
    BOOST_TEST(r.protocol.assumptions[0].about == "visits.S.window");
}

BOOST_AUTO_TEST_CASE(what_trialcal_cannot_plan_is_a_warning_naming_its_path) {
    const std::string sub = R"(, {"id": "TL2", "name": "Dosing", "mainTimeline": false, "entryCondition": "on demand",
        "entryId": "X", "instances": [], "timings": [], "instanceType": "ScheduleTimeline"})";
    const auto r = read_usdm(study({"A", "B", "C", "D", "BRANCH"},
                                   {timing("A", "Fixed Reference", "P0D", "A"), timing("B", "After", "P1M", "A"),
                                    timing("C", "After", "PT36H", "A"), timing("D", "After", "P2D", "A", "End to Start")},
                                   sub, "ScheduledDecisionInstance"));
    const std::vector<std::string> expected{
        tl0 + ".instances[4]: ScheduledDecisionInstance 'BRANCH': trialcal has no branches in a schedule; not imported",
        tl0 + ".timings[1].value: timing of B P1M has months or years, which are no fixed number of days: counted as 30 "
              "days (30 a month, 360 a year)",
        tl0 + ".timings[2].value: timing of C PT36H is not whole days: trialcal plans whole days, 1 day(s) kept",
        tl0 + ".timings[3].relativeToFrom: 'End to Start': trialcal visits are one day, counted start to start",
        "$.study.versions[0].studyDesigns[0].scheduleTimelines[1]: timeline 'Dosing' (entry: 'on demand', 0 "
        "instance(s), 0 timing(s)) is not imported: its instances are timed from its own entry, not from day 0, and "
        "trialcal plans study days from day 0 only",
    };
    BOOST_TEST(r.warnings == expected, boost::test_tools::per_element());
    BOOST_TEST(r.protocol.visits.size() == 4u);
    BOOST_TEST(r.protocol.visits[1].day.count() == 30);
    BOOST_TEST(r.protocol.visits[2].day.count() == 1);
    BOOST_TEST(r.protocol.visits[3].day.count() == 2);
}

BOOST_DATA_TEST_CASE(a_document_the_import_cannot_read_is_refused_naming_the_path, bdata::make(refusals), r) {
    try {
        (void)read_usdm(r.document);
        BOOST_FAIL("accepted");
    } catch (const trialcal::trial::Error& e) {
        BOOST_TEST((e.kind() == trialcal::trial::Kind::bad_data));
        BOOST_TEST(std::string(e.what()) == r.message);
    }
}

BOOST_AUTO_TEST_CASE(text_that_is_not_json_is_refused_with_its_position) {
    try {
        (void)read_usdm(R"({"study": [1, )");
        BOOST_FAIL("accepted");
    } catch (const trialcal::trial::Error& e) {
        BOOST_TEST(std::string(e.what()).starts_with("not JSON: at byte 15: "), e.what());
    }
}

BOOST_AUTO_TEST_SUITE_END()
