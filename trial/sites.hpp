#pragma once
// Sites (course.md, Sites): `site add`, `site set`, `sites`, and the book
// of registered sites that enrollment, placement and every --site filter
// look codes up in. A site stores its holiday calendar's text as it was
// registered, and placement reads it from there; the placement is stored.
#include "core/placement.hpp"
#include "core/site.hpp"
#include "store/store.hpp"
#include "trial/env.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace trialcal::trial {

// `site add` / `site set` as typed; none: not given (set keeps it).
struct SiteInput {
    std::string code;
    std::optional<std::string> name, tz, country, closed, holidays;
};

[[nodiscard]] std::string add_site(const Env& env, const std::string& by, const std::filesystem::path& calendars,
                                   const SiteInput& in);
// Changes a site; when its closed days change, the site events of its
// patients that are still to come and have no record are placed again
// (their SEQUENCE bumped), one audit row per patient naming them.
[[nodiscard]] std::string set_site(const Env& env, const std::string& by, const std::filesystem::path& calendars,
                                   const SiteInput& in);
[[nodiscard]] std::string list_sites(const Env& env, const std::string& format);

// The registered sites of a database, looked up case-insensitively, with
// the days each is closed (holiday calendars parsed once, on first use).
class SiteBook {
public:
    explicit SiteBook(std::vector<store::SiteRevision> sites);
    [[nodiscard]] static SiteBook load(store::Store& s);

    // `code` as typed: Kind::bad_data naming it (as `field`) and every known
    // code when no site has it.
    [[nodiscard]] const Site& find(const std::string& code, const std::string& field) const;
    [[nodiscard]] const Site* lookup(std::string_view code) const noexcept;
    [[nodiscard]] ClosedDays closed_days(const Site& s) const;
    [[nodiscard]] const std::vector<store::SiteRevision>& all() const noexcept { return sites_; }

private:
    std::vector<store::SiteRevision> sites_;
    mutable std::map<std::string, HolidayCalendar> holidays_;  // by site code; stable addresses
};

// A site as reports and feeds name it: "Hôpital Saint-Antoine, Paris
// (PSL)"; the code alone when its name is its code or it is not registered.
[[nodiscard]] std::string site_label(store::Store& s, const std::string& code);

// "PSL, LYON" or "none registered (trialcal site add …)".
[[nodiscard]] std::string known_site_codes(const std::vector<store::SiteRevision>& sites);

}  // namespace trialcal::trial
