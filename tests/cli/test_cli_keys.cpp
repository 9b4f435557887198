// trialcal keys new: a key pair in FILE (0600, passphrase-protected) and
// FILE.pub (0644) that the crypto layer reads back; never over an existing
// file; exit 77 when no passphrase can be had.
#include "crypto/crypto.hpp"
#include "tests/support/check.hpp"
#include "tests/support/run.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace crypto = trialcal::crypto;
using namespace trialcal::test;

namespace {

const std::string passphrase = "a long enough passphrase";

RunOptions with_passphrase(const TempDir& dir, const std::string& pass = passphrase) {
    RunOptions o;
    o.cwd = dir.path();
    if (!pass.empty()) o.env = {{"TRIALCAL_KEY_PASSPHRASE", pass}};
    return o;
}

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    BOOST_REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777u;
}

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_keys)

BOOST_AUTO_TEST_CASE(unblinding_key_files_with_their_modes) {
    TempDir dir;
    const fs::path key = dir.path() / "unblinding.key";
    const RunResult r = ok({"keys", "new", "--unblinding", "--out", key.string()}, with_passphrase(dir));
    BOOST_TEST(names_in(dir.path()) == (std::vector<std::string>{"unblinding.key", "unblinding.key.pub"}),
               boost::test_tools::per_element());
    BOOST_TEST(mode_of(key) == 0600u);
    BOOST_TEST(mode_of(key.string() + ".pub") == 0644u);

    const crypto::PublicKey pub = crypto::read_public_file(slurp(key.string() + ".pub"), "unblinding.key.pub");
    BOOST_TEST(static_cast<int>(pub.kind) == static_cast<int>(crypto::KeyKind::unblinding));
    std::smatch m;
    const std::regex printed("fingerprint: ([0-9a-f]{16})\n");
    BOOST_REQUIRE(std::regex_search(r.out, m, printed));
    BOOST_TEST(m[1].str() == pub.fingerprint());
    BOOST_TEST(contains(r.out, key.string() + ": the unblinding key"));

    const crypto::SecretKey secret = crypto::read_secret_file(slurp(key), passphrase, key.string());
    BOOST_TEST(secret.public_key.bytes == pub.bytes);
    BOOST_TEST(crypto::open_sealed(crypto::seal("IL2-3", pub), secret) == "IL2-3");
}

BOOST_AUTO_TEST_CASE(signing_key_names_its_signer) {
    TempDir dir;
    const fs::path key = dir.path() / "martin.key";
    const RunResult r = ok({"keys", "new", "--signing", "--name", "Dr A. Martin", "--out", key.string()},
                           with_passphrase(dir));
    BOOST_TEST(contains(r.out, "signing key of Dr A. Martin"));
    const crypto::PublicKey pub = crypto::read_public_file(slurp(key.string() + ".pub"), "martin.key.pub");
    BOOST_TEST(pub.name == "Dr A. Martin");
    const crypto::SecretKey secret = crypto::read_secret_file(slurp(key), passphrase, key.string());
    BOOST_TEST(secret.public_key.name == "Dr A. Martin");
    BOOST_TEST(crypto::verify_signature("report", crypto::sign("report", secret), pub));
    BOOST_CHECK_THROW((void)crypto::read_secret_file(slurp(key), "another passphrase", key.string()), crypto::Error);
}

BOOST_AUTO_TEST_CASE(a_relative_out_is_beside_the_working_folder) {
    TempDir dir;
    ok({"keys", "new", "--unblinding", "--out", "u.key"}, with_passphrase(dir));
    BOOST_TEST(names_in(dir.path()) == (std::vector<std::string>{"u.key", "u.key.pub"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_existing_file_is_never_overwritten) {
    TempDir dir;
    const fs::path key = dir.write("u.key", "keep me\n");
    fails(1, {"keys", "new", "--unblinding", "--out", key.string()}, key.string() + " exists", with_passphrase(dir));
    BOOST_TEST(slurp(key) == "keep me\n");
    BOOST_TEST(names_in(dir.path()) == (std::vector<std::string>{"u.key"}), boost::test_tools::per_element());

    // The public half's name taken is as bad: neither file is made.
    const fs::path pub = dir.write("s.key.pub", "mine\n");
    fails(1, {"keys", "new", "--signing", "--name", "Dr A. Martin", "--out", (dir.path() / "s.key").string()},
          pub.string() + " exists", with_passphrase(dir));
    BOOST_TEST(slurp(pub) == "mine\n");
    BOOST_TEST(names_in(dir.path()) == (std::vector<std::string>{"s.key.pub", "u.key"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(no_passphrase_is_77) {
    TempDir dir;  // the test's trialcal has no terminal (run.cpp: setsid)
    fails(77, {"keys", "new", "--unblinding", "--out", "u.key"}, "$TRIALCAL_KEY_PASSPHRASE", with_passphrase(dir, ""));
    BOOST_TEST(names_in(dir.path()).empty());
}

BOOST_AUTO_TEST_CASE(a_short_passphrase_is_65) {
    TempDir dir;
    fails(65, {"keys", "new", "--unblinding", "--out", "u.key"}, "at least 12", with_passphrase(dir, "short"));
    BOOST_TEST(names_in(dir.path()).empty());
}

// A missing --name is a value not given (missing_input), as a missing flag is: 2.
BOOST_AUTO_TEST_CASE(signing_without_a_name_is_2) {
    TempDir dir;
    fails(2, {"keys", "new", "--signing", "--out", "s.key"}, "--name", with_passphrase(dir));
    fails(2, {"keys", "new", "--out", "s.key"}, "--unblinding or --signing", with_passphrase(dir));
    fails(2, {"keys", "new", "--signing", "--unblinding", "--name", "X", "--out", "s.key"}, "excludes",
          with_passphrase(dir));
    fails(2, {"keys", "new", "--unblinding"}, "--out", with_passphrase(dir));
    BOOST_TEST(names_in(dir.path()).empty());
}

BOOST_AUTO_TEST_CASE(a_name_that_is_not_one_printable_line_is_65) {
    TempDir dir;
    fails(65, {"keys", "new", "--signing", "--name", "Dr A.\nMartin", "--out", "s.key"}, "--name",
          with_passphrase(dir));
    fails(65, {"keys", "new", "--signing", "--name", "   ", "--out", "s.key"}, "--name", with_passphrase(dir));
    BOOST_TEST(names_in(dir.path()).empty());
}

BOOST_AUTO_TEST_SUITE_END()
