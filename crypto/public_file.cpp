// FILE.pub: the public half of a key pair, plain text, with its fingerprint.
#include "crypto/crypto.hpp"
#include "crypto/detail.hpp"

namespace trialcal::crypto {

namespace {
constexpr std::string_view magic = "trialcal-public-key-v1";
}

std::string write_public_file(const PublicKey& k) {
    std::string text(magic);
    text.push_back('\n');
    detail::add_public_lines(text, k);
    detail::add_line(text, "fingerprint", k.fingerprint());
    return text;
}

PublicKey read_public_file(std::string_view text, const std::string& origin) {
    const detail::KeyText t(text, magic, {"kind", "name", "public", "fingerprint"}, origin);
    PublicKey k = t.public_key();
    if (t.get("fingerprint") != k.fingerprint())
        t.damaged("'fingerprint:' " + std::string(t.get("fingerprint")) + " is not its public key's, " +
                  k.fingerprint());
    return k;
}

}  // namespace trialcal::crypto
