#pragma once
// A protocol's schedule as a CDISC ODM 2.0 study design (docs/interop.md):
// its visits, regimens and the events anchors count from as StudyEventDefs,
// and when each takes place as StudyTimings: a RelativeTimingConstraint from
// day 0, from the anchor, or from the withdrawal (the early-termination
// visit), with the window as its pre- and post-window. Pure: the protocol
// and the creation time come in, the XML document goes out.
#include "core/protocol.hpp"

#include <string>

namespace trialcal::odm {

struct Header {
    std::string created;         // CreationDateTime, YYYY-MM-DDTHH:MM:SS
    std::string source_version;  // SourceSystemVersion: trialcal's
};

[[nodiscard]] std::string study_design(const Protocol& p, const Header& h);

// An ISO 8601 duration of whole days ("P15D", "-P7D", "P0D").
[[nodiscard]] std::string days_duration(long days);

}  // namespace trialcal::odm
