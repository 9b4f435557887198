#pragma once
// The use cases' ports for in-process tests: a clock that says what the test
// says, a fixed account, the real zone rules, one SQLite database in memory
// that every open() of the use cases shares, and a passphrase the test sets.
#include "store/sqlite/sqlite_store.hpp"
#include "trial/catalog.hpp"
#include "trial/records.hpp"
#include "trial/screening.hpp"
#include "trial/sites.hpp"
#include "trial/env.hpp"
#include "trial/tz_zones.hpp"
#include "tests/support/run.hpp"
#include "tests/support/test_keys.hpp"
#include "trial/key_install.hpp"

#include <memory>
#include <optional>
#include <string>

namespace trialcal::test {

class FakeClock final : public trial::Clock {
public:
    explicit FakeClock(date::sys_seconds now) : now_(now) {}
    [[nodiscard]] date::sys_seconds now() const override { return now_; }
    void set(date::sys_seconds now) { now_ = now; }

private:
    date::sys_seconds now_;
};

// $TRIALCAL_USER is "os-account" unless a test clears `user`; the login is "os-login".
class FakeOsUser final : public trial::OsUser {
public:
    [[nodiscard]] std::optional<std::string> name() const override { return user; }
    [[nodiscard]] std::string account() const override { return "os-login"; }
    std::optional<std::string> user = "os-account";
};

class MemoryStorage final : public trial::Storage {
public:
    [[nodiscard]] std::unique_ptr<store::Store> open(store::Mode) override {
        return std::make_unique<store::sqlite::SqliteStore>(db_, "os-login");
    }
    // The database in memory is made with the storage: there already.
    bool init() override { return false; }
    [[nodiscard]] std::string name() const override { return ":memory:"; }
    // A store of its own, for the test to look at what was written.
    [[nodiscard]] store::sqlite::SqliteStore look() { return store::sqlite::SqliteStore(db_, "os-login"); }

private:
    store::sqlite::Database db_ = store::sqlite::Database::memory();
};

// The passphrase a test sets, for opening and making keys alike; none by
// default, as with no $TRIALCAL_KEY_PASSPHRASE and no terminal.
class FakeKeys final : public trial::Keys {
public:
    [[nodiscard]] std::optional<std::string> passphrase(const std::string&) const override { return pass; }
    [[nodiscard]] std::optional<std::string> new_passphrase(const std::string&) const override { return pass; }
    std::optional<std::string> pass;
};

// 2027-03-10 12:00 UTC unless a test moves it.
struct FakeEnv {
    FakeClock clock{date::sys_days{date::year{2027} / 3 / 10} + std::chrono::hours{12}};
    FakeOsUser os_user;
    trial::TzZones zones;
    MemoryStorage storage;
    FakeKeys keys;
    trial::Env env{clock, os_user, zones, storage, keys};
    trial::Catalog catalog = trial::Catalog::load(source_calendars());
    // The trial's unblinding public key is installed first (audit row 1):
    // blinded arms are sealed to it. Then the sites PSL, LYO and LYON (rows
    // 2-4), in Paris's zone, closed on no day: placement has tests of its own.
    FakeEnv() {
        (void)trial::install_key(env, "tester", {"unblinding.key.pub", TestKeys::get().unblinding_public});
        for (const char* code : {"PSL", "LYO", "LYON"})
            (void)trial::add_site(env, "tester", source_calendars(),
                                  {code, std::string("Site ") + code, "Europe/Paris", std::nullopt, "none", std::nullopt});
    }
    // Enrolls as a unit does: a passing screening on day 0 first (course.md,
    // Eligibility), each value inside its criterion's bounds. A screening
    // refused (the patient enrolled already, say) leaves the enrollment to
    // say why.
    std::string enroll(const trial::EnrollInput& in) {
        trial::ScreenInput screening{in.patient, in.protocol, in.site, in.day0, {}};
        for (const Criterion& c : catalog.find(in.protocol).protocol.eligibility) {
            std::optional<double> low, high;
            for (const CriterionBound& b : bounds_of(c))
                (b.side == CriterionBound::Side::lower ? low : high) = b.value;
            const double v = low && high ? (*low + *high) / 2 : low ? *low + 1 : high ? *high - 1 : 0;
            screening.values.push_back(c.id + "=" + std::to_string(v));
        }
        if (!screening.values.empty()) {
            try {
                (void)trial::screen(env, "nurse", catalog, screening);
            } catch (const trial::Error&) {
            }
        }
        return trial::enroll(env, "nurse", catalog, in);
    }
};

}  // namespace trialcal::test
