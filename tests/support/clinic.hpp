#pragma once
// A site with its own database for end-to-end tests of the writing commands:
// TRIALCAL_DB, TRIALCAL_USER, TRIALCAL_NOW and TRIALCAL_CALENDARS set, and
// `refused`, which checks a refusal left the database file byte for byte as
// it was (cli.md: a command that fails changes nothing).
#include "tests/support/check.hpp"
#include "tests/support/run.hpp"
#include "tests/support/test_keys.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trialcal::test {

namespace fs = std::filesystem;


inline std::string replace_all(std::string text, std::string_view from, std::string_view to) {
    for (std::size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
    return text;
}


// The text of the first JSON object or array that follows `"key": ` at or
// after `from`, braces balanced (the reports hold no braces inside strings).
inline std::string json_block(const std::string& json, const std::string& key, std::size_t from = 0) {
    const std::size_t k = json.find("\"" + key + "\": ", from);
    if (k == std::string::npos) return {};
    const std::size_t open = json.find_first_of("{[", k);
    if (open == std::string::npos) return {};
    int depth = 0;
    for (std::size_t i = open; i < json.size(); ++i) {
        if (json[i] == '{' || json[i] == '[') ++depth;
        if (json[i] == '}' || json[i] == ']') --depth;
        if (depth == 0) return json.substr(open, i - open + 1);
    }
    return {};
}

// The value of a JSON string member `"key": "…"`.
inline std::string json_string(const std::string& json, const std::string& key) {
    const std::string prefix = "\"" + key + "\": \"";
    const std::size_t k = json.find(prefix);
    if (k == std::string::npos) return {};
    const std::size_t start = k + prefix.size();
    return json.substr(start, json.find('"', start) - start);
}

// A quoted argument for /bin/sh.
inline std::string sh_quote(const std::string& s) { return "'" + replace_all(s, "'", "'\\''") + "'"; }

// A site with its own database: TRIALCAL_DB, TRIALCAL_USER and TRIALCAL_NOW set.
struct Clinic {
    TempDir dir;
    fs::path db = dir.path() / "t.db";
    std::string user = "nurse";
    std::string now = "2027-03-10T12:00:00Z";
    // How long one command may run before it is killed (exit 137); 0: as
    // long as it takes. Set where a hang must fail the test, not stall it.
    std::chrono::milliseconds timeout{0};

    [[nodiscard]] std::vector<std::pair<std::string, std::string>> env(const std::string& at) const {
        std::vector<std::pair<std::string, std::string>> e{
            {"TRIALCAL_DB", db.string()},
            {"TRIALCAL_NOW", at},
            {"TRIALCAL_CALENDARS", source_calendars().string()},
            {"TRIALCAL_KEY_PASSPHRASE", test_passphrase},
            {"TRIALCAL_UNBLINDING_KEY", TestKeys::get().unblinding.string()}};
        if (!user.empty()) e.emplace_back("TRIALCAL_USER", user);
        return e;
    }
    [[nodiscard]] RunResult run(const std::vector<std::string>& args) const { return run_at(now, args); }
    // A new database gets the trial's unblinding public key before the
    // first enrollment or import, as a trial unit installs it first:
    // blinded arms are sealed to it.
    // The trial's sites are registered first too, as a unit does before
    // enrolling: PSL, LYON and LYO in Paris's zone, closed on no day, so that the
    // suites about other things see every event on its planned date
    // (placement has suites of its own). A first `site` command gets the
    // key only.
    void install_key_first(const std::vector<std::string>& args) const {
        if (fs::exists(db) || args.empty() ||
            (args[0] != "enroll" && args[0] != "import" && args[0] != "randomization" && args[0] != "site"))
            return;
        RunOptions o;
        o.env = env(now);
        o.cwd = dir.path();
        const RunResult r = run_trialcal({"keys", "install", TestKeys::get().unblinding.string() + ".pub"}, o);
        BOOST_TEST_REQUIRE(r.code == 0, "keys install: " << r.err);
        if (args[0] == "site") return;
        for (const auto& [code, name] : fixture_sites) {
            const RunResult added = run_trialcal(
                {"site", "add", code, "--name", name, "--tz", "Europe/Paris", "--closed", "none"}, o);
            BOOST_TEST_REQUIRE(added.code == 0, "site add " << code << ": " << added.err);
        }
    }
    static constexpr std::pair<const char*, const char*> fixture_sites[] = {
        {"PSL", "Hôpital Pitié-Salpêtrière, Paris"}, {"LYON", "Hôpital Édouard-Herriot, Lyon"},
        {"LYO", "Centre hospitalier Lyon-Sud"}};
    [[nodiscard]] RunResult run_at(const std::string& at, const std::vector<std::string>& args,
                                   bool key_first = true) const {
        if (key_first) install_key_first(args);
        RunOptions o;
        o.env = env(at);
        o.cwd = dir.path();
        o.timeout = timeout;
        return run_trialcal(args, o);
    }
    // A command that must succeed; returns its stdout.
    std::string ok(const std::vector<std::string>& args) const { return ok_at(now, args); }
    std::string ok_at(const std::string& at, const std::vector<std::string>& args) const {
        const RunResult r = run_at(at, args);
        BOOST_TEST(r.code == 0, describe(args) << " exited " << r.code << ": " << r.err);
        return r.out;
    }
    void enroll(const std::string& patient, const std::string& arm, const std::string& day0 = "2027-03-01") const {
        const std::string out = ok({"enroll", patient, "--protocol", "DF-IL2", "--site", "PSL", "--day0", day0, "--arm",
                                    arm});
        BOOST_TEST(contains(out, "arm blinded"), out);
        BOOST_TEST(!contains(out, arm), out);
    }
    [[nodiscard]] std::string bytes() const { return slurp(db); }
    // sqlite3's shell on the file: what someone with file access could do.
    void raw_sql(const std::string& sql) const {
        const std::string cmd = "sqlite3 " + sh_quote(db.string()) + " " + sh_quote(sql);
        BOOST_TEST_REQUIRE(std::system(cmd.c_str()) == 0, cmd);
    }

    static std::string describe(const std::vector<std::string>& args) {
        std::string s = "trialcal";
        for (const auto& a : args) s += " " + a;
        return s;
    }

    // A command refused with `code` whose stderr names `value`, and after
    // which the database file is byte for byte what it was.
    void refused(int code, const std::string& value, const std::vector<std::string>& args) const {
        refused_at(now, code, value, args);
    }
    void refused_at(const std::string& at, int code, const std::string& value, const std::vector<std::string>& args) const {
        BOOST_TEST_CONTEXT(describe(args)) {
            const bool existed = fs::exists(db);
            const std::string before = existed ? bytes() : std::string();
            const RunResult r = run_at(at, args, false);  // a refusal on a new file creates none
            BOOST_TEST(r.code == code, "exit " << r.code << ", stderr: " << r.err);
            BOOST_TEST(!r.err.empty());
            BOOST_TEST(contains(r.err, value), "stderr does not name '" << value << "': " << r.err);
            BOOST_TEST(fs::exists(db) == existed);
            if (existed) BOOST_TEST((bytes() == before), "the database file changed");
            BOOST_TEST(!fs::exists(fs::path(db.string() + "-journal")));
        }
    }
};

}  // namespace trialcal::test
