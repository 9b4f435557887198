// End-to-end: CDISC USDM v4 (docs/interop.md, USDM). Every seed protocol's
// export validates against the published schemas (ajv 8, JSON Schema
// 2020-12), and a broken one does not; import(export(p)) plans the same
// calendar (and protocol) as p for the six seed variants; the CDISC pilot study (LZZT)
// imports with the visit days and windows of its schedule, checked against a
// table written by hand from the study definition's timings.
#include "tests/support/check.hpp"
#include "tests/support/clinic.hpp"
#include "tests/support/run.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

using namespace trialcal::test;
namespace bdata = boost::unit_test::data;

namespace {

namespace fs = std::filesystem;

// The published schemas and LZZT, copied unchanged into tests/interop/ (its README).
fs::path usdm_api() { return fs::path(TRIALCAL_SOURCE_DIR) / "tests/interop/usdm-4.0.0/USDM_API.json"; }
fs::path lzzt_json() {
    return fs::path(TRIALCAL_SOURCE_DIR) / "tests/interop/usdm-4.0.0/examples/CDISC_Pilot_Study.json";
}

struct Usdm {
    TempDir dir;

    static RunResult in(const fs::path& calendars, const std::vector<std::string>& args) {
        RunOptions o;
        o.env = {{"TRIALCAL_CALENDARS", calendars.string()}};
        return run_trialcal(args, o);
    }
    static std::string ok_in(const fs::path& calendars, const std::vector<std::string>& args) {
        const RunResult r = in(calendars, args);
        BOOST_TEST_REQUIRE(r.code == 0, "trialcal failed: " << r.err);
        return r.out;
    }
    // ajv's verdict on a document: exit code and what it printed.
    RunResult validate(const fs::path& doc) const {
        BOOST_TEST_REQUIRE(fs::exists(fs::path(TRIALCAL_NPM) / "ajv/dist/2020.js"), "tools/test installs ajv");
        BOOST_TEST_REQUIRE(fs::exists(usdm_api()), "the published USDM schemas are in tests/interop/usdm-4.0.0");
        return run_shell("node " + sh_quote((fs::path(TRIALCAL_SOURCE_DIR) / "tests/usdm/validate_usdm.mjs").string()) +
                         " " + sh_quote(TRIALCAL_NPM) + " " + sh_quote(usdm_api().string()) + " " +
                         sh_quote(doc.string()) + " 2>&1");
    }
    // A seed protocol's export, written to the temp folder.
    fs::path exported(const std::string& spec) const {
        return dir.write(spec + ".json", ok_in(source_calendars(), {"export", "usdm", "--protocol", spec}));
    }
};

struct Variant {
    std::string spec;
    std::vector<std::string> choices;  // --arm / --cohort / --weight
};

std::ostream& operator<<(std::ostream& os, const Variant& v) {
    os << v.spec;
    for (const auto& c : v.choices) os << ' ' << c;
    return os;
}

// The six seed variants (shared/spec/protocols.md), every arm of each.
const std::vector<Variant> variants{
    {"DF-IL2", {"--arm", "IL2-1"}},
    {"DF-IL2", {"--arm", "IL2-4"}},
    {"NCT05153070@1", {"--arm", "ILT-101", "--weight", "63"}},
    {"NCT05153070@1", {"--arm", "placebo", "--weight", "63"}},
    {"NCT05153070@2", {"--arm", "ILT-101", "--weight", "71.5"}},
    {"NCT05153070@2", {"--arm", "placebo", "--weight", "71.5"}},
    {"TRANSREG", {"--cohort", "RA"}},
    {"TRANSREG", {"--cohort", "SLE"}},
    {"MS-IL2", {"--arm", "IL-2"}},
    {"MS-IL2", {"--arm", "placebo"}},
};

const std::vector<std::string> seeds{"DF-IL2", "NCT05153070@1", "NCT05153070@2", "TRANSREG", "MS-IL2"};

// One planned visit of LZZT's main timeline: id, study day, nominal date and
// window for day 0 = 2027-03-01.
struct Expected {
    std::string id;
    int day;
    std::string date, from, to;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_usdm)

BOOST_DATA_TEST_CASE_F(Usdm, export_validates_against_the_usdm_schemas, bdata::make(seeds), spec) {
    const fs::path doc = exported(spec);
    const RunResult r = validate(doc);
    BOOST_TEST(r.code == 0, spec << ": " << r.out);
    BOOST_TEST(r.out == "valid\n");
    // The document holds the protocol: one encounter per visit, the id and version.
    const Json d = parse_json(slurp(doc));
    const Json& version = d.at("study").at("versions").at(0);
    BOOST_TEST(d.at("usdmVersion").str() == "4.0.0");
    BOOST_TEST(version.at("versionIdentifier").str() == (spec == "NCT05153070@1" ? "1" : spec == "NCT05153070@2" ? "2" : "1"));
    const Json show = parse_json(ok_in(source_calendars(), {"protocol", "show", spec, "--format", "json"}));
    // show lists the planned visits; every seed has an early-termination visit besides.
    BOOST_TEST(version.at("studyDesigns").at(0).at("encounters").size() == show.at("visits").size() + 1);
}

BOOST_FIXTURE_TEST_CASE(a_broken_document_is_refused_by_the_validator, Usdm) {
    std::string text = slurp(exported("DF-IL2"));
    // A timing whose value is a number, not an ISO 8601 string.
    const std::string good = "\"value\": \"P15D\"";
    const auto at = text.find(good);
    BOOST_TEST_REQUIRE(at != std::string::npos);
    text.replace(at, good.size(), "\"value\": 8");
    const RunResult r = validate(dir.write("broken.json", text));
    BOOST_TEST(r.code == 1);
    BOOST_TEST(r.out.find("/timings/") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("value: must be string") != std::string::npos, r.out);
}

BOOST_DATA_TEST_CASE_F(Usdm, import_of_export_plans_the_same_calendar, bdata::make(variants), v) {
    const fs::path calendars = dir.path() / "imported";
    fs::create_directories(calendars);
    const std::string out = (calendars / "p.toml").string();
    const RunResult imported = in(source_calendars(), {"protocol", "import", "usdm", exported(v.spec).string(), "--out", out});
    BOOST_TEST_REQUIRE(imported.code == 0, imported.err);
    BOOST_TEST(imported.err.find("warning") == std::string::npos, imported.err);
    for (const std::string format : {"json", "csv"}) {
        std::vector<std::string> args{"calendar", "--protocol", v.spec, "--day0", "2027-03-01", "--format", format};
        args.insert(args.end(), v.choices.begin(), v.choices.end());
        const std::string original = ok_in(source_calendars(), args);
        const std::string round_trip = ok_in(calendars, args);
        BOOST_TEST(round_trip == original, v << " --format " << format);
        BOOST_TEST(original.size() > 1000u);
    }
    // And the protocol as `protocol show` reads it: eligibility, assumptions, names.
    const std::vector<std::string> show{"protocol", "show", v.spec, "--format", "json"};
    BOOST_TEST(ok_in(calendars, show) == ok_in(source_calendars(), show));
}

BOOST_FIXTURE_TEST_CASE(lzzt_imports_with_the_visit_days_and_windows_of_its_schedule, Usdm) {
    const fs::path calendars = dir.path() / "lzzt";
    fs::create_directories(calendars);
    const fs::path toml = calendars / "lzzt.toml";
    const RunResult r = in(calendars, {"protocol", "import", "usdm", lzzt_json().string(), "--out", toml.string()});
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    BOOST_TEST(ok_in(calendars, {"protocol", "check", toml.string()}) ==
               toml.string() + ": ok, LZZT version 2: 16 visits, 0 doses\n");

    // By hand from CDISC_Pilot_Study.json's main timeline: DOSE is the Fixed
    // Reference (day 0); SCREEN1 is "Before P2W", SCREEN2 "Before P2D" with a
    // window of 4 hours (PT4H..PT0H: no whole day); WKn "After PnW" of DOSE
    // with P3D windows to week 8, P4D for weeks 12-24, P3D for week 26; the
    // home visits WKnN "After P2W" of WKn, without window.
    const std::vector<Expected> expected{
        {"SCREEN1", -14, "2027-02-15", "2027-02-15", "2027-02-15"},
        {"SCREEN2", -2, "2027-02-27", "2027-02-27", "2027-02-27"},
        {"DOSE", 0, "2027-03-01", "2027-03-01", "2027-03-01"},
        {"WK2", 14, "2027-03-15", "2027-03-12", "2027-03-18"},
        {"WK4", 28, "2027-03-29", "2027-03-26", "2027-04-01"},
        {"WK6", 42, "2027-04-12", "2027-04-09", "2027-04-15"},
        {"WK8", 56, "2027-04-26", "2027-04-23", "2027-04-29"},
        {"WK8N", 70, "2027-05-10", "2027-05-10", "2027-05-10"},
        {"WK12", 84, "2027-05-24", "2027-05-20", "2027-05-28"},
        {"WK12N", 98, "2027-06-07", "2027-06-07", "2027-06-07"},
        {"WK16", 112, "2027-06-21", "2027-06-17", "2027-06-25"},
        {"WK16N", 126, "2027-07-05", "2027-07-05", "2027-07-05"},
        {"WK20", 140, "2027-07-19", "2027-07-15", "2027-07-23"},
        {"WK20N", 154, "2027-08-02", "2027-08-02", "2027-08-02"},
        {"WK24", 168, "2027-08-16", "2027-08-12", "2027-08-20"},
        {"WK26", 182, "2027-08-30", "2027-08-27", "2027-09-02"},
    };
    const Json cal = parse_json(ok_in(calendars, {"calendar", "--protocol", "LZZT", "--day0", "2027-03-01", "--arm",
                                                  "Placebo", "--format", "json"}));
    const auto& events = cal.at("events");
    BOOST_TEST_REQUIRE(events.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const Json& e = events.at(i);
        BOOST_TEST_CONTEXT(expected[i].id) {
            BOOST_TEST(e.at("id").str() == expected[i].id);
            BOOST_TEST(e.at("kind").str() == "visit");
            BOOST_TEST(e.at("day").integer() == expected[i].day);
            BOOST_TEST(e.at("date").str() == expected[i].date);
            BOOST_TEST(e.at("window").at("from").str() == expected[i].from);
            BOOST_TEST(e.at("window").at("to").str() == expected[i].to);
        }
    }
    // The home visits count from their clinic visit, as USDM relates them.
    BOOST_TEST(events.at(7).at("anchor").str() == "WK8");
    BOOST_TEST(events.at(13).at("anchor").str() == "WK20");
    BOOST_TEST(events.at(3).at("anchor").is_null());
    BOOST_TEST(events.at(7).at("procedures").at(0).str() == "NPI-X");

    // What trialcal cannot plan: warnings naming the JSON path, one line each.
    const std::string tl = "$.study.versions[0].studyDesigns[0].scheduleTimelines";
    const std::vector<std::string> paths{
        "$.study.versions[0].studyDesigns[0].eligibilityCriteria: 31 eligibility criteria are text",
        tl + "[0].timings[1].windowLower: window of SCREEN2 PT4H is not whole days",
        tl + "[1]: timeline 'Adverse Event Timeline'",
        tl + "[3]: timeline 'Vital Sign Blood Pressure Timeline'",
        "$.study.versions[0].studyInterventions[0].administrations[0]: administration PATCH_50",
        "$.study.versions[0].studyInterventions[0].administrations[1]: administration PATCH_75",
    };
    const auto warnings = lines(r.err);
    BOOST_TEST_REQUIRE(warnings.size() == paths.size());
    for (std::size_t i = 0; i < paths.size(); ++i)
        BOOST_TEST(warnings[i].find("trialcal: warning: " + lzzt_json().string() + ": " + paths[i]) == 0u, warnings[i]);
    BOOST_TEST(r.out == toml.string() + ": written\n" + lzzt_json().string() +
                            ": LZZT version 2: 16 visits (1 early-termination), 0 regimens, 22 assumptions, 6 warnings\n");

    // The early-termination timeline is the early-termination visit; the
    // open windows are assumptions, each commented on its value.
    const std::string text = slurp(toml);
    BOOST_TEST(text.find("id = \"ET\"\nday = 0\nname = \"Early Termination\"\n") != std::string::npos);
    BOOST_TEST(text.find("about = \"visits.WK8N.window\"") != std::string::npos);
    BOOST_TEST(text.find("id = \"WK8N\"\nday = 70\nname = \"Week 8 (WK8N)\"   # assumption: see [[assumptions]]\n"
                         "window = [0, 0]   # assumption: see [[assumptions]]\n") != std::string::npos);
    BOOST_TEST(text.find("registry_ids = [\"NCT12345678\"]") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(an_administration_given_to_arms_by_their_elements_is_a_regimen, Usdm) {
    // LZZT with its arms' elements naming the intervention, one patch only.
    const fs::path doc = dir.path() / "linked.json";
    const RunResult edit = run_shell("node " + sh_quote((fs::path(TRIALCAL_SOURCE_DIR) / "tests/usdm/lzzt_with_arm_links.mjs").string()) +
                                     " " + sh_quote(lzzt_json().string()) + " " + sh_quote(doc.string()));
    BOOST_TEST_REQUIRE(edit.code == 0);
    BOOST_TEST(validate(doc).code == 0);
    const fs::path calendars = dir.path() / "linked";
    fs::create_directories(calendars);
    const RunResult r =
        in(calendars, {"protocol", "import", "usdm", doc.string(), "--out", (calendars / "lzzt.toml").string()});
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    BOOST_TEST(r.err.find("administration PATCH_50") == std::string::npos, r.err);
    // 54 mg daily for 24 weeks: 168 doses from day 0, D0 to D167.
    const Json low = parse_json(ok_in(calendars, {"calendar", "--protocol", "LZZT", "--day0", "2027-03-01", "--arm",
                                                  "Xanomeline-Low-Dose", "--format", "json"}));
    std::vector<const Json*> doses;
    for (const auto& e : low.at("events").items())
        if (e.at("kind").str() == "dose") doses.push_back(&e);
    BOOST_TEST_REQUIRE(doses.size() == 168u);
    BOOST_TEST(doses.front()->at("id").str() == "XINONILINE-D0");
    BOOST_TEST(doses.front()->at("date").str() == "2027-03-01");
    BOOST_TEST(doses.front()->at("amount").number() == 54);
    BOOST_TEST(doses.front()->at("unit").str() == "Milligram");
    BOOST_TEST(doses.back()->at("id").str() == "XINONILINE-D167");
    BOOST_TEST(doses.back()->at("date").str() == "2027-08-15");
    // The placebo arm gets the same days, as placebo.
    const Json placebo = parse_json(ok_in(calendars, {"calendar", "--protocol", "LZZT", "--day0", "2027-03-01", "--arm",
                                                      "Placebo", "--format", "json"}));
    BOOST_TEST(placebo.at("events").size() == 16u + 168u);
    const std::string toml = slurp(calendars / "lzzt.toml");
    BOOST_TEST(toml.find("about = \"regimens.PATCH_50.first_day\"") != std::string::npos);
    BOOST_TEST(toml.find("placebo = [\"XINONILINE\"]") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(lzzt_exports_back_valid_and_plans_the_same, Usdm) {
    const fs::path first = dir.path() / "first";
    const fs::path second = dir.path() / "second";
    fs::create_directories(first);
    fs::create_directories(second);
    ok_in(first, {"protocol", "import", "usdm", lzzt_json().string(), "--out", (first / "lzzt.toml").string()});
    const fs::path doc = dir.write("lzzt.json", ok_in(first, {"export", "usdm", "--protocol", "LZZT"}));
    BOOST_TEST(validate(doc).code == 0);
    const RunResult again = in(first, {"protocol", "import", "usdm", doc.string(), "--out", (second / "lzzt.toml").string()});
    BOOST_TEST_REQUIRE(again.code == 0, again.err);
    const std::vector<std::string> args{"calendar", "--protocol", "LZZT", "--day0", "2027-03-01", "--arm", "Placebo",
                                        "--format", "json"};
    BOOST_TEST(ok_in(second, args) == ok_in(first, args));
}

BOOST_FIXTURE_TEST_CASE(a_document_the_import_cannot_read_is_refused_naming_the_path, Usdm) {
    std::string text = slurp(lzzt_json());
    const std::string good = "\"value\": \"P2W\"";
    const auto at = text.find(good);
    BOOST_TEST_REQUIRE(at != std::string::npos);
    text.replace(at, good.size(), "\"value\": \"P2X\"");
    const fs::path bad = dir.write("bad.json", text);
    const fs::path out = dir.path() / "out.toml";
    RunResult r = in(source_calendars(), {"protocol", "import", "usdm", bad.string(), "--out", out.string()});
    BOOST_TEST(r.code == 65);
    BOOST_TEST(r.err.find(bad.string() +
                          ": $.study.versions[0].studyDesigns[0].scheduleTimelines[0].timings[0].value: 'P2X' is not "
                          "an ISO 8601 duration") != std::string::npos,
               r.err);
    BOOST_TEST(!fs::exists(out));

    r = in(source_calendars(), {"protocol", "import", "usdm", dir.write("not.json", "{\"study\": [1,").string()});
    BOOST_TEST(r.code == 65);
    BOOST_TEST(r.err.find("not JSON: at byte") != std::string::npos, r.err);

    r = in(source_calendars(), {"protocol", "import", "usdm", dir.write("no-study.json", "{\"usdmVersion\": \"4.0.0\"}").string()});
    BOOST_TEST(r.code == 65);
    BOOST_TEST(r.err.find("$.study: missing, the import needs it") != std::string::npos, r.err);

    r = in(source_calendars(), {"protocol", "import", "usdm", (dir.path() / "missing.json").string()});
    BOOST_TEST(r.code == 66);
}

// An imported protocol never replaces a file (a protocol folder's, say); an
// export replaces its --out whole, as every export does.
BOOST_FIXTURE_TEST_CASE(import_out_never_overwrites_and_export_out_replaces, Usdm) {
    const fs::path out = dir.write("there.toml", "kept\n");
    const RunResult r = in(source_calendars(), {"protocol", "import", "usdm", lzzt_json().string(), "--out", out.string()});
    BOOST_TEST(r.code == 1);
    BOOST_TEST(slurp(out) == "kept\n");
    const RunResult e = in(source_calendars(), {"export", "usdm", "--protocol", "DF-IL2", "--out", out.string()});
    BOOST_TEST(e.code == 0);
    const RunResult shown = in(source_calendars(), {"export", "usdm", "--protocol", "DF-IL2"});
    BOOST_TEST(slurp(out) == shown.out);
}

BOOST_AUTO_TEST_SUITE_END()
