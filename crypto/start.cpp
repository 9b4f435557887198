// sodium_init(), once for the process.
#include "crypto/crypto.hpp"
#include "crypto/detail.hpp"

#include <sodium.h>

namespace trialcal::crypto {

namespace detail {

bool started() noexcept {
    static const bool ok = ::sodium_init() >= 0;  // 1 when already started: still fine
    return ok;
}

}  // namespace detail

void start() {
    if (!detail::started()) throw Error(Errc::system, "libsodium could not start (no system randomness?)");
}

}  // namespace trialcal::crypto
