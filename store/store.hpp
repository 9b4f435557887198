#pragma once
// What the trial's use cases need from storage: transactions, patients,
// plans, records and the audit trail, as named operations on core values.
// Engine-neutral: no SQL and no engine type appears here. SQLite
// (store/sqlite/) keeps a unit's file; PostgreSQL (store/postgresql/) a trial
// network's database; the use cases are the same for both.
#include "core/calendar.hpp"
#include "core/compliance.hpp"
#include "core/placement.hpp"
#include "core/site.hpp"
#include "store/audit.hpp"
#include "store/error.hpp"
#include "store/stored_rows.hpp"

#include <date/date.h>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace trialcal::store {

// read: never writes; write: creates the database and schema when absent;
// update: writes to an existing trialcal database only (none is
// Errc::no_database), for changes that need what is already recorded;
// migrate: like update, but opens an older schema too, for
// migrate_schema_one() alone (nothing else reads an old schema's tables).
enum class Mode { read, write, update, migrate };

class SchemaOne;  // store/schema_one.hpp
struct PlanRow;
struct AmendmentRow;

struct Patient {
    std::string id;
    std::string protocol;
    std::string version;          // current: the newest amendment's, else enrollment's
    std::string protocol_sha256;  // of the current version's file
    std::string site;
    date::sys_days day0;
    std::optional<std::string> arm;         // plain: a protocol that is not blinded
    std::optional<std::string> sealed_arm;  // a blinded protocol's: a sealed box (base64)
    std::optional<std::int64_t> key;        // the installed key it is sealed to
    std::optional<std::string> randomization_number;
    std::optional<std::string> cohort;
    std::optional<double> weight_kg;
    std::string tz;
    // The enrollment was entered in error (void-enrollment): why. Such a
    // patient is in no listing of patients, only found by id.
    std::optional<std::string> enrollment_voided;
};

// A site as registered (course.md, Sites): `site add` writes revision 0,
// each `site set` the next.
struct SiteRevision {
    Site site;
    std::string holiday_file;  // the text of its holiday calendar's file; empty without one
    int revision = 0;
    std::string at;  // when it was written (UTC)
    std::string by;
};

// What a record says happened (course.md): an administration, a visit
// (unscheduled when it names no event), a skip, and the patient's course:
// a status change, a hold and its end, a new weight, a dose change.
enum class RecordKind { dose, visit, skip, discontinue, withdraw, hold, resume, weight, dose_change };

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
    std::optional<date::sys_days> until;  // a hold's last day; none: until resumed
    std::optional<double> kg;             // a weight
    bool lost_to_follow_up = false;       // a withdrawal
    std::string name;                     // an unscheduled visit's
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

// A public key installed in the trial (crypto::PublicKey as stored).
struct InstalledKey {
    std::int64_t id = 0;
    std::string kind;        // "unblinding" or "signing"
    std::string public_key;  // base64
    std::string fingerprint;
    std::string name;        // a signer's printed name
    std::string installed_at;
    std::string installed_by;
};

// One number of a randomisation list; its arm stays sealed.
struct RandomizationSlot {
    std::string protocol;
    std::string number;
    std::optional<std::string> site;  // set when the list is by site
    std::int64_t ord = 0;             // the order numbers are given in
    std::string sealed_arm;
    std::int64_t key = 0;
    std::optional<std::string> patient;  // who was enrolled with it
};
[[nodiscard]] const char* kind_name(RecordKind k) noexcept;
[[nodiscard]] RecordKind record_kind(std::string_view name) noexcept;  // as kind_name() wrote it

// A screening (course.md, Eligibility): the values typed, and the verdict
// against the protocol version screened for.
struct Screening {
    std::int64_t id = 0;
    std::string patient;
    std::string protocol;
    std::string version;
    std::string protocol_sha256;
    std::string site;
    date::sys_days on;
    std::vector<std::pair<std::string, double>> values;  // criterion id, value; the protocol's order
    bool eligible = false;
    std::string at;
    std::string by;
};

