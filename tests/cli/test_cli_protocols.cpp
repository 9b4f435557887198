// End-to-end: trialcal protocols, protocol show, protocol check (cli.md), and
// where the protocol files come from (--calendars, $TRIALCAL_CALENDARS).
#include "tests/support/check.hpp"
#include "tests/support/run.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>
#include <vector>

using namespace trialcal::test;

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> bundled_files{"df-il2.toml", "nct05153070-v1.toml", "nct05153070-v2.toml",
                                             "transreg.toml", "ms-il2.toml"};

// A folder holding copies of some bundled protocol files, under the given names.
void copy_bundled(const TempDir& dir, const std::string& from, const std::string& to) {
    dir.write(to, slurp(source_calendars() / from));
}

// `protocols --format csv` ids and versions, one "ID@VERSION" per row.
std::vector<std::string> listed(const RunResult& r) {
    std::vector<std::string> out;
    const auto ls = lines(r.out);
    for (std::size_t i = 1; i < ls.size(); ++i) {
        const auto f = csv_fields(ls[i]);
        out.push_back(f.at(0) + "@" + f.at(1));
    }
    return out;
}

std::vector<std::string> ids_of(const Json& array) {
    std::vector<std::string> out;
    for (const auto& i : array.items()) out.push_back(i.at("id").str());
    return out;
}

std::vector<long long> days_of(const Json& array) {
    std::vector<long long> out;
    for (const auto& i : array.items()) out.push_back(i.at("day").integer());
    return out;
}

// "before/after" of each item's window.
std::vector<std::string> windows_of(const Json& array) {
    std::vector<std::string> out;
    for (const auto& i : array.items())
        out.push_back(std::to_string(i.at("window").at("before").integer()) + "/" +
                      std::to_string(i.at("window").at("after").integer()));
    return out;
}

struct ShowExpect {
    std::string spec, id, version, title;
    bool blinded;
    std::string csv_header;
    std::size_t csv_rows;  // after the header: one per distinct procedure, one per regimen
    std::vector<long long> visit_days;
    std::vector<std::string> visit_windows;
    std::vector<std::string> regimens;   // id
    std::vector<long long> regimen_doses;
    std::vector<std::string> regimen_drugs;
    std::vector<std::string> arms;
    std::vector<std::string> cohorts;
};

// protocol show in all three formats for one protocol version.
void check_show(const ShowExpect& x) {
    BOOST_TEST_CONTEXT("protocol show " << x.spec) {
        const auto table = ok({"protocol", "show", x.spec});
        BOOST_TEST(lines(table.out).at(0) == x.id + " version " + x.version + " — " + x.title);
        BOOST_TEST(contains(table.out, "\nSchedule of activities\n"));
        BOOST_TEST(contains(table.out, x.blinded ? "Blinded protocol: arms hidden" : "Design: Open label"));
        BOOST_TEST(ok({"protocol", "show", x.spec, "--format", "table"}).out == table.out);

        const auto csv = ok({"protocol", "show", x.spec, "--format", "csv"});
        const auto rows = lines(csv.out);
        BOOST_TEST(rows.at(0) == x.csv_header);
        BOOST_TEST(rows.size() == x.csv_rows + 1);
        const auto width = csv_fields(x.csv_header).size();
        for (const auto& row : rows) BOOST_TEST(csv_fields(row).size() == width);
        BOOST_TEST(csv.out.back() == '\n');

        const Json j = ok_json({"protocol", "show", x.spec, "--format", "json"});
        BOOST_TEST(j.keys() == (std::vector<std::string>{"id", "version", "title", "blinded", "regimens", "visits",
                                                         "early_termination_visit", "screening_valid_days", "arms",
                                                         "cohorts", "eligibility", "assumptions"}),
                   boost::test_tools::per_element());
        BOOST_TEST(j.at("id").str() == x.id);
        BOOST_TEST(j.at("version").str() == x.version);
        BOOST_TEST(j.at("title").str() == x.title);
        BOOST_TEST(j.at("blinded").boolean() == x.blinded);
        BOOST_TEST(days_of(j.at("visits")) == x.visit_days, boost::test_tools::per_element());
        BOOST_TEST(windows_of(j.at("visits")) == x.visit_windows, boost::test_tools::per_element());
        std::vector<std::string> visit_ids;
        for (const auto d : x.visit_days) visit_ids.push_back("V-D" + std::to_string(d));
        BOOST_TEST(ids_of(j.at("visits")) == visit_ids, boost::test_tools::per_element());
        // Every seed's early-termination visit (protocols.md): not in the plan above.
        const Json& et = j.at("early_termination_visit");
        BOOST_TEST(et.at("id").str() == "V-ET");
        BOOST_TEST(et.at("day").integer() == 0);
        BOOST_TEST(et.at("window").at("before").integer() == 0);
        BOOST_TEST(et.at("window").at("after").integer() == 14);
        BOOST_TEST(j.at("screening_valid_days").integer() == 30);
        BOOST_TEST(contains(table.out, "W+0 "));
        BOOST_TEST(!contains(csv.out, "V-ET"));
        BOOST_TEST(ids_of(j.at("regimens")) == x.regimens, boost::test_tools::per_element());
        std::vector<long long> doses;
        std::vector<std::string> drugs;
        for (const auto& r : j.at("regimens").items()) {
            doses.push_back(r.at("doses").integer());
            drugs.push_back(r.at("drug").str());
        }
        BOOST_TEST(doses == x.regimen_doses, boost::test_tools::per_element());
        BOOST_TEST(drugs == x.regimen_drugs, boost::test_tools::per_element());
        BOOST_TEST(j.at("arms").strings() == x.arms, boost::test_tools::per_element());
        BOOST_TEST(ids_of(j.at("cohorts")) == x.cohorts, boost::test_tools::per_element());
    }
}

