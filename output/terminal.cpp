#include "output/terminal.hpp"

#include <fmt/format.h>

namespace trialcal {

std::string terminal_text(std::string_view s, Lines lines) {
    auto fault = find_forbidden(s, lines);
    if (!fault) return std::string(s);
    std::string out;
    out.reserve(s.size() + 16);
    std::size_t done = 0;
    while (fault) {
        const std::size_t at = done + fault->byte;
        out.append(s.substr(done, at - done));
        if (fault->kind == TextFaultKind::invalid_utf8) {
            out += fmt::format("\\x{:02X}", static_cast<unsigned>(fault->code_point));
            done = at + 1;
        } else {
            out += fmt::format("\\u{{{:04X}}}", static_cast<unsigned>(fault->code_point));
            done = at + decode_utf8(s, at).length;
        }
        fault = find_forbidden(s.substr(done), lines);
    }
    out.append(s.substr(done));
    return out;
}

}  // namespace trialcal
