#pragma once
// Sealed allocation (docs/security.md): a blinded protocol's arms are stored
// only as sealed boxes to the trial's unblinding public key, installed in the
// database. Sealing needs only that public key; opening needs the private key
// file and its passphrase, and happens only for a command run --unblinded.
#include "trial/env.hpp"
#include "trial/patient.hpp"
#include "crypto/crypto.hpp"
#include "store/store.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace trialcal::trial {

// A private key file as the command line read it: --key FILE or
// $TRIALCAL_UNBLINDING_KEY. `origin` names it in messages.
struct KeyFile {
    std::string origin;
    std::string text;
};

struct SealedArm {
    std::string box;      // base64
    std::int64_t key = 0;  // the installed key it is sealed to
};

// The installed unblinding key, or Kind::not_permitted saying how to install
// one: nothing blinded can be written without it.
[[nodiscard]] store::InstalledKey unblinding_key(store::Store& s, const std::string& why);
[[nodiscard]] crypto::PublicKey public_key_of(const store::InstalledKey& k);
[[nodiscard]] SealedArm seal_arm(const store::InstalledKey& key, const std::string& arm);

// Opens sealed arms: made once per unblinded command, before anything is
// written or shown, so that a wrong key or passphrase fails first.
class Unblinding {
public:
    Unblinding(crypto::SecretKey key, store::InstalledKey installed)
        : key_(std::move(key)), installed_(std::move(installed)) {}
    // The patient's arm: plain for a protocol that is not blinded, else opened.
    [[nodiscard]] std::optional<std::string> arm_of(const store::Patient& p) const;
    // The patient's plan with the arm's real drugs and amounts.
    [[nodiscard]] Calendar plan_of(const PatientPlan& pp) const;
    [[nodiscard]] Calendar plan_of(const store::Patient& p, const Protocol& protocol, Calendar stored) const;
    // What a sealed audit value says.
    [[nodiscard]] std::string open(const std::string& box) const;

private:
    crypto::SecretKey key_;
    store::InstalledKey installed_;
};

// Reads and opens the private unblinding key. No key given: Kind::not_permitted
// (exit 77); a wrong passphrase, a signing key, or a key that is not the
// trial's installed one: not_permitted; a damaged file: bad_data (65).
[[nodiscard]] Unblinding open_unblinding(const Env& env, store::Store& s, const std::optional<KeyFile>& file);

// Turns a crypto::Error about `origin` into the use cases' error.
[[noreturn]] void fail_key(const crypto::Error& e);

}  // namespace trialcal::trial
