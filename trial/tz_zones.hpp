#pragma once
// The real Zones: each zone's own TZif file where it answers (ZoneFile, read
// once per process), else date-tz over the system's tz database.
#include "trial/env.hpp"
#include "trial/zone_file.hpp"

#include <map>
#include <optional>
#include <string>

namespace trialcal::trial {

class TzZones final : public Zones {
public:
    [[nodiscard]] bool known(const std::string& zone) const override;
    // $TZ when it names a zone, else the system's, else UTC.
    [[nodiscard]] std::string local_zone() const override;
    [[nodiscard]] date::local_seconds to_local(const std::string& zone, date::sys_seconds t) const override;
    [[nodiscard]] Instants to_utc(const std::string& zone, date::local_seconds t) const override;

private:
    // nullopt: date-tz answers instead (a name this reader will not open, a
    // file it does not take). Single-threaded, like the use cases.
    const ZoneFile* file(const std::string& zone) const;
    mutable std::map<std::string, std::optional<ZoneFile>> files_;
};

}  // namespace trialcal::trial
