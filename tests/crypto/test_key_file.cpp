// Passphrase-protected key files and their public halves: what is written
// reads back; a wrong passphrase, a truncated file or an edited line is told
// apart and named.
#include "crypto/crypto.hpp"
#include "tests/crypto/errc.hpp"

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>

namespace crypto = trialcal::crypto;
using trialcal::test::thrown_by;

namespace {

const std::string passphrase = "correct horse battery staple";
const std::string origin = "/keys/martin.key";

// `text` with the value of its `key:` line replaced.
std::string with_line(const std::string& text, const std::string& key, const std::string& value) {
    const std::size_t at = text.find("\n" + key + ": ");
    BOOST_REQUIRE(at != std::string::npos);
    const std::size_t start = at + key.size() + 3;
    return text.substr(0, start) + value + text.substr(text.find('\n', start));
}

// The `check:` line made again for an edited file: what a forger would do.
std::string rechecked(const std::string& text) {
    const std::string rest = text.substr(0, text.find("check: "));
    return rest + "check: " + crypto::sha256_hex(rest) + "\n";
}

crypto::Errc code_reading(const std::string& text, const std::string& pass = passphrase) {
    const auto t = thrown_by([&] { return crypto::read_secret_file(text, pass, origin); });
    BOOST_REQUIRE_MESSAGE(t, "the file was read");
    BOOST_TEST(t->message.find(origin) != std::string::npos, t->message);
    return t->code;
}

constexpr int damaged = static_cast<int>(crypto::Errc::damaged);

}  // namespace

BOOST_AUTO_TEST_SUITE(key_file)

BOOST_AUTO_TEST_CASE(signing_key_round_trip) {
    const auto key = crypto::generate(crypto::KeyKind::signing, "Dr A. Martin");
    const std::string text = crypto::write_secret_file(key, passphrase);
    BOOST_TEST(text.rfind("trialcal-secret-key-v1\nkind: signing\nname: Dr A. Martin\npublic: ", 0) == 0u, text);
    BOOST_TEST(text.find("\nkdf: argon2id13\nopslimit: 2\nmemlimit: 67108864\nsalt: ") != std::string::npos, text);
    BOOST_TEST(text.find(crypto::to_base64(key.bytes)) == std::string::npos);  // the secret is not in the clear
    const auto back = crypto::read_secret_file(text, passphrase, origin);
    BOOST_TEST(back.bytes == key.bytes);
    BOOST_TEST(back.public_key.bytes == key.public_key.bytes);
    BOOST_TEST(back.public_key.name == "Dr A. Martin");
    BOOST_TEST(static_cast<int>(back.public_key.kind) == static_cast<int>(crypto::KeyKind::signing));
    BOOST_TEST(crypto::verify_signature("x", crypto::sign("x", back), key.public_key));
}

BOOST_AUTO_TEST_CASE(unblinding_key_round_trip) {
    const auto key = crypto::generate(crypto::KeyKind::unblinding, "");
    const std::string text = crypto::write_secret_file(key, passphrase);
    BOOST_TEST(text.find("\nname: ") == std::string::npos);
    const auto back = crypto::read_secret_file(text, passphrase, origin);
    BOOST_TEST(back.bytes == key.bytes);
    BOOST_TEST(back.bytes.size() == 32u);
    BOOST_TEST(back.public_key.name.empty());
    BOOST_TEST(crypto::open_sealed(crypto::seal("IL2-3", key.public_key), back) == "IL2-3");
}

BOOST_AUTO_TEST_CASE(each_write_has_its_own_salt) {
    const auto key = crypto::generate(crypto::KeyKind::unblinding, "");
    BOOST_TEST(crypto::write_secret_file(key, passphrase) != crypto::write_secret_file(key, passphrase));
}

BOOST_AUTO_TEST_CASE(wrong_passphrase) {
    const auto key = crypto::generate(crypto::KeyKind::signing, "Dr A. Martin");
    const std::string text = crypto::write_secret_file(key, passphrase);
    BOOST_TEST(static_cast<int>(code_reading(text, "correct horse battery stapl")) ==
               static_cast<int>(crypto::Errc::wrong_passphrase));
    BOOST_TEST(static_cast<int>(code_reading(text, "")) == static_cast<int>(crypto::Errc::wrong_passphrase));
}

