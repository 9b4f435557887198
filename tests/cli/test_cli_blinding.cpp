// End-to-end: blinding holds against someone who reads the database file or
// the audit listing (spec/trust.md, "Sealed allocation"): two files that
// differ only in the arms differ only in random-looking blobs; a blinded
// listing cannot be unblinded by hashing guesses; --unblinded needs the right
// key and is audited only when it succeeds; a randomisation list gives its
// numbers lowest first.
#include "tests/support/clinic.hpp"

#include "store/audit.hpp"
#include "store/sqlite/audit_log.hpp"
#include "store/tables.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <boost/test/unit_test.hpp>

#include <array>
#include <fstream>
#include <functional>
#include <regex>
#include <string>
#include <vector>

using namespace trialcal::test;
namespace store = trialcal::store;

namespace {

const std::array<std::string, 4> arm_ids{"IL2-1", "IL2-2", "IL2-3", "IL2-4"};
const std::vector<std::string> patients{"P1", "P2", "P3"};

struct Site : Clinic {
    // The key first, as a trial unit installs it, then the list.
    void load_list(const std::string& csv) const {
        install_key_first({"enroll"});
        dir.write("r.csv", csv);
        ok({"randomization", "import", "r.csv", "--protocol", "DF-IL2"});
    }
    // A DF-IL2 enrollment at PSL, day 0 2027-03-01, with `how` (the arm or number).
    static std::vector<std::string> enroll_args(const std::string& patient, const std::vector<std::string>& how) {
        std::vector<std::string> args{"enroll", patient, "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01"};
        args.insert(args.end(), how.begin(), how.end());
        return args;
    }
    [[nodiscard]] std::string enroll_args_ok(const std::string& patient, const std::vector<std::string>& how) const {
        return ok(enroll_args(patient, how));
    }
    // The same records in every database.
    void record_the_same() const {
        ok({"dose", "P1", "--at", "2027-03-02T09:00"});
        ok({"visit", "P2", "V-D0", "--at", "2027-03-01"});
        ok({"skip", "P3", "IL2-D5", "--reason", "adverse event"});
    }
    // `sqlite3 FILE .dump` with random-looking blobs (base64 or hex of 32
    // characters or more: sealed boxes, hashes, digests) replaced.
    [[nodiscard]] std::string raw_dump() const {
        const RunResult r = run_shell("sqlite3 " + sh_quote(db.string()) + " .dump");
        BOOST_TEST_REQUIRE(r.code == 0);
        return r.out;
    }
    [[nodiscard]] std::string dump() const {
        static const std::regex blob("[A-Za-z0-9+/=]{32,}");
        return std::regex_replace(raw_dump(), blob, "<blob>");
    }
    // A run with the clinic's environment changed by `edit`.
    [[nodiscard]] RunResult run_with(const std::function<void(std::vector<std::pair<std::string, std::string>>&)>& edit,
                                     const std::vector<std::string>& args) const {
        RunOptions o;
        o.env = env(now);
        edit(o.env);
        o.cwd = dir.path();
        return run_trialcal(args, o);
    }
};

// The dump's rows that name a patient or a randomisation number hold no arm id.
void no_arm_in_rows(const std::string& dump) {
    std::size_t checked = 0;
    for (const std::string& line : lines(dump)) {
        if (line.rfind("INSERT INTO", 0) != 0 || line.rfind("INSERT INTO protocol_file", 0) == 0) continue;
        ++checked;
        for (const std::string& arm : arm_ids) BOOST_TEST(!contains(line, arm), line);
    }
    BOOST_TEST(checked > 10u);
}

// Two sites with the same patients and records; only the arms differ.
void same_file_but_the_arms(const Site& a, const Site& b) {
    // The files differ (the sealed boxes), but only in blobs.
    BOOST_TEST(a.raw_dump() != b.raw_dump());
    const std::string da = a.dump(), db = b.dump();
    BOOST_TEST(da == db);
    BOOST_TEST(count(da, "<blob>") > 20u);
    BOOST_TEST(contains(da, "INSERT INTO patient"));
    no_arm_in_rows(da);
    no_arm_in_rows(db);
}

void set(std::vector<std::pair<std::string, std::string>>& env, const std::string& name, const std::string& value) {
    std::erase_if(env, [&](const auto& kv) { return kv.first == name; });
    if (!value.empty()) env.emplace_back(name, value);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_blinding)

BOOST_AUTO_TEST_CASE(files_with_different_arms_differ_only_in_blobs) {
    const Site a, b;
    const std::array<std::string, 3> arms_a{"IL2-1", "IL2-2", "IL2-4"}, arms_b{"IL2-3", "IL2-3", "IL2-1"};
    for (std::size_t i = 0; i < patients.size(); ++i) {
        a.enroll(patients[i], arms_a[i]);
        b.enroll(patients[i], arms_b[i]);
    }
    a.record_the_same();
    b.record_the_same();
    same_file_but_the_arms(a, b);
}

BOOST_AUTO_TEST_CASE(files_with_different_randomization_lists_differ_only_in_blobs) {
    const Site a, b;
    a.load_list("randomization_number,arm\n101,IL2-1\n102,IL2-2\n103,IL2-4\n");
    b.load_list("randomization_number,arm\n101,IL2-3\n102,IL2-3\n103,IL2-1\n");
    for (const std::string& p : patients) {
        BOOST_TEST(a.enroll_args_ok(p, {"--randomize"}) == b.enroll_args_ok(p, {"--randomize"}));
    }
    a.record_the_same();
    b.record_the_same();
    same_file_but_the_arms(a, b);
}

BOOST_AUTO_TEST_CASE(hashing_guessed_arms_into_a_blinded_listing_matches_nothing) {
    const Site s;
    s.enroll("P1", "IL2-2");
    s.load_list("randomization_number,arm\n101,IL2-4\n");
    (void)s.enroll_args_ok("P2", {"--randomize"});
    const std::string listed = s.ok({"audit", "--format", "json"});
    for (const std::string& arm : arm_ids) BOOST_TEST(!contains(listed, arm));
    const Json rows = parse_json(listed).at("audit");

    // What the listing leaves out (rows, digest, source, the sealed box) an
    // attacker reads from the file; the guess goes where the box was.
    SQLite::Database file(s.db.string(), SQLite::OPEN_READONLY);
    SQLite::Statement q(file, std::string("SELECT ") + store::audit_columns + " FROM audit ORDER BY seq");
    std::size_t i = 0, sealed_rows = 0;
    while (q.executeStep()) {
        const store::AuditRow stored = store::sqlite::read_audit_row(q);
        BOOST_TEST_REQUIRE(i < rows.size());
        const Json& row = rows.at(i++);
        BOOST_TEST(!row.has("sealed"));
        store::AuditRow guess = stored;
        guess.seq = row.at("seq").integer();
        guess.at = row.at("at").str();
        guess.account = row.at("account").str();
        guess.entry.by = row.at("by").str();
        guess.entry.action = row.at("action").str();
        guess.entry.patient = row.at("patient").str();
        guess.entry.target = row.at("target").str();
        guess.entry.old_value = row.at("old").str();
        guess.entry.new_value = row.at("new").str();
        guess.entry.reason = row.at("reason").str();
        BOOST_TEST(row.at("hash").str() == stored.hash);
        std::string canonical;
        // The harness itself: with the stored box the hash is the listed one.
        store::audit_canonical(canonical, guess);
        BOOST_TEST(store::sha256_hex(canonical) == stored.hash);
        if (stored.entry.sealed.empty()) continue;
        ++sealed_rows;
        for (const std::string& arm : arm_ids)
            for (const std::string& sealed : {arm, "arm=" + arm, std::string()}) {
                guess.entry.sealed = sealed;
                store::audit_canonical(canonical, guess);
                BOOST_TEST(store::sha256_hex(canonical) != stored.hash, "row " << stored.seq << " with " << sealed);
            }
    }
    BOOST_TEST(i == rows.size());
    BOOST_TEST(sealed_rows == 2u);  // the two enrollments
}

BOOST_AUTO_TEST_CASE(unblinding_needs_the_right_key_and_is_audited_only_then) {
    const Site s;
    s.enroll("P1", "IL2-2");
    const std::vector<std::string> unblind{"calendar", "P1", "--unblinded", "--reason", "DSMB review"};
    const auto refused_with = [&](int code, const std::string& names, const auto& edit,
                                  std::vector<std::string> args) {
        const std::string before = s.bytes();
        const RunResult r = s.run_with(edit, args);
        BOOST_TEST(r.code == code, "exit " << r.code << ": " << r.err);
        BOOST_TEST(r.out.empty());
        BOOST_TEST(contains(r.err, names), r.err);
        BOOST_TEST((s.bytes() == before), "the database file changed");
    };
    refused_with(77, "--unblinded needs the trial's private unblinding key: --key FILE or $TRIALCAL_UNBLINDING_KEY", [](auto& e) { set(e, "TRIALCAL_UNBLINDING_KEY", ""); }, unblind);
    refused_with(77, "unblinding.key: wrong passphrase", [](auto& e) { set(e, "TRIALCAL_KEY_PASSPHRASE", "a wrong passphrase, twelve"); },
                 unblind);
    const std::string key = slurp(TestKeys::get().unblinding);
    const fs::path truncated = s.dir.write("truncated.key", key.substr(0, key.size() / 2));
    std::vector<std::string> with_key = unblind;
    with_key.insert(with_key.end(), {"--key", truncated.string()});
    refused_with(65, "truncated.key", [](auto&) {}, with_key);
    with_key.back() = TestKeys::get().signing.string();
    refused_with(77, "signing.key: a signing key, not the trial's unblinding key", [](auto&) {}, with_key);
    BOOST_TEST(count(s.ok({"audit", "--format", "csv"}), ",unblind,") == 0u);

    const std::string shown = s.ok(unblind);
    BOOST_TEST(shown.rfind("UNBLINDED", 0) == 0u, shown.substr(0, 200));
    BOOST_TEST(contains(shown, "IL2-2"));
    for (const char* other : {"IL2-1", "IL2-3", "IL2-4"}) BOOST_TEST(!contains(shown, other));
    BOOST_TEST(count(s.ok({"audit", "--format", "csv"}), ",unblind,") == 1u);
}

BOOST_AUTO_TEST_CASE(a_loaded_list_gives_its_numbers_lowest_first) {
    const Site s;
    s.load_list("randomization_number,arm\n101,IL2-1\n102,IL2-4\n103,IL2-2\n104,IL2-3\n");
    const auto with = &Site::enroll_args;
    s.refused(1, "DF-IL2 has a randomization list loaded: enroll with --randomize or --randomization-number N, not an "
                 "arm",
              with("P1", {"--arm", "IL2-1"}));
    s.refused(1, "--randomization-number 103 is not the lowest unused number of DF-IL2: the next is 101",
              with("P1", {"--randomization-number", "103"}));
    BOOST_TEST(s.enroll_args_ok("P1", {"--randomize"}) ==
               "Enrolled P1 in DF-IL2 version 1 at site PSL, day 0 2027-03-01, randomization number 101 (arm blinded): "
               "10 visits, 5 doses.\n");
    BOOST_TEST(s.enroll_args_ok("P2", {"--randomize"}) ==
               "Enrolled P2 in DF-IL2 version 1 at site PSL, day 0 2027-03-01, randomization number 102 (arm blinded): "
               "10 visits, 5 doses.\n");
    s.refused(1, "--randomization-number 104 is not the lowest unused number of DF-IL2: the next is 103",
              with("P3", {"--randomization-number", "104"}));
}

BOOST_AUTO_TEST_SUITE_END()
