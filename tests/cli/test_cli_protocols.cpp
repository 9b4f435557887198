// End-to-end: trialcal protocols, protocol show, protocol check (cli.md).
#include "tests/support/check.hpp"
#include "tests/support/run.hpp"

#include <boost/test/unit_test.hpp>

using namespace trialcal::test;

BOOST_AUTO_TEST_SUITE(cli_protocols)

BOOST_AUTO_TEST_CASE(protocols_lists_five_versions) {
    const auto r = ok({"protocols", "--format", "csv"});
    BOOST_TEST(r.out.substr(0, r.out.find('\n')) == "id,version,title,registry_ids,blinded,arms,cohorts,needs_weight,file");
    BOOST_TEST(count(r.out, "\n") == 6u);
    const auto j = ok({"protocols", "--format", "json"});
    BOOST_TEST(count(j.out, "\"id\": \"NCT05153070\"") == 2u);
    BOOST_TEST(count(j.out, "\"version\": \"2\"") == 1u);
    BOOST_TEST(contains(ok({"protocols"}).out, "TRANSREG"));
}

BOOST_AUTO_TEST_CASE(protocol_show_takes_the_newest_version_and_hides_arm_doses) {
    const auto r = ok({"protocol", "show", "NCT05153070"});
    BOOST_TEST(contains(r.out, "NCT05153070 version 2"));
    BOOST_TEST(contains(r.out, "D719"));
    BOOST_TEST(contains(r.out, "ILT-101 or placebo 1 ml"));
    BOOST_TEST(!contains(r.out, "ILT-101: 1 MIU"));
    BOOST_TEST(contains(ok({"protocol", "show", "NCT05153070@1"}).out, "NCT05153070 version 1"));
}

BOOST_AUTO_TEST_CASE(protocol_is_found_by_registry_id_and_any_case) {
    BOOST_TEST(contains(ok({"protocol", "show", "NCT01988506"}).out, "TRANSREG version 1"));
    BOOST_TEST(contains(ok({"protocol", "show", "df-il2"}).out, "DF-IL2 version 1"));
}

BOOST_AUTO_TEST_CASE(unknown_protocol_or_version_exits_65_listing_what_exists) {
    const auto r = fails(65, {"protocol", "show", "NOPE"}, "'NOPE'");
    BOOST_TEST(contains(r.err, "DF-IL2, MS-IL2, NCT05153070, TRANSREG"));
    fails(65, {"protocol", "show", "NCT05153070@3"}, "versions: 1, 2");
}

BOOST_AUTO_TEST_CASE(protocol_check_accepts_every_bundled_file) {
    std::vector<std::string> args{"protocol", "check"};
    for (const char* f : {"df-il2.toml", "nct05153070-v1.toml", "nct05153070-v2.toml", "transreg.toml", "ms-il2.toml"})
        args.push_back((source_calendars() / f).string());
    const auto r = ok(args);
    BOOST_TEST(count(r.out, ": ok, ") == 5u);
    BOOST_TEST(contains(r.out, "DF-IL2 version 1: 10 visits, 5 doses"));
}

BOOST_AUTO_TEST_CASE(protocol_check_names_file_line_and_column) {
    TempDir dir;
    const auto bad = dir.write("bad.toml", "[protocol]\nid = \"X\"\nversion = 1\n");
    const auto r = run_trialcal({"protocol", "check", bad.string()});
    BOOST_TEST(r.code == 65);
    BOOST_TEST(contains(r.err, bad.string() + ":3:11: protocol.version: expected a string, found an integer"));
    fails(66, {"protocol", "check", (dir.path() / "missing.toml").string()}, "missing.toml");
}

BOOST_AUTO_TEST_CASE(malformed_or_missing_calendars_folder_is_refused) {
    TempDir dir;
    dir.write("broken.toml", "[protocol\n");
    fails(65, {"protocols", "--calendars", dir.path().string()}, "broken.toml:1:");
    fails(66, {"protocols", "--calendars", (dir.path() / "nowhere").string()}, "nowhere");
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2_and_help_exits_0) {
    fails(2, {"frobnicate"}, "frobnicate");
    fails(2, {"protocols", "--frobnicate"}, "--frobnicate");
    const auto help = ok({"calendar", "--help"});
    BOOST_TEST(contains(help.out, "--day0"));
    BOOST_TEST(contains(ok({"--help"}).out, "protocols"));
}

BOOST_AUTO_TEST_SUITE_END()
