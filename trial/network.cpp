#include "trial/network.hpp"

#include "trial/error.hpp"
#include "trial/patient.hpp"
#include "trial/text.hpp"
#include "trial/time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace trialcal::trial {

std::string init_database(const Env& env) {
    bool made = false;
    with_store([&] { made = env.storage.init(); });
    if (!made)
        throw Error(Kind::rule, fmt::format("{} holds a trial already: nothing was changed", env.storage.name()));
    return fmt::format("made an empty trial database in {}\n", env.storage.name());
}

std::string add_user(const Env& env, const std::string& by, const UserRequest& u) {
    check_line("user", u.name);
    // A role's name: what the server authenticates and every audit row names.
    if (u.name.empty() || u.name.size() > 63 || u.name.starts_with("trialcal_") || u.name.starts_with("pg_"))
        throw Error(Kind::bad_data, fmt::format("user '{}': a name of 1 to 63 bytes, not starting with trialcal_ or "
                                                "pg_ (those are the roles' and the server's own)",
                                                u.name));
    constexpr std::array<std::string_view, 4> roles{"nurse", "coordinator", "monitor", "admin"};
    if (std::find(roles.begin(), roles.end(), u.role) == roles.end())
        throw Error(Kind::bad_data,
                    fmt::format("--role '{}': one of nurse, coordinator, monitor, admin", u.role));
    const bool all_sites = u.role == "monitor" || u.role == "admin";
    if (!all_sites && u.sites.empty())
        throw Error(Kind::missing_input, fmt::format("user {}: a {} works at one or more sites: give --site CODE",
                                                     u.name, u.role));
    if (all_sites && !u.sites.empty())
        throw Error(Kind::bad_data, fmt::format("user {}: a {} sees every site; --site is for nurses and "
                                                "coordinators",
                                                u.name, u.role));
    for (const std::string& s : u.sites) check_line("--site", s);
    std::string sites;
    for (const std::string& s : u.sites) sites += (sites.empty() ? "" : ",") + s;
    const std::string details =
        all_sites ? fmt::format("role={} sites=all", u.role) : fmt::format("role={} sites={}", u.role, sites);
    with_store([&] {
        auto store = env.storage.open(store::Mode::update);
        store::Store& s = *store;
        s.write([&] {
            s.add_user(u.name, u.role, u.sites);
            s.append_audit({by, "user add", "", u.name, "", details, "", "", ""}, now_text(env));
        });
    });
    return fmt::format("user {}: {}\n", u.name, details);
}

}  // namespace trialcal::trial
