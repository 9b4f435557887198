// End-to-end: `db copy` carries a unit's SQLite trial into a network's
// PostgreSQL database and back, verbatim: `audit verify` gives the same head
// on every side, and the reports and the audit listing are byte for byte the
// same. Refused, with nothing written: a destination that is not empty, a
// source that is not there, a destination role that is not the schema's owner.
// Runs in the throwaway cluster of the pg_cluster fixture (tests/CMakeLists.txt).
#include "tests/support/network.hpp"

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

using namespace trialcal::test;

namespace {

// The fixture's cluster, as its superuser (tests/pg/cluster.sh writes
// "host=SOCKDIR port=N user=postgres dbname=postgres").
struct Cluster {
    std::string host, port;

    Cluster() {
        const char* file = std::getenv("TRIALCAL_TEST_PG_FILE");
        BOOST_TEST_REQUIRE(file != nullptr, "TRIALCAL_TEST_PG_FILE: run through ctest (trialcal_needs_pg)");
        std::ifstream in(file);
        BOOST_TEST_REQUIRE(in.good(), "no conninfo file " << file);
        for (std::string field; in >> field;) {
            if (field.starts_with("host=")) host = field.substr(5);
            if (field.starts_with("port=")) port = field.substr(5);
        }
        BOOST_TEST_REQUIRE((!host.empty() && !port.empty()), "conninfo without host or port");
    }
    [[nodiscard]] std::string uri(const std::string& db, const std::string& user = "postgres") const {
        return "postgresql://" + user + "@/" + db + "?host=" + host + "&port=" + port;
    }
    void psql(const std::string& sql) const {
        const std::string cmd = "psql " + sh_quote("host=" + host + " port=" + port + " user=postgres dbname=postgres") +
                                " -X -q -v ON_ERROR_STOP=1 -c " + sh_quote(sql) + " >/dev/null";
        BOOST_TEST_REQUIRE(std::system(cmd.c_str()) == 0, cmd);
    }
    // A new, empty database (no trial schema yet), named apart per process.
    [[nodiscard]] std::string database(const std::string& name) const {
        const std::string db = "copy_" + name + "_" + std::to_string(::getpid());
        psql("DROP DATABASE IF EXISTS " + db);
        psql("CREATE DATABASE " + db);
        return db;
    }
};

// A unit's trial with a bit of everything: two sites, two protocols, a
// blinded arm, doses, visits, a skip, a void, a shift, a withdrawal, a site
// changed and a screening that failed.
struct Unit : TwoSiteNetwork {
    Cluster cluster;
    Unit() {
        ok({"void", "R1", "--reason", "entered for the wrong patient"});
        ok({"shift", "R1", "V-D29", "--days", "1", "--reason", "site closed for a strike"});
        ok({"withdraw", "A1", "--on", "2027-03-15", "--reason", "moved abroad"});
        ok({"site", "set", "LYON", "--closed", "sat,sun"});
        const RunResult failed =
            run({"screen", "S1", "--protocol", "NCT05153070@2", "--site", "PSL", "--on", "2027-03-10", "--value",
                 "age=16", "--value", "diagnosis=90", "--value", "lymphocytes=1000", "--value", "weight_loss=12"});
        BOOST_TEST_REQUIRE(failed.code == 1, "the failed screening: " << failed.err);
    }
    // A network's database where `db init` ran and nothing was written.
    [[nodiscard]] std::string network(const std::string& name) const {
        const std::string uri = cluster.uri(cluster.database(name));
        ok({"--db", uri, "db", "init"});
        return uri;
    }
    // The line of `audit verify` that gives the head.
    [[nodiscard]] std::string head(const std::string& db) const {
        const std::string out = ok({"--db", db, "audit", "verify"});
        BOOST_TEST(contains(out, "intact"), out);
        std::istringstream lines(out);
        for (std::string line; std::getline(lines, line);)
            if (contains(line, "head")) return line;
        BOOST_TEST(false, "no head in: " << out);
        return {};
    }
    [[nodiscard]] std::string seen_as(const std::string& db, const std::vector<std::string>& args) const {
        std::vector<std::string> all{"--db", db};
        all.insert(all.end(), args.begin(), args.end());
        return ok(all);
    }
};

const std::vector<std::vector<std::string>> compared_outputs{
    {"report", "compliance", "--format", "json", "--as-of", "2027-03-20"},
    {"report", "compliance", "--format", "csv", "--as-of", "2027-03-20"},
    {"audit", "--format", "csv"},
    {"audit", "--format", "json"},
    {"report", "screening"},
    {"sites"},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_db_copy)

BOOST_AUTO_TEST_CASE(copies_a_unit_into_a_network_and_back) {
    Unit u;
    const std::string unit = u.db.string();
    const std::string head = u.head(unit);
    const std::string uri = u.network("there");

    const std::string out = u.ok({"db", "copy", "--from", unit, "--to", uri});
    BOOST_TEST(contains(out, "patient          4 rows"), out);
    BOOST_TEST(contains(out, "screening        5 rows"), out);
    BOOST_TEST(contains(out, "void             1 rows"), out);
    BOOST_TEST(contains(out, "site             4 rows"), out);  // three added, LYON set once
    BOOST_TEST(contains(out, "audit verify: intact, " + head + " on both"), out);
    BOOST_TEST(u.head(uri) == head);
    for (const auto& args : compared_outputs)
        BOOST_TEST_CONTEXT(Clinic::describe(args)) { BOOST_TEST(u.seen_as(uri, args) == u.seen_as(unit, args)); }

    // And back, into a new file: the same head, the same outputs.
    const std::string back = (u.dir.path() / "back.db").string();
    u.ok({"db", "copy", "--from", uri, "--to", back});
    BOOST_TEST(u.head(back) == head);
    for (const auto& args : compared_outputs)
        BOOST_TEST_CONTEXT(Clinic::describe(args)) { BOOST_TEST(u.seen_as(back, args) == u.seen_as(unit, args)); }

    // The copied sites have their roles on the server: their staff can be added.
    const std::string nurse = "copy_nurse_" + std::to_string(::getpid());
    u.ok({"--db", uri, "user", "add", nurse, "--role", "nurse", "--site", "PSL"});
    BOOST_TEST(contains(u.ok({"--db", uri, "audit", "verify"}), "intact"));
}

// A network's report reads patients a batch at a time (PatientBatch: 500):
// 1 104 patients, the batches' seams among them, give the bytes the file does.
BOOST_AUTO_TEST_CASE(reports_longer_than_a_batch_print_the_same_bytes) {
    Unit u;
    std::string screenings = "patient,protocol,site,on,age,wbc,lymphocytes,platelets\n";
    std::string patients = "patient,protocol,site,day0,arm,randomization_number,cohort,weight_kg,tz\n";
    for (int i = 1; i <= 1100; ++i) {
        const std::string id = fmt::format("B{:04}", i), site = i % 3 ? "PSL" : "LYON";
        const std::string day0 = fmt::format("2027-03-{:02}", 1 + i % 9);
        screenings += fmt::format("{},TRANSREG,{},{},40,5000,1500,200000\n", id, site, day0);
        patients += fmt::format("{},TRANSREG,{},{},,,{},,Europe/Paris\n", id, site, day0, i % 2 ? "RA" : "SLE");
    }
    u.ok({"import", "screenings", u.dir.write("screenings.csv", screenings).string()});
    u.ok({"import", "patients", u.dir.write("patients.csv", patients).string()});
    u.ok({"dose", "B0500", "--at", "2027-03-06T09:00"});
    u.ok({"dose", "B0501", "--at", "2027-03-07T09:00"});
    const std::string unit = u.db.string();
    const std::string uri = u.network("batches");
    u.ok({"db", "copy", "--from", unit, "--to", uri});
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"report", "compliance", "--format", "json", "--as-of", "2027-03-20"},
             {"report", "compliance", "--format", "csv", "--as-of", "2027-03-20"},
             {"due", "--from", "2027-03-01", "--days", "30"}})
        BOOST_TEST_CONTEXT(Clinic::describe(args)) {
            const std::string file = u.seen_as(unit, args);
            BOOST_TEST(contains(file, "B1100"));
            BOOST_TEST(u.seen_as(uri, args) == file);
        }
}

