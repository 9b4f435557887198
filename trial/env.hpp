#pragma once
// The ports through which the use cases reach the world outside the process,
// like leveldb's Env: the clock, the operating-system user, the time-zone
// rules, the storage and the passphrases of key files. The command line passes
// the real ones (cli/env.cpp); tests pass fakes. The core stays pure.
#include "store/store.hpp"

#include <date/date.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace trialcal::trial {

// Now, as UTC.
class Clock {
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual date::sys_seconds now() const = 0;
};

// Who runs the program. `name` is who acts when --by is not given
// ($TRIALCAL_USER), if anyone said: a write needs one. `account` is the
// operating-system login the process runs as, which always exists: a printed
// report that nobody signed names it, never "unknown".
class OsUser {
public:
    virtual ~OsUser() = default;
    [[nodiscard]] virtual std::optional<std::string> name() const = 0;
    [[nodiscard]] virtual std::string account() const = 0;
};

// IANA time-zone rules (trial/tz_zones.hpp reads the system's).
class Zones {
public:
    virtual ~Zones() = default;
    [[nodiscard]] virtual bool known(const std::string& zone) const = 0;
    // The zone of this machine, for sites enrolled without one.
    [[nodiscard]] virtual std::string local_zone() const = 0;
    [[nodiscard]] virtual date::local_seconds to_local(const std::string& zone, date::sys_seconds t) const = 0;
    // The instants whose wall time in `zone` is `t`: none (the clocks skipped
    // it), one, or two (the clocks went back; `earliest` is the first,
    // `latest` the second: an ambiguous time is refused naming both offsets).
    struct Instants {
        int count = 0;
        date::sys_seconds earliest{};
        date::sys_seconds latest{};  // == earliest when count is 1
    };
    [[nodiscard]] virtual Instants to_utc(const std::string& zone, date::local_seconds t) const = 0;
};

// The passphrases that open and protect key files (sealed allocation,
// signed reports). A new passphrase has at least min_passphrase characters.
inline constexpr std::size_t min_passphrase = 12;
class Keys {
public:
    virtual ~Keys() = default;
    // The passphrase that opens a key file: $TRIALCAL_KEY_PASSPHRASE, else asked on the terminal without echo;
    // nullopt when neither is possible (no terminal).
    [[nodiscard]] virtual std::optional<std::string> passphrase(const std::string& prompt) const = 0;
    // A new passphrase for a key being made: the variable, else asked twice on the terminal (must match; at
    // least min_passphrase characters): nullopt when neither.
    [[nodiscard]] virtual std::optional<std::string> new_passphrase(const std::string& prompt) const = 0;
};

// Where the trial's data is: opens a store of any engine.
class Storage {
public:
    virtual ~Storage() = default;
    [[nodiscard]] virtual std::unique_ptr<store::Store> open(store::Mode mode) = 0;
    // Makes an empty trial database (`db init`): false, doing nothing, when
    // one is there already.
    virtual bool init() = 0;
    // How messages name it (a file path, a database's URI).
    [[nodiscard]] virtual std::string name() const = 0;
};

struct Env {
    const Clock& clock;
    const OsUser& os_user;
    const Zones& zones;
    Storage& storage;
    const Keys& keys;
};

}  // namespace trialcal::trial
