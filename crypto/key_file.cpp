// The private key file: the secret sealed by crypto_secretbox under a key
// that crypto_pwhash (Argon2id) derives from the passphrase. What is sealed
// is the secret and the SHA-256 of the lines above it, so an edited kind,
// name or public key is found once the box opens; the last line, `check:`,
// is the SHA-256 of all the others, so a file damaged anywhere is told apart
// from a wrong passphrase before any key is derived.
#include "crypto/crypto.hpp"
#include "crypto/detail.hpp"

#include <sodium.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace trialcal::crypto {

namespace {

constexpr std::string_view magic = "trialcal-secret-key-v1";
constexpr std::string_view kdf_name = "argon2id13";
// The most a file may ask of the machine; later versions may raise the limits they write.
constexpr unsigned long long max_opslimit = 64;
constexpr unsigned long long max_memlimit = crypto_pwhash_MEMLIMIT_SENSITIVE;

struct Kdf {
    unsigned long long opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    unsigned long long memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    std::string salt;   // crypto_pwhash_SALTBYTES
    std::string nonce;  // crypto_secretbox_NONCEBYTES
};

// The box's key from the passphrase; wiped when it goes.
class BoxKey {
public:
    BoxKey(std::string_view passphrase, const Kdf& kdf) {
        if (::crypto_pwhash(key_, sizeof key_, passphrase.data(), passphrase.size(),
                            reinterpret_cast<const unsigned char*>(kdf.salt.data()), kdf.opslimit,
                            static_cast<std::size_t>(kdf.memlimit), crypto_pwhash_ALG_ARGON2ID13) != 0)
            throw Error(Errc::system, "not enough memory to derive the key from the passphrase (Argon2id, " +
                                          std::to_string(kdf.memlimit >> 20) + " MiB)");
    }
    BoxKey(const BoxKey&) = delete;
    BoxKey& operator=(const BoxKey&) = delete;
    ~BoxKey() { ::sodium_memzero(key_, sizeof key_); }
    [[nodiscard]] const unsigned char* get() const noexcept { return key_; }

private:
    unsigned char key_[crypto_secretbox_KEYBYTES];
};

// A string of secret bytes, wiped when it goes.
struct Wiped {
    explicit Wiped(std::string b) : bytes(std::move(b)) {}
    std::string bytes;
    Wiped(const Wiped&) = delete;
    Wiped& operator=(const Wiped&) = delete;
    ~Wiped() { ::sodium_memzero(bytes.data(), bytes.size()); }
    [[nodiscard]] unsigned char* data() noexcept { return reinterpret_cast<unsigned char*>(bytes.data()); }
};

// Every line above `secret:`; their digest is sealed with the secret.
std::string header(const PublicKey& k, const Kdf& kdf) {
    std::string out(magic);
    out.push_back('\n');
    detail::add_public_lines(out, k);
    detail::add_line(out, "kdf", kdf_name);
    detail::add_line(out, "opslimit", std::to_string(kdf.opslimit));
    detail::add_line(out, "memlimit", std::to_string(kdf.memlimit));
    detail::add_line(out, "salt", to_base64(kdf.salt));
    detail::add_line(out, "nonce", to_base64(kdf.nonce));
    return out;
}

std::string header_digest(const PublicKey& k, const Kdf& kdf) {
    Sha256 h;
    h.update(header(k, kdf));
    const auto d = h.bytes();
    return {reinterpret_cast<const char*>(d.data()), d.size()};
}

std::string random_bytes(std::size_t n) {
    std::string b(n, '\0');
    ::randombytes_buf(b.data(), n);
    return b;
}

}  // namespace

std::string write_secret_file(const SecretKey& k, std::string_view passphrase) {
    start();
    if (!detail::is_pair(k.bytes, k.public_key))
        throw std::invalid_argument("write_secret_file: the secret is not the public key's other half");
    Kdf kdf;
    kdf.salt = random_bytes(crypto_pwhash_SALTBYTES);
    kdf.nonce = random_bytes(crypto_secretbox_NONCEBYTES);
    std::string text = header(k.public_key, kdf);

    Wiped plain{k.bytes + header_digest(k.public_key, kdf)};
    std::string sealed(plain.bytes.size() + crypto_secretbox_MACBYTES, '\0');
    const BoxKey key(passphrase, kdf);
    ::crypto_secretbox_easy(reinterpret_cast<unsigned char*>(sealed.data()), plain.data(), plain.bytes.size(),
                            reinterpret_cast<const unsigned char*>(kdf.nonce.data()), key.get());
    detail::add_line(text, "secret", to_base64(sealed));
    detail::add_line(text, "check", sha256_hex(text));
    return text;
}

SecretKey read_secret_file(std::string_view text, std::string_view passphrase, const std::string& origin) {
    start();
    const detail::KeyText t(text, magic,
                            {"kind", "name", "public", "kdf", "opslimit", "memlimit", "salt", "nonce", "secret", "check"},
                            origin);
    if (t.text_before("check").size() + t.get("check").size() + 8 != text.size())
        t.damaged("'check:' is not its last line");
    if (t.get("check") != sha256_hex(t.text_before("check")))
        t.damaged("altered or truncated: its lines do not match their 'check:' digest");

    SecretKey k;
    k.public_key = t.public_key();
    if (t.get("kdf") != kdf_name) t.damaged("'kdf:' is '" + std::string(t.get("kdf")) + "', not " + std::string(kdf_name));
    Kdf kdf;
    kdf.opslimit = t.number("opslimit", crypto_pwhash_OPSLIMIT_MIN, max_opslimit);
    kdf.memlimit = t.number("memlimit", crypto_pwhash_MEMLIMIT_MIN, max_memlimit);
    kdf.salt = t.bytes("salt", crypto_pwhash_SALTBYTES);
    kdf.nonce = t.bytes("nonce", crypto_secretbox_NONCEBYTES);
    const std::size_t secret_size = detail::secret_key_bytes(k.public_key.kind);
    const std::string sealed = t.bytes("secret", secret_size + crypto_hash_sha256_BYTES + crypto_secretbox_MACBYTES);

    Wiped plain{std::string(sealed.size() - crypto_secretbox_MACBYTES, '\0')};
    const BoxKey key(passphrase, kdf);
    if (::crypto_secretbox_open_easy(plain.data(), reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
                                     reinterpret_cast<const unsigned char*>(kdf.nonce.data()), key.get()) != 0)
        throw Error(Errc::wrong_passphrase, origin + ": wrong passphrase");
    const std::string digest = header_digest(k.public_key, kdf);
    if (::sodium_memcmp(plain.data() + secret_size, digest.data(), digest.size()) != 0)
        t.damaged("altered: its kind, name or public key is not what was sealed with the secret");
    k.bytes.assign(plain.bytes, 0, secret_size);
    if (!detail::is_pair(k.bytes, k.public_key)) t.damaged("its public key is not the secret's other half");
    return k;
}

}  // namespace trialcal::crypto
