// End-to-end: the exports other systems read as standards (docs/interop.md),
// each checked by the standard's own validator: ODM 2.0 by xmllint against
// ODM.xsd, FHIR R5 and Dataset-JSON v1.1 by ajv against their published JSON
// Schemas. Every seed protocol, a patient of each; each validator also
// refuses a broken document, so a pass means it ran.
#include "tests/support/clinic.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <map>
#include <ostream>

using namespace trialcal::test;
namespace bdata = boost::unit_test::data;

namespace {

const fs::path interop = fs::path(TRIALCAL_SOURCE_DIR) / "tests/interop";
const fs::path npm_modules = fs::path(TRIALCAL_ICALJS).parent_path().parent_path().parent_path();
const fs::path fhir_schema = npm_modules / "hl7.fhir.r5.core/openapi/fhir.schema.json";

// xmllint's verdict on `file` against ODM 2.0: code 0 when valid.
RunResult odm_check(const fs::path& file) {
    return run_shell("xmllint --noout --schema " + sh_quote((interop / "odm-2.0/ODM.xsd").string()) + " " +
                     sh_quote(file.string()) + " 2>&1");
}

// ajv's verdict on `files` (one compile of the schema for all).
RunResult json_check(const std::string& kind, const fs::path& schema, const std::vector<fs::path>& files) {
    BOOST_TEST_REQUIRE(fs::exists(fhir_schema), "tools/test installs ajv and hl7.fhir.r5.core (ensure_json_validators)");
    std::string cmd = "node " + sh_quote((interop / "validate_json.mjs").string()) + " " + sh_quote(npm_modules.string()) +
                      " " + kind + " " + sh_quote(schema.string());
    for (const auto& f : files) cmd += " " + sh_quote(f.string());
    return run_shell(cmd + " 2>&1");
}

// The fields of each line of an RFC 4180 CSV text.
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, any = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
            else if (c == '"') quoted = false;
            else field += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(std::exchange(field, {}));
        } else if (c == '\n') {
            row.push_back(std::exchange(field, {}));
            rows.push_back(std::exchange(row, {}));
        } else {
            field += c;
        }
        any = true;
    }
    if (any && (!field.empty() || !row.empty())) row.push_back(field), rows.push_back(row);
    return rows;
}

// A Dataset-JSON value as the CSV writes it: null and "" are empty, a number its digits.
std::string as_csv_text(const Json& v) {
    if (v.is_null()) return "";
    if (v.is_object() || v.is_array()) return "?";
    try {
        return v.str();
    } catch (const JsonError&) {
        return v.number_text();
    }
}

struct Seed {
    const char* protocol;  // ID@VERSION
    std::vector<std::string> choice;
};
std::ostream& operator<<(std::ostream& o, const Seed& s) { return o << s.protocol; }

const Seed seeds[] = {
    {"DF-IL2@1", {"--arm", "IL2-2"}},
    {"MS-IL2@1", {"--arm", "IL-2"}},
    {"NCT05153070@1", {"--arm", "ILT-101", "--weight", "60"}},
    {"NCT05153070@2", {"--arm", "placebo", "--weight", "72"}},
    {"TRANSREG@1", {"--cohort", "RA"}},
};

