#include "trial/text.hpp"

#include "trial/error.hpp"

#include <fmt/format.h>

namespace trialcal::trial {

std::string describe(const TextFault& f) {
    const auto cp = static_cast<unsigned>(f.code_point);
    switch (f.kind) {
    case TextFaultKind::invalid_utf8: return fmt::format("not valid UTF-8 (byte 0x{:02X} at character {})", cp, f.character);
    case TextFaultKind::control: return fmt::format("control character U+{:04X} at character {}", cp, f.character);
    case TextFaultKind::bidi: return fmt::format("bidirectional control U+{:04X} at character {}", cp, f.character);
    case TextFaultKind::line_break: return fmt::format("line separator U+{:04X} at character {}", cp, f.character);
    }
    return "";
}

void check_line(std::string_view what, std::string_view text, Lines lines) {
    if (const auto f = find_forbidden(text, lines))
        throw Error(Kind::bad_data, fmt::format("{}: {} is not allowed{}", what, describe(*f),
                                                lines == Lines::one ? " (one line of printable text)" : ""));
}

}  // namespace trialcal::trial