const std::vector<std::string> transreg_cohorts{"RA", "AS",  "SLE", "PSO", "BD", "GPA", "TAK",
                                                "CD", "UC",  "AIH", "PSC", "SS", "ITP", "SSC"};

const std::string nct_title = "Ciclosporin followed by low-dose IL-2 in patients with recently diagnosed type 1 diabetes";
const std::string nct_csv_header = "activity,V-D0,V-D63,V-D67,V-D88,V-D179,V-D270,V-D361,V-D536,V-D719";
const std::vector<long long> nct_visit_days{0, 63, 67, 88, 179, 270, 361, 536, 719};
const std::vector<std::string> nct_visit_windows{"0/0", "0/0", "0/0", "7/7", "7/7", "7/7", "7/7", "14/14", "14/14"};

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_protocols)

// ---------------------------------------------------------------------------
// protocols

BOOST_AUTO_TEST_CASE(protocols_lists_five_versions) {
    const auto r = ok({"protocols", "--format", "csv"});
    BOOST_TEST(r.out.substr(0, r.out.find('\n')) == "id,version,title,registry_ids,blinded,arms,cohorts,needs_weight,file");
    BOOST_TEST(count(r.out, "\n") == 6u);
    const auto j = ok({"protocols", "--format", "json"});
    BOOST_TEST(count(j.out, "\"id\": \"NCT05153070\"") == 2u);
    BOOST_TEST(count(j.out, "\"version\": \"2\"") == 1u);
    BOOST_TEST(contains(ok({"protocols"}).out, "TRANSREG"));
}

BOOST_AUTO_TEST_CASE(protocols_csv_rows_are_exact) {
    const auto r = ok({"protocols", "--format", "csv"});
    const std::vector<std::string> expected{
        "id,version,title,registry_ids,blinded,arms,cohorts,needs_weight,file",
        "DF-IL2,1,Dose-effect relationship of low-dose IL-2 in type 1 diabetes,NCT01353833,true,"
        "IL2-1;IL2-2;IL2-3;IL2-4,,false,df-il2.toml",
        "MS-IL2,1,Low-dose IL-2 in relapsing-remitting multiple sclerosis,,true,IL-2;placebo,,false,ms-il2.toml",
        "NCT05153070,1," + nct_title + ",NCT05153070,true,ILT-101;placebo,,true,nct05153070-v1.toml",
        "NCT05153070,2," + nct_title + ",NCT05153070,true,ILT-101;placebo,,true,nct05153070-v2.toml",
        "TRANSREG,1,Induction of regulatory T cells by low-dose IL-2 in autoimmune and inflammatory diseases: a "
        "transnosographic approach,NCT01988506,false,,RA;AS;SLE;PSO;BD;GPA;TAK;CD;UC;AIH;PSC;SS;ITP;SSC,false,"
        "transreg.toml"};
    BOOST_TEST(lines(r.out) == expected, boost::test_tools::per_element());
    BOOST_TEST(r.out.back() == '\n');
}

BOOST_AUTO_TEST_CASE(protocols_json_is_one_document_with_every_field) {
    const Json j = ok_json({"protocols", "--format", "json"});
    BOOST_TEST(j.keys() == std::vector<std::string>{"protocols"}, boost::test_tools::per_element());
    const Json& ps = j.at("protocols");
    BOOST_TEST_REQUIRE(ps.size() == 5u);
    const std::vector<std::string> fields{"id",   "version", "title", "registry_ids", "blinded", "arms", "cohorts",
                                          "needs_weight", "file"};
    for (const auto& p : ps.items()) BOOST_TEST(p.keys() == fields, boost::test_tools::per_element());

    std::vector<std::string> ids, versions, files;
    for (const auto& p : ps.items()) {
        ids.push_back(p.at("id").str());
        versions.push_back(p.at("version").str());
        files.push_back(p.at("file").str());
    }
    BOOST_TEST(ids == (std::vector<std::string>{"DF-IL2", "MS-IL2", "NCT05153070", "NCT05153070", "TRANSREG"}),
               boost::test_tools::per_element());
    BOOST_TEST(versions == (std::vector<std::string>{"1", "1", "1", "2", "1"}), boost::test_tools::per_element());
    BOOST_TEST(files == (std::vector<std::string>{"df-il2.toml", "ms-il2.toml", "nct05153070-v1.toml",
                                                  "nct05153070-v2.toml", "transreg.toml"}),
               boost::test_tools::per_element());

    const Json& df = ps.at(0);
    BOOST_TEST(df.at("title").str() == "Dose-effect relationship of low-dose IL-2 in type 1 diabetes");
    BOOST_TEST(df.at("registry_ids").strings() == std::vector<std::string>{"NCT01353833"}, boost::test_tools::per_element());
    BOOST_TEST(df.at("blinded").boolean() == true);
    BOOST_TEST(df.at("arms").strings() == (std::vector<std::string>{"IL2-1", "IL2-2", "IL2-3", "IL2-4"}),
               boost::test_tools::per_element());
    BOOST_TEST(df.at("cohorts").size() == 0u);
    BOOST_TEST(df.at("needs_weight").boolean() == false);

    const Json& ms = ps.at(1);
    BOOST_TEST(ms.at("registry_ids").size() == 0u);
    BOOST_TEST(ms.at("arms").strings() == (std::vector<std::string>{"IL-2", "placebo"}), boost::test_tools::per_element());

    for (std::size_t i : {2u, 3u}) {
        const Json& nct = ps.at(i);
        BOOST_TEST(nct.at("title").str() == nct_title);
        BOOST_TEST(nct.at("registry_ids").strings() == std::vector<std::string>{"NCT05153070"},
                   boost::test_tools::per_element());
        BOOST_TEST(nct.at("blinded").boolean() == true);
        BOOST_TEST(nct.at("arms").strings() == (std::vector<std::string>{"ILT-101", "placebo"}),
                   boost::test_tools::per_element());
        BOOST_TEST(nct.at("needs_weight").boolean() == true);
    }

    const Json& tr = ps.at(4);
    BOOST_TEST(tr.at("registry_ids").strings() == std::vector<std::string>{"NCT01988506"}, boost::test_tools::per_element());
    BOOST_TEST(tr.at("blinded").boolean() == false);
    BOOST_TEST(tr.at("arms").size() == 0u);
    BOOST_TEST(tr.at("cohorts").strings() == transreg_cohorts, boost::test_tools::per_element());
    BOOST_TEST(tr.at("needs_weight").boolean() == false);
}

