#include "cli/clock.hpp"

#include "cli/error.hpp"
#include "cli/zone_file.hpp"
#include "store/store.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <cstdlib>
#include <map>
#include <optional>

namespace trialcal::cli {

namespace {
// Two digits of a clock field, without fmt: an import writes two stamps per dose.
void append_two_digits(std::string& out, long long v) {
    out += static_cast<char>('0' + v / 10 % 10);
    out += static_cast<char>('0' + v % 10);
}
// The zone's own file, read once per process: a command or an import asks
// for the same few zones again and again. nullopt: date-tz answers instead
// (a name this reader will not open, a file it does not take).
const ZoneFile* zone_file(const std::string& zone) {
    static std::map<std::string, std::optional<ZoneFile>> files;  // the CLI is single-threaded
    auto known = files.find(zone);
    if (known == files.end()) known = files.emplace(zone, ZoneFile::load(zone)).first;
    return known->second ? &*known->second : nullptr;
}

}  // namespace

date::sys_seconds now_utc() {
    if (const char* pinned = std::getenv("TRIALCAL_NOW"); pinned && *pinned) {
        auto t = parse_datetime(pinned);
        if (!t || !t->offset) throw Error(Exit::usage, fmt::format("$TRIALCAL_NOW: '{}' is not YYYY-MM-DDTHH:MM:SSZ", pinned));
        return date::sys_seconds{t->local.time_since_epoch()} - *t->offset;
    }
    return date::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string utc_text(date::sys_seconds t) {
    const auto day = date::floor<date::days>(t);
    const date::hh_mm_ss hms{t - day};
    std::string out(store::IsoDateText(day).view());
    out += 'T';
    append_two_digits(out, hms.hours().count());
    out += ':';
    append_two_digits(out, hms.minutes().count());
    out += ':';
    append_two_digits(out, hms.seconds().count());
    out += 'Z';
    return out;
}

std::string local_text(date::local_seconds t) {
    const auto day = date::floor<date::days>(t);
    const date::hh_mm_ss hms{t - day};
    std::string out(store::IsoDateText(date::sys_days{day.time_since_epoch()}).view());
    out += 'T';
    append_two_digits(out, hms.hours().count());
    out += ':';
    append_two_digits(out, hms.minutes().count());
    return out;
}

void check_zone(const std::string& flag, const std::string& zone) {
    try {
        (void)date::locate_zone(zone);
    } catch (const std::exception&) {
        throw Error(Exit::bad_data, fmt::format("{}: '{}' is not an IANA time zone (e.g. Europe/Paris)", flag, zone));
    }
}

std::string local_zone_name() {
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

date::sys_days today_in(const std::string& zone) {
    const date::sys_seconds now = now_utc();
    if (const ZoneFile* file = zone_file(zone))
        if (const auto offset = file->offset_at(now))
            return date::floor<date::days>(now + *offset);
    const auto local = date::locate_zone(zone)->to_local(now);
    return date::sys_days{date::floor<date::days>(local).time_since_epoch()};
}

SiteTime site_time(const std::string& flag, const std::string& text, const std::string& zone) {
    auto t = parse_datetime(text);
    if (!t) throw Error(Exit::bad_data, fmt::format("{}: {}", flag, t.error()));
    // The zone's own file where it answers, else date-tz.
    const ZoneFile* file = zone_file(zone);
    if (t->offset) {
        const date::sys_seconds utc{t->local.time_since_epoch() - *t->offset};
        if (const auto offset = file ? file->offset_at(utc) : std::nullopt)
            return {utc, date::local_seconds{(utc + *offset).time_since_epoch()}};
        return {utc, date::locate_zone(zone)->to_local(utc)};
    }
    auto instants = file ? file->instants_at(t->local) : std::nullopt;
    if (!instants) {
        const date::time_zone* tz = date::locate_zone(zone);
        const auto info = tz->get_info(t->local);
        instants = ZoneFile::Instants{info.result == date::local_info::nonexistent ? 0
                                      : info.result == date::local_info::ambiguous ? 2
                                                                                   : 1,
                                      {}};
        if (instants->count > 0) instants->earliest = tz->to_sys(t->local, date::choose::earliest);
    }
    if (instants->count == 0)
        throw Error(Exit::bad_data, fmt::format("{}: {} does not exist in {} (the clocks moved forward)", flag, text, zone));
    // An ambiguous wall time (clocks moved back) is taken as the first of the two.
    return {instants->earliest, t->local};
}

}  // namespace trialcal::cli