// docs/network.md: the database's owner has CREATEROLE and is no superuser,
// nor among trialcal_all_sites; it copies, and verifies what it copied.
BOOST_AUTO_TEST_CASE(copies_as_an_owner_that_is_no_superuser) {
    Unit u;
    const std::string owner = "copy_owner_" + std::to_string(::getpid());
    u.cluster.psql("DROP ROLE IF EXISTS " + owner);
    u.cluster.psql("CREATE ROLE " + owner + " LOGIN CREATEROLE");
    const std::string db = "copy_owned_" + std::to_string(::getpid());
    u.cluster.psql("DROP DATABASE IF EXISTS " + db);
    u.cluster.psql("CREATE DATABASE " + db + " OWNER " + owner);
    const std::string uri = u.cluster.uri(db, owner);
    u.ok({"--db", uri, "db", "init"});
    u.ok({"db", "copy", "--from", u.db.string(), "--to", uri});
    BOOST_TEST(u.head(uri) == u.head(u.db.string()));
    // It adds the first admin, who adds a nurse: neither holds CREATEROLE,
    // nor is a superuser (user add runs as this owner).
    const std::string admin = owner + "_admin", nurse = owner + "_nurse";
    u.cluster.psql("DROP ROLE IF EXISTS " + nurse);
    u.cluster.psql("DROP ROLE IF EXISTS " + admin);
    u.ok({"--db", uri, "user", "add", admin, "--role", "admin"});
    u.ok({"--db", u.cluster.uri(db, admin), "user", "add", nurse, "--role", "nurse", "--site", "PSL"});
    BOOST_TEST(contains(u.ok({"--db", u.cluster.uri(db, nurse), "report", "compliance", "--as-of", "2027-03-20"}),
                        "P1"));
}