[[nodiscard]] std::string iso(date::sys_days d);
[[nodiscard]] date::sys_days from_iso(std::string_view s) noexcept;  // trusted text from the database

// One open database. Writes are called inside write(), one transaction; the
// audit row of a write goes in the same transaction as the change.
class Store {
public:
    virtual ~Store() = default;
    Store() = default;
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // Runs `body` in one write transaction (taken before the body's checks
    // run), committed when it returns, rolled back when it throws.
    virtual void write(const std::function<void()>& body) = 0;
    // A hint for bulk writes that touch pages all over the file: the engine's
    // cache for this connection, in KiB.
    virtual void cache_kib(int kib) = 0;

    // Reads
    [[nodiscard]] virtual std::optional<Patient> patient(const std::string& id) = 0;
    // The id of an enrolled patient (voided enrollments too) equal to `id`
    // ignoring ASCII case, if any: ids are unique so (course.md).
    [[nodiscard]] virtual std::optional<std::string> patient_id_ignoring_case(const std::string& id) = 0;
    // A patient's screenings, oldest first; `id` matched ignoring case.
    [[nodiscard]] virtual std::vector<Screening> screenings(const std::string& id) = 0;
    // Every screening, by site, patient and id, one at a time.
    virtual void for_each_screening(const std::function<void(const Screening&)>& f) = 0;
    [[nodiscard]] virtual std::vector<Patient> patients() = 0;
    // The same, one at a time: a network's patients never all sit in memory.
    // Neither lists a patient whose enrollment was voided.
    // `f` may read through this Store, but not list patients again.
    virtual void for_each_patient(const std::function<void(const Patient&)>& f) = 0;
    [[nodiscard]] virtual std::string protocol_text(const std::string& sha256) = 0;
    // The active plan, unblinded, as stored (it never changes when a protocol file is edited).
    [[nodiscard]] virtual Calendar plan(const Patient& p) = 0;
    // The same without what only a calendar shows (visit names, procedures,
    // route): what judging compliance needs, read at report speed.
    [[nodiscard]] virtual Calendar plan_for_judging(const Patient& p) = 0;
    // One event of the active plan by its id, as plan() has it (its newest
    // revision; none when unknown or taken out by an amendment): what a dose
    // that names its event is checked against, without reading the plan.
    [[nodiscard]] virtual std::optional<Event> planned_event(const Patient& p, const std::string& event_id) = 0;
    // Events an amendment took out of the plan whose id the new version does
    // not reuse: calendar feeds send them as cancelled.
    [[nodiscard]] virtual std::vector<Event> replaced_events(const Patient& p) = 0;
    [[nodiscard]] virtual std::vector<StoredRecord> records(const std::string& patient) = 0;
    [[nodiscard]] virtual std::optional<StoredRecord> record(std::int64_t id) = 0;
    [[nodiscard]] virtual std::vector<StoredRecord> records_between(std::int64_t first, std::int64_t last) = 0;
    // The records compliance counts: not voided.
    [[nodiscard]] virtual Records live_records(const std::string& patient) = 0;
    [[nodiscard]] virtual std::optional<RandomizationSlot> randomization(const std::string& protocol,
                                                                         const std::string& number) = 0;
    // The lowest unused number of `protocol`'s list (of `site`'s block when
    // the list is by site), nullopt when every number is used.
    [[nodiscard]] virtual std::optional<RandomizationSlot> next_randomization(const std::string& protocol,
                                                                              const std::optional<std::string>& site) = 0;
    // Whether `protocol` has a list, and whether it is by site.
    struct ListShape {
        std::int64_t numbers = 0;
        bool by_site = false;
    };
    [[nodiscard]] virtual ListShape randomization_list(const std::string& protocol) = 0;
    // The newest installed key of a kind ("unblinding", "signing"), and any by id.
    [[nodiscard]] virtual std::optional<InstalledKey> current_key(const std::string& kind) = 0;
    [[nodiscard]] virtual std::optional<InstalledKey> installed_key(std::int64_t id) = 0;
    // A key of `kind` by its fingerprint: a signature names its signer's key
    // so, and the signer's key may not be the newest one installed.
    [[nodiscard]] virtual std::optional<InstalledKey> key_with_fingerprint(const std::string& kind,
                                                                         const std::string& fingerprint) = 0;

