#include "cli/env.hpp"

#include "cli/error.hpp"
#include "core/datetime.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "trial/tz_zones.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <list>
#include <vector>

#include <pwd.h>
#include <unistd.h>

namespace trialcal::cli {

namespace {

// Now, UTC. $TRIALCAL_NOW (YYYY-MM-DDTHH:MM:SSZ) pins it for tests and demos.
class SystemClock final : public trial::Clock {
public:
    [[nodiscard]] date::sys_seconds now() const override {
        if (const char* pinned = std::getenv("TRIALCAL_NOW"); pinned && *pinned) {
            auto t = parse_datetime(pinned);
            if (!t || !t->offset)
                throw Error(Exit::usage, fmt::format("$TRIALCAL_NOW: '{}' is not YYYY-MM-DDTHH:MM:SSZ", pinned));
            return date::sys_seconds{t->local.time_since_epoch()} - *t->offset;
        }
        return date::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    }
};

class EnvironmentUser final : public trial::OsUser {
public:
    [[nodiscard]] std::optional<std::string> name() const override {
        if (const char* env = std::getenv("TRIALCAL_USER"); env && *env) return env;
        return std::nullopt;
    }
    // The login of the effective user; a uid the system has no name for is
    // named by its number.
    [[nodiscard]] std::string account() const override {
        const uid_t uid = ::geteuid();
        std::vector<char> buf(16384);
        passwd pw{};
        passwd* found = nullptr;
        if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) == 0 && found && found->pw_name && *found->pw_name)
            return found->pw_name;
        return fmt::format("uid {}", uid);
    }
};

// Placeholder until the terminal prompt lands: $TRIALCAL_KEY_PASSPHRASE only.
class Passphrases final : public trial::Keys {
public:
    [[nodiscard]] std::optional<std::string> passphrase(const std::string&) const override {
        if (const char* env = std::getenv("TRIALCAL_KEY_PASSPHRASE"); env && *env) return env;
        return std::nullopt;
    }
    [[nodiscard]] std::optional<std::string> new_passphrase(const std::string& prompt) const override {
        return passphrase(prompt);
    }
};

class DatabaseFile final : public trial::Storage {
public:
    explicit DatabaseFile(std::string path) : path_(std::move(path)) {}
    [[nodiscard]] std::unique_ptr<store::Store> open(store::Mode mode) override {
        return store::sqlite::open(path_, mode, os_user().account());
    }
    [[nodiscard]] std::string name() const override { return path_; }

private:
    std::string path_;
};

}  // namespace

const trial::OsUser& os_user() {
    static const EnvironmentUser user;
    return user;
}

trial::Env real_env(const std::string& db_path) {
    static const SystemClock clock;
    static const trial::TzZones zones;
    static const Passphrases keys;
    static std::list<DatabaseFile> files;  // one per call; a command asks once or twice
    return {clock, os_user(), zones, files.emplace_back(db_path), keys};
}

}  // namespace trialcal::cli