BOOST_AUTO_TEST_CASE(protocols_table_is_the_default_with_a_header_line) {
    const auto r = ok({"protocols"});
    BOOST_TEST(ok({"protocols", "--format", "table"}).out == r.out);
    const auto ls = lines(r.out);
    BOOST_TEST_REQUIRE(ls.size() == 7u);
    BOOST_TEST(ls[0].rfind("Protocol", 0) == 0u);
    for (const char* column : {"Version", "Registry", "Blinded", "Arms", "Cohorts", "Title"})
        BOOST_TEST(contains(ls[0], column));
    BOOST_TEST(ls[1].find_first_not_of('-') == std::string::npos);
    BOOST_TEST(ls[2].rfind("DF-IL2 ", 0) == 0u);
    BOOST_TEST(ls[3].rfind("MS-IL2 ", 0) == 0u);
    BOOST_TEST(ls[4].rfind("NCT05153070 ", 0) == 0u);
    BOOST_TEST(ls[5].rfind("NCT05153070 ", 0) == 0u);
    BOOST_TEST(ls[6].rfind("TRANSREG ", 0) == 0u);
    BOOST_TEST(contains(ls[6], "single group"));
}

BOOST_AUTO_TEST_CASE(protocols_in_an_empty_folder_lists_none) {
    TempDir dir;
    dir.write("README.txt", "not a protocol file\n");
    const auto csv = ok({"protocols", "--calendars", dir.path().string(), "--format", "csv"});
    BOOST_TEST(csv.out == "id,version,title,registry_ids,blinded,arms,cohorts,needs_weight,file\n");
    const Json j = ok_json({"protocols", "--calendars", dir.path().string(), "--format", "json"});
    BOOST_TEST(j.at("protocols").size() == 0u);
    const auto r = fails(65, {"protocol", "show", "DF-IL2", "--calendars", dir.path().string()}, "'DF-IL2'");
    BOOST_TEST(contains(r.err, dir.path().string() + ": none"));
}

// ---------------------------------------------------------------------------
// --calendars and $TRIALCAL_CALENDARS

BOOST_AUTO_TEST_CASE(calendars_option_before_the_command) {
    TempDir dir;
    copy_bundled(dir, "ms-il2.toml", "ms-il2.toml");
    const auto r = ok({"--calendars", dir.path().string(), "protocols", "--format", "csv"});
    BOOST_TEST(listed(r) == std::vector<std::string>{"MS-IL2@1"}, boost::test_tools::per_element());
    BOOST_TEST(contains(ok({"--calendars", dir.path().string(), "protocol", "show", "MS-IL2"}).out, "MS-IL2 version 1"));
    fails(65, {"--calendars", dir.path().string(), "protocol", "show", "DF-IL2"}, "protocols in " + dir.path().string() + ": MS-IL2");
}

BOOST_AUTO_TEST_CASE(calendars_option_after_the_command) {
    TempDir dir;
    copy_bundled(dir, "transreg.toml", "t.toml");
    const auto r = ok({"protocols", "--format", "csv", "--calendars", dir.path().string()});
    BOOST_TEST(listed(r) == std::vector<std::string>{"TRANSREG@1"}, boost::test_tools::per_element());
    BOOST_TEST(contains(r.out, ",t.toml\n"));
    BOOST_TEST(contains(ok({"protocol", "show", "TRANSREG", "--calendars", dir.path().string()}).out, "TRANSREG version 1"));
    fails(65, {"protocol", "show", "DF-IL2", "--calendars", dir.path().string()}, "protocols in " + dir.path().string() + ": TRANSREG");
    const Json cal = ok_json({"calendar", "--protocol", "TRANSREG", "--day0", "2027-03-01", "--cohort", "RA",
                              "--format", "json", "--calendars", dir.path().string()});
    BOOST_TEST(cal.at("protocol").str() == "TRANSREG");
    fails(65, {"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01", "--calendars", dir.path().string()}, "'DF-IL2'");
}

