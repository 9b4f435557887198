#include "trial/sealing.hpp"

#include "core/course.hpp"

#include "trial/error.hpp"
#include "trial/keys.hpp"

#include <fmt/format.h>

namespace trialcal::trial {

void fail_key(const crypto::Error& e) { throw Error(kind_for(e.code()), e.what()); }

store::InstalledKey unblinding_key(store::Store& s, const std::string& why) {
    auto k = s.current_key("unblinding");
    if (!k)
        throw Error(Kind::not_permitted,
                    fmt::format("{}: arms are sealed to the trial's unblinding key, and none is installed: make one "
                                "with `trialcal keys new --unblinding --out FILE` (kept by the unblinded statistician) "
                                "and install FILE.pub with `trialcal keys install FILE.pub`",
                                why));
    return *k;
}

crypto::PublicKey public_key_of(const store::InstalledKey& k) {
    crypto::PublicKey p;
    p.kind = k.kind == "signing" ? crypto::KeyKind::signing : crypto::KeyKind::unblinding;
    auto bytes = crypto::from_base64(k.public_key);
    if (!bytes) throw Error(Kind::internal, fmt::format("installed key {} is not base64", k.id));
    p.bytes = std::move(*bytes);
    p.name = k.name;
    return p;
}

SealedArm seal_arm(const store::InstalledKey& key, const std::string& arm) {
    try {
        return {crypto::seal(arm, public_key_of(key)), key.id};
    } catch (const crypto::Error& e) {
        fail_key(e);
    }
}

std::string Unblinding::open(const std::string& box) const {
    try {
        return crypto::open_sealed(box, key_);
    } catch (const crypto::Error& e) {
        fail_key(e);
    }
}

std::optional<std::string> Unblinding::arm_of(const store::Patient& p) const {
    if (!p.sealed_arm) return p.arm;
    return open(*p.sealed_arm);
}

Calendar Unblinding::plan_of(const store::Patient& p, const Protocol& protocol, Calendar stored) const {
    if (!protocol.blinded) return stored;
    const auto arm = arm_of(p);
    Selection sel;
    if (arm) {
        sel.arm = protocol.arm(*arm);
        if (!sel.arm)
            throw Error(Kind::internal, fmt::format("patient {}: the sealed arm is not an arm of {}", p.id, protocol.id));
    }
    if (p.cohort) sel.cohort = protocol.cohort(*p.cohort);
    sel.weight_kg = p.weight_kg;
    return unblind(std::move(stored), protocol, sel);
}

Calendar Unblinding::plan_of(const PatientPlan& pp) const {
    Calendar c = plan_of(pp.patient, pp.protocol, pp.plan);
    apply_dose_changes(pp.protocol, c, pp.live);
    return c;
}

Unblinding open_unblinding(const Env& env, store::Store& s, const std::optional<KeyFile>& file) {
    if (!file)
        throw Error(Kind::not_permitted,
                    "--unblinded needs the trial's private unblinding key: --key FILE or $TRIALCAL_UNBLINDING_KEY");
    const store::InstalledKey installed = unblinding_key(s, "--unblinded");
    const auto passphrase = env.keys.passphrase(fmt::format("Passphrase for {}: ", file->origin));
    if (!passphrase)
        throw Error(Kind::not_permitted,
                    fmt::format("{}: no passphrase to open it: set $TRIALCAL_KEY_PASSPHRASE or run on a terminal",
                                file->origin));
    try {
        crypto::SecretKey key = crypto::read_secret_file(file->text, *passphrase, file->origin);
        if (key.public_key.kind != crypto::KeyKind::unblinding)
            throw Error(Kind::not_permitted,
                        fmt::format("{}: a signing key, not the trial's unblinding key", file->origin));
        if (key.public_key.fingerprint() != installed.fingerprint)
            throw Error(Kind::not_permitted,
                        fmt::format("{}: key {} is not the trial's unblinding key (installed: {})", file->origin,
                                    key.public_key.fingerprint(), installed.fingerprint));
        return Unblinding(std::move(key), installed);
    } catch (const crypto::Error& e) {
        fail_key(e);
    }
}

}  // namespace trialcal::trial
