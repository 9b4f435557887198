#include "cli/options.hpp"

#include "cli/error.hpp"
#include "core/datetime.hpp"

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
    if (!by.empty()) return by;
    if (const char* env = std::getenv("TRIALCAL_USER"); env && *env) return env;
    throw Error(Exit::usage, "who is acting? give --by USER or set $TRIALCAL_USER: every write is signed");
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