// A patient on each seed protocol with a visit, a dose and (one of them) a
// withdrawal on record.
struct EveryProtocol : Clinic {
    EveryProtocol() {
        int n = 0;
        for (const auto& s : seeds) {
            std::vector<std::string> args{"enroll", patient(n), "--protocol", s.protocol, "--site", "PSL", "--day0",
                                          "2027-03-01"};
            args.insert(args.end(), s.choice.begin(), s.choice.end());
            ok(args);
            ++n;
        }
        ok({"visit", "E0", "V-D0", "--at", "2027-03-01"});
        ok({"dose", "E0", "--at", "2027-03-02T09:00"});
        ok({"withdraw", "E4", "--on", "2027-03-05", "--reason", "moved abroad"});
    }
    static std::string patient(int n) { return "E" + std::to_string(n); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_interop)

// --- ODM ----------------------------------------------------------------------

BOOST_DATA_TEST_CASE(every_seed_protocol_exports_a_valid_odm_study_design, bdata::make(seeds), seed) {
    Clinic c;
    const fs::path file = c.dir.path() / "design.xml";
    c.ok({"export", "odm", "--protocol", seed.protocol, "--out", file.string()});
    const RunResult r = odm_check(file);
    BOOST_TEST(r.code == 0, seed.protocol << ": " << r.out);
    BOOST_TEST(contains(r.out, "validates"), r.out);
}

BOOST_AUTO_TEST_CASE(odm_times_visits_from_day_0_and_anchors_with_their_windows) {
    Clinic c;
    const std::string xml = c.ok({"export", "odm", "--protocol", "NCT05153070@2"});
    BOOST_TEST(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ODM xmlns=\"http://www.cdisc.org/ns/odm/v2.0\" "
                         "FileType=\"Snapshot\" Granularity=\"Metadata\" FileOID=\"trialcal.ODM.NCT05153070.2\" "
                         "CreationDateTime=\"2027-03-10T12:00:00\"",
                         0) == 0u,
               xml.substr(0, 300));
    // D67 visit: counted from the first injection ILT101-D63, four days after it.
    BOOST_TEST(contains(xml, "PredecessorOID=\"SE.ILT101-D63\" SuccessorOID=\"SE.V-D67\" Type=\"StartToStart\" "
                             "TimepointRelativeTarget=\"P4D\""),
               xml);
    // The anchor dose itself counts from day 0.
    BOOST_TEST(contains(xml, "PredecessorOID=\"SE.DAY0\" SuccessorOID=\"SE.ILT101-D63\" Type=\"StartToStart\" "
                             "TimepointRelativeTarget=\"P63D\""),
               xml);
    BOOST_TEST(contains(xml, "<StudyEventDef OID=\"SE.V-D67\""), xml);
}

BOOST_AUTO_TEST_CASE(xmllint_refuses_a_broken_odm_document) {
    Clinic c;
    const std::string xml = c.ok({"export", "odm", "--protocol", "DF-IL2"});
    const fs::path good = c.dir.write("good.xml", xml);
    BOOST_TEST_REQUIRE(odm_check(good).code == 0);
    // A StudyEventDef neither repeating nor not: the schema allows Yes and No only.
    const std::string broken = replace_all(xml, "Repeating=\"No\"", "Repeating=\"Maybe\"");
    BOOST_TEST_REQUIRE(broken != xml);
    const RunResult r = odm_check(c.dir.write("broken.xml", broken));
    BOOST_TEST(r.code != 0);
    BOOST_TEST(contains(r.out, "Maybe"), r.out);
}

BOOST_AUTO_TEST_CASE(an_unknown_protocol_exports_nothing) {
    Clinic c;
    const fs::path file = c.dir.path() / "design.xml";
    const RunResult r = c.run({"export", "odm", "--protocol", "NOPE", "--out", file.string()});
    BOOST_TEST(r.code != 0);
    BOOST_TEST(contains(r.err, "NOPE"), r.err);
    BOOST_TEST(!fs::exists(file));
}

// --- FHIR ---------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(a_patient_of_every_seed_protocol_exports_a_valid_fhir_bundle, EveryProtocol) {
    std::vector<fs::path> files;
    for (std::size_t n = 0; n < std::size(seeds); ++n) {
        files.push_back(dir.path() / (patient(static_cast<int>(n)) + ".json"));
        ok({"export", "fhir", "--patient", patient(static_cast<int>(n)), "--out", files.back().string()});
    }
    files.push_back(dir.path() / "site.json");
    ok({"export", "fhir", "--site", "PSL", "--out", files.back().string()});
    const RunResult r = json_check("fhir", fhir_schema, files);
    BOOST_TEST(r.code == 0, r.out);
    BOOST_TEST(std::count(r.out.begin(), r.out.end(), '\n') == static_cast<long>(files.size()), r.out);
}

