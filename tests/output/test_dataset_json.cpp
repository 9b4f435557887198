// Dataset-JSON v1.1: the head in the standard's attribute order, each value
// typed by its column, and the tail; SDTM's columns agree with its CSV header.
#include "output/dataset_json.hpp"
#include "output/sdtm.hpp"

#include <boost/test/unit_test.hpp>

using namespace trialcal;
namespace dj = trialcal::dataset_json;
using dj::DataType;

namespace {

const std::vector<dj::Column> columns{{"STUDYID", "Study Identifier", DataType::string},
                                      {"VISITNUM", "Visit Number", DataType::decimal},
                                      {"SVSTDY", "Study Day of Start of Visit", DataType::integer},
                                      {"SVSTDTC", "Start Date/Time of Visit", DataType::date}};

}  // namespace

BOOST_AUTO_TEST_SUITE(dataset_json)

BOOST_AUTO_TEST_CASE(values_are_written_as_their_column_types_say) {
    BOOST_TEST(dj::row(columns, {"DF-IL2", "2.01", "-3", "2027-03-01"}, 0) ==
               "\n    [\"DF-IL2\", \"2.01\", -3, \"2027-03-01\"]");
    // Empty: null for numbers, "" for text; a comma before every row but the first.
    BOOST_TEST(dj::row(columns, {"", "", "", ""}, 1) == ",\n    [\"\", null, null, \"\"]");
    // Text with a quote and a line end stays exact.
    BOOST_TEST(dj::row(columns, {"a \"b\"\nc", "1", "12", ""}, 0) == "\n    [\"a \\\"b\\\"\\nc\", \"1\", 12, \"\"]");
}

BOOST_AUTO_TEST_CASE(the_head_counts_the_rows_before_them) {
    dj::Dataset d;
    d.created = "2027-03-10T12:00:00";
    d.file_oid = "trialcal.SDTM.DF-IL2.SV";
    d.study_oid = "DF-IL2";
    d.source_version = "0.1.0";
    d.name = "SV";
    d.label = "Subject Visits";
    d.records = 2;
    const std::string head = dj::head(d, {columns[0]});
    BOOST_TEST(head ==
               "{\n"
               "  \"datasetJSONCreationDateTime\": \"2027-03-10T12:00:00\",\n"
               "  \"datasetJSONVersion\": \"1.1.0\",\n"
               "  \"fileOID\": \"trialcal.SDTM.DF-IL2.SV\",\n"
               "  \"originator\": \"trialcal\",\n"
               "  \"sourceSystem\": {\"name\": \"trialcal\", \"version\": \"0.1.0\"},\n"
               "  \"studyOID\": \"DF-IL2\",\n"
               "  \"itemGroupOID\": \"IG.SV\",\n"
               "  \"records\": 2,\n"
               "  \"name\": \"SV\",\n"
               "  \"label\": \"Subject Visits\",\n"
               "  \"columns\": [\n"
               "    {\"itemOID\": \"IT.SV.STUDYID\", \"name\": \"STUDYID\", \"label\": \"Study Identifier\", \"dataType\": "
               "\"string\"}\n"
               "  ],\n"
               "  \"rows\": [");
    BOOST_TEST(dj::tail() == "\n  ]\n}\n");
    d.study_oid.clear();  // several studies: no studyOID
    BOOST_TEST(dj::head(d, {columns[0]}).find("studyOID") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(sdtm_columns_are_the_csv_header_with_labels) {
    for (const auto d : sdtm::all_domains) {
        const auto& cols = sdtm::columns(d);
        const auto& names = sdtm::variables(d);
        BOOST_TEST_REQUIRE(cols.size() == names.size());
        for (std::size_t i = 0; i < cols.size(); ++i) {
            BOOST_TEST(cols[i].name == names[i]);
            BOOST_TEST(!cols[i].label.empty(), cols[i].name);
            BOOST_TEST(cols[i].label.size() <= 40u, cols[i].name);  // SDTM's label limit
        }
        BOOST_TEST(!sdtm::label(d).empty());
    }
    BOOST_TEST(sdtm::file_name(sdtm::Domain::DM, sdtm::Container::dataset_json) == "dm.json");
    BOOST_TEST(dj::type_name(sdtm::columns(sdtm::Domain::SV)[3].type) == "decimal");  // VISITNUM: 2.01
}

BOOST_AUTO_TEST_SUITE_END()
