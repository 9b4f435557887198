// Binary as text: standard base64 with padding (RFC 4648 vectors), strictly read.
#include "crypto/crypto.hpp"

#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>

namespace crypto = trialcal::crypto;

BOOST_AUTO_TEST_SUITE(base64)

BOOST_AUTO_TEST_CASE(rfc_4648_vectors) {
    BOOST_TEST(crypto::to_base64("") == "");
    BOOST_TEST(crypto::to_base64("f") == "Zg==");
    BOOST_TEST(crypto::to_base64("fo") == "Zm8=");
    BOOST_TEST(crypto::to_base64("foo") == "Zm9v");
    BOOST_TEST(crypto::to_base64("foobar") == "Zm9vYmFy");
    BOOST_TEST(crypto::from_base64("Zm9vYg==").value_or("?") == "foob");
    BOOST_TEST(crypto::from_base64("").value_or("?") == "");
}

BOOST_AUTO_TEST_CASE(round_trip_of_every_byte) {
    std::string all;
    for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
    BOOST_TEST(crypto::from_base64(crypto::to_base64(all)).value_or("?") == all);
}

BOOST_AUTO_TEST_CASE(garbage_is_not_base64) {
    for (const char* bad : {"Zg", "Zg=", "Z===", "Zm9v!", "Zm9v YmFy", "Zm9v\n", "-_-_", "Zm9vYmFy="})
        BOOST_TEST(!crypto::from_base64(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(hex_is_lower_case) {
    BOOST_TEST(crypto::to_hex(std::string("\x00\xab\xff", 3)) == "00abff");
}

BOOST_AUTO_TEST_SUITE_END()