BOOST_AUTO_TEST_CASE(truncated_anywhere_is_damaged) {
    const auto key = crypto::generate(crypto::KeyKind::signing, "Dr A. Martin");
    const std::string text = crypto::write_secret_file(key, passphrase);
    int lines = 0;
    for (std::size_t cut = 0; cut < text.size(); ++cut) {
        if (cut > 0 && text[cut - 1] == '\n') ++lines;  // cut after a whole line
        BOOST_TEST(static_cast<int>(code_reading(text.substr(0, cut))) == damaged, "cut at byte " << cut);
    }
    BOOST_TEST(lines == 10);  // every line but the last was kept whole once
}

BOOST_AUTO_TEST_CASE(a_missing_line_is_named) {
    const auto key = crypto::generate(crypto::KeyKind::unblinding, "");
    const std::string text = crypto::write_secret_file(key, passphrase);
    const std::size_t salt = text.find("salt: ");
    const std::string without = rechecked(text.substr(0, salt) + text.substr(text.find('\n', salt) + 1));
    const auto t = thrown_by([&] { return crypto::read_secret_file(without, passphrase, origin); });
    BOOST_REQUIRE(t);
    BOOST_TEST(t->message == origin + ": damaged key file: no 'salt:' line (truncated?)");
}

BOOST_AUTO_TEST_CASE(edited_lines_are_damaged) {
    const auto key = crypto::generate(crypto::KeyKind::signing, "Dr A. Martin");
    const auto other = crypto::generate(crypto::KeyKind::signing, "Dr A. Martin");
    const std::string text = crypto::write_secret_file(key, passphrase);
    const std::string edits[] = {
        with_line(text, "name", "Dr B. Martin"),
        with_line(text, "public", crypto::to_base64(other.public_key.bytes)),
        with_line(text, "kind", "unblinding"),
        with_line(text, "opslimit", "3"),
        with_line(text, "nonce", crypto::to_base64(std::string(24, 'n'))),
    };
    for (const auto& edited : edits) {
        BOOST_TEST(static_cast<int>(code_reading(edited)) == damaged, edited);
        const auto t = thrown_by([&] { return crypto::read_secret_file(edited, passphrase, origin); });
        BOOST_TEST(t->message.find("check:") != std::string::npos, t->message);
    }
}

BOOST_AUTO_TEST_CASE(edited_header_with_a_new_check_is_still_damaged) {
    const auto key = crypto::generate(crypto::KeyKind::signing, "Dr A. Martin");
    const auto other = crypto::generate(crypto::KeyKind::signing, "Dr B. Martin");
    const std::string text = crypto::write_secret_file(key, passphrase);
    for (const auto& forged : {rechecked(with_line(text, "name", "Dr B. Martin")),
                               rechecked(with_line(text, "public", crypto::to_base64(other.public_key.bytes)))}) {
        const auto t = thrown_by([&] { return crypto::read_secret_file(forged, passphrase, origin); });
        BOOST_REQUIRE(t);
        BOOST_TEST(static_cast<int>(t->code) == damaged);
        BOOST_TEST(t->message == origin +
                                     ": damaged key file: altered: its kind, name or public key is not what was "
                                     "sealed with the secret");
    }
    // A signing key's secret is 64 bytes: as an unblinding key its box has the wrong length.
    BOOST_TEST(static_cast<int>(code_reading(rechecked(with_line(text, "kind", "unblinding")))) == damaged);
}

BOOST_AUTO_TEST_CASE(base64_garbage_is_damaged) {
    const auto key = crypto::generate(crypto::KeyKind::unblinding, "");
    const std::string text = crypto::write_secret_file(key, passphrase);
    for (const char* field : {"public", "salt", "nonce", "secret"}) {
        const std::string bad = rechecked(with_line(text, field, "!!not*base64"));
        const auto t = thrown_by([&] { return crypto::read_secret_file(bad, passphrase, origin); });
        BOOST_REQUIRE(t);
        BOOST_TEST(static_cast<int>(t->code) == damaged);
        BOOST_TEST(t->message == origin + ": damaged key file: '" + field + ":' is not base64");
    }
}

