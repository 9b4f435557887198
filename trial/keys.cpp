#include "trial/keys.hpp"

#include "trial/sealing.hpp"

#include "core/utf8.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace trialcal::trial {

namespace {

constexpr std::size_t max_name = 200;

// One line of printable UTF-8: no control characters, not blank.
void check_name(const std::string& name) {
    const bool control = std::any_of(name.begin(), name.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f;
    });
    if (!valid_utf8(name) || control || name.find_first_not_of(' ') == std::string::npos || name.size() > max_name)
        throw Error(Kind::bad_data,
                    fmt::format("--name: a signer's name is one line of printable text of at most {} bytes", max_name));
}

}  // namespace

Kind kind_for(crypto::Errc code) noexcept {
    switch (code) {
    case crypto::Errc::damaged: return Kind::bad_data;
    case crypto::Errc::no_key:
    case crypto::Errc::wrong_passphrase:
    case crypto::Errc::wrong_kind:
    case crypto::Errc::wrong_key: return Kind::not_permitted;
    case crypto::Errc::system: return Kind::internal;
    }
    return Kind::internal;
}

NewKeyFiles new_key(const Env& env, const NewKeyQuery& q) {
    if (q.unblinding == q.signing)
        throw Error(Kind::missing_input, "keys new: give --unblinding or --signing, one of them");
    if (q.out.empty()) throw Error(Kind::missing_input, "keys new: --out FILE: where to write the key");
    const crypto::KeyKind kind = q.signing ? crypto::KeyKind::signing : crypto::KeyKind::unblinding;
    if (q.signing && q.name.empty())
        throw Error(Kind::missing_input, "keys new --signing: --name: the signer's name, as printed under a signature");
    if (!q.name.empty()) check_name(q.name);

    const auto pass = env.keys.new_passphrase(fmt::format("passphrase for {}: ", q.out));
    if (!pass)
        throw Error(Kind::not_permitted,
                    fmt::format("{}: no passphrase to protect the key: set $TRIALCAL_KEY_PASSPHRASE or run on a "
                                "terminal to type one",
                                q.out));
    if (pass->size() < min_passphrase)
        throw Error(Kind::bad_data, fmt::format("the passphrase for {} is {} characters; at least {} are needed",
                                                q.out, pass->size(), min_passphrase));
    try {
        const crypto::SecretKey key = crypto::generate(kind, q.name);
        NewKeyFiles f;
        f.secret_text = crypto::write_secret_file(key, *pass);
        f.public_text = crypto::write_public_file(key.public_key);
        f.fingerprint = key.public_key.fingerprint();
        const std::string whose = q.signing ? fmt::format("signing key of {}", q.name) : "unblinding key";
        f.summary = fmt::format(
            "{}: the {}, protected by its passphrase: keep it private\n"
            "{}.pub: its public half, for the trial's database (keys install)\n"
            "fingerprint: {}\n",
            q.out, whose, q.out, f.fingerprint);
        return f;
    } catch (const crypto::Error& e) {
        fail_key(e);
    }
}

}  // namespace trialcal::trial
