#pragma once
// Protocol text -> Protocol. The core never opens files: callers pass the
// text and a name for it (the path) that diagnostics repeat.
#include "core/diagnostic.hpp"
#include "core/protocol.hpp"

#include <optional>
#include <string_view>

namespace trialcal {

struct ParsedProtocol {
    std::optional<Protocol> protocol;  // set only when diagnostics is empty
    Diagnostics diagnostics;           // every problem found, in file order
};

// How much to check beyond what building the model needs. A text that was
// accepted in full before (the store keeps protocol texts under their
// SHA-256, and checks it on reading) need not have every calendar of every
// cohort expanded again to prove its event ids unique: a third of the parse.
enum class Checks : unsigned char { full, accepted_text };

[[nodiscard]] ParsedProtocol parse_protocol(std::string_view text, Checks checks = Checks::full);

}  // namespace trialcal