BOOST_AUTO_TEST_CASE(environment_variable_replaces_the_bundled_folder) {
    TempDir dir;
    copy_bundled(dir, "df-il2.toml", "df-il2.toml");
    const RunOptions env{{{"TRIALCAL_CALENDARS", dir.path().string()}}, "", {}};
    BOOST_TEST(listed(ok({"protocols", "--format", "csv"}, env)) == std::vector<std::string>{"DF-IL2@1"},
               boost::test_tools::per_element());
    fails(65, {"protocol", "show", "TRANSREG"}, "protocols in " + dir.path().string() + ": DF-IL2", env);
    // An empty variable is as if unset: the bundled folder.
    const RunOptions empty{{{"TRIALCAL_CALENDARS", ""}}, "", {}};
    BOOST_TEST(listed(ok({"protocols", "--format", "csv"}, empty)).size() == 5u);
}

BOOST_AUTO_TEST_CASE(calendars_option_beats_the_environment_variable) {
    TempDir from_env, from_option;
    copy_bundled(from_env, "df-il2.toml", "df-il2.toml");
    copy_bundled(from_option, "ms-il2.toml", "ms-il2.toml");
    const RunOptions env{{{"TRIALCAL_CALENDARS", from_env.path().string()}}, "", {}};
    const std::vector<std::string> ms{"MS-IL2@1"};
    BOOST_TEST(listed(ok({"--calendars", from_option.path().string(), "protocols", "--format", "csv"}, env)) == ms,
               boost::test_tools::per_element());
    BOOST_TEST(listed(ok({"protocols", "--format", "csv", "--calendars", from_option.path().string()}, env)) == ms,
               boost::test_tools::per_element());
    fails(65, {"protocol", "show", "DF-IL2", "--calendars", from_option.path().string()}, "'DF-IL2'", env);
    // The variable names a folder that is not there, the option one that is: the option wins.
    const RunOptions missing{{{"TRIALCAL_CALENDARS", (from_env.path() / "nowhere").string()}}, "", {}};
    BOOST_TEST(listed(ok({"protocols", "--format", "csv", "--calendars", from_option.path().string()}, missing)) == ms,
               boost::test_tools::per_element());
    fails(66, {"protocols"}, "nowhere", missing);
}

BOOST_AUTO_TEST_CASE(same_protocol_version_twice_exits_65_naming_both_files) {
    TempDir dir;
    copy_bundled(dir, "df-il2.toml", "a-first.toml");
    copy_bundled(dir, "df-il2.toml", "b-second.toml");
    const auto first = (dir.path() / "a-first.toml").string(), second = (dir.path() / "b-second.toml").string();
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"protocols", "--calendars", dir.path().string()},
             {"protocol", "show", "DF-IL2", "--calendars", dir.path().string()},
             {"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01", "--calendars", dir.path().string()}}) {
        const auto r = fails(65, args, first);
        BOOST_TEST(contains(r.err, second));
        BOOST_TEST(contains(r.err, "DF-IL2 version 1"));
    }
}

BOOST_AUTO_TEST_CASE(two_versions_of_one_protocol_in_any_file_order) {
    TempDir dir;
    // Named so the newer version sorts first: the newest is still version 2.
    copy_bundled(dir, "nct05153070-v2.toml", "a.toml");
    copy_bundled(dir, "nct05153070-v1.toml", "b.toml");
    BOOST_TEST(listed(ok({"protocols", "--format", "csv", "--calendars", dir.path().string()})) ==
                   (std::vector<std::string>{"NCT05153070@1", "NCT05153070@2"}),
               boost::test_tools::per_element());
    const Json j = ok_json({"protocol", "show", "NCT05153070", "--format", "json", "--calendars", dir.path().string()});
    BOOST_TEST(j.at("version").str() == "2");
}

// ---------------------------------------------------------------------------
// protocol check

BOOST_AUTO_TEST_CASE(protocol_check_accepts_every_bundled_file) {
    std::vector<std::string> args{"protocol", "check"};
    for (const char* f : {"df-il2.toml", "nct05153070-v1.toml", "nct05153070-v2.toml", "transreg.toml", "ms-il2.toml"})
        args.push_back((source_calendars() / f).string());
    const auto r = ok(args);
    BOOST_TEST(count(r.out, ": ok, ") == 5u);
    BOOST_TEST(contains(r.out, "DF-IL2 version 1: 10 visits, 5 doses"));
}

BOOST_AUTO_TEST_CASE(protocol_check_summary_line_of_each_bundled_file) {
    const std::vector<std::string> expected{
        "DF-IL2 version 1: 10 visits, 5 doses",
        "NCT05153070 version 1: 9 visits, 106 doses",
        "NCT05153070 version 2: 9 visits, 166 doses",
        "TRANSREG version 1: 10 visits, 5 doses before cohort-specific regimens",
        "MS-IL2 version 1: 4 visits, 18 doses"};
    std::vector<std::string> args{"protocol", "check"};
    for (const auto& f : bundled_files) args.push_back((source_calendars() / f).string());
    const auto r = ok(args);
    BOOST_TEST(r.err.empty());
    const auto ls = lines(r.out);
    BOOST_TEST_REQUIRE(ls.size() == 5u);
    for (std::size_t i = 0; i < 5; ++i)
        BOOST_TEST(ls[i] == (source_calendars() / bundled_files[i]).string() + ": ok, " + expected[i]);
}

