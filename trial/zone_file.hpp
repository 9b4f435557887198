#pragma once
// One IANA zone read from its own TZif file (RFC 8536), without the whole
// database. date-tz lists every zone first, a stat of each of some 600 files:
// 2.5 ms on the bench machine, more than SQLite's whole INSERT, paid by every
// command that turns a nurse's wall time into UTC. A zone file's transitions
// answer for the years they cover (Debian's list them to 2037); outside them,
// or for a file this reader does not take, the caller asks date-tz.
#include <date/date.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trialcal::trial {

class ZoneFile {
public:
    // The 64-bit data of a version 2 or later file; nullopt if malformed.
    [[nodiscard]] static std::optional<ZoneFile> parse(std::string_view bytes);
    // The file of zone `name` under /usr/share/zoneinfo, where date-tz reads
    // them (USE_OS_TZDB); nullopt for a name that is not a plain zone path
    // (absolute, "..", odd characters), a missing file, or a malformed one.
    [[nodiscard]] static std::optional<ZoneFile> load(const std::string& name);

    // The UTC offset in effect at `t`; nullopt past the last transition when
    // the file's footer has a daylight-saving rule (not read here).
    [[nodiscard]] std::optional<std::chrono::seconds> offset_at(date::sys_seconds t) const noexcept;

    // The instants whose wall time is `local`: none (the clocks skipped it),
    // one, or two (the clocks went back; earliest first). nullopt where the
    // file does not answer.
    struct Instants {
        int count = 0;
        date::sys_seconds earliest{};
        date::sys_seconds latest{};
    };
    [[nodiscard]] std::optional<Instants> instants_at(date::local_seconds local) const noexcept;

private:
    std::vector<std::int64_t> at_;       // transitions, UTC seconds, ascending
    std::vector<std::int32_t> offset_;   // the offset from each transition on
    std::int32_t before_first_ = 0;      // time type 0, before the first one
    std::optional<std::int32_t> fixed_after_;  // past the last one, when the footer has no rule
};

}  // namespace trialcal::trial
