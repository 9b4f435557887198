#pragma once
// What the store suites share: scratch folders, expected errors, a sample
// patient and plan, and a store whose writes each end with an audit row at a
// time that only moves forward (verify reports a clock that goes back).
#include "core/calendar.hpp"
#include "store/audit.hpp"
#include "store/error.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/store.hpp"

#include <boost/test/unit_test.hpp>
#include <date/date.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace store_test {

namespace fs = std::filesystem;
namespace ts = trialcal::store;
using trialcal::Calendar;
using trialcal::Event;
using trialcal::EventKind;
using trialcal::StudyDay;
using ts::Errc;
using ts::Mode;
using ts::sqlite::Database;
using Store = ts::sqlite::SqliteStore;

inline bool contains(std::string_view text, std::string_view needle) {
    return text.find(needle) != std::string_view::npos;
}

inline date::sys_days ymd(int y, unsigned m, unsigned d) {
    return date::sys_days{date::year{y} / date::month{m} / date::day{d}};
}

// A fresh empty folder, removed when the object goes.
class ScratchDir {
public:
    ScratchDir() {
        std::string tmpl = (fs::temp_directory_path() / "trialcal-store-test-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    [[nodiscard]] const fs::path& path() const noexcept { return path_; }
    [[nodiscard]] fs::path operator/(const std::string& name) const { return path_ / name; }

private:
    fs::path path_;
};

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Runs `f`, expecting a ts::Error with `code`; returns its message.
inline std::string store_error(const std::function<void()>& f, Errc code) {
    try {
        f();
    } catch (const ts::Error& e) {
        BOOST_TEST((e.code() == code), "ts::Error code " << static_cast<int>(e.code()) << " expected "
                                                          << static_cast<int>(code) << ": " << e.what());
        return e.what();
    } catch (const std::exception& e) {
        BOOST_ERROR("expected ts::Error, got another exception: " << e.what());
        return e.what();
    }
    BOOST_ERROR("expected ts::Error, nothing was thrown");
    return {};
}

// Runs `f`, expecting SQLite to refuse it (a trigger or a constraint) and
// returns the message: raw SQL raises SQLite's exception, a write through
// the store its own Errc::refused, which carries SQLite's text.
inline std::string sqlite_refusal(const std::function<void()>& f) {
    try {
        f();
    } catch (const SQLite::Exception& e) {
        return e.what();
    } catch (const ts::Error& e) {
        BOOST_TEST((e.code() == ts::Errc::refused), e.what());
        return e.what();
    }
    BOOST_ERROR("expected a refusal, nothing was thrown");
    return {};
}

inline const std::string sha_a(64, 'a');
inline const std::string sha_b(64, 'b');

inline ts::Patient sample_patient(const std::string& id = "P001") {
    ts::Patient p;
    p.id = id;
    p.protocol = "DF-IL2";
    p.version = "1";
    p.protocol_sha256 = sha_a;
    p.site = "PSL";
    p.day0 = ymd(2027, 3, 1);
    p.arm = "IL2-2";
    p.weight_kg = 72.5;
    p.tz = "Europe/Paris";
    return p;
}

// An event on one day, its window that day.
inline Event event(EventKind kind, const std::string& id, int day, date::sys_days on) {
    Event e;
    e.id = id;
    e.kind = kind;
    e.day = StudyDay{day};
    e.date = on;
    e.window = {on, on};
    return e;
}

inline Event visit(const std::string& id, int day, date::sys_days on) { return event(EventKind::visit, id, day, on); }

inline Event dose(const std::string& id, int day, date::sys_days on, const std::string& product) {
    Event d = event(EventKind::dose, id, day, on);
    d.product = product;
    return d;
}

// A calendar made by hand: a visit whose procedures hold commas, and two
// doses of different products, one with a window and one with no amount.
inline Calendar hand_calendar() {
    Calendar c;
    c.protocol = "DF-IL2";
    c.version = "1";
    c.arm = "IL2-2";
    c.day0 = ymd(2027, 3, 1);
    Event v = visit("V-D0", 0, ymd(2027, 3, 1));
    v.name = "Inclusion, baseline";
    v.procedures = {"HbA1c, fasting", "mixed-meal tolerance test (C-peptide AUC, 2 h)", "Tregs"};
    Event d1 = dose("IL2-D1", 1, ymd(2027, 3, 2), "IL2");
    d1.drug = "aldesleukin";
    d1.amount = 0.33;
    d1.unit = "MIU";
    d1.route = "SC";
    Event d2 = dose("CSA-D15-PM", 15, ymd(2027, 3, 16), "CSA");
    d2.window = {ymd(2027, 3, 15), ymd(2027, 3, 17)};
    d2.drug = "ciclosporin";
    d2.unit = "mg";
    d2.route = "oral";
    d2.intake = "PM";
    c.events = {v, d1, d2};
    return c;
}

inline ts::StoredRecord dose_record(const std::string& patient, date::sys_days day, const std::string& local,
                                    const std::string& utc) {
    ts::StoredRecord r;
    r.patient = patient;
    r.kind = ts::RecordKind::dose;
    r.at_local = local;
    r.at_utc = utc;
    r.tz = "Europe/Paris";
    r.date = day;
    r.product = "IL2";
    r.recorded_at = "2027-03-10T12:00:00Z";
    r.recorded_by = "nurse";
    return r;
}

inline ts::StoredRecord first_dose(const std::string& patient = "P001") {
    return dose_record(patient, ymd(2027, 3, 2), "2027-03-02T09:00", "2027-03-02T08:00:00Z");
}

// The trial's unblinding key as installed (the lengths the schema checks).
inline ts::InstalledKey unblinding_key() {
    return {0, "unblinding", std::string(43, 'K') + "=", "0123456789abcdef", "", "2027-02-01T08:00:00Z", "pharmacist"};
}

inline ts::RandomizationSlot slot(const std::string& number, std::int64_t ord, std::int64_t key,
                                  std::optional<std::string> site = std::nullopt) {
    return {"DF-IL2", number, std::move(site), ord, "sealed-box-of-" + number, key, std::nullopt};
}

// A store over an in-memory database the test can also reach with raw SQL.
// write() ends every write with its audit row, a minute after the last one.
struct StoreFixture {
    explicit StoreFixture(const std::string& account = "tester") : s(db, account) {}
    Database db = Database::memory();
    Store s;
    int minutes = 0;

    [[nodiscard]] std::string now() {
        ++minutes;
        return fmt::format("2027-03-10T{:02}:{:02}:00Z", 8 + minutes / 60, minutes % 60);
    }
    void write(const std::function<void()>& body, const std::string& action = "test",
               const std::string& patient = "") {
        s.write([&] {
            body();
            s.append_audit({"nurse", action, patient, "", "", "", "", "", ""}, now());
        });
    }
    // A protocol file and one patient, as enroll writes them.
    void enroll(const ts::Patient& p) {
        write(
            [&] {
                s.save_protocol_file(p.protocol_sha256, p.protocol, p.version, "df-il2.toml", "[protocol]\n");
                s.insert_patient(p, "2027-03-01T08:00:00Z", "nurse");
            },
            "enroll", p.id);
    }
    int count(const std::string& sql) { return db.sql().execAndGet(sql).getInt(); }
    int rows_of(const std::string& table) { return count("SELECT count(*) FROM " + table); }
    // Every audited table's row count and the audit's, one line: what a
    // refused write must leave as it was.
    std::string row_counts() {
        std::string out;
        for (const auto& t : ts::audited_tables) out += fmt::format("{}={} ", t.name, rows_of(t.name));
        return out + fmt::format("audit={}", rows_of("audit"));
    }
    // Raw SQL as someone with the sqlite3 shell could run it: foreign keys off.
    void tamper(const std::string& sql) {
        db.sql().exec("PRAGMA foreign_keys = OFF");
        db.sql().exec(sql);
        db.sql().exec("PRAGMA foreign_keys = ON");
    }
    [[nodiscard]] std::vector<std::string> break_texts() {
        std::vector<std::string> out;
        for (const auto& b : s.verify_audit().breaks) out.push_back(fmt::format("{}: {}", b.seq, b.what));
        return out;
    }
    // Whether verify lists a break of row `seq` whose text is `what`.
    [[nodiscard]] bool has_break(std::int64_t seq, const std::string& what) {
        const auto all = break_texts();
        return std::find(all.begin(), all.end(), fmt::format("{}: {}", seq, what)) != all.end();
    }
};

// Version 2 of the hand-made plan: V-D0 kept, IL2-D1 reused, CSA-D15-PM
// dropped, IL2-D8 new.
inline Calendar amended_calendar() {
    Calendar c = hand_calendar();
    c.version = "2";
    c.events = {c.events[0], c.events[1], dose("IL2-D8", 8, ymd(2027, 3, 9), "IL2")};
    return c;
}

// One write of each kind, so that every audited table holds rows. Audit row:
// 1 install key: trial_key 1
// 2 randomization: randomization 2
// 3 enroll of P001: protocol_file 1 + patient 1 + planned_event 3 = 5
// 4 dose of P001: record 2
// 5 void of P001: void 1 (record 1)
// 6 amend of P001 (from 2027-03-01 on): protocol_file 1 + amendment 1 +
//   planned_event 2 retired (IL2-D1, CSA-D15-PM) + 2 new (IL2-D1, IL2-D8) = 6
struct FullFixture : StoreFixture {
    explicit FullFixture(const std::string& account = "tester") : StoreFixture(account) {
        write([&] { key = s.install_key(unblinding_key()); }, "install key");
        write(
            [&] {
                s.insert_randomization(slot("R001", 1, key));
                s.insert_randomization(slot("R002", 2, key));
            },
            "randomization");
        write(
            [&] {
                s.save_protocol_file(sha_a, "DF-IL2", "1", "df-il2.toml", "[protocol]\n");
                s.insert_patient(sample_patient(), "2027-03-01T08:00:00Z", "nurse");
                s.insert_plan("P001", hand_calendar());
            },
            "enroll", "P001");
        write(
            [&] {
                rec = s.insert_record(first_dose());
                (void)s.insert_record(dose_record("P001", ymd(2027, 3, 3), "2027-03-03T09:00", "2027-03-03T08:00:00Z"));
            },
            "dose", "P001");
        write([&] { s.insert_void(rec, "typo", "2027-03-10T12:00:00Z", "nurse"); }, "void", "P001");
        write(
            [&] {
                s.save_protocol_file(sha_b, "DF-IL2", "2", "df-il2-v2.toml", "[protocol v2]\n");
                s.amend_plan("P001", ymd(2027, 3, 1), amended_calendar(), sha_b, "2027-03-10T12:00:00Z", "dr",
                             "amendment 2");
            },
            "amend", "P001");
    }
    std::int64_t key = 0;
    std::int64_t rec = 0;
};

// The rows each audit row of FullFixture accounts for, by seq - 1.
inline const std::vector<std::int64_t> full_rows{1, 2, 5, 2, 1, 6};
inline constexpr std::int64_t full_table_rows = 17;

// Prints every break of `c` when a test fails.
inline std::string listed(const std::vector<std::string>& breaks) {
    std::string out;
    for (const auto& b : breaks) out += "\n  " + b;
    return out;
}

}  // namespace store_test
