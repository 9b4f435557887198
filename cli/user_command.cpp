// trialcal user add NAME --role nurse|coordinator|monitor|admin [--site CODE]...
// A network's user (PostgreSQL): a login role with trialcal's role and the
// sites it works at. An admin's command; the password is set on the server
// (`\password NAME` in psql), never passed through trialcal.
#include "cli/commands.hpp"
#include "trial/network.hpp"

#include <memory>

namespace trialcal::cli {

void add_user_command(CLI::App& app, const Globals& g) {
    auto* user = app.add_subcommand("user", "a trial network's users (PostgreSQL roles)");
    user->require_subcommand(1);
    auto u = std::make_shared<trial::UserRequest>();
    auto* add = user->add_subcommand("add", "make NAME a user: its role, and the sites a nurse or coordinator works at");
    add->add_option("name", u->name, "the login role")->required();
    add->add_option("--role", u->role, "nurse, coordinator, monitor or admin")->required();
    add->add_option("--site", u->sites, "a site the user works at (repeat for several)");
    add->callback([&g, u] { print(trial::add_user(g.env(), g.user(), *u)); });
}

}  // namespace trialcal::cli
