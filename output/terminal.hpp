#pragma once
// Text shown on a terminal: table cells, messages on stderr, the summaries of
// writes. A control or bidirectional character in stored data (written before
// trialcal refused them, or by another program) must not move the cursor,
// recolour the screen or reorder what a nurse reads: each is shown as a
// visible escape, \u{001B} or \u{202E}, and a byte that is not UTF-8 as \xFF.
// JSON and CSV keep the exact data; only what a person reads is escaped.
#include "core/text.hpp"

#include <string>
#include <string_view>

namespace trialcal {

// `lines`: Lines::several keeps TAB, LF and the line separators (a message of
// several lines); Lines::one escapes them too (a table cell).
[[nodiscard]] std::string terminal_text(std::string_view s, Lines lines = Lines::one);

}  // namespace trialcal