    // Sites, by code; the newest revision of each.
    [[nodiscard]] virtual std::vector<SiteRevision> sites() = 0;
    // Why the user may not see site `code`'s patients, if they may not: a
    // network's nurses and coordinators work at their sites only. SQLite's
    // user sees every site of the file.
    [[nodiscard]] virtual std::optional<std::string> outside_site(const std::string& code) = 0;

    // Writes
    // A user of a network: the login role `name` given trialcal's role
    // `role` (nurse, coordinator, monitor, admin) and `sites`' roles. Only an
    // engine with users of its own has them (PostgreSQL); SQLite's user is
    // the operating system's account: Errc::refused.
    virtual void add_user(const std::string& name, const std::string& role, const std::vector<std::string>& sites) = 0;
    // A site's revision (0 for `site add`, the next for `site set`).
    virtual void insert_site(const SiteRevision& s) = 0;
    virtual void save_protocol_file(const std::string& sha256, const std::string& protocol, const std::string& version,
                                    const std::string& path, const std::string& text) = 0;
    virtual void insert_patient(const Patient& p, const std::string& at, const std::string& by) = 0;
    virtual void insert_plan(const std::string& patient, const Calendar& c) = 0;
    // The same rows straight from the core's expansion: `doses` is dose_for()
    // of each regimen of `p`, by regimen index; `placements` each event's
    // (core/placement.hpp), in the same order. Allocates nothing per event.
    virtual void insert_plan(const std::string& patient, const Protocol& p, std::span<const PlannedEvent> events,
                             std::span<const Dose> doses, std::span<const EventPlacement> placements) = 0;
    virtual std::int64_t insert_record(const StoredRecord& r) = 0;
    // A batch of records whose ids the caller set, from next_record_id() on,
    // inside one write transaction. Bulk writers hand over this many at a
    // time: the engine writes them in as few statements as it can.
    static constexpr std::size_t records_per_insert = 64;
    [[nodiscard]] virtual std::int64_t next_record_id() = 0;
    virtual void insert_records(std::span<const StoredRecord> rs) = 0;
    virtual void insert_void(std::int64_t record, const std::string& reason, const std::string& at,
                             const std::string& by) = 0;
    virtual void void_enrollment(const std::string& patient, const std::string& reason, const std::string& at,
                                 const std::string& by) = 0;
    // Returns its id.
    virtual std::int64_t insert_screening(const Screening& s) = 0;
    virtual void insert_randomization(const RandomizationSlot& slot) = 0;
    [[nodiscard]] virtual std::int64_t install_key(const InstalledKey& k) = 0;
    // Moves one active planned event (its nominal date and window, and its
    // placement); its sequence grows (iCalendar SEQUENCE).
    virtual void move_event(const std::string& patient, const Event& moved) = 0;
    // Amendment: planned events dated after `on` are retired (by this
    // amendment's id); the events of the new version after `on` are added.
    // `next.day0` is the patient's day 0 from then on (correct --day0 moves
    // it; a new version keeps it).
    virtual void amend_plan(const std::string& patient, date::sys_days on, const Calendar& next,
                            const std::string& sha256, const std::string& at, const std::string& by,
                            const std::string& reason) = 0;

