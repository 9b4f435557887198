#pragma once
// What a crypto call threw: its Errc and message, or nothing when it returned.
#include "crypto/crypto.hpp"

#include <optional>
#include <string>
#include <utility>

namespace trialcal::test {

struct Thrown {
    crypto::Errc code;
    std::string message;
};

template <class F>
std::optional<Thrown> thrown_by(F&& f) {
    try {
        (void)std::forward<F>(f)();
    } catch (const crypto::Error& e) {
        return Thrown{e.code(), e.what()};
    }
    return std::nullopt;
}

}  // namespace trialcal::test
