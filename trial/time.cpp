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
    // An ambiguous wall time (clocks moved back) is taken as the first of the two.
    return {instants.earliest, t->local};
}

}  // namespace trialcal::trial
