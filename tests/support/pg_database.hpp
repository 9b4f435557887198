#pragma once
// A fresh database on the throwaway PostgreSQL cluster the pg_cluster
// fixture runs (tests/pg/cluster.sh writes the superuser's conninfo to the
// file $TRIALCAL_TEST_PG_FILE names), dropped when the object goes; its URI
// for any role, login roles made by SQL, and SQL run as the superuser.
#include "tests/support/run.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace trialcal::test {

// Whether the suites run on PostgreSQL ($TRIALCAL_TEST_ENGINE=postgresql:
// CTest's cli_tests_pg.* entries) rather than on SQLite files.
inline bool on_postgresql() {
    const char* e = std::getenv("TRIALCAL_TEST_ENGINE");
    return e && std::string(e) == "postgresql";
}

class PgDatabase {
public:
    PgDatabase() {
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
        name_ = "t" + std::to_string(::getpid()) + "_" + std::to_string(made++);
        psql("DROP DATABASE IF EXISTS " + name_);
        psql("CREATE DATABASE " + name_);
    }
    ~PgDatabase() { (void)run_shell(command("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)", "postgres")); }
    PgDatabase(const PgDatabase&) = delete;
    PgDatabase& operator=(const PgDatabase&) = delete;

    [[nodiscard]] std::string uri(const std::string& role) const {
        return "postgresql://" + role + "@/" + name_ + "?host=" + host_ + "&port=" + port_;
    }
    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    // Runs SQL as the cluster's superuser, in this database unless told; its output.
    std::string psql(const std::string& sql, const std::string& database = "postgres") const {
        const RunResult r = run_shell(command(sql, database));
        BOOST_TEST_INFO("psql: " << sql << ": " << r.out);
        BOOST_TEST_REQUIRE(r.code == 0);
        return r.out;
    }
    std::string sql(const std::string& statement) const { return psql(statement, name_); }
    // A login role made by SQL (no audit row), member of trialcal's `roles`
    // (e.g. "trialcal_admin") and of `sites`' roles. Roles are the cluster's.
    void make_role(const std::string& name, const std::vector<std::string>& roles,
                   const std::vector<std::string>& sites = {}) const {
        std::string s = "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + name +
                        "') THEN CREATE ROLE \"" + name + "\" LOGIN; END IF; END $$;";
        for (const auto& r : roles) s += " GRANT " + r + " TO \"" + name + "\";";
        for (const auto& site : sites) s += " GRANT \"trialcal_site_" + site + "\" TO \"" + name + "\";";
        psql(s);
    }

private:
    [[nodiscard]] std::string command(const std::string& sql, const std::string& database) const {
        return "psql " + quote(conninfo_ + " dbname=" + database) + " -v ON_ERROR_STOP=1 -qAtc " + quote(sql) +
               " 2>&1";
    }
    static std::string quote(const std::string& s) {
        std::string out = "'";
        for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
        return out + "'";
    }
    std::string conninfo_, host_, port_, name_;
};

}  // namespace trialcal::test