BOOST_AUTO_TEST_CASE(protocol_check_names_file_line_and_column) {
    TempDir dir;
    const auto bad = dir.write("bad.toml", "[protocol]\nid = \"X\"\nversion = 1\n");
    const auto r = run_trialcal({"protocol", "check", bad.string()});
    BOOST_TEST(r.code == 65);
    BOOST_TEST(contains(r.err, bad.string() + ":3:11: protocol.version: expected a string, found an integer"));
    fails(66, {"protocol", "check", (dir.path() / "missing.toml").string()}, "missing.toml");
}

BOOST_AUTO_TEST_CASE(protocol_check_relative_path_is_named_as_typed) {
    TempDir dir;
    fs::create_directories(dir.path() / "sub");
    copy_bundled(dir, "ms-il2.toml", "sub/ms.toml");
    dir.write("sub/bad.toml", "[protocol]\nid = \"X\"\nversion = 1\n");
    const RunOptions here{{}, "", dir.path()};
    const auto good = ok({"protocol", "check", "sub/ms.toml"}, here);
    BOOST_TEST(good.out == "sub/ms.toml: ok, MS-IL2 version 1: 4 visits, 18 doses\n");
    const auto bad = run_trialcal({"protocol", "check", "sub/../sub/bad.toml"}, here);
    BOOST_TEST(bad.code == 65);
    BOOST_TEST(bad.out.empty());
    BOOST_TEST(contains(bad.err, "sub/../sub/bad.toml:3:11: protocol.version"));
    BOOST_TEST(!contains(bad.err, dir.path().string()));
    const auto missing = fails(66, {"protocol", "check", "sub/none.toml"}, "sub/none.toml", here);
    BOOST_TEST(!contains(missing.err, dir.path().string()));
}

BOOST_AUTO_TEST_CASE(protocol_check_missing_file_alongside_a_good_one_exits_66) {
    TempDir dir;
    const auto good = (source_calendars() / "df-il2.toml").string();
    const auto missing = (dir.path() / "missing.toml").string();
    const std::string good_line = good + ": ok, DF-IL2 version 1: 10 visits, 5 doses\n";
    for (const auto& args : std::vector<std::vector<std::string>>{{"protocol", "check", good, missing},
                                                                  {"protocol", "check", missing, good}}) {
        const auto r = run_trialcal(args);
        BOOST_TEST(r.code == 66);
        BOOST_TEST(r.out == good_line);
        BOOST_TEST(contains(r.err, missing));
        BOOST_TEST(!contains(r.err, good));
    }
}

BOOST_AUTO_TEST_CASE(protocol_check_reports_every_file_and_the_worst_exit) {
    TempDir dir;
    const auto good = (source_calendars() / "transreg.toml").string();
    const auto bad = dir.write("bad.toml", "[protocol]\nid = \"X\"\nversion = 1\n").string();
    const auto missing = (dir.path() / "missing.toml").string();
    // Malformed and good: 65, the good file still reported.
    const auto r65 = run_trialcal({"protocol", "check", bad, good});
    BOOST_TEST(r65.code == 65);
    BOOST_TEST(r65.out == good + ": ok, TRANSREG version 1: 10 visits, 5 doses before cohort-specific regimens\n");
    BOOST_TEST(contains(r65.err, bad + ":3:11:"));
    BOOST_TEST(contains(r65.err, bad + ": 4 problems"));
    // Malformed and missing, either order: 66, both named.
    for (const auto& args : std::vector<std::vector<std::string>>{{"protocol", "check", bad, missing},
                                                                  {"protocol", "check", missing, bad}}) {
        const auto r = fails(66, args, missing);
        BOOST_TEST(contains(r.err, bad + ":3:11:"));
    }
}

BOOST_AUTO_TEST_CASE(protocol_check_a_folder_or_no_file_is_refused) {
    TempDir dir;
    // A folder exists and is readable: it is the wrong kind of input (65), as a FIFO is.
    fails(65, {"protocol", "check", dir.path().string()}, dir.path().string() + ": not a regular file but a directory");
    fails(2, {"protocol", "check"}, "files");
}

// ---------------------------------------------------------------------------
// protocol show

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
    BOOST_TEST(ok_json({"protocol", "show", "nct05153070@1", "--format", "json"}).at("version").str() == "1");
    BOOST_TEST(ok_json({"protocol", "show", "NCT01353833", "--format", "json"}).at("id").str() == "DF-IL2");
}

BOOST_AUTO_TEST_CASE(unknown_protocol_or_version_exits_65_listing_what_exists) {
    const auto r = fails(65, {"protocol", "show", "NOPE"}, "'NOPE'");
    BOOST_TEST(contains(r.err, "DF-IL2, MS-IL2, NCT05153070, TRANSREG"));
    fails(65, {"protocol", "show", "NCT05153070@3"}, "versions: 1, 2");
    fails(65, {"protocol", "show", "DF-IL2@"}, "unknown version ''");
}

BOOST_AUTO_TEST_CASE(protocol_show_csv_grid_of_df_il2) {
    const auto r = ok({"protocol", "show", "DF-IL2", "--format", "csv"});
    BOOST_TEST(r.out ==
               "activity,V-D0,V-D1,V-D2,V-D3,V-D4,V-D5,V-D6,V-D15,V-D22,V-D60\n"
               "T-cell immunophenotyping,X,X,X,X,X,X,X,X,X,X\n"
               "transcriptomics sample,X,X,X,X,X,X,X,X,X,X\n"
               "tolerance check,X,X,X,X,X,X,X,X,X,X\n"
               "mixed-meal tolerance test,X,,,,,,,,,X\n"
               "aldesleukin or placebo (IL2),,X,X,X,X,X,,,,\n");
}