BOOST_AUTO_TEST_CASE(refuses_a_destination_that_is_not_empty) {
    Unit u;
    const std::string unit = u.db.string();
    const std::string uri = u.network("twice");
    u.ok({"db", "copy", "--from", unit, "--to", uri});
    const std::string head = u.head(uri);
    const std::string listing = u.seen_as(uri, {"audit", "--format", "csv"});

    const RunResult again = u.run({"db", "copy", "--from", unit, "--to", uri});
    BOOST_TEST(again.code == 1, again.err);
    BOOST_TEST(contains(again.err, "not an empty trial database"), again.err);
    BOOST_TEST(contains(again.err, "twice"), again.err);
    BOOST_TEST(u.head(uri) == head);
    BOOST_TEST(u.seen_as(uri, {"audit", "--format", "csv"}) == listing);

    // An SQLite destination is a new file: one already there stays as it was.
    const fs::path there = u.dir.write("there.db", "not a database");
    const RunResult onto_file = u.run({"db", "copy", "--from", uri, "--to", there.string()});
    BOOST_TEST(onto_file.code == 1, onto_file.err);
    BOOST_TEST(contains(onto_file.err, there.string()), onto_file.err);
    BOOST_TEST(slurp(there) == "not a database");

}

BOOST_AUTO_TEST_CASE(refuses_a_source_that_is_not_there) {
    Unit u;
    const std::string uri = u.network("nothing");
    const std::string missing = (u.dir.path() / "missing.db").string();
    const RunResult r = u.run({"db", "copy", "--from", missing, "--to", uri});
    BOOST_TEST(r.code == 66, r.err);
    BOOST_TEST(contains(r.err, missing), r.err);
    BOOST_TEST(contains(u.head(uri), "head 0:"), "the network's trail stays empty");

    const std::string into = (u.dir.path() / "into.db").string();
    const RunResult to_file = u.run({"db", "copy", "--from", missing, "--to", into});
    BOOST_TEST(to_file.code == 66, to_file.err);
    BOOST_TEST(!fs::exists(into), "a failed copy leaves no file behind");
}

BOOST_AUTO_TEST_CASE(refuses_a_source_whose_trail_is_broken) {
    Unit u;
    const std::string uri = u.network("broken");
    // Someone with the file changed a dose's note behind trialcal's back.
    u.raw_sql("DROP TRIGGER record_no_update; UPDATE record SET note = 'changed' WHERE id = 2;");
    const RunResult r = u.run({"db", "copy", "--from", u.db.string(), "--to", uri});
    BOOST_TEST(r.code == 65, r.err);
    BOOST_TEST(contains(r.err, "its audit trail does not verify"), r.err);
    BOOST_TEST(contains(u.head(uri), "head 0:"), "nothing was written");
}

BOOST_AUTO_TEST_CASE(refuses_a_role_that_is_not_the_schema_owner) {
    Unit u;
    // Roles are the cluster's: an admin made in one trial's database logs in to another.
    const std::string admin = "copy_admin_" + std::to_string(::getpid());
    const std::string elsewhere = u.network("users");
    u.ok({"--db", elsewhere, "user", "add", admin, "--role", "admin"});
    const std::string db = u.cluster.database("not_owner");
    u.ok({"--db", u.cluster.uri(db), "db", "init"});

    const RunResult r = u.run({"db", "copy", "--from", u.db.string(), "--to", u.cluster.uri(db, admin)});
    BOOST_TEST(r.code == 77, r.err);
    BOOST_TEST(contains(r.err, "role " + admin + " is not the owner of schema trialcal"), r.err);
    BOOST_TEST(contains(u.head(u.cluster.uri(db)), "head 0:"), "nothing was written");
}

BOOST_AUTO_TEST_SUITE_END()
