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

[[nodiscard]] ParsedProtocol parse_protocol(std::string_view text);

}  // namespace trialcal
