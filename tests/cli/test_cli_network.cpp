// A trial network on PostgreSQL (issue 17): the server authenticates the
// user, scopes every read and write to the user's sites, and lets each role
// do what it may and nothing more; concurrent writers at many sites never
// fork the audit chain. Runs on the throwaway cluster (pg_cluster fixture).
#include "tests/support/check.hpp"
#include "tests/support/pg_trial.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <pwd.h>
#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

using namespace trialcal::test;
namespace bdata = boost::unit_test::data;

namespace {

// P002 at PSL with a dose R1 given by the PSL nurse; L001 at LYON.
struct Network : PgTrial {
    Network() {
        enroll("coord_psl", "P002", "PSL");
        enroll("coord_lyon", "L001", "LYON");
        ok_as("nurse_psl", {"dose", "P002", "--at", "2027-03-02T09:00"});
    }
};

struct RoleCase {
    const char* role;
    std::vector<std::string> args;
    int code;
};

std::ostream& operator<<(std::ostream& os, const RoleCase& c) {
    os << c.role;
    for (const auto& a : c.args) os << ' ' << a;
    return os << " -> " << c.code;
}

const std::vector<std::string> dose_p002{"dose", "P002", "--at", "2027-03-09T09:00"};
const std::vector<std::string> dose_l001{"dose", "L001", "--at", "2027-03-09T09:00"};
const std::vector<std::string> visit_p002{"visit", "P002", "V-D0", "--at", "2027-03-02"};
const std::vector<std::string> skip_p002{"skip", "P002", "IL2-D5", "--reason", "refused"};
const std::vector<std::string> void_r1{"void", "R1", "--reason", "entered twice"};
const std::vector<std::string> withdraw_p002{"withdraw", "P002", "--on", "2027-03-09", "--reason", "moved away"};
const std::vector<std::string> shift_p002{"shift", "P002", "V-D60", "--days", "2", "--reason", "holiday"};
const std::vector<std::string> screen_p003{"screen", "P003", "--protocol", "DF-IL2", "--site", "PSL", "--on",
                                          "2027-03-01", "--value", "age=30", "--value", "t1d_duration=2", "--value",
                                          "lymphocytes=1500"};
const std::vector<std::string> site_add{"site", "add", "NICE", "--name", "Nice", "--tz", "Europe/Paris", "--closed",
                                        "none"};
const std::vector<std::string> user_add{"user", "add", "nurse_nice_x", "--role", "nurse", "--site", "LYON"};
const std::vector<std::string> report{"report", "compliance", "--as-of", "2027-03-10"};
const std::vector<std::string> verify{"audit", "verify"};

// cli.md's exit codes: 0 done, 77 not permitted.
const std::vector<RoleCase> role_cases{
    {"nurse_psl", dose_p002, 0},      {"nurse_psl", visit_p002, 0},    {"nurse_psl", skip_p002, 0},
    {"nurse_psl", void_r1, 0},        {"nurse_psl", report, 0},        {"nurse_psl", dose_l001, 77},
    {"nurse_psl", withdraw_p002, 77}, {"nurse_psl", shift_p002, 77},   {"nurse_psl", screen_p003, 77},
    {"nurse_psl", site_add, 77},      {"nurse_psl", user_add, 77},     {"nurse_psl", verify, 77},
    {"coord_psl", dose_p002, 0},      {"coord_psl", withdraw_p002, 0}, {"coord_psl", shift_p002, 0},
    {"coord_psl", screen_p003, 0},    {"coord_psl", dose_l001, 77},    {"coord_psl", site_add, 77},
    {"coord_psl", verify, 77},        {"coord_lyon", dose_p002, 77},   {"coord_lyon", void_r1, 77},
    {"mon", report, 0},               {"mon", verify, 0},              {"mon", dose_p002, 77},
    {"mon", withdraw_p002, 77},       {"mon", void_r1, 77},            {"mon", site_add, 77},
    {"adm", site_add, 0},             {"adm", user_add, 0},            {"adm", report, 0},
    {"adm", verify, 0},               {"adm", dose_p002, 77},          {"adm", screen_p003, 77},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_network)

// Each role × command: done, or refused by the server with exit 77 and
// nothing written (the trail's head unchanged, as a monitor sees it).
BOOST_DATA_TEST_CASE(each_role_may_do_what_its_role_allows_and_nothing_more, bdata::make(role_cases), c) {
    const Network n;
    const std::string before = n.ok_as("mon", {"audit", "verify"}).out;
    const RunResult r = n.as(c.role, c.args);
    BOOST_TEST_INFO("stderr: " << r.err);
    BOOST_TEST(r.code == c.code);
    if (c.code == 77) {
        BOOST_TEST(r.out.empty());
        BOOST_TEST(contains(r.err, c.role));
        BOOST_TEST(n.ok_as("mon", {"audit", "verify"}).out == before);
    }
}

// `user add` runs as the schema's owner for admins only: an admin holds no
// CREATEROLE (which would let them make any role), and the users they add,
// admins among them, log in with their role and sites.
BOOST_AUTO_TEST_CASE(an_admin_adds_users_without_createrole_of_its_own) {
    const Network n;
    n.ok_as("adm", {"user", "add", "adm_two", "--role", "admin"});
    n.ok_as("adm_two", {"user", "add", "nurse_lyon_two", "--role", "nurse", "--site", "LYON"});
    BOOST_TEST(n.psql("SELECT string_agg(rolname || '=' || rolcreaterole, ',' ORDER BY rolname) FROM pg_roles WHERE "
                      "rolname IN ('adm', 'adm_two', 'nurse_lyon_two')",
                      n.database()) == "adm=false,adm_two=false,nurse_lyon_two=false\n");
    BOOST_TEST(n.as("nurse_lyon_two", {"calendar", "L001"}).code == 0);
    BOOST_TEST(n.as("nurse_lyon_two", {"calendar", "P002"}).code == 77);
    // A coordinator calling the function directly is refused by the server.
    const RunResult r = n.as("coord_psl", {"user", "add", "coord_self", "--role", "admin"});
    BOOST_TEST(r.code == 77);
    BOOST_TEST(n.psql("SELECT count(*) FROM pg_roles WHERE rolname = 'coord_self'", n.database()) == "0\n");
}

BOOST_AUTO_TEST_CASE(a_nurse_never_sees_another_sites_patients) {
    const Network n;
    const RunResult calendar = n.as("nurse_psl", {"calendar", "L001"});
    BOOST_TEST(calendar.code == 77);
    BOOST_TEST(contains(calendar.err, "patient L001 is at site LYON, where role nurse_psl does not work"));
    const RunResult filtered = n.as("nurse_psl", {"report", "compliance", "--as-of", "2027-03-10", "--site", "LYON"});
    BOOST_TEST(filtered.code == 77);
    BOOST_TEST(contains(filtered.err, "--site LYON: role nurse_psl does not work at site LYON"));
    // Unfiltered, every listing holds PSL's patient and not LYON's.
    for (const std::vector<std::string>& listing :
         {std::vector<std::string>{"report", "compliance", "--as-of", "2027-03-10", "--format", "csv"},
          std::vector<std::string>{"due", "--from", "2027-03-02", "--days", "60"},
          std::vector<std::string>{"audit", "--format", "csv"},
          std::vector<std::string>{"export", "ics", "--site", "PSL"}}) {
        const RunResult r = n.ok_as("nurse_psl", listing);
        BOOST_TEST_INFO(listing[0]);
        BOOST_TEST(contains(r.out, "P002"));
        BOOST_TEST(!contains(r.out, "L001"));
    }
    // The monitor sees both.
    const RunResult all = n.ok_as("mon", {"report", "compliance", "--as-of", "2027-03-10", "--format", "csv"});
    BOOST_TEST(contains(all.out, "P002"));
    BOOST_TEST(contains(all.out, "L001"));
}

BOOST_AUTO_TEST_CASE(the_user_is_the_role_that_logged_in_and_by_is_refused) {
    const Network n;
    const RunResult by = n.as("nurse_psl", {"dose", "P002", "--at", "2027-03-09T09:00", "--by", "dr.house"});
    BOOST_TEST(by.code == 2);
    BOOST_TEST(contains(by.err, "--by dr.house: on PostgreSQL the user is the role that logged in (nurse_psl)"));
    const RunResult listing = n.ok_as("mon", {"audit", "--patient", "P002", "--format", "csv"});
    const std::vector<std::string> rows = lines(listing.out);
    BOOST_TEST_REQUIRE(rows.size() == 4u);  // header, screen, enroll, dose
    BOOST_TEST(csv_fields(rows[1])[2] == "coord_psl");
    BOOST_TEST(csv_fields(rows[1])[3] == "coord_psl");
    BOOST_TEST(csv_fields(rows[3])[2] == "nurse_psl");
    BOOST_TEST(csv_fields(rows[3])[4] == "dose");
    // A row the nurse writes by hand under another account is refused by the server.
    const RunResult forged = run_shell(
        "psql '" + n.uri("nurse_psl") + "' -qc \"INSERT INTO trialcal.audit VALUES (99, 'x', 'coord_psl', 'x', "
        "'dose', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 'd', 'p', 'h')\" 2>&1");
    BOOST_TEST(forged.code != 0);
    BOOST_TEST(contains(forged.out, "row-level security"));
}

BOOST_AUTO_TEST_CASE(no_role_but_the_owner_may_change_or_remove_rows) {
    const Network n;
    for (const char* sql : {"UPDATE trialcal.record SET note = 'x'", "DELETE FROM trialcal.audit",
                            "TRUNCATE trialcal.audit"}) {
        for (const char* role : {"nurse_psl", "coord_psl", "mon", "adm"}) {
            const RunResult r = run_shell("psql '" + n.uri(role) + "' -qc \"" + sql + "\" 2>&1");
            BOOST_TEST_INFO(role << ": " << sql << ": " << r.out);
            BOOST_TEST(r.code != 0);
            BOOST_TEST(contains(r.out, "permission denied"));
        }
        // The owner is stopped by the triggers.
        const RunResult owner = run_shell("psql '" + n.uri("postgres") + "' -qc \"" + sql + "\" 2>&1");
        BOOST_TEST(owner.code != 0);
        BOOST_TEST(contains(owner.out, "append-only"));
    }
    const RunResult v = n.ok_as("mon", {"audit", "verify"});
    BOOST_TEST(contains(v.out, "audit trail intact"));
}

// 8 writers at 4 sites, 250 doses each, all at once: exactly 2 000 records,
// one chain, intact.
BOOST_AUTO_TEST_CASE(concurrent_writers_at_many_sites_never_fork_the_chain) {
    const PgTrial t;
    const std::vector<std::string> sites{"PSL", "LYON", "NICE", "LILLE"};
    for (std::size_t i = 2; i < sites.size(); ++i)
        t.ok_as("postgres", {"site", "add", sites[i], "--name", "Site " + sites[i], "--tz", "Europe/Paris", "--closed",
                             "none"});
    for (std::size_t w = 0; w < 8; ++w) {
        const std::string site = sites[w % 4], nurse = "nurse_" + std::to_string(w);
        t.ok_as("postgres", {"user", "add", nurse, "--role", "coordinator", "--site", site});
        t.enroll(nurse, "W" + std::to_string(w), site);
    }
    const std::string head_before = t.psql("SELECT max(seq) FROM trialcal.audit", t.database());
    std::vector<std::thread> writers;
    std::vector<int> failures(8, 0);
    for (int w = 0; w < 8; ++w)
        writers.emplace_back([&, w] {
            // One shell loop per writer: 250 processes, each one dose.
            const std::string cmd =
                "export TRIALCAL_DB='" + t.uri("nurse_" + std::to_string(w)) + "' TRIALCAL_NOW=" + t.now +
                " TRIALCAL_CALENDARS='" + source_calendars().string() +
                "'; f=0; for i in $(seq 0 249); do m=$((i % 60)); h=$((8 + i / 60)); "
                "\"$TC\" dose W" + std::to_string(w) + " --at $(printf '2027-03-05T%02d:%02d' $h $m) >/dev/null || "
                "f=$((f+1)); done; echo $f";
            const RunResult r = run_shell(std::string("TC='") + TRIALCAL_EXE + "'; " + cmd);
            failures[w] = r.code == 0 ? std::stoi(r.out) : 250;
        });
    for (auto& w : writers) w.join();
    for (int w = 0; w < 8; ++w) BOOST_TEST(failures[w] == 0, "writer " << w);
    BOOST_TEST(t.psql("SELECT count(*) FROM trialcal.record", t.database()) == "2000\n");
    BOOST_TEST(std::stoi(t.psql("SELECT max(seq) FROM trialcal.audit", t.database())) ==
               std::stoi(head_before) + 2000);
    const RunResult v = t.ok_as("mon", {"audit", "verify"});
    BOOST_TEST(contains(v.out, "audit trail intact"));
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// Who the tests run as: the account SQLite records on every audit row.
std::string os_account() {
    const passwd* pw = ::getpwuid(::geteuid());
    return pw && pw->pw_name ? pw->pw_name : "root";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_network)

// The same commands by the same user on SQLite and on PostgreSQL print the
// same bytes: calendars, reports in every format, worklists, feeds, exports,
// the audit listing and its head. The network's user is a role named as the
// operating-system account the unit's file records, so every audit row (and
// its hash) is the same on both.
BOOST_AUTO_TEST_CASE(the_same_commands_print_the_same_bytes_on_both_engines) {
    const std::string me = os_account();
    Clinic unit;
    unit.screen_first = false;
    unit.user = me;
    const PgTrial net(true);
    net.make_role(me, {"trialcal_admin", "trialcal_coordinator"});
    const auto both = [&](const std::vector<std::string>& args) {
        const RunResult a = unit.run(args), b = net.as(me, args);
        BOOST_TEST_INFO(Clinic::describe(args) << ": " << a.err << " | " << b.err);
        BOOST_TEST_REQUIRE(a.code == 0);
        BOOST_TEST_REQUIRE(b.code == 0);
        return std::pair{a.out, b.out};
    };
    // The file's key and sites (tests/support/clinic.hpp), and the same on the network.
    unit.install_key_first({"enroll"});
    net.ok_as(me, {"keys", "install", TestKeys::get().unblinding.string() + ".pub"});
    for (const auto& [code, name] : Clinic::fixture_sites)
        net.ok_as(me, {"site", "add", code, "--name", name, "--tz", "Europe/Paris", "--closed", "none"});
    net.make_role(me, {}, {"PSL", "LYON", "LYO"});
    // An open protocol: a blinded one's sealed arms are random bytes, on any engine.
    const auto screen = [&](const std::string& p, const std::string& site) {
        both({"screen", p, "--protocol", "TRANSREG", "--site", site, "--on", "2027-03-01", "--value", "age=40",
              "--value", "wbc=5000", "--value", "lymphocytes=1500", "--value", "platelets=200000"});
    };
    screen("P1", "PSL");
    both({"enroll", "P1", "--protocol", "TRANSREG", "--site", "PSL", "--day0", "2027-03-02", "--cohort", "RA"});
    screen("P2", "LYON");
    both({"enroll", "P2", "--protocol", "TRANSREG", "--site", "LYON", "--day0", "2027-03-03", "--cohort", "SLE"});
    both({"dose", "P1", "--at", "2027-03-02T09:00"});
    both({"dose", "P1", "--at", "2027-03-03T09:30"});
    both({"skip", "P1", "V-D8", "--reason", "refused"});
    both({"visit", "P1", "V-D0", "--at", "2027-03-02"});
    both({"void", "R2", "--reason", "entered twice"});
    both({"shift", "P2", "V-D15", "--days", "2", "--reason", "holiday"});
    both({"dose", "P2", "--at", "2027-03-03T10:00"});
    both({"withdraw", "P2", "--on", "2027-03-09", "--reason", "moved away"});
    for (const std::vector<std::string>& out :
         {std::vector<std::string>{"report", "compliance", "--as-of", "2027-03-10"},
          std::vector<std::string>{"report", "compliance", "--as-of", "2027-03-10", "--format", "csv"},
          std::vector<std::string>{"report", "compliance", "--as-of", "2027-03-10", "--format", "json"},
          std::vector<std::string>{"report", "compliance", "--as-of", "2027-03-10", "--format", "html"},
          std::vector<std::string>{"due", "--from", "2027-03-01", "--days", "90"},
          std::vector<std::string>{"calendar", "P1"},
          std::vector<std::string>{"calendar", "P2", "--format", "json"},
          std::vector<std::string>{"export", "ics", "--site", "LYON"},
          std::vector<std::string>{"export", "fhir", "--site", "PSL"},
          std::vector<std::string>{"audit", "--format", "csv"},
          std::vector<std::string>{"audit", "verify"}}) {
        const auto [sqlite, postgresql] = both(out);
        BOOST_TEST_INFO(Clinic::describe(out));
        BOOST_TEST(!sqlite.empty());
        BOOST_TEST(sqlite == postgresql);
    }
    // key, 3 sites, 2 × (screen, enroll), 8 writes: the same 16 rows, the same head.
    BOOST_TEST(contains(both({"audit", "verify"}).first, "audit trail intact: 16 rows"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_network)

// The server killed in the middle of an import (no checkpoint, as a power
// cut): after restart, the import is there whole or not at all, and the
// trail verifies.
BOOST_AUTO_TEST_CASE(a_server_killed_mid_import_keeps_all_or_nothing) {
    const PgTrial t;
    std::string csv = "patient,at,drug\n";
    constexpr int patients = 12, doses = 150;
    for (int p = 0; p < patients; ++p) {
        const std::string id = "K" + std::to_string(p);
        t.enroll("coord_psl", id, "PSL");
        for (int d = 0; d < doses; ++d)
            csv += id + "," + "2027-03-" + (d / 24 + 2 < 10 ? "0" : "") + std::to_string(d / 24 + 2) + "T" +
                   (d % 24 < 10 ? "0" : "") + std::to_string(d % 24) + ":00,IL2\n";
    }
    const std::filesystem::path file = t.dir.write("doses.csv", csv);
    const std::string before = t.psql("SELECT count(*) FROM trialcal.audit", t.database());
    const std::filesystem::path handle = std::filesystem::path(std::getenv("TRIALCAL_TEST_PG_FILE")).parent_path();
    const std::string cluster = std::string(TRIALCAL_SOURCE_DIR) + "/tests/pg/cluster.sh ";
    RunResult import;
    std::thread importer([&] { import = t.as("coord_psl", {"import", "doses", file.string()}); });
    // The import's write has begun once its advisory lock is held.
    bool underway = false;
    for (int i = 0; i < 400 && !underway; ++i) {
        underway = run_shell("psql '" + t.uri("postgres") +
                             "' -qAtc \"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'\"")
                       .out == "1\n";
        if (!underway) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    BOOST_TEST_REQUIRE(run_shell(cluster + "crash " + handle.string()).code == 0);
    importer.join();
    BOOST_TEST_REQUIRE(run_shell(cluster + "restart " + handle.string()).code == 0);
    BOOST_TEST_INFO("import: " << import.code << " " << import.err);
    BOOST_TEST(underway);
    const std::string records = t.psql("SELECT count(*) FROM trialcal.record", t.database());
    if (import.code == 0) {
        BOOST_TEST(records == std::to_string(patients * doses) + "\n");
    } else {
        BOOST_TEST(records == "0\n");
        BOOST_TEST(t.psql("SELECT count(*) FROM trialcal.audit", t.database()) == before);
    }
    const RunResult v = t.ok_as("mon", {"audit", "verify"});
    BOOST_TEST(contains(v.out, "audit trail intact"));
    // And the same import, run again, goes in whole.
    if (import.code != 0) {
        t.ok_as("coord_psl", {"import", "doses", file.string()});
        BOOST_TEST(t.psql("SELECT count(*) FROM trialcal.record", t.database()) ==
                   std::to_string(patients * doses) + "\n");
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_network)

// A database nobody initialised is no trial: every command says how to make
// one (exit 66), and `db init` makes it once (then exit 1, nothing changed).
BOOST_AUTO_TEST_CASE(a_database_without_a_trial_says_to_run_db_init) {
    const PgDatabase db;
    RunOptions o;
    o.env = {{"TRIALCAL_DB", db.uri("postgres")}, {"TRIALCAL_CALENDARS", source_calendars().string()}};
    const RunResult report = run_trialcal({"report", "compliance"}, o);
    BOOST_TEST(report.code == 66);
    BOOST_TEST(contains(report.err, "holds no trial: run `trialcal --db URI db init` as its owner first"));
    BOOST_TEST(run_trialcal({"db", "init"}, o).code == 0);
    const RunResult again = run_trialcal({"db", "init"}, o);
    BOOST_TEST(again.code == 1);
    BOOST_TEST(contains(again.err, "holds a trial already: nothing was changed"));
    BOOST_TEST(db.sql("SELECT count(*) FROM trialcal.audit") == "0\n");
}

BOOST_AUTO_TEST_SUITE_END()
