#include "trial/sites.hpp"

#include "core/datetime.hpp"
#include "output/site_view.hpp"
#include "trial/error.hpp"
#include "trial/holiday_calendars.hpp"
#include "trial/patient.hpp"
#include "trial/recording.hpp"
#include "trial/time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace trialcal::trial {

namespace {

// course.md: a site code is an id of letters, digits and '-'.
void check_site_code(const std::string& code) {
    check_id("CODE", code);
    for (const unsigned char c : code)
        if (!std::isalnum(c) && c != '-')
            throw Error(Kind::bad_data, fmt::format("CODE '{}': a site code has letters, digits and '-' only "
                                                    "(its name goes in --name)",
                                                    code));
}

std::string checked_country(const std::string& text) {
    std::string cc = text;
    for (char& c : cc)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (cc.size() != 2 || !std::isupper(static_cast<unsigned char>(cc[0])) ||
        !std::isupper(static_cast<unsigned char>(cc[1])))
        throw Error(Kind::bad_data,
                    fmt::format("--country '{}' is not an ISO 3166-1 alpha-2 country code (e.g. FR)", text));
    return cc;
}

Weekdays checked_closed(const std::string& text) {
    std::string bad;
    const auto w = parse_weekdays(text, &bad);
    if (!w)
        throw Error(Kind::bad_data, fmt::format("--closed '{}': '{}' is not a weekday (mon, tue, wed, thu, fri, sat, "
                                                "sun, each once, comma-separated; 'none' for none)",
                                                text, bad));
    if (w->all()) throw Error(Kind::bad_data, fmt::format("--closed '{}': a site closed every day of the week", text));
    return *w;
}

// "none" for none; else a country code with a calendar in holidays/, read
// and checked: its text is stored with the site. An unknown code is bad
// input (65), like an unknown protocol.
struct Holidays {
    std::optional<std::string> country;
    std::string file;
};
Holidays checked_holidays(const std::filesystem::path& calendars, const std::string& text) {
    if (text == "none") return {};
    std::string cc = text;
    for (char& c : cc)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    try {
        return {cc, read_holidays(calendars, cc).text};
    } catch (const Error& e) {
        if (e.kind() != Kind::not_found) throw;
        throw Error(Kind::bad_data, fmt::format("--holidays: {}", e.what()));
    }
}

std::string details(const Site& s) {
    return fmt::format("code={} name={} tz={} country={} closed={} holidays={}", s.code, s.name, s.tz,
                       s.country.value_or(""), weekdays_text(s.closed), s.holidays.value_or("none"));
}

std::string closing(const Site& s) {
    return fmt::format("closed {}{}", closed_weekdays(s),
                       s.holidays ? fmt::format(" and on {} public holidays", *s.holidays) : std::string());
}

const store::SiteRevision* same_code(const std::vector<store::SiteRevision>& sites, std::string_view code) {
    for (const auto& r : sites)
        if (iequals(r.site.code, code)) return &r;
    return nullptr;
}

// Places again the site events of `site`'s patients that are still to come
// and have no record, after its closed days changed. Inside the write.
std::size_t replace_site_events(const Env& env, store::Store& s, const SiteBook& book, const Site& site,
                                const std::string& by, const std::string& now) {
    std::vector<store::Patient> at_site;
    s.for_each_patient([&](const store::Patient& p) {
        if (p.site == site.code) at_site.push_back(p);
    });
    const ClosedDays closed = book.closed_days(site);
    std::size_t total = 0;
    for (const store::Patient& p : at_site) {
        const Protocol protocol = stored_protocol(s, p);
        Calendar plan = stored_plan(s, p, protocol, PlanDetail::full);
        const Records records = s.live_records(p.id);
        std::set<std::string, std::less<>> recorded;
        for (const auto& v : records.visits) recorded.insert(v.event);
        for (const auto& k : records.skips) recorded.insert(k.event);
        for (const auto& d : records.doses)
            if (d.event) recorded.insert(*d.event);
        const date::sys_days today = today_in(env, p.tz);
        std::string moved;
        std::size_t n = 0;
        for (Event& e : plan.events) {
            if (recorded.contains(e.id) || e.on() < today) continue;
            const EventPlacement now_placed = placement_of(e, closed);
            if (now_placed.placed == e.placed && now_placed.closed_day == e.closed_day) continue;
            if (now_placed.placed.value_or(e.date) < today) continue;  // never into the past
            const date::sys_days from = e.on();
            e.placed = now_placed.placed;
            e.closed_day = now_placed.closed_day;
            s.move_event(p.id, e);
            moved += fmt::format("{}{} {}->{}{}", moved.empty() ? "" : " ", e.id, iso_date(from), iso_date(e.on()),
                                 e.closed_day ? " (closed day)" : "");
            ++n;
        }
        if (n == 0) continue;
        s.append_audit({by, "place", p.id, "site " + site.code, "", fmt::format("events={} {}", n, moved),
                        "", "the site's closed days changed"},
                       now);
        total += n;
    }
    return total;
}

}  // namespace

