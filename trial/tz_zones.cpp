#include "trial/tz_zones.hpp"

#include <date/tz.h>

#include <cstdlib>

namespace trialcal::trial {

const ZoneFile* TzZones::file(const std::string& zone) const {
    // A command or an import asks for the same few zones again and again.
    auto known = files_.find(zone);
    if (known == files_.end()) known = files_.emplace(zone, ZoneFile::load(zone)).first;
    return known->second ? &*known->second : nullptr;
}

bool TzZones::known(const std::string& zone) const {
    try {
        (void)date::locate_zone(zone);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

std::string TzZones::local_zone() const {
    if (const char* tz = std::getenv("TZ"); tz && *tz && *tz != ':') {
        try {
            return date::locate_zone(tz)->name();
        } catch (const std::exception&) {
        }
    }
    try {
        return date::current_zone()->name();
    } catch (const std::exception&) {
        return "UTC";
    }
}

date::local_seconds TzZones::to_local(const std::string& zone, date::sys_seconds t) const {
    if (const ZoneFile* f = file(zone))
        if (const auto offset = f->offset_at(t)) return date::local_seconds{(t + *offset).time_since_epoch()};
    return date::locate_zone(zone)->to_local(t);
}

Zones::Instants TzZones::to_utc(const std::string& zone, date::local_seconds t) const {
    if (const ZoneFile* f = file(zone))
        if (const auto instants = f->instants_at(t)) return {instants->count, instants->earliest, instants->latest};
    const date::time_zone* tz = date::locate_zone(zone);
    const auto info = tz->get_info(t);
    Instants out{info.result == date::local_info::nonexistent ? 0 : info.result == date::local_info::ambiguous ? 2 : 1,
                 {}};
    if (out.count > 0) {
        out.earliest = tz->to_sys(t, date::choose::earliest);
        out.latest = tz->to_sys(t, date::choose::latest);
    }
    return out;
}

}  // namespace trialcal::trial
