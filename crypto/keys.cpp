// Key pairs: made from the system's randomness, named by a fingerprint, and
// wiped when they go.
#include "crypto/crypto.hpp"
#include "crypto/detail.hpp"

#include <sodium.h>

namespace trialcal::crypto {

static_assert(detail::public_key_bytes == crypto_box_PUBLICKEYBYTES &&
              detail::public_key_bytes == crypto_sign_PUBLICKEYBYTES);

const char* kind_name(KeyKind k) noexcept { return k == KeyKind::signing ? "signing" : "unblinding"; }

std::string PublicKey::fingerprint() const { return sha256_hex(bytes).substr(0, 16); }

SecretKey::~SecretKey() { ::sodium_memzero(bytes.data(), bytes.size()); }

SecretKey generate(KeyKind kind, const std::string& name) {
    start();
    SecretKey k;
    k.public_key.kind = kind;
    k.public_key.name = name;
    k.public_key.bytes.assign(detail::public_key_bytes, '\0');
    auto* pk = reinterpret_cast<unsigned char*>(k.public_key.bytes.data());
    k.bytes.assign(detail::secret_key_bytes(kind), '\0');
    auto* sk = reinterpret_cast<unsigned char*>(k.bytes.data());
    const int rc = kind == KeyKind::signing ? ::crypto_sign_keypair(pk, sk) : ::crypto_box_keypair(pk, sk);
    if (rc != 0) throw Error(Errc::system, "libsodium could not make a key pair");
    return k;
}

namespace detail {

std::size_t secret_key_bytes(KeyKind kind) noexcept {
    return kind == KeyKind::signing ? crypto_sign_SECRETKEYBYTES : crypto_box_SECRETKEYBYTES;
}

bool is_pair(const std::string& secret, const PublicKey& pub) noexcept {
    if (secret.size() != secret_key_bytes(pub.kind) || pub.bytes.size() != public_key_bytes) return false;
    unsigned char derived[public_key_bytes];
    const auto* sk = reinterpret_cast<const unsigned char*>(secret.data());
    const int rc = pub.kind == KeyKind::signing ? ::crypto_sign_ed25519_sk_to_pk(derived, sk)
                                                : ::crypto_scalarmult_base(derived, sk);
    return rc == 0 && ::sodium_memcmp(derived, pub.bytes.data(), public_key_bytes) == 0;
}

}  // namespace detail

}  // namespace trialcal::crypto