BOOST_FIXTURE_TEST_CASE(the_bundle_follows_the_course_and_the_calendar, EveryProtocol) {
    const Json b = parse_json(ok({"export", "fhir", "--patient", "E4", "--as-of", "2027-03-10"}));
    BOOST_TEST(b.at("resourceType").str() == "Bundle");
    BOOST_TEST(b.at("type").str() == "collection");
    std::map<std::string, int> types;
    const Json* subject = nullptr;
    const Json* care_plan = nullptr;
    for (const Json& e : b.at("entry").items()) {
        const Json& r = e.at("resource");
        ++types[r.at("resourceType").str()];
        if (r.at("resourceType").str() == "ResearchSubject") subject = &r;
        if (r.at("resourceType").str() == "CarePlan") care_plan = &r;
        BOOST_TEST(e.at("fullUrl").str() ==
                   "https://trialcal.invalid/fhir/" + r.at("resourceType").str() + "/" + r.at("id").str());
    }
    BOOST_TEST(types["ResearchStudy"] == 1);
    BOOST_TEST(types["PlanDefinition"] == 1);
    BOOST_TEST(types["Patient"] == 1);
    BOOST_TEST_REQUIRE(subject);
    // Enrolled on day 0, withdrawn on 2027-03-05.
    const Json& progress = subject->at("progress");
    BOOST_TEST_REQUIRE(progress.size() == 2u);
    BOOST_TEST(progress.at(0).at("subjectState").at("coding").at(0).at("code").str() == "on-study");
    BOOST_TEST(progress.at(0).at("startDate").str() == "2027-03-01");
    BOOST_TEST(progress.at(0).at("endDate").str() == "2027-03-05");
    BOOST_TEST(progress.at(1).at("subjectState").at("coding").at(0).at("code").str() == "withdrawn");
    BOOST_TEST(progress.at(1).at("reason").at("text").str() == "moved abroad");
    BOOST_TEST(subject->at("study").at("reference").str() == "ResearchStudy/TRANSREG-1");
    // An open study: the cohort is the subject's comparison group.
    BOOST_TEST(subject->at("assignedComparisonGroup").str() == "RA");
    const Json& study = b.at("entry").at(0).at("resource");
    BOOST_TEST(study.at("comparisonGroup").size() == 14u);  // its 14 cohorts
    BOOST_TEST(study.at("comparisonGroup").at(0).at("linkId").str() == "RA");
    BOOST_TEST(study.at("comparisonGroup").at(0).at("name").str() == "rheumatoid arthritis");
    BOOST_TEST_REQUIRE(care_plan);
    BOOST_TEST(care_plan->at("status").str() == "revoked");
    BOOST_TEST(care_plan->at("activity").size() ==
               static_cast<std::size_t>(types["ServiceRequest"] + types["MedicationRequest"]));
}

BOOST_FIXTURE_TEST_CASE(a_dose_record_is_a_medication_administration_under_its_blinded_label, EveryProtocol) {
    const Json b = parse_json(ok({"export", "fhir", "--patient", "E0"}));
    std::vector<const Json*> given;
    for (const Json& e : b.at("entry").items())
        if (e.at("resource").at("resourceType").str() == "MedicationAdministration") given.push_back(&e.at("resource"));
    BOOST_TEST_REQUIRE(given.size() == 1u);
    const Json& a = *given.front();
    BOOST_TEST(a.at("id").str() == "E0-R2");  // R1 is its visit
    BOOST_TEST(a.at("status").str() == "completed");
    BOOST_TEST(a.at("medication").at("concept").at("text").str() == "aldesleukin or placebo");
    BOOST_TEST(a.at("occurenceDateTime").str() == "2027-03-02T08:00:00Z");  // 09:00 in Paris
    BOOST_TEST(a.at("request").at("reference").str() == "MedicationRequest/E0-IL2-D1");
    BOOST_TEST(!a.has("dosage"));
}