std::string site_label(store::Store& s, const std::string& code) {
    for (const auto& r : s.sites())
        if (r.site.code == code) return r.site.name == code ? code : fmt::format("{} ({})", r.site.name, code);
    return code;
}

std::string known_site_codes(const std::vector<store::SiteRevision>& sites) {
    if (sites.empty()) return "none is registered yet (trialcal site add CODE --name TEXT --tz ZONE)";
    std::string out;
    for (const auto& r : sites) out += (out.empty() ? "" : ", ") + r.site.code;
    return out;
}

SiteBook::SiteBook(std::vector<store::SiteRevision> sites) : sites_(std::move(sites)) {}

SiteBook SiteBook::load(store::Store& s) { return SiteBook(s.sites()); }

const Site* SiteBook::lookup(std::string_view code) const noexcept {
    const store::SiteRevision* r = same_code(sites_, code);
    return r ? &r->site : nullptr;
}

const Site& SiteBook::find(const std::string& code, const std::string& field) const {
    if (const Site* s = lookup(code)) return *s;
    throw Error(Kind::bad_data, fmt::format("{}: unknown site '{}' (sites: {})", field, code, known_site_codes(sites_)));
}

ClosedDays SiteBook::closed_days(const Site& s) const {
    if (!s.holidays) return {s.closed, nullptr};
    auto it = holidays_.find(s.code);
    if (it == holidays_.end()) {
        const store::SiteRevision* r = same_code(sites_, s.code);
        auto parsed = parse_holidays(r ? r->holiday_file : std::string());
        if (!parsed.calendar)
            throw Error(Kind::internal, fmt::format("site {}: its stored holiday calendar ({}) no longer parses", s.code,
                                                    *s.holidays));
        it = holidays_.emplace(s.code, std::move(*parsed.calendar)).first;
    }
    return {s.closed, &it->second};
}

std::string add_site(const Env& env, const std::string& by, const std::filesystem::path& calendars,
                     const SiteInput& in) {
    check_site_code(in.code);
    Site site;
    site.code = in.code;
    if (!in.name) throw Error(Kind::missing_input, fmt::format("site add {}: --name TEXT is required", in.code));
    if (!in.tz) throw Error(Kind::missing_input, fmt::format("site add {}: --tz ZONE is required", in.code));
    check_text("--name", *in.name, 200);
    if (in.name->empty()) throw Error(Kind::bad_data, "--name is empty");
    site.name = *in.name;
    check_line("--tz", *in.tz);
    check_zone(env.zones, "--tz", *in.tz);
    site.tz = *in.tz;
    if (in.country) site.country = checked_country(*in.country);
    if (in.closed) site.closed = checked_closed(*in.closed);
    // The country's holiday calendar unless told otherwise, when there is one.
    Holidays holidays;
    if (in.holidays) holidays = checked_holidays(calendars, *in.holidays);
    else if (site.country) {
        const auto there = holiday_countries(calendars);
        if (std::find(there.begin(), there.end(), *site.country) != there.end())
            holidays = checked_holidays(calendars, *site.country);
    }
    site.holidays = holidays.country;
    with_store([&] {
        auto s = env.storage.open(store::Mode::write);
        s->write([&] {
            const auto sites = s->sites();
            if (const auto* known = same_code(sites, site.code))
                throw Error(Kind::rule, fmt::format("site '{}' is already registered{}: `trialcal site set {}` "
                                                    "changes it",
                                                    site.code,
                                                    known->site.code == site.code ? ""
                                                                                  : fmt::format(" as '{}'", known->site.code),
                                                    known->site.code));
            const std::string now = now_text(env);
            s->insert_site({site, holidays.file, 0, now, by});
            s->append_audit({by, "site add", "", site.code, "", details(site), "", ""}, now);
        });
    });
    return fmt::format("Registered site {} ({}), time zone {}: {}.\n", site.code, site.name, site.tz, closing(site));
}

