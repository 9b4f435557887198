#pragma once
// Protocols as study teams read them: the list, and the schedule of activities.
#include "core/protocol.hpp"

#include <string>
#include <vector>

namespace trialcal {

struct ProtocolListing {
    const Protocol* protocol;
    std::string file;  // where it was read from
};

[[nodiscard]] std::string protocols_table(const std::vector<ProtocolListing>& ps);
[[nodiscard]] std::string protocols_json(const std::vector<ProtocolListing>& ps);
[[nodiscard]] std::string protocols_csv(const std::vector<ProtocolListing>& ps);

// The schedule of activities: visits as columns, procedures and doses as rows.
// Arm doses are shown only when `unblinded` (a blinded protocol's arms differ
// only in what the user must not see).
[[nodiscard]] std::string protocol_show_table(const Protocol& p, bool unblinded);
[[nodiscard]] std::string protocol_show_json(const Protocol& p, bool unblinded);
[[nodiscard]] std::string protocol_show_csv(const Protocol& p, bool unblinded);

}  // namespace trialcal
