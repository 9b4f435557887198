#pragma once
// A trial network's database on the throwaway PostgreSQL cluster
// (tests/support/pg_database.hpp), made with `db init` by the cluster's
// superuser (its owner), with the unblinding key, the SQLite fixture's sites
// (PSL, LYON, LYO), and one user of each role:
//   nurse_psl (nurse at PSL), coord_psl (coordinator at PSL),
//   coord_lyon (coordinator at LYON), mon (monitor), adm (admin).
#include "tests/support/check.hpp"
#include "tests/support/clinic.hpp"
#include "tests/support/pg_database.hpp"
#include "tests/support/run.hpp"
#include "tests/support/test_keys.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace trialcal::test {

class PgTrial {
public:
    // `bare`: the database made (db init) and nothing else.
    explicit PgTrial(bool bare = false) {
        ok_as("postgres", {"db", "init"});
        if (bare) return;
        ok_as("postgres", {"keys", "install", TestKeys::get().unblinding.string() + ".pub"});
        // The sites the SQLite fixture registers (tests/support/clinic.hpp), by the same names.
        for (const auto& [code, name] : Clinic::fixture_sites)
            ok_as("postgres", {"site", "add", code, "--name", name, "--tz", "Europe/Paris", "--closed", "none"});
        ok_as("postgres", {"user", "add", "nurse_psl", "--role", "nurse", "--site", "PSL"});
        ok_as("postgres", {"user", "add", "coord_psl", "--role", "coordinator", "--site", "PSL"});
        ok_as("postgres", {"user", "add", "coord_lyon", "--role", "coordinator", "--site", "LYON"});
        ok_as("postgres", {"user", "add", "mon", "--role", "monitor"});
        ok_as("postgres", {"user", "add", "adm", "--role", "admin"});
    }

    [[nodiscard]] std::string uri(const std::string& role) const { return db_.uri(role); }
    [[nodiscard]] RunResult as(const std::string& role, const std::vector<std::string>& args,
                               const std::string& input = {}) const {
        RunOptions o;
        o.env = {{"TRIALCAL_DB", uri(role)},
                 {"TRIALCAL_NOW", now},
                 {"TRIALCAL_CALENDARS", source_calendars().string()},
                 {"TRIALCAL_KEY_PASSPHRASE", test_passphrase},
                 {"TRIALCAL_UNBLINDING_KEY", TestKeys::get().unblinding.string()}};
        o.input = input;
        o.cwd = dir.path();
        return run_trialcal(args, o);
    }
    RunResult ok_as(const std::string& role, const std::vector<std::string>& args) const {
        RunResult r = as(role, args);
        BOOST_TEST_INFO(role << " " << (args.empty() ? "" : args[0]) << ": " << r.err);
        BOOST_TEST_REQUIRE(r.code == 0);
        return r;
    }
    // Screens and enrolls `patient` at `site` in DF-IL2 (arm IL2-1), as `coordinator`.
    void enroll(const std::string& coordinator, const std::string& patient, const std::string& site) const {
        ok_as(coordinator, {"screen", patient, "--protocol", "DF-IL2", "--site", site, "--on", "2027-03-01", "--value",
                            "age=30", "--value", "t1d_duration=2", "--value", "lymphocytes=1500"});
        ok_as(coordinator, {"enroll", patient, "--protocol", "DF-IL2", "--site", site, "--day0", "2027-03-02", "--arm",
                            "IL2-1"});
    }
    // SQL as the cluster's superuser: in the cluster's maintenance database, or in this one.
    std::string psql(const std::string& sql, const std::string& database = "postgres") const {
        return db_.psql(sql, database);
    }
    void make_role(const std::string& name, const std::vector<std::string>& roles,
                   const std::vector<std::string>& sites = {}) const {
        db_.make_role(name, roles, sites);
    }
    [[nodiscard]] const std::string& database() const noexcept { return db_.name(); }

    TempDir dir;
    std::string now = "2027-03-10T12:00:00Z";

private:
    PgDatabase db_;  // made before the constructor runs its commands
};

}  // namespace trialcal::test
