#include "trial/key_install.hpp"

#include "trial/error.hpp"
#include "trial/patient.hpp"
#include "trial/text.hpp"
#include "trial/time.hpp"

#include <fmt/format.h>

namespace trialcal::trial {

std::string install_key(const Env& env, const std::string& by, const KeyFile& public_file) {
    crypto::PublicKey key;
    try {
        key = crypto::read_public_file(public_file.text, public_file.origin);
    } catch (const crypto::Error& e) {
        fail_key(e);
    }
    // A signer's name is printed under every signature: one line of printable
    // text, whoever made the file.
    check_line(fmt::format("{}: the signer's name", public_file.origin), key.name);
    const std::string kind = crypto::kind_name(key.kind);
    const std::string fingerprint = key.fingerprint();
    with_store([&] {
        auto store = env.storage.open(store::Mode::write);
        store::Store& s = *store;
        s.write([&] {
            if (key.kind == crypto::KeyKind::unblinding) {
                if (auto installed = s.current_key(kind)) {
                    if (installed->fingerprint == fingerprint)
                        throw Error(Kind::rule, fmt::format("{}: unblinding key {} is already installed (on {} by {})",
                                                            public_file.origin, fingerprint, installed->installed_at,
                                                            installed->installed_by));
                    throw Error(Kind::rule,
                                fmt::format("{}: the trial already has unblinding key {}: arms sealed to it could not "
                                            "be opened with another, so it is never replaced",
                                            public_file.origin, installed->fingerprint));
                }
            }
            // Once is enough: a signature names its key by fingerprint.
            if (key.kind == crypto::KeyKind::signing)
                if (auto installed = s.key_with_fingerprint(kind, fingerprint))
                    throw Error(Kind::rule, fmt::format("{}: signing key {} of {} is already installed (on {} by {})",
                                                        public_file.origin, fingerprint, installed->name,
                                                        installed->installed_at, installed->installed_by));
            const std::string now = now_text(env);
            s.install_key({0, kind, crypto::to_base64(key.bytes), fingerprint, key.name, now, by});
            s.append_audit({by, "install key", "", fingerprint, "",
                            fmt::format("kind={} fingerprint={}{}", kind, fingerprint,
                                        key.name.empty() ? "" : " name=" + key.name),
                            "", ""},
                           now);
        });
    });
    return fmt::format("Installed the {} key {}{} in {}.\n", kind, fingerprint,
                       key.name.empty() ? "" : " of " + key.name, env.storage.name());
}

}  // namespace trialcal::trial