BOOST_AUTO_TEST_CASE(protocol_show_json_of_df_il2) {
    const Json j = ok_json({"protocol", "show", "DF-IL2", "--format", "json"});
    BOOST_TEST_REQUIRE(j.at("regimens").size() == 1u);
    const Json& r = j.at("regimens").at(0);
    BOOST_TEST(r.keys() == (std::vector<std::string>{"id", "drug", "route", "first_day", "last_day", "every_days",
                                                     "intakes", "doses", "window", "intake_times", "early_limit",
                                                     "late_limit", "setting", "dose", "cohorts", "except_cohorts",
                                                     "anchor"}),
               boost::test_tools::per_element());
    BOOST_TEST(r.at("id").str() == "IL2");
    BOOST_TEST(r.at("drug").str() == "aldesleukin or placebo");
    BOOST_TEST(r.at("route").str() == "SC");
    BOOST_TEST(r.at("first_day").integer() == 1);
    BOOST_TEST(r.at("last_day").integer() == 5);
    BOOST_TEST(r.at("every_days").integer() == 1);
    BOOST_TEST(r.at("intakes").size() == 0u);
    BOOST_TEST(r.at("doses").integer() == 5);
    BOOST_TEST(r.at("window").at("before").integer() == 0);
    BOOST_TEST(r.at("window").at("after").integer() == 0);
    BOOST_TEST(r.at("dose").str() == "aldesleukin or placebo");
    // Compliance v2 keys as the file gives them: no intake time (noon), no limits, at the site.
    BOOST_TEST(r.at("intake_times").size() == 0u);
    BOOST_TEST(r.at("early_limit").integer() == 0);
    BOOST_TEST(r.at("late_limit").integer() == 0);
    BOOST_TEST(r.at("setting").str() == "site");
    BOOST_TEST(r.at("anchor").is_null());
    BOOST_TEST(!contains(ok({"protocol", "show", "DF-IL2"}).out, "Counts from"));

    BOOST_TEST_REQUIRE(j.at("visits").size() == 10u);
    const Json& v0 = j.at("visits").at(0);
    BOOST_TEST(v0.keys() == (std::vector<std::string>{"id", "day", "name", "window", "procedures", "anchor"}),
               boost::test_tools::per_element());
    BOOST_TEST(v0.at("name").str() == "Inclusion");
    BOOST_TEST(v0.at("procedures").strings() ==
                   (std::vector<std::string>{"T-cell immunophenotyping", "transcriptomics sample", "tolerance check",
                                             "mixed-meal tolerance test"}),
               boost::test_tools::per_element());
    const Json& v60 = j.at("visits").at(9);
    BOOST_TEST(v60.at("name").str() == "D60, end of study");
    BOOST_TEST(v60.at("window").at("before").integer() == 3);

    // Auto-antibodies are not a number: no longer a numeric criterion (protocols.md).
    BOOST_TEST_REQUIRE(j.at("eligibility").size() == 3u);
    const Json& age = j.at("eligibility").at(0);
    BOOST_TEST(age.keys() == (std::vector<std::string>{"id", "text", "min", "max", "min_exclusive", "max_exclusive",
                                                       "unit", "any_of"}),
               boost::test_tools::per_element());
    BOOST_TEST(age.at("min_exclusive").is_null());
    BOOST_TEST(age.at("any_of").is_null());
    BOOST_TEST(age.at("id").str() == "age");
    BOOST_TEST(age.at("min").integer() == 18);
    BOOST_TEST(age.at("max").integer() == 50);
    BOOST_TEST(age.at("unit").str() == "years");
    BOOST_TEST(j.at("eligibility").at(1).at("min").is_null());
    BOOST_TEST(j.at("eligibility").at(1).at("max").integer() == 24);
    BOOST_TEST(j.at("assumptions").size() == 4u);
    BOOST_TEST(j.at("assumptions").at(0).at("about").str() == "regimens.IL2.first_day");
    // Blinded: no arm's amount anywhere.
    const auto raw = ok({"protocol", "show", "DF-IL2", "--format", "json"}).out;
    BOOST_TEST(!contains(raw, "0.33"));
    BOOST_TEST(!contains(raw, "MIU"));
}

BOOST_AUTO_TEST_CASE(protocol_show_df_il2) {
    check_show({"DF-IL2", "DF-IL2", "1", "Dose-effect relationship of low-dose IL-2 in type 1 diabetes", true,
                "activity,V-D0,V-D1,V-D2,V-D3,V-D4,V-D5,V-D6,V-D15,V-D22,V-D60", 5,
                {0, 1, 2, 3, 4, 5, 6, 15, 22, 60},
                {"0/0", "0/0", "0/0", "0/0", "0/0", "0/0", "0/0", "1/1", "1/1", "3/3"},
                {"IL2"}, {5}, {"aldesleukin or placebo"},
                {"IL2-1", "IL2-2", "IL2-3", "IL2-4"}, {}});
}

