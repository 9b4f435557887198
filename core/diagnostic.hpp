#pragma once
// A problem found in a protocol file, located for a human editing it.
#include <string>
#include <vector>

namespace trialcal {

struct Diagnostic {
    int line = 0;    // 1-based; 0 when the problem has no single place
    int column = 0;  // 1-based
    std::string key; // dotted path of the key at fault, e.g. "regimens[1].window"
    std::string message;
};

using Diagnostics = std::vector<Diagnostic>;

}  // namespace trialcal
