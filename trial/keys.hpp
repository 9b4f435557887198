#pragma once
// Key pairs for sealed allocation and signed reports (issue 13). A new pair
// is made here and handed back as the texts of its two files, which the
// front end writes; installing a public key in a database is the store's.
#include "crypto/crypto.hpp"
#include "trial/env.hpp"
#include "trial/error.hpp"

#include <string>

namespace trialcal::trial {

// trialcal keys new --unblinding|--signing [--name TEXT] --out FILE
struct NewKeyQuery {
    bool unblinding = false;
    bool signing = false;
    std::string name;  // the signer's name as printed under a signature: a signing key needs one
    std::string out;   // FILE as given: named in the prompt and the summary
};

struct NewKeyFiles {
    std::string secret_text;  // FILE: the pair, passphrase-protected
    std::string public_text;  // FILE.pub
    std::string fingerprint;  // the public key's
    std::string summary;      // what to print once both are written
};

// Kind::missing_input when neither or both kinds are chosen, or a signing key
// has no name; bad_data for a name that is not one printable line of UTF-8 or
// a passphrase shorter than min_passphrase; not_permitted when no passphrase
// can be had (the message says how to give one).
[[nodiscard]] NewKeyFiles new_key(const Env& env, const NewKeyQuery& q);

// What a key refused is to the use cases: damaged → bad_data, no key, a
// wrong passphrase, key or kind → not_permitted, system → internal.
[[nodiscard]] Kind kind_for(crypto::Errc code) noexcept;

}  // namespace trialcal::trial
