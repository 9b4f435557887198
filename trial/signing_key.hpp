#pragma once
// A person's signing key (keys new --signing), as sealing the audit head and
// signing reports use it: the private file opened with its passphrase, and
// its public half found installed in the trial's database, without which a
// signature could not be checked there (trust.md, "Electronic signatures").
#include "crypto/crypto.hpp"
#include "store/store.hpp"
#include "trial/env.hpp"
#include "trial/sealing.hpp"

#include <optional>
#include <string>

namespace trialcal::trial {

struct Signer {
    crypto::SecretKey key;
    store::InstalledKey installed;
    [[nodiscard]] const std::string& name() const { return key.public_key.name; }
    [[nodiscard]] const std::string& fingerprint() const { return installed.fingerprint; }
    // Ed25519 over `message`, base64.
    [[nodiscard]] std::string sign(const std::string& message) const;
};

// Opens `file` as a signing key whose public half is installed in `s`. No
// passphrase, a wrong one, an unblinding key, or a key not installed (the
// message names its fingerprint and how to install it): Kind::not_permitted;
// a damaged file: bad_data. `flag` names the option in messages.
[[nodiscard]] Signer open_signer(const Env& env, store::Store& s, const KeyFile& file, const std::string& flag);

// The installed signing key with this fingerprint, as a public key.
[[nodiscard]] std::optional<crypto::PublicKey> installed_signing_key(store::Store& s, const std::string& fingerprint);

}  // namespace trialcal::trial
