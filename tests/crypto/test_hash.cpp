// SHA-256 through libsodium: the FIPS 180-2 vectors, whole and in pieces.
#include "crypto/crypto.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace crypto = trialcal::crypto;

BOOST_AUTO_TEST_SUITE(hash)

BOOST_AUTO_TEST_CASE(fips_180_2_vectors) {
    BOOST_TEST(crypto::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    BOOST_TEST(crypto::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    BOOST_TEST(crypto::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
               "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

BOOST_AUTO_TEST_CASE(nul_bytes_are_hashed) {
    BOOST_TEST(crypto::sha256_hex(std::string("a\0b", 3)) != crypto::sha256_hex("ab"));
}

BOOST_AUTO_TEST_CASE(in_pieces_a_million_a) {
    crypto::Sha256 h;
    const std::string thousand(1000, 'a');
    for (int i = 0; i < 1000; ++i) h.update(thousand);
    BOOST_TEST(h.hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

BOOST_AUTO_TEST_CASE(bytes_are_the_hex_digits) {
    crypto::Sha256 h;
    h.update("ab");
    h.update("c");
    const auto b = h.bytes();
    BOOST_TEST(b[0] == 0xba);
    BOOST_TEST(b[31] == 0xad);
    BOOST_TEST(crypto::to_hex(std::string(reinterpret_cast<const char*>(b.data()), b.size())) ==
               crypto::sha256_hex("abc"));
}

BOOST_AUTO_TEST_SUITE_END()
