// Ed25519 detached signatures (crypto_sign_detached), base64.
#include "crypto/crypto.hpp"
#include "crypto/detail.hpp"

#include <sodium.h>

namespace trialcal::crypto {

std::string sign(std::string_view message, const SecretKey& key) {
    start();
    if (key.public_key.kind != KeyKind::signing)
        throw Error(Errc::wrong_kind, "an unblinding key cannot sign: a signing key is needed");
    if (key.bytes.size() != crypto_sign_SECRETKEYBYTES)
        throw Error(Errc::damaged, "the signing key has the wrong length");
    unsigned char sig[crypto_sign_BYTES];
    ::crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                           reinterpret_cast<const unsigned char*>(key.bytes.data()));
    return to_base64(std::string_view(reinterpret_cast<const char*>(sig), sizeof sig));
}

bool verify_signature(std::string_view message, std::string_view signature_base64, const PublicKey& by) noexcept {
    try {
        if (by.kind != KeyKind::signing || by.bytes.size() != crypto_sign_PUBLICKEYBYTES) return false;
        const auto sig = from_base64(signature_base64);  // starts libsodium
        if (!sig || sig->size() != crypto_sign_BYTES) return false;
        return ::crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig->data()),
                                             reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                             reinterpret_cast<const unsigned char*>(by.bytes.data())) == 0;
    } catch (...) {
        return false;  // libsodium could not start, or no memory: nothing is verified
    }
}

}  // namespace trialcal::crypto
