#pragma once
// `keys install FILE.pub`: a public key enters the trial's database, audited.
// The unblinding key is what allocations are sealed to (one per trial: arms
// sealed to it could not be opened with another); signing keys name signers.
#include "trial/env.hpp"
#include "trial/sealing.hpp"

#include <string>

namespace trialcal::trial {

[[nodiscard]] std::string install_key(const Env& env, const std::string& by, const KeyFile& public_file);

}  // namespace trialcal::trial
