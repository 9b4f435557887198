#include "trial/signing_key.hpp"

#include "trial/error.hpp"
#include "trial/text.hpp"

#include <fmt/format.h>

namespace trialcal::trial {

std::string Signer::sign(const std::string& message) const {
    try {
        return crypto::sign(message, key);
    } catch (const crypto::Error& e) {
        fail_key(e);
    }
}

Signer open_signer(const Env& env, store::Store& s, const KeyFile& file, const std::string& flag) {
    const auto passphrase = env.keys.passphrase(fmt::format("Passphrase for {}: ", file.origin));
    if (!passphrase)
        throw Error(Kind::not_permitted,
                    fmt::format("{}: no passphrase to open it: set $TRIALCAL_KEY_PASSPHRASE or run on a terminal",
                                file.origin));
    crypto::SecretKey key;
    try {
        key = crypto::read_secret_file(file.text, *passphrase, file.origin);
    } catch (const crypto::Error& e) {
        fail_key(e);
    }
    if (key.public_key.kind != crypto::KeyKind::signing)
        throw Error(Kind::not_permitted,
                    fmt::format("{} {}: an unblinding key; signing needs a personal signing key (keys new --signing)",
                                flag, file.origin));
    // The name is printed under every signature: the file's name was checked
    // when the key was made, and is checked again here for a file made elsewhere.
    check_line(fmt::format("{} {}: the signer's name", flag, file.origin), key.public_key.name);
    const std::string fingerprint = key.public_key.fingerprint();
    auto installed = s.key_with_fingerprint("signing", fingerprint);
    if (!installed)
        throw Error(Kind::not_permitted,
                    fmt::format("{} {}: signing key {} of {} is not installed in {}: a signature must be checkable "
                                "there; install its public half first with `trialcal keys install {}.pub`",
                                flag, file.origin, fingerprint, key.public_key.name, env.storage.name(), file.origin));
    if (installed->name != key.public_key.name)
        throw Error(Kind::not_permitted,
                    fmt::format("{} {}: signing key {} is installed under the name '{}', not '{}'", flag, file.origin,
                                fingerprint, installed->name, key.public_key.name));
    return {std::move(key), std::move(*installed)};
}

std::optional<crypto::PublicKey> installed_signing_key(store::Store& s, const std::string& fingerprint) {
    const auto k = s.key_with_fingerprint("signing", fingerprint);
    if (!k) return std::nullopt;
    return public_key_of(*k);
}

}  // namespace trialcal::trial