BOOST_AUTO_TEST_CASE(not_a_key_file) {
    for (const std::string& bad : {std::string(""), std::string("hello\n"), std::string("trialcal-public-key-v1\n"),
                                  std::string("trialcal-secret-key-v10\n")}) {
        const auto t = thrown_by([&] { return crypto::read_secret_file(bad, passphrase, origin); });
        BOOST_REQUIRE(t);
        BOOST_TEST(static_cast<int>(t->code) == damaged);
        BOOST_TEST(t->message.find("not a trialcal key file") != std::string::npos, t->message);
    }
}

BOOST_AUTO_TEST_CASE(unreasonable_kdf_limits_are_damaged) {
    const auto key = crypto::generate(crypto::KeyKind::unblinding, "");
    const std::string text = crypto::write_secret_file(key, passphrase);
    for (const auto& [field, value] : {std::pair{"opslimit", "0"}, std::pair{"opslimit", "1000000"},
                                       std::pair{"memlimit", "99999999999999"}, std::pair{"memlimit", "64M"}}) {
        BOOST_TEST(static_cast<int>(code_reading(rechecked(with_line(text, field, value)))) == damaged,
                   field << ": " << value);
    }
}

BOOST_AUTO_TEST_CASE(names_with_line_breaks_are_refused) {
    auto key = crypto::generate(crypto::KeyKind::signing, "Dr A. Martin\nkind: unblinding");
    BOOST_CHECK_THROW((void)crypto::write_secret_file(key, passphrase), std::invalid_argument);
    BOOST_CHECK_THROW((void)crypto::write_public_file(key.public_key), std::invalid_argument);
    key.public_key.name = "Dr A. Martin\r";
    BOOST_CHECK_THROW((void)crypto::write_public_file(key.public_key), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(public_file_round_trip) {
    const auto key = crypto::generate(crypto::KeyKind::signing, "Dr A. Martin");
    const std::string text = crypto::write_public_file(key.public_key);
    BOOST_TEST(text == "trialcal-public-key-v1\nkind: signing\nname: Dr A. Martin\npublic: " +
                           crypto::to_base64(key.public_key.bytes) + "\nfingerprint: " +
                           key.public_key.fingerprint() + "\n");
    const auto back = crypto::read_public_file(text, "martin.key.pub");
    BOOST_TEST(back.bytes == key.public_key.bytes);
    BOOST_TEST(back.name == "Dr A. Martin");
    BOOST_TEST(back.fingerprint() == crypto::sha256_hex(key.public_key.bytes).substr(0, 16));

    const auto unblinding = crypto::generate(crypto::KeyKind::unblinding, "");
    const auto u = crypto::read_public_file(crypto::write_public_file(unblinding.public_key), "u.pub");
    BOOST_TEST(u.bytes == unblinding.public_key.bytes);
    BOOST_TEST(static_cast<int>(u.kind) == static_cast<int>(crypto::KeyKind::unblinding));
}

BOOST_AUTO_TEST_CASE(damaged_public_files) {
    const auto key = crypto::generate(crypto::KeyKind::signing, "Dr A. Martin");
    const auto other = crypto::generate(crypto::KeyKind::signing, "Dr A. Martin");
    const std::string text = crypto::write_public_file(key.public_key);
    const std::string bad[] = {
        text.substr(0, text.size() - 1),                                  // last line unended
        text.substr(0, text.find("fingerprint")),                         // fingerprint gone
        with_line(text, "public", crypto::to_base64(other.public_key.bytes)),  // fingerprint no longer matches
        with_line(text, "public", "garbage!"),
        with_line(text, "kind", "decoder-ring"),
        text + "colour: blue\n",
        text + "name: Dr B. Martin\n",
    };
    for (const auto& b : bad) {
        const auto t = thrown_by([&] { return crypto::read_public_file(b, "martin.key.pub"); });
        BOOST_REQUIRE(t);
        BOOST_TEST(static_cast<int>(t->code) == damaged, b);
        BOOST_TEST(t->message.rfind("martin.key.pub: damaged key file: ", 0) == 0u, t->message);
    }
}

BOOST_AUTO_TEST_SUITE_END()
