// Ed25519 detached signatures: a changed message or another key does not verify.
#include "crypto/crypto.hpp"
#include "tests/crypto/errc.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace crypto = trialcal::crypto;
using trialcal::test::thrown_by;

BOOST_AUTO_TEST_SUITE(signature)

const std::string report = "compliance report NCT05153070, site 01, 2027-03-10: 14 patients, 3 deviations\n";

BOOST_AUTO_TEST_CASE(sign_and_verify) {
    const auto key = crypto::generate(crypto::KeyKind::signing, "Dr A. Martin");
    const std::string sig = crypto::sign(report, key);
    BOOST_TEST(crypto::from_base64(sig).value_or("").size() == 64u);
    BOOST_TEST(crypto::verify_signature(report, sig, key.public_key));
    BOOST_TEST(crypto::sign(report, key) == sig);  // Ed25519 is deterministic
}

BOOST_AUTO_TEST_CASE(one_byte_changed_does_not_verify) {
    const auto key = crypto::generate(crypto::KeyKind::signing, "Dr A. Martin");
    const std::string sig = crypto::sign(report, key);
    for (std::size_t i = 0; i < report.size(); ++i) {
        std::string changed = report;
        changed[i] = static_cast<char>(changed[i] ^ 0x20);
        BOOST_TEST(!crypto::verify_signature(changed, sig, key.public_key), "byte " << i);
    }
    BOOST_TEST(!crypto::verify_signature(report + " ", sig, key.public_key));
}

BOOST_AUTO_TEST_CASE(another_key_does_not_verify) {
    const auto key = crypto::generate(crypto::KeyKind::signing, "Dr A. Martin");
    const auto other = crypto::generate(crypto::KeyKind::signing, "Dr A. Martin");
    BOOST_TEST(!crypto::verify_signature(report, crypto::sign(report, key), other.public_key));
}

BOOST_AUTO_TEST_CASE(garbage_signatures_do_not_verify) {
    const auto key = crypto::generate(crypto::KeyKind::signing, "Dr A. Martin");
    const std::string sig = crypto::sign(report, key);
    BOOST_TEST(!crypto::verify_signature(report, "", key.public_key));
    BOOST_TEST(!crypto::verify_signature(report, "not base64", key.public_key));
    BOOST_TEST(!crypto::verify_signature(report, sig.substr(0, 40), key.public_key));
    crypto::PublicKey as_unblinding = key.public_key;
    as_unblinding.kind = crypto::KeyKind::unblinding;
    BOOST_TEST(!crypto::verify_signature(report, sig, as_unblinding));
}

BOOST_AUTO_TEST_CASE(unblinding_keys_do_not_sign) {
    const auto key = crypto::generate(crypto::KeyKind::unblinding, "");
    const auto t = thrown_by([&] { return crypto::sign(report, key); });
    BOOST_REQUIRE(t);
    BOOST_TEST(static_cast<int>(t->code) == static_cast<int>(crypto::Errc::wrong_kind));
}

BOOST_AUTO_TEST_SUITE_END()
