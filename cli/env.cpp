#include "cli/env.hpp"

#include "cli/clock.hpp"
#include "cli/error.hpp"
#include "core/datetime.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "trial/tz_zones.hpp"

#include <fmt/format.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <list>
#include <vector>

#include <pwd.h>
#include <unistd.h>

namespace trialcal::cli {

namespace {

#ifdef TRIALCAL_TEST_CLOCK
constexpr bool test_clock = true;
#else
constexpr bool test_clock = false;
#endif

void announce_ignored_now() {
    static std::atomic<bool> said{false};
    if (!said.exchange(true)) fmt::print(stderr, "trialcal: {}\n", now_ignored_notice);
}

// Now, UTC. In a test build $TRIALCAL_NOW (YYYY-MM-DDTHH:MM:SSZ) pins it
// (cli/clock.hpp); any other build reads the machine's clock.
class SystemClock final : public trial::Clock {
public:
    [[nodiscard]] date::sys_seconds now() const override {
        const char* pinned = std::getenv("TRIALCAL_NOW");
        const NowSource source = now_source(test_clock, pinned);
        if (source == NowSource::ignored) announce_ignored_now();
        if (source == NowSource::pinned) {
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

class DatabaseFile final : public trial::Storage {
public:
    explicit DatabaseFile(std::string path) : path_(std::move(path)) {}
    [[nodiscard]] std::unique_ptr<store::Store> open(store::Mode mode) override {
        return store::sqlite::open(path_, mode);
    }
    [[nodiscard]] std::string name() const override { return path_; }

private:
    std::string path_;
};

}  // namespace

bool test_clock_compiled() noexcept { return test_clock; }

void announce_clock() {
    if (now_source(test_clock, std::getenv("TRIALCAL_NOW")) == NowSource::ignored) announce_ignored_now();
}

const trial::OsUser& os_user() {
    static const EnvironmentUser user;
    return user;
}

trial::Env real_env(const std::string& db_path) {
    static const SystemClock clock;
    static const trial::TzZones zones;
    static std::list<DatabaseFile> files;  // one per call; a command asks once or twice
    return {clock, os_user(), zones, files.emplace_back(db_path)};
}

}  // namespace trialcal::cli
