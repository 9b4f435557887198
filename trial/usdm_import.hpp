#pragma once
// protocol import usdm: a CDISC USDM v4 study definition (JSON) as a trialcal
// protocol file (docs/interop.md, USDM). Structure errors name the JSON path
// ("$.study.versions[0]..."); what USDM allows but trialcal cannot plan is a
// warning naming its path, never dropped unsaid; what USDM leaves open becomes
// an [[assumptions]] entry.
#include "core/protocol.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace trialcal::trial {

struct UsdmProtocol {
    Protocol protocol;
    std::vector<std::string> warnings;  // "$.path: what was not imported, and why"
};

// The mapping itself, from the document's text: pure. Kind::bad_data naming
// the JSON path of the first structure error.
[[nodiscard]] UsdmProtocol read_usdm(std::string_view json_text);

struct ImportedProtocol {
    UsdmProtocol usdm;
    std::string toml;  // the protocol file, as the protocol parser accepted it
};

// Reads `file`, maps it and writes the protocol file, which the protocol
// parser must accept (Kind::bad_data with its diagnostics when not).
[[nodiscard]] ImportedProtocol import_usdm(const std::filesystem::path& file);

}  // namespace trialcal::trial
