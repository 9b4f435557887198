// Calendar expansion in the core, for valgrind --tool=callgrind: expands
// every seed protocol variant (arm, cohort, version) for PATIENTS day 0s and
// prints how many planned events that made. tools/bench runs it twice, with
// PATIENTS and with 0, and divides the difference in instructions by the
// events: parsing the protocol files and starting the process cancel out.
//
//   trialcal_bench_expand CALENDARS_DIR PATIENTS
#include "core/calendar.hpp"
#include "core/protocol_parser.hpp"

#include <date/date.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace trialcal;

struct Variant {
    const Protocol* protocol;
    CalendarRequest request;
};

std::optional<Protocol> load(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    const std::string text{std::istreambuf_iterator<char>(in), {}};
    auto parsed = parse_protocol(text);
    if (!parsed.protocol) return std::nullopt;
    return std::move(*parsed.protocol);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s CALENDARS_DIR PATIENTS\n", argv[0]);
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    const long patients = std::strtol(argv[2], nullptr, 10);
    std::vector<Protocol> protocols;
    for (const char* name : {"df-il2.toml", "nct05153070-v1.toml", "nct05153070-v2.toml", "transreg.toml", "ms-il2.toml"}) {
        auto p = load(dir / name);
        if (!p) {
            std::fprintf(stderr, "%s: does not parse\n", (dir / name).c_str());
            return 65;
        }
        protocols.push_back(std::move(*p));
    }
    // Every arm x cohort of every protocol, with a weight where one is needed.
    std::vector<Variant> variants;
    for (const Protocol& p : protocols) {
        std::vector<std::optional<std::string>> arms{std::nullopt}, cohorts{std::nullopt};
        if (!p.arms.empty()) arms.clear();
        for (const auto& a : p.arms) arms.emplace_back(a.id);
        if (!p.cohorts.empty()) cohorts.clear();
        for (const auto& c : p.cohorts) cohorts.emplace_back(c.id);
        for (const auto& a : arms)
            for (const auto& c : cohorts) variants.push_back({&p, {{}, a, c, 70.0}});
    }
    std::vector<Selection> selections;
    for (const Variant& v : variants) {
        auto s = select(*v.protocol, v.request);
        if (!s) {
            std::fprintf(stderr, "%s: %s\n", v.protocol->id.c_str(), s.error().message.c_str());
            return 65;
        }
        selections.push_back(*s);
    }

    // The measured loop: one buffer, reused, as import patients does.
    std::vector<PlannedEvent> events;
    events.reserve(256);
    long long total = 0;
    const date::sys_days first = date::sys_days{date::year{2025} / 1 / 1};
    for (long i = 0; i < patients; ++i) {
        const std::size_t k = static_cast<std::size_t>(i) % variants.size();
        schedule(*variants[k].protocol, selections[k], first + date::days{i % 730}, events);
        total += static_cast<long long>(events.size());
    }
    std::printf("%lld\n", total);
    return 0;
}
