#pragma once
// A trial's database itself: making an empty one (`db init`; on PostgreSQL
// the schema, its rules and the roles of a network) and a network's users.
#include "trial/env.hpp"

#include <string>
#include <vector>

namespace trialcal::trial {

// What `db init` did, to print.
[[nodiscard]] std::string init_database(const Env& env);

struct UserRequest {
    std::string name;  // the login role
    std::string role;  // nurse, coordinator, monitor or admin
    std::vector<std::string> sites;
};

// `user add`: a network's user, with its audit row; refused on SQLite.
[[nodiscard]] std::string add_user(const Env& env, const std::string& by, const UserRequest& u);

}  // namespace trialcal::trial
