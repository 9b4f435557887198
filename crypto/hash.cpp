// SHA-256 through crypto_hash_sha256, whole or in pieces.
#include "crypto/crypto.hpp"
#include "crypto/detail.hpp"

#include <sodium.h>

#include <new>

namespace trialcal::crypto {

namespace {

static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(unsigned char[128]));
static_assert(alignof(crypto_hash_sha256_state) <= 64);

crypto_hash_sha256_state* state(unsigned char* bytes) noexcept {
    return std::launder(reinterpret_cast<crypto_hash_sha256_state*>(bytes));
}

}  // namespace

std::string sha256_hex(std::string_view data) {
    Sha256 h;
    h.update(data);
    return h.hex();
}

Sha256::Sha256() noexcept {
    (void)detail::started();  // hashing needs no randomness: a failed start does not matter here
    ::crypto_hash_sha256_init(new (state_) crypto_hash_sha256_state);
}

void Sha256::update(std::string_view data) noexcept {
    ::crypto_hash_sha256_update(state(state_), reinterpret_cast<const unsigned char*>(data.data()), data.size());
}

std::array<std::uint8_t, 32> Sha256::bytes() {
    static_assert(crypto_hash_sha256_BYTES == 32);
    std::array<std::uint8_t, 32> digest{};
    ::crypto_hash_sha256_final(state(state_), digest.data());
    return digest;
}

std::string Sha256::hex() {
    const auto digest = bytes();
    return to_hex(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

}  // namespace trialcal::crypto
