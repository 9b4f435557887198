#pragma once
// The SQLite engine of the store: every named operation of store::Store as
// prepared statements over one connection. SQL text lives here and in
// schema.sql.hpp only.
#include "store/sqlite/database.hpp"
#include "store/sqlite/digest_row.hpp"
#include "store/sqlite/read_statement.hpp"
#include "store/row_digest.hpp"
#include "store/sql_text.hpp"
#include "store/store.hpp"

#include <array>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace trialcal::store::sqlite {

class AuditLog;

// Opens an SQLite trialcal database as a store (see store::Mode). `account`
// is the operating-system account running trialcal: every audit row names it.
[[nodiscard]] std::unique_ptr<Store> open(const std::filesystem::path& path, Mode mode, const std::string& account);
// In memory, for tests: one database for the life of the returned store.
[[nodiscard]] std::unique_ptr<Store> memory(const std::string& account);

class SqliteStore final : public Store {
public:
    SqliteStore(Database& db, std::string account);   // the caller keeps the connection
    SqliteStore(Database&& db, std::string account);  // the store owns it
    ~SqliteStore() override;

    void write(const std::function<void()>& body) override;
    void cache_kib(int kib) override;

    std::optional<Patient> patient(const std::string& id) override;
    std::optional<std::string> patient_id_ignoring_case(const std::string& id) override;
    std::vector<Screening> screenings(const std::string& id) override;
    void for_each_screening(const std::function<void(const Screening&)>& f) override;
    std::vector<Patient> patients() override;
    void for_each_patient(const std::function<void(const Patient&)>& f) override;
    std::string protocol_text(const std::string& sha256) override;
    Calendar plan(const Patient& p) override;
    Calendar plan_for_judging(const Patient& p) override;
    std::optional<Event> planned_event(const Patient& p, const std::string& event_id) override;
    std::vector<Event> replaced_events(const Patient& p) override;
    std::vector<StoredRecord> records(const std::string& patient) override;
    std::optional<StoredRecord> record(std::int64_t id) override;
    std::vector<StoredRecord> records_between(std::int64_t first, std::int64_t last) override;
    Records live_records(const std::string& patient) override;
    std::optional<RandomizationSlot> randomization(const std::string& protocol, const std::string& number) override;
    std::optional<RandomizationSlot> next_randomization(const std::string& protocol,
                                                        const std::optional<std::string>& site) override;
    ListShape randomization_list(const std::string& protocol) override;
    std::optional<InstalledKey> current_key(const std::string& kind) override;
    std::optional<InstalledKey> installed_key(std::int64_t id) override;
    std::optional<InstalledKey> key_with_fingerprint(const std::string& kind, const std::string& fingerprint) override;

    std::vector<SiteRevision> sites() override;
    std::optional<std::string> outside_site(const std::string&) override { return std::nullopt; }
    void add_user(const std::string& name, const std::string& role, const std::vector<std::string>& sites) override;
    void insert_site(const SiteRevision& s) override;
    void save_protocol_file(const std::string& sha256, const std::string& protocol, const std::string& version,
                            const std::string& path, const std::string& text) override;
    void insert_patient(const Patient& p, const std::string& at, const std::string& by) override;
    void insert_plan(const std::string& patient, const Calendar& c) override;
    void insert_plan(const std::string& patient, const Protocol& p, std::span<const PlannedEvent> events,
                     std::span<const Dose> doses, std::span<const EventPlacement> placements) override;
    std::int64_t insert_record(const StoredRecord& r) override;
    std::int64_t next_record_id() override;
    // Up to records_per_insert rows a statement: a statement per row cost a
    // fifth of an import of doses.
    void insert_records(std::span<const StoredRecord> rs) override;
    void insert_void(std::int64_t record, const std::string& reason, const std::string& at,
                     const std::string& by) override;
    void void_enrollment(const std::string& patient, const std::string& reason, const std::string& at,
                         const std::string& by) override;
    std::int64_t insert_screening(const Screening& s) override;
    void insert_randomization(const RandomizationSlot& slot) override;
    std::int64_t install_key(const InstalledKey& k) override;
    void move_event(const std::string& patient, const Event& moved) override;
    void amend_plan(const std::string& patient, date::sys_days on, const Calendar& next, const std::string& sha256,
                    const std::string& at, const std::string& by, const std::string& reason) override;