// Two patients on different arms of a blinded trial, same day 0, same
// records: their bundles differ only by the patient's id, so nothing in them
// tells the arms apart; and no arm's name is anywhere.
BOOST_AUTO_TEST_CASE(a_blinded_bundle_tells_no_arm) {
    Clinic c;
    c.ok({"enroll", "B1", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm", "IL2-1"});
    c.ok({"enroll", "B2", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm", "IL2-4"});
    c.ok({"dose", "B1", "--at", "2027-03-02T09:00"});
    c.ok({"dose", "B2", "--at", "2027-03-02T09:00"});
    const std::string one = c.ok({"export", "fhir", "--patient", "B1"});
    const std::string two = c.ok({"export", "fhir", "--patient", "B2"});
    // Their records are R1 and R2.
    BOOST_TEST(replace_all(replace_all(replace_all(two, "B2", "B1"), "-R2\"", "-R1\""), "\"R2\"", "\"R1\"") == one);
    // DF-IL2's arms, as its file names them.
    for (const std::string name : {"IL2-1", "IL2-2", "IL2-3", "IL2-4", "aldesleukin 0.33 MIU", "aldesleukin 1 MIU",
                                   "aldesleukin 3 MIU", "placebo"}) {
        BOOST_TEST(!contains(one, "\"" + name + "\""), name);
    }
    BOOST_TEST(!contains(one, "0.33"));
    BOOST_TEST(!contains(one, "ComparisonGroup"));
    BOOST_TEST(!contains(one, "comparisonGroup"));
    BOOST_TEST(!contains(one, "\"aldesleukin\""));
    BOOST_TEST(!contains(one, "MIU"));
}

BOOST_AUTO_TEST_CASE(ajv_refuses_a_broken_fhir_bundle) {
    Clinic c;
    c.ok({"enroll", "P1", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm", "IL2-2"});
    const std::string bundle = c.ok({"export", "fhir", "--patient", "P1"});
    // An id with a character FHIR ids may not hold.
    const std::string broken = replace_all(bundle, "\"id\": \"P1\"", "\"id\": \"P_1\"");
    BOOST_TEST_REQUIRE(broken != bundle);
    const RunResult r = json_check("fhir", fhir_schema, {c.dir.write("good.json", bundle), c.dir.write("broken.json", broken)});
    BOOST_TEST(r.code == 1, r.out);
    BOOST_TEST(contains(r.out, "good.json: valid"), r.out);
    BOOST_TEST(contains(r.out, "broken.json: /entry/2/resource/id must match pattern"), r.out);
}

BOOST_AUTO_TEST_CASE(fhir_wants_a_patient_or_a_site) {
    Clinic c;
    c.ok({"enroll", "P1", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm", "IL2-2"});
    const RunResult r = c.run({"export", "fhir"});
    BOOST_TEST(r.code == 2, r.err);
    BOOST_TEST(contains(r.err, "--patient"), r.err);
    const RunResult unknown = c.run({"export", "fhir", "--patient", "NOBODY"});
    BOOST_TEST(unknown.code == 65, unknown.err);
    BOOST_TEST(contains(unknown.err, "NOBODY"), unknown.err);
}

// --- Dataset-JSON --------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(dataset_json_holds_the_csv_rows_value_for_value, EveryProtocol) {
    const std::vector<std::string> domains{"TV", "TA", "TE", "SV", "EX", "DV", "DM", "DS", "SE"};
    std::vector<std::string> csv{"export", "sdtm"}, json{"export", "sdtm"};
    csv.insert(csv.end(), domains.begin(), domains.end());
    json.insert(json.end(), domains.begin(), domains.end());
    for (auto* args : {&csv, &json}) args->insert(args->end(), {"--as-of", "2027-03-10"});
    csv.insert(csv.end(), {"--out", (dir.path() / "csv").string()});
    json.insert(json.end(), {"--out", (dir.path() / "json").string(), "--format", "dataset-json"});
    ok(csv);
    const std::string summary = ok(json);
    BOOST_TEST(contains(summary, (dir.path() / "json" / "dm.json").string() + ": 5 rows"), summary);
    std::vector<fs::path> files;
    for (const auto& d : domains) {
        std::string lower = d;
        for (char& ch : lower) ch = static_cast<char>(ch - 'A' + 'a');
        const auto rows = csv_rows(slurp(dir.path() / "csv" / (lower + ".csv")));
        files.push_back(dir.path() / "json" / (lower + ".json"));
        const Json doc = parse_json(slurp(files.back()));
        BOOST_TEST(doc.at("datasetJSONVersion").str() == "1.1.0");
        BOOST_TEST(doc.at("datasetJSONCreationDateTime").str() == "2027-03-10T12:00:00");
        BOOST_TEST(doc.at("itemGroupOID").str() == "IG." + d);
        BOOST_TEST(doc.at("name").str() == d);
        BOOST_TEST_REQUIRE(!rows.empty());
        const Json& columns = doc.at("columns");
        BOOST_TEST_REQUIRE(columns.size() == rows.front().size(), d);
        for (std::size_t k = 0; k < columns.size(); ++k) {
            BOOST_TEST(columns.at(k).at("name").str() == rows.front()[k]);
            BOOST_TEST(columns.at(k).at("itemOID").str() == "IT." + d + "." + rows.front()[k]);
        }
        BOOST_TEST(doc.at("records").integer() == static_cast<long long>(rows.size() - 1), d);
        BOOST_TEST_REQUIRE(doc.at("rows").size() == rows.size() - 1, d);
        for (std::size_t i = 1; i < rows.size(); ++i)
            for (std::size_t k = 0; k < rows[i].size(); ++k)
                BOOST_TEST(as_csv_text(doc.at("rows").at(i - 1).at(k)) == rows[i][k],
                           d << " row " << i << " " << rows.front()[k]);
    }
    const RunResult r = json_check("dataset-json", interop / "dataset-json-1.1/dataset.schema.json", files);
    BOOST_TEST(r.code == 0, r.out);
}

BOOST_AUTO_TEST_CASE(ajv_refuses_a_broken_dataset_json_file) {
    Clinic c;
    c.ok({"export", "sdtm", "TV", "--protocol", "DF-IL2", "--out", c.dir.path().string(), "--format", "dataset-json"});
    const std::string tv = slurp(c.dir.path() / "tv.json");
    // A record count that is no integer.
    const std::string broken = replace_all(tv, "\"records\": ", "\"records\": \"many\", \"x\": ");
    BOOST_TEST_REQUIRE(broken != tv);
    const fs::path schema = interop / "dataset-json-1.1/dataset.schema.json";
    const RunResult r = json_check("dataset-json", schema, {c.dir.path() / "tv.json", c.dir.write("broken.json", broken)});
    BOOST_TEST(r.code == 1, r.out);
    BOOST_TEST(contains(r.out, "tv.json: valid"), r.out);
    BOOST_TEST(contains(r.out, "broken.json: /records must be integer"), r.out);
}

BOOST_AUTO_TEST_CASE(an_unknown_sdtm_format_writes_nothing) {
    Clinic c;
    const RunResult r = c.run({"export", "sdtm", "TV", "--protocol", "DF-IL2", "--out", (c.dir.path() / "x").string(),
                               "--format", "xpt"});
    BOOST_TEST(r.code == 2, r.err);
    BOOST_TEST(!fs::exists(c.dir.path() / "x"));
}

BOOST_AUTO_TEST_SUITE_END()