    // The audit trail. append_audit() runs inside the caller's write, with
    // the current UTC time `at` (ISO 8601, from the caller's clock). It
    // accounts for every row written since the write began or since the
    // previous append_audit() of the write (their digest): a write must end
    // with one. The account it records is the store's: who opened it.
    virtual void append_audit(const AuditEntry& e, const std::string& at) = 0;
    [[nodiscard]] virtual std::vector<AuditRow> audit_rows(const std::optional<std::string>& patient) = 0;
    // At most `limit` rows with after < seq <= up_to, oldest first: a
    // network's trail is read in short batches, each its own statement, so
    // neither the trail nor a read lock is held while it is printed.
    [[nodiscard]] virtual std::vector<AuditRow> audit_rows_between(const std::optional<std::string>& patient,
                                                                   std::int64_t after, std::int64_t up_to,
                                                                   std::size_t limit) = 0;
    [[nodiscard]] virtual std::optional<AuditRow> audit_row(std::int64_t seq) = 0;
    // The row with this hash, if the trail holds one.
    [[nodiscard]] virtual std::optional<AuditRow> audit_row_with_hash(const std::string& hash) = 0;
    // The newest row (seq 0 and the genesis hash when the trail is empty).
    [[nodiscard]] virtual Head audit_head() = 0;
    // Recomputes the chain, every row digest and the schema: every break.
    [[nodiscard]] virtual ChainCheck verify_audit() = 0;
    // The audit row an earlier import of doses wrote for `patient` from the
    // file whose SHA-256 is `file_sha256`, if any: an import seals each
    // patient's records in its own row, naming the file by its digest. Read
    // through the patient's rows, never the whole trail.
    [[nodiscard]] virtual std::optional<AuditRow> earlier_import(const std::string& patient,
                                                                 const std::string& file_sha256) = 0;

    // `db copy` (store/stored_rows.hpp). Every row of `t` as stored, typed
    // as the engine holds it, in order, one at a time (`f` returns false to
    // stop): a read store's rows as of its snapshot. Read in batches, never
    // all in memory.
    virtual void for_each_stored_row(const StoredTable& t, const std::function<bool(const StoredRow&)>& f) = 0;
    // Inserts `rows` of `t` exactly as given, inside the caller's write, in
    // as few statements as the engine can. They enter no write's digest: they
    // are accounted for by the audit rows copied with them, so the write
    // needs no audit row of its own (and adding one would change the head).
    virtual void insert_stored_rows(const StoredTable& t, std::span<const StoredRow> rows) = 0;

    // Migration from an older schema (store/schema_one.hpp).
    // The schema version of the database as opened: Mode::migrate opens 1 too.
    [[nodiscard]] virtual int schema_version() = 0;
    // One transaction: `check` reads the old tables and may refuse (throw),
    // leaving the database as it was; then schema 1's tables are set aside,
    // schema 2's made, and `copy` writes schema 2's rows through this store
    // (each write ending with its audit row, as ever) while reading the old
    // ones; the old tables are then dropped under secure delete. Once
    // committed, the file is compacted so the old bytes leave it (and any
    // write-ahead log truncated). False, doing nothing, when the database is
    // not schema 1 (already migrated by someone else, say).
    virtual bool migrate_schema_one(const std::function<void(SchemaOne&)>& check,
                                    const std::function<void(SchemaOne&)>& copy) = 0;
    // Schema 2 to 3, one transaction: schema 3's changes made, then `copy`
    // writes the sites (each write ending with its audit row). False, doing
    // nothing, when the database is not schema 2.
    virtual bool migrate_schema_two(const std::function<void()>& copy) = 0;
    // Schema 3 to 4, one transaction: schema 4's changes made (every row
    // carried as it is), then `copy` writes the audit row. False, doing
    // nothing, when the database is not schema 3.
    virtual bool migrate_schema_three(const std::function<void()>& copy) = 0;
    // An audit row carried from the old trail: its own time, account and
    // entry, accounting for no rows, chained as the next row. Inside
    // migrate_schema_one()'s copy only.
    virtual void append_history(const AuditRow& carried) = 0;
    // A patient's planned-event rows as given (revision, retired, sequence).
    virtual void insert_plan_rows(const std::string& patient, const std::vector<PlanRow>& rows) = 0;
    // An amendment row with its id: the plan rows it retired name it.
    virtual void insert_amendment(const AmendmentRow& a) = 0;
};

// Runs `f`, turning whatever the engine throws into store::Error, so the
// callers above the store never see an engine's exception.
void translate_engine_errors(const std::function<void()>& f);

}  // namespace trialcal::store
