#pragma once
// Text typed by a person (trust.md, "Who acts"): UTF-8 without control or
// bidirectional characters, one line but for a dose's note. The check is the
// core's (core/text.hpp); the wording of a refusal is here: the field, the
// code point as U+XXXX and where it is.
#include "core/text.hpp"

#include <string>
#include <string_view>

namespace trialcal::trial {

// "control character U+001B at character 3".
[[nodiscard]] std::string describe(const TextFault& f);
// Bad data naming `what` (a flag, or file:line: column NAME) when `text` holds
// a character it may not.
void check_line(std::string_view what, std::string_view text, Lines lines = Lines::one);

}  // namespace trialcal::trial
