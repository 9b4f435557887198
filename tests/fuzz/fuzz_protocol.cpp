// libFuzzer harness: any text into the protocol parser, and every protocol it
// accepts expanded for each arm and cohort. The parser must never crash, and
// must either accept or say why.
#include "core/calendar.hpp"
#include "core/protocol_parser.hpp"

#include <date/date.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = trialcal::parse_protocol(text);
    if (parsed.protocol.has_value() == !parsed.diagnostics.empty()) std::abort();
    for (const auto& d : parsed.diagnostics)
        if (d.line < 0 || d.column < 0 || d.message.empty()) std::abort();
    if (!parsed.protocol) return 0;
    const trialcal::Protocol& p = *parsed.protocol;
    using namespace date::literals;
    std::vector<std::optional<std::string>> arms{std::nullopt}, cohorts{std::nullopt};
    for (const auto& a : p.arms) arms.push_back(a.id);
    for (const auto& c : p.cohorts) cohorts.push_back(c.id);
    for (const auto& arm : arms)
        for (const auto& cohort : cohorts) {
            auto cal = trialcal::expand(p, {date::sys_days{2028_y / 2 / 29}, arm, cohort, 60.0});
            if (!cal) continue;
            for (std::size_t i = 1; i < cal->events.size(); ++i)
                if (cal->events[i].date < cal->events[i - 1].date) std::abort();  // sorted by date
            for (const auto& e : cal->events)
                if (!e.window.contains(e.date)) std::abort();  // a window holds its nominal date
            (void)trialcal::blind(*cal, p);
        }
    return 0;
}