    void append_audit(const AuditEntry& e, const std::string& at) override;
    std::vector<AuditRow> audit_rows(const std::optional<std::string>& patient) override;
    std::vector<AuditRow> audit_rows_between(const std::optional<std::string>& patient, std::int64_t after,
                                             std::int64_t up_to, std::size_t limit) override;
    std::optional<AuditRow> audit_row(std::int64_t seq) override;
    std::optional<AuditRow> audit_row_with_hash(const std::string& hash) override;
    Head audit_head() override;
    ChainCheck verify_audit() override;
    // store/sqlite/copy_rows.cpp
    void for_each_stored_row(const StoredTable& t, const std::function<bool(const StoredRow&)>& f) override;
    void insert_stored_rows(const StoredTable& t, std::span<const StoredRow> rows) override;
    std::optional<AuditRow> earlier_import(const std::string& patient, const std::string& file_sha256) override;

    // store/sqlite/migrate_v1.cpp
    int schema_version() override;
    bool migrate_schema_one(const std::function<void(SchemaOne&)>& check,
                            const std::function<void(SchemaOne&)>& copy) override;
    bool migrate_schema_two(const std::function<void()>& copy) override;
    bool migrate_schema_three(const std::function<void()>& copy) override;  // store/sqlite/migrate_v3.cpp
    void append_history(const AuditRow& carried) override;
    void insert_plan_rows(const std::string& patient, const std::vector<PlanRow>& rows) override;
    void insert_amendment(const AmendmentRow& a) override;

    Database& db() noexcept { return db_; }

private:
    struct EventRow;
    // Enrollment writes revision 0 of each event; an amendment the next
    // revision of an event id the patient had.
    enum class Revisions { first, continued };
    void insert_plan(const std::string& patient, const Calendar& c, Revisions revisions);
    [[nodiscard]] int next_revision(const std::string& patient, const std::string& event_id);
    // The audit row the rows being written will name: the next one.
    [[nodiscard]] std::int64_t audit_seq();
    // Steps an INSERT … RETURNING through, adding each row to `written_`.
    void run_insert(SQLite::Statement& q, TableId t);
    // Finalises every statement the store keeps prepared (DDL and VACUUM
    // refuse while one has a cursor open).
    void finalize_statements();
    // Schema `from` to the current one in one transaction: `changes` run,
    // then `copy` (store/sqlite/migrate_v3.cpp). False when not on `from`.
    bool migrate_to_current(int from, std::initializer_list<const char*> changes, const std::function<void()>& copy);
    // Every row's foreign key resolves, else Errc::internal (a migration
    // that ran with foreign keys off).
    void check_foreign_keys();
    // Prepared once per store, reset and unbound for each use.
    SQLite::Statement& statement(Sql sql);
    ReadStatement& reader(Sql sql);
    void insert_event_row(const std::string& patient, const std::string& version, int ord, int revision,
                          const EventRow& row);

    std::unique_ptr<Database> owned_;  // set when the store owns its connection
    Database& db_;
    std::unordered_map<const char*, std::unique_ptr<SQLite::Statement>> statements_;  // by address of the text
    std::unordered_map<const char*, std::unique_ptr<ReadStatement>> readers_;
    std::string account_;
    RowDigest written_;                      // rows written since the write's last audit row
    std::optional<std::int64_t> audit_seq_;  // known within a write
    std::unique_ptr<AuditLog> audit_;  // the trail's statements, prepared once per store
    std::array<std::unique_ptr<SQLite::Statement>, records_per_insert> record_inserts_;  // by row count - 1
};

}  // namespace trialcal::store::sqlite
