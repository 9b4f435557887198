#pragma once
// A small network for the streamed outputs (issue 14): two sites, two
// protocols, each site with both, a skip and records; and the outputs
// trialcal printed for it before it streamed them (commit ea9eeaf), kept in
// tests/cli/expected so that a streamed command is checked byte for byte.
#include "tests/support/clinic.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace trialcal::test {

struct TwoSiteNetwork : Clinic {
    TwoSiteNetwork() {
        now = "2027-03-20T12:00:00Z";
        ok({"enroll", "P1", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm", "IL2-1"});
        ok({"enroll", "Q1", "--protocol", "TRANSREG", "--site", "LYON", "--day0", "2027-03-01", "--cohort", "RA"});
        ok({"enroll", "R1", "--protocol", "TRANSREG", "--site", "PSL", "--day0", "2027-03-03", "--cohort", "RA"});
        ok({"enroll", "A1", "--protocol", "DF-IL2", "--site", "LYON", "--day0", "2027-03-02", "--arm", "IL2-2"});
        ok({"dose", "P1", "--at", "2027-03-02T09:00"});
        ok({"visit", "P1", "V-D0", "--at", "2027-03-01"});
        ok({"visit", "P1", "V-D1", "--at", "2027-03-02"});
        ok({"skip", "P1", "IL2-D4", "--reason", "adverse event"});
        for (const char* d : {"02", "03", "04", "05", "06"}) ok({"dose", "Q1", "--at", std::string("2027-03-") + d + "T09:00"});
        for (const auto& [v, d] : {std::pair{"V-D0", "01"}, {"V-D1", "02"}, {"V-D8", "09"}})
            ok({"visit", "Q1", v, "--at", std::string("2027-03-") + d});
    }
};

// tests/cli/expected/NAME.txt
inline std::string expected_output(const std::string& name) {
    std::ifstream in(std::filesystem::path(TRIALCAL_SOURCE_DIR) / "tests/cli/expected" / (name + ".txt"),
                     std::ios::binary);
    BOOST_TEST_REQUIRE(in.good(), "no expected output " << name);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// `actual` is expected output NAME. With TRIALCAL_WRITE_EXPECTED=1 in the
// environment it becomes it (a deliberate change of an output: review the
// diff of tests/cli/expected before committing it).
inline std::string expected_or_written(const std::string& name, const std::string& actual) {
    if (const char* w = std::getenv("TRIALCAL_WRITE_EXPECTED"); w && std::string(w) == "1")
        std::ofstream(std::filesystem::path(TRIALCAL_SOURCE_DIR) / "tests/cli/expected" / (name + ".txt"),
                      std::ios::binary)
            << actual;
    return expected_output(name);
}

}  // namespace trialcal::test
