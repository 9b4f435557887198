// Links the core built with -fno-exceptions -fno-rtti and runs it once:
// parse a protocol from text, expand it, check the count. Exit 0 on success.
#include "core/calendar.hpp"
#include "core/protocol_parser.hpp"

namespace {
constexpr const char* protocol_text = R"(
[protocol]
id = "CHECK"
version = "1"
title = "no-exceptions build check"

[[products]]
id = "IL2"
drug = "aldesleukin"
route = "SC"
unit = "MIU"

[[regimens]]
id = "IL2"
product = "IL2"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 1

[[visits]]
day = 0
name = "Inclusion"
window = [0, 0]
procedures = []
)";
}  // namespace

int main() {
    using namespace date::literals;
    auto parsed = trialcal::parse_protocol(protocol_text);
    if (!parsed.protocol) return 1;
    auto cal = trialcal::expand(*parsed.protocol, {date::sys_days{2027_y / 3 / 1}, {}, {}, {}});
    if (!cal || cal->events.size() != 6) return 2;
    return cal->events.back().date == date::sys_days{2027_y / 3 / 6} ? 0 : 3;
}