BOOST_AUTO_TEST_CASE(protocol_show_nct05153070_v1) {
    check_show({"NCT05153070@1", "NCT05153070", "1", nct_title, true, nct_csv_header, 10, nct_visit_days,
                nct_visit_windows, {"CSA", "ILT101-daily", "ILT101-weekly"}, {60, 5, 41},
                {"ciclosporin", "ILT-101 or placebo", "ILT-101 or placebo"}, {"ILT-101", "placebo"}, {}});
    const Json j = ok_json({"protocol", "show", "NCT05153070@1", "--format", "json"});
    BOOST_TEST(j.at("regimens").at(0).at("dose").str() == "ciclosporin 7 mg/kg, rounded to 25 mg");
    BOOST_TEST(j.at("regimens").at(0).at("intakes").size() == 0u);
    BOOST_TEST(j.at("regimens").at(1).at("dose").str() == "ILT-101 or placebo 1 ml");
    BOOST_TEST(j.at("eligibility").at(0).at("max").integer() == 35);
    // Eligibility made exact: strict bounds and the weight-loss-or-C-peptide alternatives.
    const Json& lymphocytes = j.at("eligibility").at(2);
    BOOST_TEST(lymphocytes.at("id").str() == "lymphocytes");
    BOOST_TEST(lymphocytes.at("min").is_null());
    BOOST_TEST(lymphocytes.at("min_exclusive").integer() == 1000);
    BOOST_TEST(j.at("eligibility").at(3).at("any_of").str() == "weight_or_c_peptide");
    BOOST_TEST(j.at("eligibility").at(4).at("any_of").str() == "weight_or_c_peptide");
    const auto table = ok({"protocol", "show", "NCT05153070@1"}).out;
    BOOST_TEST(contains(table, "> 1000"));
    BOOST_TEST(contains(table, "< 90"));
    BOOST_TEST(contains(table, "Any of"));
}

BOOST_AUTO_TEST_CASE(protocol_show_nct05153070_v2) {
    check_show({"NCT05153070@2", "NCT05153070", "2", nct_title, true, nct_csv_header, 10, nct_visit_days,
                nct_visit_windows, {"CSA", "ILT101-daily", "ILT101-weekly"}, {120, 5, 41},
                {"ciclosporin", "ILT-101 or placebo", "ILT-101 or placebo"}, {"ILT-101", "placebo"}, {}});
    const Json j = ok_json({"protocol", "show", "NCT05153070@2", "--format", "json"});
    BOOST_TEST(j.at("regimens").at(0).at("dose").str() == "ciclosporin 5 mg/kg, rounded to 25 mg");
    BOOST_TEST(j.at("regimens").at(0).at("intakes").strings() == (std::vector<std::string>{"AM", "PM"}),
               boost::test_tools::per_element());
    BOOST_TEST(j.at("regimens").at(0).at("intake_times").strings() == (std::vector<std::string>{"08:00", "20:00"}),
               boost::test_tools::per_element());
    BOOST_TEST(j.at("regimens").at(0).at("setting").str() == "home");
    BOOST_TEST(j.at("regimens").at(2).at("early_limit").integer() == 2);
    BOOST_TEST(j.at("regimens").at(2).at("late_limit").integer() == 2);
    BOOST_TEST(j.at("regimens").at(2).at("setting").str() == "site");
    // The table shows them too.
    const std::string table = ok({"protocol", "show", "NCT05153070@2"}).out;
    BOOST_TEST(contains(table, "Intake times"), table);
    BOOST_TEST(contains(table, "08:00, 20:00"), table);
    BOOST_TEST(contains(table, "home"), table);
    BOOST_TEST(contains(table, "-2/+2 days"), table);
    // Anchors (course.md): the course and the D67 visit count from the first
    // injection, the weekly injections from the fifth.
    BOOST_TEST(contains(table, "Counts from"), table);
    BOOST_TEST(j.at("regimens").at(0).at("anchor").is_null());
    BOOST_TEST(j.at("regimens").at(1).at("anchor").str() == "ILT101-D63");
    BOOST_TEST(j.at("regimens").at(2).at("anchor").str() == "ILT101-D67");
    BOOST_TEST(j.at("visits").at(1).at("anchor").is_null());
    BOOST_TEST(j.at("visits").at(2).at("anchor").str() == "ILT101-D63");
    BOOST_TEST(j.at("regimens").at(2).at("first_day").integer() == 74);
    BOOST_TEST(j.at("regimens").at(2).at("last_day").integer() == 354);
    BOOST_TEST(j.at("regimens").at(2).at("every_days").integer() == 7);
    BOOST_TEST(j.at("eligibility").at(0).at("max").integer() == 45);
    const auto csv = lines(ok({"protocol", "show", "NCT05153070@2", "--format", "csv"}).out);
    BOOST_TEST(csv.at(8) == "ciclosporin (CSA),,,,,,,,,");
    BOOST_TEST(csv.at(9) == "ILT-101 or placebo (ILT101-daily),,X,X,,,,,,");
    BOOST_TEST(csv.at(10) == "ILT-101 or placebo (ILT101-weekly),,,,X,X,X,,,");
}

