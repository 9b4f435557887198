#pragma once
// A site with its own database for end-to-end tests of the writing commands:
// TRIALCAL_DB, TRIALCAL_USER, TRIALCAL_NOW and TRIALCAL_CALENDARS set, and
// `refused`, which checks a refusal left the database file byte for byte as
// it was (cli.md: a command that fails changes nothing).
#include "tests/support/check.hpp"
#include "tests/support/pg_database.hpp"
#include "tests/support/run.hpp"
#include "tests/support/test_keys.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <optional>
#include <sstream>
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
// On PostgreSQL (on_postgresql(): the cli_tests_pg.* entries run the same
// suites there) the database is a fresh one on the test cluster, made with
// `db init`; each user is a role of that name, with every trialcal role and
// every site, and a `--by NAME` becomes logging in as NAME (the server says
// who acts there, and refuses --by).
struct Clinic {
    TempDir dir;
    fs::path db = dir.path() / "t.db";
    std::shared_ptr<PgDatabase> pg = on_postgresql() ? made_network() : nullptr;
    std::string user = "nurse";
    std::string now = "2027-03-10T12:00:00Z";
    // How long one command may run before it is killed (exit 137); 0: as
    // long as it takes. Set where a hang must fail the test, not stall it.
    std::chrono::milliseconds timeout{0};
    // An enrollment needs a passing screening (course.md, Eligibility): the
    // suites about other things screen each patient first, as a unit does,
    // with values inside every bound of the protocol's criteria. Off where
    // screening itself is under test.
    bool screen_first = true;

