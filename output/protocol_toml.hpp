#pragma once
// A protocol as a protocol file (docs/protocol-format.md): what `protocol
// import` writes, for the protocol parser to read back as the same model.
#include "core/protocol.hpp"

#include <string>
#include <string_view>

namespace trialcal {

// The file's text. `preface` is written first as comment lines (where the
// protocol came from); every value an assumption is about ("visits.DOSE.window")
// carries a `# assumption` comment, as the format asks.
[[nodiscard]] std::string protocol_toml(const Protocol& p, std::string_view preface);

}  // namespace trialcal
