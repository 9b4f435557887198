#include "cli/options.hpp"

#include "cli/error.hpp"
#include "core/datetime.hpp"
#include "output/terminal.hpp"
#include "trial/text.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

#ifndef TRIALCAL_INSTALL_CALENDARS
#define TRIALCAL_INSTALL_CALENDARS "/usr/local/share/trialcal/calendars"
#endif

namespace trialcal::cli {

std::string Globals::db_path() const {
    if (!db.empty()) return db;
    if (const char* env = std::getenv("TRIALCAL_DB"); env && *env) return env;
    return "trialcal.db";
}

std::string Globals::user() const {
    // On a network the server says who acts (cli.md): a name given would be
    // a second, unchecked identity on every row.
    if (is_network(db_path())) {
        if (!by.empty())
            throw Error(Exit::usage, fmt::format("--by {}: on PostgreSQL the user is the role that logged in ({}); "
                                                 "--by is refused",
                                                 by, network_role(db_path())));
        return network_role(db_path());
    }
    const std::string who = !by.empty() ? by : os_user().name().value_or("");
    if (who.empty())
        throw Error(Exit::usage, "who is acting? give --by USER or set $TRIALCAL_USER: every write is signed");
    // Every write signs the audit trail with it: one line of printable text
    // (trust.md, "Who acts"), a name's length.
    const std::string field = by.empty() ? "$TRIALCAL_USER" : "--by";
    trial::check_line(field, who);
    if (who.size() > 200)
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

std::filesystem::path calendars_dir(const std::string& option) {
    if (!option.empty()) return option;
    if (const char* env = std::getenv("TRIALCAL_CALENDARS"); env && *env) return env;
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (const std::filesystem::path& candidate : {exe.parent_path() / "calendars",
                                          exe.parent_path().parent_path() / "share" / "trialcal" / "calendars"})
            if (std::filesystem::is_directory(candidate, ec)) return candidate;
    }
    return TRIALCAL_INSTALL_CALENDARS;
}

trial::Catalog Globals::catalog() const {
    trial::Catalog c = trial::Catalog::load(calendars_dir(calendars));
    for (const auto& w : c.warnings()) warn(w);
    return c;
}

void print(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

void print_text(const std::string& text) { print(terminal_text(text, Lines::several)); }

void warn(const std::string& text) {
    fmt::print(stderr, "trialcal: warning: {}\n", terminal_text(text, Lines::several));
}

void add_unblinding(CLI::App* cmd, bool& unblinded, std::string& reason, std::string& key_path, const std::string& what) {
    cmd->add_flag("--unblinded", unblinded, what + "; audited, needs --reason and the unblinding key");
    cmd->add_option("--reason", reason, "why unblinding");
    cmd->add_option("--key", key_path, "the private unblinding key file (else $TRIALCAL_UNBLINDING_KEY)");
}

std::optional<trial::KeyFile> unblinding_key_file(const std::string& key_path) {
    std::string path = key_path;
    if (path.empty())
        if (const char* env = std::getenv("TRIALCAL_UNBLINDING_KEY"); env && *env) path = env;
    if (path.empty()) return std::nullopt;
    return trial::KeyFile{path, trial::read_file(path)};
}

}  // namespace trialcal::cli