std::string set_site(const Env& env, const std::string& by, const std::filesystem::path& calendars,
                     const SiteInput& in) {
    check_line("CODE", in.code);
    if (!in.name && !in.country && !in.closed && !in.holidays)
        throw Error(Kind::missing_input,
                    fmt::format("site set {}: give what changes: --name, --country, --closed or --holidays", in.code));
    if (in.name) {
        check_text("--name", *in.name, 200);
        if (in.name->empty()) throw Error(Kind::bad_data, "--name is empty");
    }
    const std::optional<std::string> country = in.country ? std::optional(checked_country(*in.country)) : std::nullopt;
    const std::optional<Weekdays> closed = in.closed ? std::optional(checked_closed(*in.closed)) : std::nullopt;
    std::optional<Holidays> holidays;
    if (in.holidays) holidays = checked_holidays(calendars, *in.holidays);
    std::string out;
    with_store([&] {
        auto s = open_existing(env, fmt::format("unknown site '{}'", in.code));
        s->write([&] {
            const auto sites = s->sites();
            const store::SiteRevision* known = same_code(sites, in.code);
            if (!known)
                throw Error(Kind::bad_data,
                            fmt::format("CODE: unknown site '{}' (sites: {})", in.code, known_site_codes(sites)));
            const Site before = known->site;
            Site after = before;
            if (in.name) after.name = *in.name;
            if (country) after.country = country;
            if (closed) after.closed = *closed;
            std::string holiday_file = known->holiday_file;
            if (holidays) {
                after.holidays = holidays->country;
                holiday_file = holidays->file;
            }
            if (after.name == before.name && after.country == before.country && after.closed == before.closed &&
                after.holidays == before.holidays && holiday_file == known->holiday_file) {
                out = fmt::format("Site {} is already so: nothing changed.\n", before.code);
                return;
            }
            const std::string now = now_text(env);
            s->insert_site({after, holiday_file, known->revision + 1, now, by});
            s->append_audit({by, "site set", "", after.code, details(before), details(after), "", ""}, now);
            std::size_t moved = 0;
            if (after.closed != before.closed || after.holidays != before.holidays ||
                holiday_file != known->holiday_file) {
                std::vector<store::SiteRevision> now_sites = sites;
                for (auto& r : now_sites)
                    if (r.site.code == after.code) r = {after, holiday_file, known->revision + 1, now, by};
                const SiteBook book(std::move(now_sites));
                moved = replace_site_events(env, *s, book, after, by, now);
            }
            out = fmt::format("Site {} ({}): {}.{}\n", after.code, after.name, closing(after),
                              moved ? fmt::format(" {} event{} to come placed again.", moved, moved == 1 ? "" : "s")
                                    : std::string());
        });
    });
    return out;
}

std::string list_sites(const Env& env, const std::string& format) {
    std::vector<SiteLine> lines;
    with_store([&] {
        auto s = env.storage.open(store::Mode::read);
        std::map<std::string, std::size_t> count;
        s->for_each_patient([&](const store::Patient& p) { ++count[p.site]; });
        for (auto& r : s->sites()) lines.push_back({r.site, count[r.site.code]});
    });
    if (format == "json") return sites_json(lines);
    if (format == "csv") return sites_csv(lines);
    return sites_table(lines);
}

}  // namespace trialcal::trial
