#include "cli/options.hpp"

#include "cli/error.hpp"
#include "core/datetime.hpp"
#include "core/utf8.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace trialcal::cli {

std::string Globals::db_path() const {
    if (!db.empty()) return db;
    if (const char* env = std::getenv("TRIALCAL_DB"); env && *env) return env;
    return "trialcal.db";
}

std::string Globals::user() const {
    const char* env = std::getenv("TRIALCAL_USER");
    const std::string who = !by.empty() ? by : env && *env ? std::string(env) : std::string();
    if (who.empty())
        throw Error(Exit::usage, "who is acting? give --by USER or set $TRIALCAL_USER: every write is signed");
    // Every write signs the audit trail with it: one line of UTF-8, a name's length.
    const std::string field = by.empty() ? "$TRIALCAL_USER" : "--by";
    if (!valid_utf8(who)) throw Error(Exit::bad_data, fmt::format("{}: not valid UTF-8 text", field));
    if (who.find_first_of("\n\r") != std::string::npos || who.size() > 200)
        throw Error(Exit::bad_data, fmt::format("{}: a user is one line of at most 200 bytes", field));
    return who;
}

CLI::Option* add_format(CLI::App* cmd, std::string& target, std::vector<std::string> choices) {
    target = choices.front();
    std::string names;
    for (const auto& c : choices) names += (names.empty() ? "" : "|") + c;
    return cmd->add_option("--format", target, "output format: " + names)
        ->check(CLI::IsMember(choices))
        ->capture_default_str();
}

date::sys_days parse_date_option(std::string_view flag, const std::string& text) {
    auto d = parse_date(text);
    if (!d) throw Error(Exit::bad_data, fmt::format("{}: {}", flag, d.error()));
    return *d;
}

double parse_number_option(std::string_view flag, const std::string& text) {
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v))
        throw Error(Exit::bad_data, fmt::format("{}: '{}' is not a number", flag, text));
    return v;
}

void print(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

}  // namespace trialcal::cli
