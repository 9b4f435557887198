#pragma once
// The PostgreSQL engine of the store, for trial networks: every named
// operation of store::Store over one libpq connection, in the schema
// `trialcal` that `db init` made (store/postgresql/schema.sql.hpp). The
// account on every audit row is the role the server authenticated.
#include "store/postgresql/connection.hpp"
#include "store/postgresql/patient_batch.hpp"
#include "store/row_digest.hpp"
#include "store/store.hpp"

#include <memory>
#include <optional>
#include <string>

namespace trialcal::store::postgresql {

// Opens the trial database `uri` names (see store::Mode: `write` does not
// create one here; `db init` does).
[[nodiscard]] std::unique_ptr<Store> open(const std::string& uri, Mode mode);
// Makes the schema and the roles in the database `uri` names, as its owner:
// false, doing nothing, when it holds a trialcal schema already.
bool init(const std::string& uri);
// The role `uri` logs in as: what libpq will send (user_of), or else asked
// of the server.
[[nodiscard]] std::string login_role(const std::string& uri);

class PgStore final : public Store {
public:
    PgStore(std::unique_ptr<Connection> c, Mode mode);
    ~PgStore() override;

    void write(const std::function<void()>& body) override;
    void cache_kib(int) override {}

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
    std::optional<std::string> outside_site(const std::string& code) override;
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
    ChainCheck verify_audit() override;  // store/postgresql/verify.cpp
    // store/postgresql/copy_rows.cpp
    void for_each_stored_row(const StoredTable& t, const std::function<bool(const StoredRow&)>& f) override;
    void insert_stored_rows(const StoredTable& t, std::span<const StoredRow> rows) override;
    std::optional<AuditRow> earlier_import(const std::string& patient, const std::string& file_sha256) override;

    // A network starts on the current schema: nothing older to migrate.
    int schema_version() override { return schema_; }
    bool migrate_schema_one(const std::function<void(SchemaOne&)>&, const std::function<void(SchemaOne&)>&) override {
        return false;
    }
    bool migrate_schema_two(const std::function<void()>&) override { return false; }
    bool migrate_schema_three(const std::function<void()>&) override { return false; }
    void append_history(const AuditRow& carried) override;
    void insert_plan_rows(const std::string& patient, const std::vector<PlanRow>& rows) override;
    void insert_amendment(const AmendmentRow& a) override;

    Connection& connection() noexcept { return *c_; }

private:
    enum class Revisions { first, continued };
    void insert_plan(const std::string& patient, const Calendar& c, Revisions revisions);
    // The audit row the rows being written will name: the next one.
    [[nodiscard]] std::int64_t audit_seq();
    // The chain's head: in a write, read once under the write's lock (no
    // other writer moves it) and then kept as our appends move it.
    [[nodiscard]] Head chain_head();
    // Runs an INSERT … RETURNING the table's columns, adding each row to the write's digest.
    void insert(std::string_view sql, const Params& params, TableId t);
    std::optional<Patient> patient_row(const std::string& id);
    // A write refused for the role: names the role, and the site when known.
    [[noreturn]] void refused_at_site(const Error& e, const std::string& site);
    // Runs `read` in a transaction, as server-side cursors need: the read
    // store's snapshot or the write's, else a read-only snapshot of its own.
    void in_snapshot(const std::function<void()>& read);
    // Whether the role has the rights of schema trialcal's owner (who is not
    // bound by row-level security).
    [[nodiscard]] bool owns_schema();

    std::unique_ptr<Connection> c_;
    Mode mode_;
    int schema_ = 0;
    RowDigest written_;
    std::optional<Head> head_;  // in a write: the chain's head read under its lock, then our own appends
    bool in_write_ = false;
    bool reading_ = false;  // a read-only snapshot transaction is open
    PatientBatch batch_;    // for_each_patient's current batch, in a snapshot
};

}  // namespace trialcal::store::postgresql