BOOST_AUTO_TEST_CASE(protocol_show_transreg) {
    check_show({"TRANSREG", "TRANSREG", "1",
                "Induction of regulatory T cells by low-dose IL-2 in autoimmune and inflammatory diseases: a "
                "transnosographic approach",
                false, "activity,V-D0,V-D1,V-D8,V-D15,V-D29,V-D85,V-D183,V-D240,V-D360,V-D540", 11,
                {0, 1, 8, 15, 29, 85, 183, 240, 360, 540},
                {"0/0", "0/0", "0/0", "2/2", "2/2", "7/7", "7/7", "7/7", "14/14", "14/14"},
                {"induction", "maintenance", "maintenance-SLE"}, {5, 13, 26},
                {"aldesleukin (Proleukin)", "aldesleukin (Proleukin)", "aldesleukin (Proleukin)"}, {},
                transreg_cohorts});
    const Json j = ok_json({"protocol", "show", "TRANSREG", "--format", "json"});
    BOOST_TEST(j.at("regimens").at(0).at("dose").str() == "aldesleukin (Proleukin) 1 MIU");
    BOOST_TEST(j.at("regimens").at(1).at("except_cohorts").strings() == std::vector<std::string>{"SLE"},
               boost::test_tools::per_element());
    BOOST_TEST(j.at("regimens").at(2).at("cohorts").strings() == std::vector<std::string>{"SLE"},
               boost::test_tools::per_element());
    BOOST_TEST(j.at("cohorts").at(4).at("name").str() == "Behçet's disease");
    BOOST_TEST(j.at("cohorts").at(11).at("name").str() == "Gougerot-Sjögren");
    const auto csv = lines(ok({"protocol", "show", "TRANSREG", "--format", "csv"}).out);
    BOOST_TEST(csv.at(8) == "EQ-5D,,,,,,,X,,,");
    BOOST_TEST(csv.at(9) == "aldesleukin (Proleukin) (induction),,X,,,,,,,,");
    BOOST_TEST(csv.at(10) == "aldesleukin (Proleukin) (maintenance),,,,X,X,X,X,,,");
    BOOST_TEST(csv.at(11) == "aldesleukin (Proleukin) (maintenance-SLE),,,X,X,X,X,X,,,");
}

BOOST_AUTO_TEST_CASE(protocol_show_ms_il2) {
    check_show({"MS-IL2", "MS-IL2", "1", "Low-dose IL-2 in relapsing-remitting multiple sclerosis", true,
                "activity,V-D0,V-D1,V-D5,V-D183", 7, {0, 1, 5, 183}, {"0/0", "0/0", "0/0", "7/7"},
                {"induction", "maintenance"}, {5, 13}, {"IL-2 or placebo", "IL-2 or placebo"},
                {"IL-2", "placebo"}, {}});
    const Json j = ok_json({"protocol", "show", "MS-IL2", "--format", "json"});
    for (const auto& r : j.at("regimens").items()) BOOST_TEST(r.at("dose").str() == "IL-2 or placebo");
    BOOST_TEST(j.at("assumptions").size() == 6u);
    BOOST_TEST(j.at("assumptions").at(0).at("about").str() == "arms.IL-2.doses.IL2");
    // Maintenance counts from the first induction dose (course.md, Anchors).
    BOOST_TEST(j.at("regimens").at(0).at("anchor").is_null());
    BOOST_TEST(j.at("regimens").at(1).at("anchor").str() == "IL2-D1");
    for (const auto& v : j.at("visits").items()) BOOST_TEST(v.at("anchor").is_null());
}

// ---------------------------------------------------------------------------
// help and usage

BOOST_AUTO_TEST_CASE(usage_errors_exit_2_and_help_exits_0) {
    fails(2, {"frobnicate"}, "frobnicate");
    fails(2, {"protocols", "--frobnicate"}, "--frobnicate");
    const auto help = ok({"calendar", "--help"});
    BOOST_TEST(contains(help.out, "--day0"));
    BOOST_TEST(contains(ok({"--help"}).out, "protocols"));
}

BOOST_AUTO_TEST_CASE(protocols_help_lists_format) {
    const auto r = ok({"protocols", "--help"});
    BOOST_TEST(r.err.empty());
    BOOST_TEST(contains(r.out, "Usage: trialcal protocols"));
    BOOST_TEST(contains(r.out, "--format"));
    BOOST_TEST(contains(r.out, "table|json|csv"));
    BOOST_TEST(ok({"protocols", "-h"}).out == r.out);
}

BOOST_AUTO_TEST_CASE(protocol_show_help_lists_format) {
    const auto r = ok({"protocol", "show", "--help"});
    BOOST_TEST(r.err.empty());
    BOOST_TEST(contains(r.out, "Usage: trialcal protocol show"));
    BOOST_TEST(contains(r.out, "--format"));
    BOOST_TEST(contains(r.out, "table|json|csv"));
    BOOST_TEST(contains(r.out, "ID[@VERSION]"));
    const auto check = ok({"protocol", "check", "--help"});
    BOOST_TEST(contains(check.out, "Usage: trialcal protocol check"));
}

BOOST_AUTO_TEST_CASE(protocol_commands_usage_errors_exit_2) {
    fails(2, {"protocol"}, "subcommand");
    fails(2, {"protocol", "frobnicate"}, "frobnicate");
    fails(2, {"protocol", "show"}, "protocol");
    fails(2, {"protocol", "show", "DF-IL2", "--format", "xml"}, "xml");
    fails(2, {"protocols", "--format", "ics"}, "ics");
    fails(2, {"protocols", "--format"}, "--format");
}

BOOST_AUTO_TEST_CASE(malformed_or_missing_calendars_folder_is_refused) {
    TempDir dir;
    dir.write("broken.toml", "[protocol\n");
    fails(65, {"protocols", "--calendars", dir.path().string()}, "broken.toml:1:");
    fails(66, {"protocols", "--calendars", (dir.path() / "nowhere").string()}, "nowhere");
}

BOOST_AUTO_TEST_SUITE_END()
