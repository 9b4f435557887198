#include "trial/audit_seal.hpp"

#include "trial/error.hpp"
#include "trial/patient.hpp"
#include "trial/signed_lines.hpp"
#include "trial/signing_key.hpp"
#include "trial/time.hpp"

#include <fmt/format.h>

#include <array>

namespace trialcal::trial {

namespace {

constexpr std::array<FieldSpec, 4> seal_fields{{{"head"}, {"sealed-at"}, {"signer"}, {"key"}}};

}  // namespace

Seal seal_audit_head(const Env& env, const KeyFile& key, const std::string& out) {
    Seal seal;
    with_store([&] {
        auto store = env.storage.open(store::Mode::read);
        store::Store& s = *store;
        // The key first: a wrong passphrase is told before a long verification.
        const Signer signer = open_signer(env, s, key, "--key");
        const store::ChainCheck check = s.verify_audit();
        if (!check.intact()) {
            std::string text = fmt::format("{}: the audit trail does not verify ({} break{}); a seal would vouch for it:",
                                           env.storage.name(), check.breaks.size(), check.breaks.size() == 1 ? "" : "s");
            for (const auto& b : check.breaks) text += "\n  " + b.what;
            throw Error(Kind::bad_data, text);
        }
        SignedStatement st;
        st.lines.form = seal_form;
        st.lines.fields = {{"head", check.head.text()},
                           {"sealed-at", now_text(env)},
                           {"signer", signer.name()},
                           {"key", signer.fingerprint()}};
        st.signature = signer.sign(st.lines.message());
        seal.text = st.text();
        seal.summary = fmt::format("{}: head {} of {}, sealed by {} (key {})\ncheck it later with `trialcal audit verify "
                                   "--head {}`\n",
                                   out, check.head.text(), env.storage.name(), signer.name(), signer.fingerprint(), out);
    });
    return seal;
}

SealedHead read_seal(store::Store& s, const SealFile& file) {
    std::string why;
    const auto st = parse_statement(file.text, seal_form, seal_fields, why);
    if (!st) throw Error(Kind::bad_data, fmt::format("--head {}: not a seal file of `trialcal audit seal`: {}", file.origin, why));
    const std::string key = st->lines.get("key");
    const auto pub = installed_signing_key(s, key);
    if (!pub)
        throw Error(Kind::bad_data,
                    fmt::format("--head {}: sealed with signing key {}, which is not installed in this database: the "
                                "seal cannot be checked",
                                file.origin, key));
    if (!crypto::verify_signature(st->lines.message(), st->signature, *pub))
        throw Error(Kind::bad_data,
                    fmt::format("--head {}: the signature does not match the file's lines under key {}: the seal "
                                "file was altered",
                                file.origin, key));
    if (pub->name != st->lines.get("signer"))
        throw Error(Kind::bad_data, fmt::format("--head {}: signed by key {} of {}, but it names {}", file.origin, key,
                                                pub->name, st->lines.get("signer")));
    const auto head = store::parse_head(st->lines.get("head"));
    if (!head || head->seq == 0)
        throw Error(Kind::bad_data, fmt::format("--head {}: its head '{}' is not SEQ:HASH", file.origin,
                                                st->lines.get("head")));
    return {*head, st->lines.get("signer"), key, st->lines.get("sealed-at")};
}

}  // namespace trialcal::trial
