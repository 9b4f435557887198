#pragma once
// Patients, their plans and what happened to them, in SQLite. Reads return
// core values; writes are called inside Database::write, one transaction.
#include "core/calendar.hpp"
#include "core/compliance.hpp"
#include "store/audit.hpp"
#include "store/database.hpp"
#include "store/read_statement.hpp"
#include "store/sql_text.hpp"

#include <date/date.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace trialcal::store {

struct Patient {
    std::string id;
    std::string protocol;
    std::string version;          // current: the newest amendment's, else enrollment's
    std::string protocol_sha256;  // of the current version's file
    std::string site;
    date::sys_days day0;
    std::optional<std::string> arm;
    std::optional<std::string> randomization_number;
    std::optional<std::string> cohort;
    std::optional<double> weight_kg;
    std::string tz;
};

enum class RecordKind { dose, visit, skip };

struct StoredRecord {
    std::int64_t id = 0;
    std::string patient;
    RecordKind kind = RecordKind::dose;
    std::optional<std::string> event;
    std::string at_local;  // site wall time, YYYY-MM-DDTHH:MM
    std::string at_utc;    // YYYY-MM-DDTHH:MM:SSZ
    std::string tz;
    std::optional<date::sys_days> date;  // site-local date
    std::string product;
    std::optional<double> amount;
    std::string unit;
    std::string kit;
    std::string note;
    std::string reason;
    std::string recorded_at;
    std::string recorded_by;
    bool voided = false;
    std::string void_reason;
};

// YYYY-MM-DD without allocating: bulk writers format millions of dates.
class IsoDateText {
public:
    explicit IsoDateText(date::sys_days d) noexcept;
    [[nodiscard]] std::string_view view() const noexcept { return {text_.data(), 10}; }
    [[nodiscard]] const char* c_str() const noexcept { return text_.data(); }

private:
    std::array<char, 11> text_{};
};

// A record's fields, length-prefixed so no value can pose as two, for sealing.
inline constexpr std::string_view records_prefix = "trialcal-records-v1;";
void append_canonical(std::string& out, const StoredRecord& r);

[[nodiscard]] std::string iso(date::sys_days d);
[[nodiscard]] date::sys_days from_iso(std::string_view s) noexcept;  // trusted text from the database

class Store {
public:
    explicit Store(Database& db) : db_(db) {}

    // Reads
    [[nodiscard]] std::optional<Patient> patient(const std::string& id);
    [[nodiscard]] std::vector<Patient> patients();
    // The same, one at a time: a network's patients never all sit in memory.
    // `f` may read through this Store, but not list patients again.
    void for_each_patient(const std::function<void(const Patient&)>& f);
    [[nodiscard]] std::string protocol_text(const std::string& sha256);
    // The active plan, unblinded, as stored (it never changes when a protocol file is edited).
    [[nodiscard]] Calendar plan(const Patient& p);
    // The same without what only a calendar shows (visit names, procedures,
    // route, intake): what judging compliance needs, read at report speed.
    [[nodiscard]] Calendar plan_for_judging(const Patient& p);
    // Events an amendment took out of the plan whose id the new version does
    // not reuse: calendar feeds send them as cancelled.
    [[nodiscard]] std::vector<Event> replaced_events(const Patient& p);
    [[nodiscard]] std::vector<StoredRecord> records(const std::string& patient);
    [[nodiscard]] std::optional<StoredRecord> record(std::int64_t id);
    [[nodiscard]] std::vector<StoredRecord> records_between(std::int64_t first, std::int64_t last);
    // The records compliance counts: not voided.
    [[nodiscard]] Records live_records(const std::string& patient);
    [[nodiscard]] std::optional<std::string> randomized_arm(const std::string& protocol, const std::string& number);
    [[nodiscard]] std::optional<std::string> patient_with_randomization(const std::string& protocol,
                                                                        const std::string& number);

    // Writes
    void save_protocol_file(const std::string& sha256, const std::string& protocol, const std::string& version,
                            const std::string& path, const std::string& text);
    void insert_patient(const Patient& p, const std::string& at, const std::string& by);
    void insert_plan(const std::string& patient, const Calendar& c);
    // The same rows straight from the core's expansion: `doses` is dose_for()
    // of each regimen of `p`, by regimen index. Allocates nothing per event.
    void insert_plan(const std::string& patient, const Protocol& p, std::span<const PlannedEvent> events,
                     std::span<const Dose> doses);
    std::int64_t insert_record(const StoredRecord& r);
    // A batch of records whose ids the caller set, from next_record_id() on,
    // inside one write transaction: up to 64 rows a statement, since a
    // statement per row cost a fifth of an import of doses.
    static constexpr std::size_t records_per_insert = 64;
    [[nodiscard]] std::int64_t next_record_id();
    void insert_records(std::span<const StoredRecord> rs);
    // SHA-256 of records first..last as stored: records_prefix, then each
    // record's append_canonical(). An import's audit row seals the records it
    // wrote with it (hashing them as it writes), and audit verify recomputes it.
    [[nodiscard]] std::string records_sha256(std::int64_t first, std::int64_t last);
    void insert_void(std::int64_t record, const std::string& reason, const std::string& at, const std::string& by);
    void insert_randomization(const std::string& protocol, const std::string& number, const std::string& arm);
    // Moves one active planned event; its sequence grows (iCalendar SEQUENCE).
    void move_event(const std::string& patient, const Event& moved);
    // Amendment: planned events dated after `on` are retired (by this
    // amendment's id); the events of the new version after `on` are added.
    void amend_plan(const std::string& patient, date::sys_days on, const Calendar& next, const std::string& sha256,
                    const std::string& at, const std::string& by, const std::string& reason);

    Database& db() noexcept { return db_; }
    // The trail, its statements prepared once per Store.
    AuditLog& audit();

private:
    struct EventRow;
    // Prepared once per Store, reset and unbound for each use.
    SQLite::Statement& statement(Sql sql);
    ReadStatement& reader(Sql sql);
    void insert_event_row(const std::string& patient, const std::string& version, int ord, const EventRow& row);

    Database& db_;
    std::unordered_map<const char*, std::unique_ptr<SQLite::Statement>> statements_;  // by address of the text
    std::unordered_map<const char*, std::unique_ptr<ReadStatement>> readers_;
    std::unique_ptr<AuditLog> audit_;
    std::array<std::unique_ptr<SQLite::Statement>, records_per_insert> record_inserts_;  // by row count - 1
};

}  // namespace trialcal::store