    static std::shared_ptr<PgDatabase> made_network() {
        auto pg = std::make_shared<PgDatabase>();
        RunOptions o;
        o.env = {{"TRIALCAL_DB", pg->uri("postgres")}};
        const RunResult r = run_trialcal({"db", "init"}, o);
        BOOST_TEST_REQUIRE(r.code == 0, "db init: " << r.err);
        return pg;
    }
    // Whether the trial's database exists: the file, or on PostgreSQL a trail
    // that holds a row.
    [[nodiscard]] bool exists() const {
        if (!pg) return fs::exists(db);
        return pg->sql("SELECT count(*) FROM trialcal.audit") != "0\n";
    }
    // The role that acts on PostgreSQL: made once per name.
    [[nodiscard]] std::string role(const std::string& name) const {
        static std::set<std::string> made;
        if (made.insert(name).second) {
            pg->make_role(name, {"trialcal_admin", "trialcal_coordinator", "trialcal_monitor"});
            // Sites added later have roles of their own: every one, each time one appears.
        }
        for (const std::string& site : lines(pg->sql("SELECT DISTINCT code FROM trialcal.site")))
            pg->make_role(name, {}, {site});
        return name;
    }
    [[nodiscard]] std::vector<std::pair<std::string, std::string>> env(const std::string& at,
                                                                      const std::string& as = {}) const {
        std::vector<std::pair<std::string, std::string>> e{
            {"TRIALCAL_DB", pg ? pg->uri(role(as.empty() ? (user.empty() ? "nurse" : user) : as)) : db.string()},
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
        if (exists() || args.empty() ||
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
    // "--values" NAME=NUMBER inside every bound of the criteria of
    // `protocol` (as `protocol show` gives them): the midpoint of two bounds,
    // one past a single one. Empty for a protocol without criteria, or one
    // that does not exist (the command under test then says so itself).
    [[nodiscard]] std::vector<std::string> passing_values(const std::string& protocol, const std::string& at) const {
        static std::map<std::string, std::vector<std::string>> known;
        const std::string key = env(at).at(2).second + "|" + protocol;
        if (const auto it = known.find(key); it != known.end()) return it->second;
        RunOptions o;
        o.env = env(at);
        o.cwd = dir.path();
        const RunResult shown = run_trialcal({"protocol", "show", protocol, "--format", "json"}, o);
        std::vector<std::string> out;
        if (shown.code == 0) {
            const Json shown_json = parse_json(shown.out);  // kept alive: the loop reads into it
            for (const Json& c : shown_json.at("eligibility").items()) {
                const auto bound = [&](const char* a, const char* b) -> std::optional<double> {
                    if (!c.at(a).is_null()) return c.at(a).number();
                    if (!c.at(b).is_null()) return c.at(b).number();
                    return std::nullopt;
                };
                const auto low = bound("min", "min_exclusive"), high = bound("max", "max_exclusive");
                const double v = low && high ? (*low + *high) / 2 : low ? *low + 1 : high ? *high - 1 : 0;
                std::ostringstream text;
                text << c.at("id").str() << "=" << v;
                out.push_back(text.str());
            }
        }
        return known[key] = out;
    }
    // `screen` each patient an enrollment or an import of patients is about
    // to enroll, on day 0 (or today, when day 0 is still to come).
    void screen_before(const std::string& at, const std::vector<std::string>& args) const {
        if (!screen_first || !exists() || args.empty()) return;
        RunOptions o;
        o.env = env(at);
        o.cwd = dir.path();
        const std::string today = at.substr(0, 10);
        if (args[0] == "enroll" && args.size() > 1) {
            std::string protocol, site, day0;
            for (std::size_t i = 2; i + 1 < args.size(); ++i) {
                if (args[i] == "--protocol") protocol = args[i + 1];
                if (args[i] == "--site") site = args[i + 1];
                if (args[i] == "--day0") day0 = args[i + 1];
            }
            const std::vector<std::string> values = passing_values(protocol, at);
            if (values.empty() || site.empty() || day0.size() != 10) return;
            std::vector<std::string> cmd{"screen", args[1], "--protocol", protocol, "--site", site, "--on",
                                         day0 < today ? day0 : today};
            for (const auto& v : values) cmd.insert(cmd.end(), {"--value", v});
            (void)run_trialcal(cmd, o);  // a refusal is the enrollment's to report
        }
        if (args[0] == "import" && args.size() > 2 && args[1] == "patients") {
            // One file of screenings for the file of patients, imported as a unit would.
            std::ifstream in(args[2].front() == '/' ? fs::path(args[2]) : dir.path() / args[2]);
            char separator = ',';  // ';' for a spreadsheet that writes decimal commas, told by its header
            const auto fields = [&separator](std::string l) {
                if (!l.empty() && l.back() == '\r') l.pop_back();
                if (separator == ';') {
                    std::vector<std::string> out(1);
                    for (char ch : l) {
                        if (ch == ';') out.emplace_back();
                        else out.back().push_back(ch);
                    }
                    return out;
                }
                try {
                    return csv_fields(l);
                } catch (const std::exception&) {
                    return std::vector<std::string>{};
                }
            };
            std::string line;
            std::vector<std::string> header, ids;
            std::vector<std::pair<std::vector<std::string>, std::map<std::string, std::string>>> rows;
            while (std::getline(in, line)) {
                if (header.empty() && line.find(';') != std::string::npos) separator = ';';
                std::vector<std::string> f = fields(line);
                if (header.empty()) {
                    header = f;
                    if (!header.empty() && header[0].rfind("\xEF\xBB\xBF", 0) == 0) header[0].erase(0, 3);  // a BOM
                    continue;
                }
                std::map<std::string, std::string> row;
                for (std::size_t i = 0; i < header.size() && i < f.size(); ++i) row[header[i]] = f[i];
                if (row["patient"].empty() || row["site"].empty() || row["day0"].size() != 10) continue;
                std::map<std::string, std::string> values;
                for (const auto& v : passing_values(row["protocol"], at)) {
                    const std::string id = v.substr(0, v.find('='));
                    values[id] = v.substr(v.find('=') + 1);
                    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
                }
                if (values.empty()) continue;
                const std::string on = row["day0"] < today ? row["day0"] : today;
                rows.push_back({{row["patient"], row["protocol"], row["site"], on}, values});
            }
            if (rows.empty()) return;
            std::string csv = "patient,protocol,site,on";
            for (const auto& id : ids) csv += "," + id;
            csv += "\n";
            for (const auto& [cells, values] : rows) {
                csv += cells[0] + "," + cells[1] + "," + cells[2] + "," + cells[3];
                for (const auto& id : ids) csv += "," + (values.contains(id) ? values.at(id) : std::string());
                csv += "\n";
            }
            const fs::path file = dir.path() / "screenings-before-import.csv";
            std::ofstream(file) << csv;
            (void)run_trialcal({"import", "screenings", file.string()}, o);
        }
    }
    [[nodiscard]] RunResult run_at(const std::string& at, const std::vector<std::string>& args,
                                   bool key_first = true) const {
        if (key_first) install_key_first(args);
        if (key_first) screen_before(at, args);
        RunOptions o;
        o.cwd = dir.path();
        o.timeout = timeout;
        if (!pg) {
            o.env = env(at);
            return run_trialcal(args, o);
        }
        // --by NAME: logged in as NAME.
        std::vector<std::string> rest;
        std::string as;
        for (std::size_t i = 0; i < args.size(); ++i) {
            if (args[i] == "--by" && i + 1 < args.size()) as = args[++i];
            else rest.push_back(args[i]);
        }
        o.env = env(at, as);
        return run_trialcal(rest, o);
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
    // The database's bytes; on PostgreSQL, every trialcal table's rows.
    [[nodiscard]] std::string bytes() const {
        if (!pg) return slurp(db);
        std::string all;
        for (const char* t : {"protocol_file", "trial_key", "randomization", "patient", "planned_event", "amendment",
                              "record", "void", "site", "enrollment_void", "screening", "audit"})
            all += pg->sql(std::string("SELECT '") + t + "', string_agg(t::text, E'\\n' ORDER BY t::text) FROM trialcal." +
                           t + " t");
        return all;
    }
    // sqlite3's shell on the file: what someone with file access could do.
    void raw_sql(const std::string& sql) const {
        BOOST_TEST_REQUIRE(!pg, "sqlite3 on a file: a suite that tampers with the file runs on SQLite only");
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
            const bool existed = exists();
            const std::string before = existed ? bytes() : std::string();
            const RunResult r = run_at(at, args, false);  // a refusal on a new file creates none
            BOOST_TEST(r.code == code, "exit " << r.code << ", stderr: " << r.err);
            BOOST_TEST(!r.err.empty());
            BOOST_TEST(contains(r.err, value), "stderr does not name '" << value << "': " << r.err);
            BOOST_TEST(exists() == existed);
            if (existed) BOOST_TEST((bytes() == before), "the database changed");
            BOOST_TEST(!fs::exists(fs::path(db.string() + "-journal")));
        }
    }
};

}  // namespace trialcal::test
