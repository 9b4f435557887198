// Sealed boxes (crypto_box_seal) of allocations, padded to one length.
#include "crypto/crypto.hpp"
#include "crypto/detail.hpp"

#include <sodium.h>

#include <stdexcept>

namespace trialcal::crypto {

namespace {

constexpr std::size_t box_bytes = sealed_block + crypto_box_SEALBYTES;

void need_unblinding(KeyKind kind, const char* use) {
    if (kind != KeyKind::unblinding)
        throw Error(Errc::wrong_kind, std::string("a ") + kind_name(kind) + " key cannot " + use +
                                          ": an unblinding key is needed");
}

}  // namespace

std::string seal(std::string_view plain, const PublicKey& to) {
    start();
    need_unblinding(to.kind, "seal an allocation");
    if (to.bytes.size() != crypto_box_PUBLICKEYBYTES)
        throw Error(Errc::damaged, "the public key is " + std::to_string(to.bytes.size()) + " bytes, not 32");
    if (plain.size() >= sealed_block)
        throw std::length_error("seal: " + std::to_string(plain.size()) + " bytes; at most " +
                                std::to_string(sealed_block - 1) + " are sealed");
    unsigned char padded[sealed_block] = {};
    plain.copy(reinterpret_cast<char*>(padded), plain.size());
    std::size_t padded_size = 0;
    if (::sodium_pad(&padded_size, padded, plain.size(), sealed_block, sizeof padded) != 0 ||
        padded_size != sealed_block)
        throw std::logic_error("seal: sodium_pad did not pad to one block");
    std::string box(box_bytes, '\0');
    if (::crypto_box_seal(reinterpret_cast<unsigned char*>(box.data()), padded, padded_size,
                          reinterpret_cast<const unsigned char*>(to.bytes.data())) != 0)
        throw Error(Errc::system, "libsodium could not seal the box");
    return to_base64(box);
}

std::string open_sealed(std::string_view box_base64, const SecretKey& key) {
    start();
    need_unblinding(key.public_key.kind, "open a sealed allocation");
    const auto box = from_base64(box_base64);
    if (!box) throw Error(Errc::damaged, "the sealed allocation is not base64");
    if (box->size() != box_bytes)
        throw Error(Errc::damaged, "the sealed allocation is " + std::to_string(box->size()) + " bytes, not " +
                                       std::to_string(box_bytes));
    if (key.bytes.size() != crypto_box_SECRETKEYBYTES || key.public_key.bytes.size() != crypto_box_PUBLICKEYBYTES)
        throw Error(Errc::damaged, "the unblinding key has the wrong length");
    unsigned char padded[sealed_block];
    if (::crypto_box_seal_open(padded, reinterpret_cast<const unsigned char*>(box->data()), box->size(),
                               reinterpret_cast<const unsigned char*>(key.public_key.bytes.data()),
                               reinterpret_cast<const unsigned char*>(key.bytes.data())) != 0)
        throw Error(Errc::wrong_key, "the allocation was sealed to another key than " + key.public_key.fingerprint() +
                                         " (or altered)");
    std::size_t size = 0;
    if (::sodium_unpad(&size, padded, sizeof padded, sealed_block) != 0)
        throw Error(Errc::damaged, "the sealed allocation opens but is not padded");
    std::string plain(reinterpret_cast<const char*>(padded), size);
    ::sodium_memzero(padded, sizeof padded);
    return plain;
}

}  // namespace trialcal::crypto
