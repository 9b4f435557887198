// Sealed allocations: padded to one block, so every arm seals to one length;
// opened only by the key they were sealed to.
#include "crypto/crypto.hpp"
#include "tests/crypto/errc.hpp"

#include <boost/test/unit_test.hpp>

#include <set>
#include <stdexcept>
#include <string>

namespace crypto = trialcal::crypto;
using trialcal::test::thrown_by;

BOOST_AUTO_TEST_SUITE(sealed_box)

BOOST_AUTO_TEST_CASE(round_trip) {
    const auto key = crypto::generate(crypto::KeyKind::unblinding, "");
    for (const std::string& arm : {std::string("placebo"), std::string("IL2-3"), std::string(), std::string(127, 'x'), std::string("a\0b", 3)})
        BOOST_TEST(crypto::open_sealed(crypto::seal(arm, key.public_key), key) == arm);
}

BOOST_AUTO_TEST_CASE(every_length_seals_to_one_length) {
    const auto key = crypto::generate(crypto::KeyKind::unblinding, "");
    std::set<std::size_t> lengths;
    for (std::size_t n = 1; n < crypto::sealed_block; ++n)
        lengths.insert(crypto::seal(std::string(n, 'A'), key.public_key).size());
    BOOST_TEST(lengths.size() == 1u);
    // 128 padded bytes + 48 of the sealed box (ephemeral key, MAC) = 176 bytes: 236 base64 characters.
    BOOST_TEST(*lengths.begin() == 236u);
    BOOST_TEST(crypto::seal("placebo", key.public_key).size() == crypto::seal("IL2-3", key.public_key).size());
}

BOOST_AUTO_TEST_CASE(two_seals_of_one_arm_differ) {
    const auto key = crypto::generate(crypto::KeyKind::unblinding, "");
    BOOST_TEST(crypto::seal("placebo", key.public_key) != crypto::seal("placebo", key.public_key));
}

BOOST_AUTO_TEST_CASE(another_key_is_wrong_key) {
    const auto key = crypto::generate(crypto::KeyKind::unblinding, "");
    const auto other = crypto::generate(crypto::KeyKind::unblinding, "");
    const std::string box = crypto::seal("IL2-3", key.public_key);
    const auto t = thrown_by([&] { return crypto::open_sealed(box, other); });
    BOOST_REQUIRE(t);
    BOOST_TEST(static_cast<int>(t->code) == static_cast<int>(crypto::Errc::wrong_key));
    BOOST_TEST(t->message.find(other.public_key.fingerprint()) != std::string::npos, t->message);
}

BOOST_AUTO_TEST_CASE(a_flipped_byte_is_refused) {
    const auto key = crypto::generate(crypto::KeyKind::unblinding, "");
    const std::string raw = *crypto::from_base64(crypto::seal("placebo", key.public_key));
    for (std::size_t i = 0; i < raw.size(); i += 7) {
        std::string bad = raw;
        bad[i] = static_cast<char>(bad[i] ^ 0x01);
        const auto t = thrown_by([&] { return crypto::open_sealed(crypto::to_base64(bad), key); });
        BOOST_REQUIRE(t);
        BOOST_TEST((t->code == crypto::Errc::wrong_key || t->code == crypto::Errc::damaged), "byte " << i);
    }
}

BOOST_AUTO_TEST_CASE(not_a_box_is_damaged) {
    const auto key = crypto::generate(crypto::KeyKind::unblinding, "");
    const std::string box = crypto::seal("placebo", key.public_key);
    for (const std::string& bad : {std::string("not base64!"), box.substr(0, box.size() - 4), crypto::to_base64("short")}) {
        const auto t = thrown_by([&] { return crypto::open_sealed(bad, key); });
        BOOST_REQUIRE(t);
        BOOST_TEST(static_cast<int>(t->code) == static_cast<int>(crypto::Errc::damaged), bad);
    }
}

BOOST_AUTO_TEST_CASE(a_block_or_more_is_refused) {
    const auto key = crypto::generate(crypto::KeyKind::unblinding, "");
    BOOST_CHECK_THROW((void)crypto::seal(std::string(crypto::sealed_block, 'x'), key.public_key), std::length_error);
    BOOST_CHECK_THROW((void)crypto::seal(std::string(1000, 'x'), key.public_key), std::length_error);
}

BOOST_AUTO_TEST_CASE(signing_keys_do_not_seal) {
    const auto signing = crypto::generate(crypto::KeyKind::signing, "Dr A. Martin");
    const auto t = thrown_by([&] { return crypto::seal("placebo", signing.public_key); });
    BOOST_REQUIRE(t);
    BOOST_TEST(static_cast<int>(t->code) == static_cast<int>(crypto::Errc::wrong_kind));
}

BOOST_AUTO_TEST_SUITE_END()
