#include "cli/env.hpp"

#include "cli/clock.hpp"
#include "cli/error.hpp"
#include "core/datetime.hpp"
#include "store/postgresql/pg_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "trial/tz_zones.hpp"

#include <fmt/format.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <list>
#include <map>
#include <vector>

#include <fcntl.h>
#include <pwd.h>
#include <termios.h>
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

// The terminal's settings while a passphrase is typed without echo, for the
// signal handler to put back.
volatile std::sig_atomic_t echo_off_fd = -1;
termios echo_saved{};

extern "C" void restore_echo_and_die(int sig) {
    if (echo_off_fd >= 0) ::tcsetattr(echo_off_fd, TCSANOW, &echo_saved);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

// The controlling terminal, /dev/tty, whatever stdin and stdout are.
class Terminal {
public:
    Terminal() : fd_(::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) {}
    Terminal(const Terminal&) = delete;
    Terminal& operator=(const Terminal&) = delete;
    ~Terminal() {
        if (fd_ >= 0) ::close(fd_);
    }
    [[nodiscard]] bool usable() const { return fd_ >= 0 && ::isatty(fd_); }

    void say(const std::string& text) const {
        for (std::size_t done = 0; done < text.size();) {
            const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
            if (n <= 0) return;
            done += static_cast<std::size_t>(n);
        }
    }

    // One line typed without echo; nullopt at the end of input. Echo comes
    // back on every way out: return, exception, or a signal that ends us.
    [[nodiscard]] std::optional<std::string> ask_hidden(const std::string& prompt) const {
        say(prompt);
        termios saved{};
        if (::tcgetattr(fd_, &saved) != 0) return std::nullopt;
        echo_saved = saved;
        echo_off_fd = fd_;
        struct sigaction on_signal {}, old[4]{};
        on_signal.sa_handler = restore_echo_and_die;
        const int signals[4] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
        for (int i = 0; i < 4; ++i) ::sigaction(signals[i], &on_signal, &old[i]);
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(fd_, TCSAFLUSH, &quiet);
        std::optional<std::string> line = read_line();
        ::tcsetattr(fd_, TCSAFLUSH, &saved);
        echo_off_fd = -1;
        for (int i = 0; i < 4; ++i) ::sigaction(signals[i], &old[i], nullptr);
        say("\n");
        return line;
    }

private:
    [[nodiscard]] std::optional<std::string> read_line() const {
        std::string line;
        for (char c = 0;;) {
            const ssize_t n = ::read(fd_, &c, 1);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return line.empty() ? std::nullopt : std::optional(line);
            if (c == '\n') return line;
            line.push_back(c);
        }
    }

    int fd_;
};

// Key passphrases: $TRIALCAL_KEY_PASSPHRASE, else typed on the terminal.
class TerminalKeys final : public trial::Keys {
public:
    [[nodiscard]] std::optional<std::string> passphrase(const std::string& prompt) const override {
        if (auto v = from_environment()) return v;
        const Terminal tty;
        if (!tty.usable()) return std::nullopt;
        return tty.ask_hidden(prompt);
    }

    [[nodiscard]] std::optional<std::string> new_passphrase(const std::string& prompt) const override {
        if (auto v = from_environment()) return v;
        const Terminal tty;
        if (!tty.usable()) return std::nullopt;
        for (int attempt = 0; attempt < 3; ++attempt) {
            const auto first = tty.ask_hidden(prompt);
            if (!first) return std::nullopt;
            if (first->size() < trial::min_passphrase) {
                tty.say(fmt::format("at least {} characters, please\n", trial::min_passphrase));
                continue;
            }
            if (tty.ask_hidden("the same again: ") == first) return first;
            tty.say("the two do not match\n");
        }
        throw Error(Exit::usage, fmt::format("no new passphrase: three tries gave no two matching passphrases of "
                                             "at least {} characters",
                                             trial::min_passphrase));
    }

private:
    [[nodiscard]] static std::optional<std::string> from_environment() {
        if (const char* env = std::getenv("TRIALCAL_KEY_PASSPHRASE"); env && *env) return env;
        return std::nullopt;
    }
};

class DatabaseFile final : public trial::Storage {
public:
    explicit DatabaseFile(std::string path) : path_(std::move(path)) {}
    [[nodiscard]] std::unique_ptr<store::Store> open(store::Mode mode) override {
        if (is_network(path_)) return store::postgresql::open(path_, mode);
        return store::sqlite::open(path_, mode, os_user().account());
    }
    bool init() override {
        if (is_network(path_)) return store::postgresql::init(path_);
        std::error_code ec;
        if (std::filesystem::exists(path_, ec)) {
            (void)open(store::Mode::read);  // refuses a file that is not a trial's
            return false;
        }
        (void)open(store::Mode::write);
        return true;
    }
    [[nodiscard]] std::string name() const override {
        if (!is_network(path_)) return path_;
        // A URI may hold a password: never printed.
        const auto at = path_.find('@'), scheme = path_.find("://");
        if (at == std::string::npos || scheme == std::string::npos) return path_;
        const auto colon = path_.find(':', scheme + 3);
        return colon != std::string::npos && colon < at ? path_.substr(0, colon) + path_.substr(at) : path_;
    }

private:
    std::string path_;
};

// On a network, the server authenticates the user: the role is both the
// name and the account, whatever $TRIALCAL_USER says.
class NetworkUser final : public trial::OsUser {
public:
    explicit NetworkUser(std::string uri) : uri_(std::move(uri)) {}
    [[nodiscard]] std::optional<std::string> name() const override { return network_role(uri_); }
    [[nodiscard]] std::string account() const override { return network_role(uri_); }

private:
    std::string uri_;
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

bool is_network(const std::string& db_path) noexcept { return store::postgresql::is_uri(db_path); }

const std::string& network_role(const std::string& db_path) {
    static std::map<std::string, std::string> roles;
    auto it = roles.find(db_path);
    if (it == roles.end()) {
        std::string role;
        try {
            role = store::postgresql::login_role(db_path);
        } catch (const store::Error& e) {
            throw Error(e.code() == store::Errc::not_permitted ? Exit::not_permitted : Exit::no_input, e.what());
        }
        it = roles.emplace(db_path, std::move(role)).first;
    }
    return it->second;
}

trial::Env real_env(const std::string& db_path) {
    static const SystemClock clock;
    static const trial::TzZones zones;
    static const TerminalKeys keys;
    static std::list<DatabaseFile> files;  // one per call; a command asks once or twice
    static std::list<NetworkUser> network_users;
    const trial::OsUser& user = is_network(db_path) ? network_users.emplace_back(db_path) : os_user();
    return {clock, user, zones, files.emplace_back(db_path), keys};
}

}  // namespace trialcal::cli
