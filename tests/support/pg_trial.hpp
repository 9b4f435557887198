#pragma once
// A trial network's database on the throwaway PostgreSQL cluster the
// pg_cluster fixture runs (tests/pg/cluster.sh): a fresh database per test,
// made with `db init` by the cluster's superuser (its owner), the unblinding
// key, the SQLite fixture's sites (PSL, LYON, LYO), and one user of each role:
//   nurse_psl (nurse at PSL), coord_psl (coordinator at PSL),
//   coord_lyon (coordinator at LYON), mon (monitor), adm (admin).
// Roles are the cluster's: every test database shares them.
#include "tests/support/check.hpp"
#include "tests/support/clinic.hpp"
#include "tests/support/run.hpp"
#include "tests/support/test_keys.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace trialcal::test {

class PgTrial {
public:
    // `bare`: the database made (db init) and nothing else.
    explicit PgTrial(bool bare = false) {
        const char* file = std::getenv("TRIALCAL_TEST_PG_FILE");
        BOOST_TEST_REQUIRE(file != nullptr, "TRIALCAL_TEST_PG_FILE: run inside the pg_cluster fixture");
        std::ifstream in(file);
        std::getline(in, conninfo_);
        BOOST_TEST_REQUIRE(!conninfo_.empty(), "no conninfo in " << file);
        std::istringstream words(conninfo_);
        for (std::string w; words >> w;) {
            if (w.starts_with("host=")) host_ = w.substr(5);
            if (w.starts_with("port=")) port_ = w.substr(5);
        }
        static std::atomic<int> made{0};
        db_ = "t" + std::to_string(::getpid()) + "_" + std::to_string(made++);
        psql("DROP DATABASE IF EXISTS " + db_);
        psql("CREATE DATABASE " + db_);
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
    ~PgTrial() { psql("DROP DATABASE IF EXISTS " + db_ + " WITH (FORCE)"); }
    PgTrial(const PgTrial&) = delete;
    PgTrial& operator=(const PgTrial&) = delete;

    [[nodiscard]] std::string uri(const std::string& role) const {
        return "postgresql://" + role + "@/" + db_ + "?host=" + host_ + "&port=" + port_;
    }
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
    // A login role made by SQL, no audit row: member of trialcal's `roles`
    // (e.g. "trialcal_admin") and of `sites`' roles.
    void make_role(const std::string& name, const std::vector<std::string>& roles,
                   const std::vector<std::string>& sites = {}) const {
        std::string sql = "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + name +
                          "') THEN CREATE ROLE \"" + name + "\" LOGIN; END IF; END $$;";
        for (const auto& r : roles) sql += " GRANT " + r + " TO \"" + name + "\";";
        for (const auto& s : sites) sql += " GRANT \"trialcal_site_" + s + "\" TO \"" + name + "\";";
        psql(sql);
    }
    // Runs SQL as the cluster's superuser; its output.
    std::string psql(const std::string& sql, const std::string& database = "postgres") const {
        const RunResult r = run_shell("psql " + sh_quote(conninfo_ + " dbname=" + database) +
                                      " -v ON_ERROR_STOP=1 -qAtc " + sh_quote(sql) + " 2>&1");
        BOOST_TEST_INFO("psql: " << sql << ": " << r.out);
        BOOST_TEST_REQUIRE(r.code == 0);
        return r.out;
    }
    [[nodiscard]] const std::string& database() const noexcept { return db_; }

    TempDir dir;
    std::string now = "2027-03-10T12:00:00Z";

private:
    std::string conninfo_, host_, port_, db_;
};

}  // namespace trialcal::test
