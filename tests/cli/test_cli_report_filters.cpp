// End-to-end: issue 12's report filters (unknown values refused, ID@V one
// version only) and unblinded output that says so.
// Each refusal asserts the exit code, that stderr names the value at fault,
// and that the database file is byte for byte what it was.
#include "tests/support/clinic.hpp"
#include "tests/support/patients.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace trialcal::test;

namespace {

using Paris = ParisPatient;

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_report_filters)

// ---------------------------------------------------------------- filters

BOOST_FIXTURE_TEST_CASE(filters_refuse_unknown_values, Paris) {
    refused(65, "NOPE", {"report", "compliance", "--site", "NOPE"});
    refused(65, "P9", {"report", "compliance", "--patient", "P9"});
    refused(65, "XX-1", {"report", "compliance", "--protocol", "XX-1"});
    refused(65, "DF-IL2@7", {"report", "compliance", "--protocol", "DF-IL2@7"});
    refused(65, "NOPE", {"due", "--site", "NOPE"});
    refused(65, "NOPE", {"export", "ics", "--site", "NOPE"});
}

BOOST_FIXTURE_TEST_CASE(protocol_at_version_selects_that_version_only, Clinic) {
    now = "2027-05-01T12:00:00Z";
    ok({"enroll", "N1", "--protocol", "NCT05153070@1", "--site", "PSL", "--day0", "2027-03-01", "--arm", "ILT-101",
        "--weight", "60"});
    ok({"enroll", "N2", "--protocol", "NCT05153070@2", "--site", "PSL", "--day0", "2027-03-01", "--arm", "ILT-101",
        "--weight", "60"});
    const std::string v1 = ok({"report", "compliance", "--protocol", "NCT05153070@1", "--format", "csv"});
    BOOST_TEST(contains(v1, ",N1,"), v1);
    BOOST_TEST(!contains(v1, ",N2,"), v1);
    const std::string both = ok({"report", "compliance", "--protocol", "NCT05153070", "--format", "csv"});
    BOOST_TEST(contains(both, ",N1,"), both);
    BOOST_TEST(contains(both, ",N2,"), both);
}

// ---------------------------------------------------------------- unblinded output says so

BOOST_FIXTURE_TEST_CASE(everything_printed_unblinded_says_so, Paris) {
    ok({"dose", "P1", "--at", "2027-03-02T09:00"});
    const std::vector<std::string> unblinded{"report", "compliance", "--unblinded", "--reason", "DSMB"};
    auto with = [&](const std::string& format) {
        std::vector<std::string> a = unblinded;
        a.insert(a.end(), {"--format", format});
        return ok(a);
    };
    const std::string json = with("json");
    BOOST_TEST(contains(json, "\"unblinded\": true"), json);
    BOOST_TEST(!contains(ok({"report", "compliance", "--format", "json"}), "\"unblinded\": true"));
    const std::string table = with("table");
    BOOST_TEST(contains(table.substr(0, table.find('\n')), "UNBLINDED"), table);
    BOOST_TEST(!contains(ok({"report", "compliance", "--format", "table"}), "UNBLINDED"));
    const std::string csv = with("csv");
    BOOST_TEST(contains(csv.substr(0, csv.find('\n')), "unblinded"), csv);
    BOOST_TEST(contains(csv, ",true"), csv);
    const std::string html = with("html");
    BOOST_TEST(contains(html, "class=\"unblinded-banner\""), html);
    // The page names the arm, and every deviation row (IL2-D2 .. D5 missed) the
    // real drug and amount, never the blinded label beside them.
    BOOST_TEST(contains(html, "arm IL2-2"));
    BOOST_TEST(!contains(html, "arm blinded"));
    BOOST_TEST(!contains(html, "aldesleukin or placebo"));
    for (const std::string d : {"IL2-D2", "IL2-D3", "IL2-D4", "IL2-D5"})
        BOOST_TEST(contains(html, d + "</td><td>aldesleukin 1 MIU</td>"), d);
}

BOOST_FIXTURE_TEST_CASE(a_report_without_a_user_names_the_os_account, Paris) {
    user.clear();
    const std::string html = ok({"report", "compliance", "--format", "html"});
    BOOST_TEST(!contains(html, "printed by unknown"), html.substr(0, 400));
    BOOST_TEST(!contains(html, "<dd>unknown</dd>"));
}

// The calendar and the audit listing print unblinded too: they say so the same way.
BOOST_FIXTURE_TEST_CASE(unblinded_calendars_and_audit_listings_say_so, Paris) {
    for (const std::vector<std::string>& base :
         {std::vector<std::string>{"calendar", "P1"}, std::vector<std::string>{"audit"}}) {
        auto with = [&](const std::string& format, bool unblinded) {
            std::vector<std::string> a = base;
            if (unblinded) a.insert(a.end(), {"--unblinded", "--reason", "DSMB"});
            a.insert(a.end(), {"--format", format});
            return ok(a);
        };
        BOOST_TEST_CONTEXT(base.front()) {
            const std::string table = with("table", true);
            BOOST_TEST(table.rfind("UNBLINDED", 0) == 0u, table);
            BOOST_TEST(!contains(with("table", false), "UNBLINDED"));
            BOOST_TEST(contains(with("json", true), "\"unblinded\": true"));
            // Blinded, the shape cli.md fixes stays as it was: no key, no column.
            BOOST_TEST(!contains(with("json", false), "\"unblinded\""));
            const std::string csv = with("csv", true);
            BOOST_TEST(csv.substr(0, csv.find('\n')).ends_with(",unblinded"), csv);
            BOOST_TEST(contains(csv, ",true\n"), csv);
            const std::string blinded_csv = with("csv", false);
            BOOST_TEST(!contains(blinded_csv.substr(0, blinded_csv.find('\n')), "unblinded"), blinded_csv);
        }
    }
    refused(65, "P9", {"audit", "--patient", "P9", "--unblinded", "--reason", "DSMB"});
    // A calendar feed names itself unblinded; an SDTM export's printed summary says so.
    const std::string ics = ok({"calendar", "P1", "--format", "ics", "--unblinded", "--reason", "DSMB"});
    BOOST_TEST(contains(ics, "UNBLINDED"), ics.substr(0, 400));
    BOOST_TEST(!contains(ok({"calendar", "P1", "--format", "ics"}), "UNBLINDED"));
    const std::string out = (dir.path() / "sdtm").string();
    const std::string summary = ok({"export", "sdtm", "EX", "--out", out, "--unblinded", "--reason", "DSMB"});
    BOOST_TEST(summary.rfind("UNBLINDED", 0) == 0u, summary);
}

BOOST_AUTO_TEST_SUITE_END()
