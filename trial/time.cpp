#include "trial/time.hpp"

#include "store/store.hpp"
#include "trial/error.hpp"

#include <fmt/format.h>

namespace trialcal::trial {

namespace {
// Two digits of a clock field, without fmt: an import writes two stamps per dose.
void append_two_digits(std::string& out, long long v) {
    out += static_cast<char>('0' + v / 10 % 10);
    out += static_cast<char>('0' + v % 10);
}
}  // namespace

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

void check_zone(const Zones& zones, const std::string& flag, const std::string& zone) {
    if (!zones.known(zone))
        throw Error(Kind::bad_data, fmt::format("{}: '{}' is not an IANA time zone (e.g. Europe/Paris)", flag, zone));
}

date::sys_days today_in(const Env& env, const std::string& zone) {
    const auto local = env.zones.to_local(zone, env.clock.now());
    return date::sys_days{date::floor<date::days>(local).time_since_epoch()};
}

SiteTime site_time(const Zones& zones, const std::string& flag, const std::string& text, const std::string& zone) {
    auto t = parse_datetime(text);
    if (!t) throw Error(Kind::bad_data, fmt::format("{}: {}", flag, t.error()));
    if (t->offset) {
        const date::sys_seconds utc{t->local.time_since_epoch() - *t->offset};
        return {utc, zones.to_local(zone, utc)};
    }
    const Zones::Instants instants = zones.to_utc(zone, t->local);
    if (instants.count == 0)
        throw Error(Kind::bad_data, fmt::format("{}: {} does not exist in {} (the clocks moved forward)", flag, text, zone));
    // The hour repeated when the clocks go back: which of the two a nurse
    // meant cannot be guessed, and a wrong guess moves the dose by an hour.
    if (instants.count > 1) {
        const std::string first = offset_text(t->local, instants.earliest);
        const std::string second = offset_text(t->local, instants.latest);
        throw Error(Kind::bad_data,
                    fmt::format("{}: {} happened twice in {} (the clocks moved back): at {} and at {}; write which, "
                                "e.g. {}{} or {}{}",
                                flag, text, zone, first, second, local_text(t->local), first, local_text(t->local),
                                second));
    }
    return {instants.earliest, t->local};
}

SiteTime site_now(const Zones& zones, const std::string& zone, date::sys_seconds now) {
    const auto minute = date::floor<std::chrono::minutes>(now);
    return {minute, zones.to_local(zone, minute)};
}

std::string offset_text(date::local_seconds local, date::sys_seconds utc) {
    const auto offset = date::floor<std::chrono::minutes>(local.time_since_epoch() - utc.time_since_epoch());
    const auto minutes = offset.count() < 0 ? -offset.count() : offset.count();
    return fmt::format("{}{:02}:{:02}", offset.count() < 0 ? '-' : '+', minutes / 60, minutes % 60);
}

}  // namespace trialcal::trial
