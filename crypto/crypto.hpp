#pragma once
// Every cryptographic operation trialcal performs, through libsodium and
// nothing else (docs/security.md): SHA-256, sealed boxes for allocations,
// Ed25519 signatures, passphrase-protected key files. Nothing here is written
// by hand; this layer only chooses libsodium's functions and the text forms.
//
// Binary values travel as standard base64 (with padding) in text: the
// database, key files, signed reports.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace trialcal::crypto {

enum class Errc {
    no_key,          // no key where one is needed
    wrong_passphrase,
    damaged,         // truncated or altered key file, not base64, wrong lengths
    wrong_kind,      // a signing key where an unblinding key is needed, or the reverse
    wrong_key,       // a sealed box or signature made for another key
    system,          // libsodium could not start, or the system refused randomness
};

class Error : public std::runtime_error {
public:
    Error(Errc code, const std::string& what) : std::runtime_error(what), code_(code) {}
    [[nodiscard]] Errc code() const noexcept { return code_; }

private:
    Errc code_;
};

// sodium_init(), once; throws Errc::system when it fails. Every function
// below calls it.
void start();

// SHA-256 (crypto_hash_sha256) as 64 lower-case hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view data);

// The same, fed in pieces.
class Sha256 {
public:
    Sha256() noexcept;
    void update(std::string_view data) noexcept;
    [[nodiscard]] std::string hex();                   // ends the hashing
    [[nodiscard]] std::array<std::uint8_t, 32> bytes();  // ends the hashing

private:
    alignas(64) unsigned char state_[128];  // a crypto_hash_sha256_state (hash.cpp checks it fits)
};

[[nodiscard]] std::string to_base64(std::string_view bytes);
[[nodiscard]] std::optional<std::string> from_base64(std::string_view text);  // nullopt when not base64
[[nodiscard]] std::string to_hex(std::string_view bytes);

enum class KeyKind { unblinding, signing };
[[nodiscard]] const char* kind_name(KeyKind k) noexcept;  // "unblinding", "signing"

// A public key as installed in a database or written to FILE.pub.
struct PublicKey {
    KeyKind kind = KeyKind::unblinding;
    std::string bytes;        // 32 raw bytes: X25519 (unblinding) or Ed25519 (signing)
    std::string name;         // the signer's printed name (signing keys); empty otherwise
    // First 16 hex digits of SHA-256(bytes): how messages and listings name a key.
    [[nodiscard]] std::string fingerprint() const;
};

// A key pair opened from its passphrase-protected file.
struct SecretKey {
    PublicKey public_key;
    std::string bytes;  // 32 (X25519) or 64 (Ed25519) raw bytes; wiped when destroyed
    SecretKey() = default;
    SecretKey(const SecretKey&) = default;
    SecretKey& operator=(const SecretKey&) = default;
    ~SecretKey();
};

// A new key pair from the system's randomness.
[[nodiscard]] SecretKey generate(KeyKind kind, const std::string& name);

// The private key file: text, the secret sealed with crypto_secretbox under a
// key derived from the passphrase by crypto_pwhash (Argon2id; its limits are
// written in the file so that later versions can raise them). One
// `key: value` a line after the first, `trialcal-secret-key-v1`: kind, name
// (when there is one), public, kdf, opslimit, memlimit, salt, nonce, secret,
// and last `check`, the SHA-256 of the lines above it (so damage anywhere is
// told from a wrong passphrase). The box holds the secret and the SHA-256 of
// the lines above `secret:`, so kind, name and public cannot be edited
// unseen. A name holding a line break is refused (std::invalid_argument),
// here and in write_public_file.
[[nodiscard]] std::string write_secret_file(const SecretKey& k, std::string_view passphrase);
// Errc::damaged (not a trialcal key file, truncated, altered), or
// Errc::wrong_passphrase. `origin` (a path) names the file in messages.
[[nodiscard]] SecretKey read_secret_file(std::string_view text, std::string_view passphrase, const std::string& origin);

// FILE.pub: the public half, plain text: `trialcal-public-key-v1`, then kind,
// name (when there is one), public, fingerprint (checked when read).
[[nodiscard]] std::string write_public_file(const PublicKey& k);
[[nodiscard]] PublicKey read_public_file(std::string_view text, const std::string& origin);  // Errc::damaged

// A sealed box (crypto_box_seal) of `plain`, padded (sodium_pad) to
// `sealed_block` bytes first so that its length tells nothing: "placebo" and
// "IL2-3" seal to boxes of one length. Base64 text. `plain` longer than
// sealed_block - 1 bytes is refused (std::length_error): allocations are short.
inline constexpr std::size_t sealed_block = 128;
[[nodiscard]] std::string seal(std::string_view plain, const PublicKey& to);
// Errc::wrong_key when the box was sealed to another key, Errc::damaged when
// it is not a box.
[[nodiscard]] std::string open_sealed(std::string_view box_base64, const SecretKey& key);

// Ed25519 detached signature (crypto_sign_detached) of `message`, base64.
[[nodiscard]] std::string sign(std::string_view message, const SecretKey& key);
[[nodiscard]] bool verify_signature(std::string_view message, std::string_view signature_base64,
                                    const PublicKey& by) noexcept;

}  // namespace trialcal::crypto
