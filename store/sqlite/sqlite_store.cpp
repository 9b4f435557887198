#include "store/sqlite/sqlite_store.hpp"

#include "store/sqlite/audit_log.hpp"
#include "store/rows.hpp"

#include "core/datetime.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <tuple>
#include <sqlite3.h>

namespace trialcal::store::sqlite {

namespace {

std::optional<std::string> opt_text(const SQLite::Column& c) {
    if (c.isNull()) return std::nullopt;
    return c.getString();
}

// The one row `q` gives, if any, read by `read`; then `q` is reset. A
// cached statement left on its row keeps its read transaction open, and
// with it the database's read lock, until its next use: a writer in another
// process would wait for it.
template <class Read>
auto single(SQLite::Statement& q, Read read) -> std::optional<decltype(read(q))> {
    std::optional<decltype(read(q))> out;
    if (q.executeStep()) out = read(q);
    q.tryReset();
    return out;
}

template <class T>
void bind_opt(SQLite::Statement& s, int i, const std::optional<T>& v) {
    if (v) s.bind(i, *v);
    else s.bind(i);
}

// Records and their voids as of the pinned audit row (Database::pin).
constexpr char records_as_of[] =
    "record r LEFT JOIN void v ON v.record = r.id AND v.audit_seq <= trialcal_snapshot() WHERE "
    "r.audit_seq <= trialcal_snapshot() AND";

StoredRecord read_record(SQLite::Statement& q) { return store::read_record(StatementRow{q}); }

}  // namespace

void SqliteStore::append_audit(const AuditEntry& e, const std::string& at) {
    if (!audit_) audit_ = std::make_unique<AuditLog>(db_, written_, account_);
    audit_->append(e, at);
    // The next rows name the next audit row: known, not read again.
    audit_seq_ = audit_->last_seq() + 1;
}

std::int64_t SqliteStore::audit_seq() {
    if (!audit_seq_) audit_seq_ = sqlite::audit_head(db_).seq + 1;
    return *audit_seq_;
}

void SqliteStore::run_insert(SQLite::Statement& q, TableId t) {
    // RETURNING gives back the row as SQLite stored it: its digest is
    // computed from the same values `audit verify` will read.
    while (q.executeStep()) add_row(written_, t, q, 0);
}

std::optional<AuditRow> SqliteStore::audit_row(std::int64_t seq) { return sqlite::audit_row(db_, seq); }

std::optional<AuditRow> SqliteStore::audit_row_with_hash(const std::string& hash) {
    return sqlite::audit_row_with_hash(db_, hash);
}

ChainCheck SqliteStore::verify_audit() { return sqlite::verify_audit(db_); }

std::vector<AuditRow> SqliteStore::audit_rows(const std::optional<std::string>& patient) {
    return sqlite::audit_rows(db_, patient);
}

std::vector<AuditRow> SqliteStore::audit_rows_between(const std::optional<std::string>& patient, std::int64_t after,
                                                      std::int64_t up_to, std::size_t limit) {
    return sqlite::audit_rows_between(db_, patient, after, up_to, limit);
}

Head SqliteStore::audit_head() { return sqlite::audit_head(db_); }

std::optional<AuditRow> SqliteStore::earlier_import(const std::string& patient, const std::string& file_sha256) {
    return sqlite::earlier_import(db_, patient, file_sha256);
}

void SqliteStore::write(const std::function<void()>& body) {
    audit_seq_.reset();
    written_.clear();
    try {
        db_.write([&] {
            body();
            // Rows no audit row accounts for would be a break of the trail.
            if (!written_.empty())
                throw Error(Errc::internal, fmt::format("{} row(s) written without an audit row: nothing was written",
                                                        written_.rows()));
        });
    } catch (...) {
        audit_seq_.reset();
        written_.clear();
        throw;
    }
}

void SqliteStore::cache_kib(int kib) { db_.cache_kib(kib); }

SqliteStore::SqliteStore(Database& db, std::string account) : db_(db), account_(std::move(account)) {}

SqliteStore::SqliteStore(Database&& db, std::string account)
    : owned_(std::make_unique<Database>(std::move(db))), db_(*owned_), account_(std::move(account)) {}

SqliteStore::~SqliteStore() = default;

std::unique_ptr<Store> open(const std::filesystem::path& path, Mode mode, const std::string& account) {
    return std::make_unique<SqliteStore>(Database::open(path, mode), account);
}

std::unique_ptr<Store> memory(const std::string& account) {
    return std::make_unique<SqliteStore>(Database::memory(), account);
}

}  // namespace trialcal::store::sqlite

namespace trialcal::store {

void translate_engine_errors(const std::function<void()>& f) {
    try {
        f();
    } catch (const SQLite::Exception& e) {
        sqlite::rethrow_sqlite(e, "database");
    }
}

}  // namespace trialcal::store

namespace trialcal::store::sqlite {

ReadStatement& SqliteStore::reader(Sql sql) {
    auto& slot = readers_[sql.text()];
    if (!slot) slot = std::make_unique<ReadStatement>(db_.sql().getHandle(), sql);
    return *slot;
}

SQLite::Statement& SqliteStore::statement(Sql sql) {
    auto& slot = statements_[sql.text()];
    if (!slot) slot = std::make_unique<SQLite::Statement>(db_.sql(), sql.text());
    slot->tryReset();  // reset() would rethrow the error of the statement's last, refused, step
    slot->clearBindings();
    return *slot;
}

namespace {

// A patient row with the current version and day 0: the newest
// amendment's, else enrollment's; and whether the enrollment was voided;
// all as of the pinned audit row (Database::pin).
constexpr char patient_query[] =
    "SELECT p.id, p.protocol, coalesce(a.version, p.version), coalesce(a.protocol_sha256, p.protocol_sha256), "
    "p.site, coalesce(a.day0, p.day0), p.arm, p.sealed_arm, p.key, p.randomization_number, p.cohort, p.weight_kg, "
    "p.tz, ev.reason FROM patient p "
    "LEFT JOIN amendment a ON a.id = (SELECT max(id) FROM amendment WHERE patient = p.id AND "
    "audit_seq <= trialcal_snapshot()) "
    "LEFT JOIN enrollment_void ev ON ev.patient = p.id AND ev.audit_seq <= trialcal_snapshot() "
    "WHERE p.audit_seq <= trialcal_snapshot() ";

Patient read_patient(SQLite::Statement& q) { return store::read_patient(StatementRow{q}); }

}  // namespace

std::optional<Patient> SqliteStore::patient(const std::string& id) {
    static constexpr auto sql = join_sql(patient_query, "AND p.id = ?");
    SQLite::Statement& q = statement(sql.c_str());
    q.bind(1, id);
    return single(q, read_patient);
}

std::optional<std::string> SqliteStore::patient_id_ignoring_case(const std::string& id) {
    // ASCII case only, as SQLite's NOCASE folds: ids are ASCII (course.md).
    SQLite::Statement& q = statement("SELECT id FROM patient WHERE id = ? COLLATE NOCASE ORDER BY id LIMIT 1");
    q.bind(1, id);
    return single(q, [](SQLite::Statement& r) { return r.getColumn(0).getString(); });
}

namespace {

constexpr auto screening_query =
    join_sql("SELECT ", screening_columns, " FROM screening WHERE audit_seq <= trialcal_snapshot() ");

Screening read_screening(SQLite::Statement& q) { return store::read_screening(StatementRow{q}); }

}  // namespace

std::vector<Screening> SqliteStore::screenings(const std::string& id) {
    static constexpr auto sql = join_sql(screening_query.chars, "AND patient = ? COLLATE NOCASE ORDER BY id");
    SQLite::Statement& q = statement(sql.c_str());
    q.bind(1, id);
    std::vector<Screening> out;
    while (q.executeStep()) out.push_back(read_screening(q));
    q.tryReset();
    return out;
}

void SqliteStore::for_each_screening(const std::function<void(const Screening&)>& f) {
    static constexpr auto sql = join_sql(screening_query.chars, "ORDER BY site, patient, id");
    // Read first, then handed over: a statement kept open across `f` would
    // hold the read lock. Screenings are a few per patient.
    std::vector<Screening> all;
    {
        SQLite::Statement& q = statement(sql.c_str());
        while (q.executeStep()) all.push_back(read_screening(q));
        q.tryReset();
    }
    for (const auto& s : all) f(s);
}

std::int64_t SqliteStore::insert_screening(const Screening& s) {
    static constexpr auto sql = join_sql(
        "INSERT INTO screening (patient, protocol, version, protocol_sha256, site, on_date, \"values\", eligible, at, "
        "by, audit_seq) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING ",
        screening_columns);
    SQLite::Statement& q = statement(sql.c_str());
    q.bind(1, s.patient);
    q.bind(2, s.protocol);
    q.bind(3, s.version);
    q.bind(4, s.protocol_sha256);
    q.bind(5, s.site);
    q.bind(6, iso(s.on));
    q.bind(7, screening_values_text(s.values));
    q.bind(8, s.eligible ? 1 : 0);
    q.bind(9, s.at);
    q.bind(10, s.by);
    q.bind(11, audit_seq());
    run_insert(q, TableId::screening);
    return db_.sql().getLastInsertRowid();
}

void SqliteStore::void_enrollment(const std::string& patient, const std::string& reason, const std::string& at,
                                  const std::string& by) {
    static constexpr auto sql = join_sql("INSERT INTO enrollment_void (patient, reason, at, by, audit_seq) "
                                         "VALUES (?,?,?,?,?) RETURNING ",
                                         enrollment_void_columns);
    SQLite::Statement& q = statement(sql.c_str());
    q.bind(1, patient);
    q.bind(2, reason);
    q.bind(3, at);
    q.bind(4, by);
    q.bind(5, audit_seq());
    run_insert(q, TableId::enrollment_void);
}

std::vector<Patient> SqliteStore::patients() {
    std::vector<Patient> out;
    for_each_patient([&](const Patient& p) { out.push_back(p); });
    return out;
}

namespace {

// Reads grouped into short transactions: a statement on its own is a
// transaction of its own, and each takes and drops the file's read lock
// (three system calls and a check of the journal), which cost more than the
// reading itself for a network's report. A batch ends after `budget`, so a
// writer in another process waits for one batch at most, never for the whole
// read. The snapshot the store is pinned to keeps the batches consistent.
// Inside a transaction already (a write's), it does nothing.
class ReadBatch {
public:
    explicit ReadBatch(SQLite::Database& db) : db_(db) {}
    ReadBatch(const ReadBatch&) = delete;
    ReadBatch& operator=(const ReadBatch&) = delete;
    ~ReadBatch() {
        if (open_) sqlite3_exec(db_.getHandle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
    void begin() {
        if (open_ || !sqlite3_get_autocommit(db_.getHandle())) return;
        db_.exec("BEGIN");
        open_ = true;
        started_ = std::chrono::steady_clock::now();
    }
    // Ends the batch once it has run its time.
    void pause() {
        if (!open_ || std::chrono::steady_clock::now() - started_ < budget) return;
        open_ = false;
        db_.exec("COMMIT");
    }

private:
    static constexpr std::chrono::milliseconds budget{20};
    SQLite::Database& db_;
    bool open_ = false;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace

// The ids first, in one short read, then each patient by its key: a
// statement kept open across `f` would hold its read transaction, and with
// it the database's read lock, for the whole of a network's report, and
// every writer would wait for it. A network's ids are a few megabytes.
void SqliteStore::for_each_patient(const std::function<void(const Patient&)>& f) {
    std::vector<std::string> ids;
    SQLite::Statement& q =
        statement("SELECT id FROM patient p WHERE audit_seq <= trialcal_snapshot() AND NOT EXISTS (SELECT 1 FROM "
                  "enrollment_void v WHERE v.patient = p.id AND v.audit_seq <= trialcal_snapshot()) ORDER BY site, id");
    while (q.executeStep()) ids.push_back(q.getColumn(0).getString());
    q.tryReset();
    ReadBatch batch(db_.sql());
    for (const std::string& id : ids) {
        batch.begin();
        if (auto p = patient(id)) f(*p);
        batch.pause();
    }
}

std::string SqliteStore::protocol_text(const std::string& sha256) {
    SQLite::Statement& q = statement("SELECT text FROM protocol_file WHERE sha256 = ?");
    q.bind(1, sha256);
    auto text = single(q, [](SQLite::Statement& r) { return r.getColumn(0).getString(); });
    if (!text) throw Error(Errc::not_found, fmt::format("protocol file {} is not in the database", sha256));
    return std::move(*text);
}

namespace {

// Sorted as cli.md says: by date, visits before doses, then protocol order.
constexpr char plan_order[] = "ORDER BY date, kind = 'dose', ord";

// The newest revision of each event as of the pinned audit row.
constexpr char newest_revision[] =
    "revision = (SELECT max(revision) FROM planned_event n WHERE n.patient = o.patient AND n.event_id = o.event_id "
    "AND n.audit_seq <= trialcal_snapshot())";

}  // namespace

Calendar SqliteStore::plan(const Patient& p) {
    static constexpr auto sql = join_sql("SELECT ", event_columns.chars,
                                         ", retired FROM planned_event WHERE patient = ? AND audit_seq <= trialcal_snapshot() "
                                         "ORDER BY event_id, revision");
    ReadStatement& q = reader(sql.c_str());
    q.start(p.id);
    return plan_of(q, p, true);
}

Calendar SqliteStore::plan_for_judging(const Patient& p) {
    static constexpr auto sql = join_sql("SELECT ", judging_columns,
                                         ", retired FROM planned_event WHERE patient = ? AND audit_seq <= trialcal_snapshot() "
                                         "ORDER BY event_id, revision");
    ReadStatement& q = reader(sql.c_str());
    q.start(p.id);
    return plan_of(q, p, false);
}

std::optional<Event> SqliteStore::planned_event(const Patient& p, const std::string& event_id) {
    static constexpr auto sql =
        join_sql("SELECT ", event_columns.chars,
                 ", retired FROM planned_event WHERE patient = ? AND event_id = ? AND audit_seq <= trialcal_snapshot() "
                 "ORDER BY revision DESC LIMIT 1");
    ReadStatement& q = reader(sql.c_str());
    q.start(p.id, event_id);
    std::optional<Event> out;
    if (q.step() && q.integer64(18) == 0) read_event(q, true, out.emplace());
    q.finish();
    return out;
}

std::vector<Event> SqliteStore::replaced_events(const Patient& p) {
    static constexpr auto sql = join_sql("SELECT ", event_columns.chars,
                                         " FROM planned_event o WHERE patient = ? AND retired <> 0 AND audit_seq <= trialcal_snapshot() AND ",
                                         newest_revision, " ", plan_order);
    ReadStatement& q = reader(sql.c_str());
    q.start(p.id);
    std::vector<Event> out;
    while (q.step()) read_event(q, true, out.emplace_back());
    return out;
}

std::vector<StoredRecord> SqliteStore::records(const std::string& patient) {
    static constexpr auto sql =
        join_sql("SELECT ", record_columns, " FROM ", records_as_of, " r.patient = ? ORDER BY r.id");
    SQLite::Statement& q = statement(sql.c_str());
    q.bind(1, patient);
    std::vector<StoredRecord> out;
    while (q.executeStep()) out.push_back(read_record(q));
    return out;
}

std::optional<StoredRecord> SqliteStore::record(std::int64_t id) {
    static constexpr auto sql =
        join_sql("SELECT ", record_columns, " FROM ", records_as_of, " r.id = ?");
    SQLite::Statement& q = statement(sql.c_str());
    q.bind(1, id);
    return single(q, read_record);
}

Records SqliteStore::live_records(const std::string& patient) {
    static constexpr auto sql = join_sql(
        "SELECT ", live_record_columns,
        " FROM record r WHERE r.patient = ? AND r.audit_seq <= trialcal_snapshot() AND NOT EXISTS (SELECT 1 FROM "
        "void v WHERE v.record = r.id AND v.audit_seq <= trialcal_snapshot()) ORDER BY r.id");
    ReadStatement& q = reader(sql.c_str());
    q.start(patient);
    Records out;
    while (q.step()) add_live_record(q, out);
    return out;
}

namespace {

constexpr char slot_query[] =
    "SELECT r.protocol, r.number, r.site, r.ord, r.sealed_arm, r.key, p.id FROM randomization r "
    "LEFT JOIN patient p ON p.protocol = r.protocol AND p.randomization_number = r.number AND "
    "p.audit_seq <= trialcal_snapshot() WHERE r.audit_seq <= trialcal_snapshot() ";

RandomizationSlot read_slot(SQLite::Statement& q) {
    return {q.getColumn(0).getString(), q.getColumn(1).getString(), opt_text(q.getColumn(2)),
            q.getColumn(3).getInt64(),  q.getColumn(4).getString(), q.getColumn(5).getInt64(),
            opt_text(q.getColumn(6))};
}

constexpr char key_columns[] = "id, kind, public_key, fingerprint, name, installed_at, installed_by";

InstalledKey read_key(SQLite::Statement& q) {
    return {q.getColumn(0).getInt64(),  q.getColumn(1).getString(), q.getColumn(2).getString(),
            q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getString(),
            q.getColumn(6).getString()};
}

}  // namespace

std::optional<RandomizationSlot> SqliteStore::randomization(const std::string& protocol, const std::string& number) {
    static constexpr auto sql = join_sql(slot_query, "AND r.protocol = ? AND r.number = ?");
    SQLite::Statement& q = statement(sql.c_str());
    q.bind(1, protocol);
    q.bind(2, number);
    return single(q, read_slot);
}

std::optional<RandomizationSlot> SqliteStore::next_randomization(const std::string& protocol,
                                                                 const std::optional<std::string>& site) {
    static constexpr auto sql =
        join_sql(slot_query, "AND r.protocol = ? AND r.site IS ? AND p.id IS NULL ORDER BY r.ord LIMIT 1");
    SQLite::Statement& q = statement(sql.c_str());
    q.bind(1, protocol);
    bind_opt(q, 2, site);
    return single(q, read_slot);
}

Store::ListShape SqliteStore::randomization_list(const std::string& protocol) {
    SQLite::Statement& q =
        statement("SELECT count(*), coalesce(max(site IS NOT NULL), 0) FROM randomization WHERE protocol = ? AND "
                  "audit_seq <= trialcal_snapshot()");
    q.bind(1, protocol);
    return *single(q, [](SQLite::Statement& r) {
        return ListShape{r.getColumn(0).getInt64(), r.getColumn(1).getInt() != 0};
    });
}

std::optional<InstalledKey> SqliteStore::current_key(const std::string& kind) {
    static constexpr auto sql = join_sql("SELECT ", key_columns, " FROM trial_key WHERE kind = ? AND audit_seq <= trialcal_snapshot() "
                                         "ORDER BY id DESC LIMIT 1");
    SQLite::Statement& q = statement(sql.c_str());
    q.bind(1, kind);
    return single(q, read_key);
}

std::optional<InstalledKey> SqliteStore::installed_key(std::int64_t id) {
    static constexpr auto sql = join_sql("SELECT ", key_columns, " FROM trial_key WHERE id = ? AND audit_seq <= trialcal_snapshot()");
    SQLite::Statement& q = statement(sql.c_str());
    q.bind(1, id);
    return single(q, read_key);
}

std::optional<InstalledKey> SqliteStore::key_with_fingerprint(const std::string& kind, const std::string& fingerprint) {
    // The oldest: installing the same public key again changes nothing it says.
    static constexpr auto sql =
        join_sql("SELECT ", key_columns, " FROM trial_key WHERE kind = ? AND fingerprint = ? ORDER BY id LIMIT 1");
    SQLite::Statement& q = statement(sql.c_str());
    q.bind(1, kind);
    q.bind(2, fingerprint);
    if (!q.executeStep()) return std::nullopt;
    return read_key(q);
}

std::int64_t SqliteStore::install_key(const InstalledKey& k) {
    static constexpr auto sql =
        join_sql("INSERT INTO trial_key (kind, public_key, fingerprint, name, installed_at, installed_by, audit_seq) "
                 "VALUES (?,?,?,?,?,?,?) RETURNING ",
                 trial_key_columns);
    SQLite::Statement& q = statement(sql.c_str());
    q.bind(1, k.kind);
    q.bind(2, k.public_key);
    q.bind(3, k.fingerprint);
    q.bind(4, k.name);
    q.bind(5, k.installed_at);
    q.bind(6, k.installed_by);
    q.bind(7, audit_seq());
    run_insert(q, TableId::trial_key);
    return db_.sql().getLastInsertRowid();
}

void SqliteStore::save_protocol_file(const std::string& sha256, const std::string& protocol, const std::string& version,
                               const std::string& path, const std::string& body) {
    static constexpr auto sql =
        join_sql("INSERT INTO protocol_file (sha256, protocol, version, path, text, audit_seq) VALUES (?,?,?,?,?,?) "
                 "ON CONFLICT (sha256) DO NOTHING RETURNING ",
                 protocol_file_columns);
    SQLite::Statement& q = statement(sql.c_str());
    q.bind(1, sha256);
    q.bind(2, protocol);
    q.bind(3, version);
    q.bind(4, path);
    q.bindNoCopy(5, body);
    q.bind(6, audit_seq());
    run_insert(q, TableId::protocol_file);
}

void SqliteStore::insert_patient(const Patient& p, const std::string& at, const std::string& by) {
    static constexpr auto sql =
        join_sql("INSERT INTO patient (id, protocol, version, protocol_sha256, site, day0, arm, sealed_arm, key, "
                 "randomization_number, cohort, weight_kg, tz, enrolled_at, enrolled_by, audit_seq) "
                 "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING ",
                 patient_columns);
    SQLite::Statement& q = statement(sql.c_str());
    q.bind(1, p.id);
    q.bind(2, p.protocol);
    q.bind(3, p.version);
    q.bind(4, p.protocol_sha256);
    q.bind(5, p.site);
    q.bind(6, iso(p.day0));
    bind_opt(q, 7, p.arm);
    bind_opt(q, 8, p.sealed_arm);
    bind_opt(q, 9, p.key);
    bind_opt(q, 10, p.randomization_number);
    bind_opt(q, 11, p.cohort);
    bind_opt(q, 12, p.weight_kg);
    q.bind(13, p.tz);
    q.bind(14, at);
    q.bind(15, by);
    q.bind(16, audit_seq());
    run_insert(q, TableId::patient);
}

namespace {
constexpr char event_insert_columns[] =
    "patient, event_id, revision, retired, version, ord, kind, day, date, window_from, window_to, sequence, name, "
    "procedures, product, drug, amount, unit, route, intake, placed, closed_day, audit_seq";
}  // namespace

void SqliteStore::move_event(const std::string& patient, const Event& moved) {
    // A new revision of the event with the new dates: the old one stays.
    static constexpr auto sql = join_sql(
        "INSERT INTO planned_event (", event_insert_columns,
        ") SELECT patient, event_id, revision + 1, 0, version, ord, kind, day, ?1, ?2, ?3, sequence + 1, name, "
        "procedures, product, drug, amount, unit, route, intake, ?7, ?8, ?4 FROM planned_event o "
        "WHERE patient = ?5 AND event_id = ?6 AND retired = 0 AND ",
        newest_revision, " RETURNING ", planned_event_columns);
    SQLite::Statement& q = statement(sql.c_str());
    q.bind(1, iso(moved.date));
    q.bind(2, iso(moved.window.from));
    q.bind(3, iso(moved.window.to));
    q.bind(4, audit_seq());
    q.bind(5, patient);
    q.bind(6, moved.id);
    if (moved.placed) q.bind(7, iso(*moved.placed));
    else q.bind(7);
    if (moved.closed_day) q.bind(8, 1);
    else q.bind(8);
    const std::int64_t before = written_.rows();
    run_insert(q, TableId::planned_event);
    if (written_.rows() != before + 1)
        throw Error(Errc::not_found, fmt::format("no planned event {} for patient {}", moved.id, patient));
}

void SqliteStore::amend_plan(const std::string& patient, date::sys_days on, const Calendar& next, const std::string& sha256,
                       const std::string& at, const std::string& by, const std::string& reason) {
    static constexpr auto amend_sql =
        join_sql("INSERT INTO amendment (patient, version, protocol_sha256, on_date, at, by, reason, audit_seq, day0) "
                 "VALUES (?,?,?,?,?,?,?,?,?) RETURNING ",
                 amendment_columns);
    SQLite::Statement& a = statement(amend_sql.c_str());
    a.bind(1, patient);
    a.bind(2, next.version);
    a.bind(3, sha256);
    a.bind(4, iso(on));
    a.bind(5, at);
    a.bind(6, by);
    a.bind(7, reason);
    a.bind(8, audit_seq());
    a.bind(9, iso(next.day0));
    run_insert(a, TableId::amendment);
    const std::int64_t amendment = db_.sql().getLastInsertRowid();
    // Each event after `on` gets a revision that says this amendment took it out.
    static constexpr auto retire_sql = join_sql(
        "INSERT INTO planned_event (", event_insert_columns,
        ") SELECT patient, event_id, revision + 1, ?1, version, ord, kind, day, date, window_from, window_to, "
        "sequence, name, procedures, product, drug, amount, unit, route, intake, placed, closed_day, ?2 "
        "FROM planned_event o "
        "WHERE patient = ?3 AND retired = 0 AND date > ?4 AND ",
        newest_revision, " RETURNING ", planned_event_columns);
    SQLite::Statement& off = statement(retire_sql.c_str());
    off.bind(1, amendment);
    off.bind(2, audit_seq());
    off.bind(3, patient);
    off.bind(4, iso(on));
    run_insert(off, TableId::planned_event);
    Calendar after = next;
    std::erase_if(after.events, [&](const Event& e) { return e.date <= on; });
    insert_plan(patient, after, Revisions::continued);
}

// One planned_event row, borrowed from an Event or from a PlannedEvent and
// its protocol: the one place that binds the columns. Texts are C strings
// (of std::strings or literals) so they bind without a copy.
struct SqliteStore::EventRow {
    const char* id;
    EventKind kind;
    StudyDay day;
    date::sys_days date;
    DateWindow window;
    const char* name;
    const char* procedures;  // joined
    const char* product;
    const char* drug;
    std::optional<double> amount;
    const char* unit;
    const char* route;
    const char* intake;
    EventPlacement placement;
};

void SqliteStore::insert_event_row(const std::string& patient, const std::string& version, int ord, int revision,
                                   const EventRow& e) {
    static constexpr auto sql = join_sql(
        "INSERT INTO planned_event (patient, event_id, version, ord, kind, day, date, window_from, "
        "window_to, name, procedures, product, drug, amount, unit, route, intake, revision, audit_seq, placed, "
        "closed_day) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    SQLite::Statement& q = statement(sql.c_str());
    // Bound without copies: every text outlives the step below.
    const IsoDateText date(e.date), from(e.window.from), to(e.window.to),
        placed(e.placement.placed.value_or(e.date));
    q.bindNoCopy(1, patient);
    q.bindNoCopy(2, e.id);
    q.bindNoCopy(3, version);
    q.bind(4, ord);
    const char* kind = e.kind == EventKind::visit ? "visit" : "dose";
    q.bindNoCopy(5, kind);
    q.bind(6, e.day.count());
    q.bindNoCopy(7, date.c_str());
    q.bindNoCopy(8, from.c_str());
    q.bindNoCopy(9, to.c_str());
    q.bindNoCopy(10, e.name);
    q.bindNoCopy(11, e.procedures);
    q.bindNoCopy(12, e.product);
    q.bindNoCopy(13, e.drug);
    bind_opt(q, 14, e.amount);
    q.bindNoCopy(15, e.unit);
    q.bindNoCopy(16, e.route);
    q.bindNoCopy(17, e.intake);
    q.bind(18, revision);
    q.bind(19, audit_seq());
    if (e.placement.placed) q.bindNoCopy(20, placed.c_str());
    else q.bind(20);
    if (e.placement.closed_day) q.bind(21, 1);
    else q.bind(21);
    q.exec();
    q.tryReset();
    // Into the write's digest as add() would read the row back, in the order
    // of planned_event_columns: every column is bound above or takes its
    // default (retired and sequence 0), so the values are the stored ones.
    // Reading the plan's rows back cost a third of a network's import.
    written_.row(TableId::planned_event);
    written_.text(patient);
    written_.text(e.id);
    written_.integer(revision);
    written_.integer(0);  // retired
    written_.text(version);
    written_.integer(ord);
    written_.text(kind);
    written_.integer(e.day.count());
    written_.text(date.view());
    written_.text(from.view());
    written_.text(to.view());
    written_.integer(0);  // sequence
    written_.text(e.name);
    written_.text(e.procedures);
    written_.text(e.product);
    written_.text(e.drug);
    if (e.amount) written_.real(*e.amount);
    else written_.null();
    written_.text(e.unit);
    written_.text(e.route);
    written_.text(e.intake);
    if (e.placement.placed) written_.text(placed.view());
    else written_.null();
    if (e.placement.closed_day) written_.integer(1);
    else written_.null();
    written_.done();
}

int SqliteStore::next_revision(const std::string& patient, const std::string& event_id) {
    SQLite::Statement& q = statement(
        "SELECT coalesce(max(revision) + 1, 0) FROM planned_event WHERE patient = ? AND event_id = ?");
    q.bind(1, patient);
    q.bind(2, event_id);
    q.executeStep();
    return q.getColumn(0).getInt();
}

void SqliteStore::insert_plan(const std::string& patient, const Calendar& c) {
    insert_plan(patient, c, Revisions::first);
}

void SqliteStore::insert_plan(const std::string& patient, const Calendar& c, Revisions revisions) {
    int ord = 0;
    for (const auto& e : c.events) {
        const std::string procedures = join(e.procedures);
        const int revision = revisions == Revisions::first ? 0 : next_revision(patient, e.id);
        insert_event_row(patient, c.version, ord++, revision,
                         {e.id.c_str(), e.kind, e.day, e.date, e.window, e.name.c_str(), procedures.c_str(),
                          e.product.c_str(), e.drug.c_str(), e.amount, e.unit.c_str(), e.route.c_str(),
                          e.intake.c_str(), {e.placed, e.closed_day}});
    }
}

void SqliteStore::insert_plan(const std::string& patient, const Protocol& p, std::span<const PlannedEvent> events,
                        std::span<const Dose> doses, std::span<const EventPlacement> placements) {
    if (placements.size() != events.size())
        throw Error(Errc::internal, fmt::format("patient {}: {} placements for {} events", patient, placements.size(),
                                                events.size()));
    std::vector<std::string> procedures;  // joined once per visit, not per row
    procedures.reserve(p.visits.size());
    for (const auto& v : p.visits) procedures.push_back(join(v.procedures));
    std::string id;
    int ord = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const PlannedEvent& e = events[i];
        write_event_id(id, p, e);
        if (e.kind == EventKind::visit) {
            const Visit& v = p.visits[e.source];
            insert_event_row(patient, p.version, ord++, 0,
                             {id.c_str(), e.kind, e.day, e.date, e.window, v.name.c_str(),
                              procedures[e.source].c_str(), "", "", std::nullopt, "", "", "", placements[i]});
        } else {
            const Regimen& r = p.regimens[e.source];
            const Dose& dose = doses[e.source];
            const Product* product = p.product(r.product);
            insert_event_row(patient, p.version, ord++, 0,
                             {id.c_str(), e.kind, e.day, e.date, e.window, "", "", r.product.c_str(),
                              dose.drug.c_str(), dose.amount, dose.unit.c_str(), product ? product->route.c_str() : "",
                              r.intakes.empty() ? "" : r.intakes[e.intake].c_str(), placements[i]});
        }
    }
}

namespace {

constexpr char record_insert_head[] =
    "INSERT INTO record (id, patient, kind, event_id, at_local, at_utc, tz, date, product, amount, unit, kit, note, "
    "reason, recorded_at, recorded_by, audit_seq, until, kg, lost_to_follow_up, name) VALUES ";
constexpr char record_insert_row[] = "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr int record_insert_columns = 21;
constexpr auto record_returning = join_sql(" RETURNING ", record_row_columns);

// Binds `r` to the parameters after `base`, without copies: `r` and `date`
// outlive the step. An id of 0 lets SQLite choose it.
void bind_record(SQLite::Statement& q, int base, const StoredRecord& r, const std::optional<IsoDateText>& date,
                 const std::optional<IsoDateText>& until, std::int64_t audit_seq) {
    const auto text_or_null = [&q, base](int i, const std::string& v) {
        if (v.empty()) q.bind(base + i);
        else q.bindNoCopy(base + i, v);
    };
    if (r.id > 0) q.bind(base + 1, r.id);
    q.bindNoCopy(base + 2, r.patient);
    q.bindNoCopy(base + 3, kind_name(r.kind));
    if (r.event) q.bindNoCopy(base + 4, *r.event);
    text_or_null(5, r.at_local);
    text_or_null(6, r.at_utc);
    text_or_null(7, r.tz);
    if (date) q.bindNoCopy(base + 8, date->c_str());
    text_or_null(9, r.product);
    bind_opt(q, base + 10, r.amount);
    text_or_null(11, r.unit);
    text_or_null(12, r.kit);
    text_or_null(13, r.note);
    text_or_null(14, r.reason);
    q.bindNoCopy(base + 15, r.recorded_at);
    q.bindNoCopy(base + 16, r.recorded_by);
    q.bind(base + 17, audit_seq);
    if (until) q.bindNoCopy(base + 18, until->c_str());
    bind_opt(q, base + 19, r.kg);
    if (r.lost_to_follow_up) q.bind(base + 20, 1);
    text_or_null(21, r.name);
}

std::optional<IsoDateText> date_text(const std::optional<date::sys_days>& d) {
    return d ? std::optional<IsoDateText>(*d) : std::nullopt;
}

}  // namespace

std::int64_t SqliteStore::insert_record(const StoredRecord& r) {
    static constexpr auto sql = join_sql(record_insert_head, record_insert_row, record_returning.chars);
    SQLite::Statement& q = statement(sql.c_str());
    const std::optional<IsoDateText> date = date_text(r.date), until = date_text(r.until);
    bind_record(q, 0, r, date, until, audit_seq());
    run_insert(q, TableId::record);
    return db_.sql().getLastInsertRowid();
}

std::int64_t SqliteStore::next_record_id() {
    SQLite::Statement& q = statement("SELECT coalesce(max(id), 0) + 1 FROM record");
    q.executeStep();
    return q.getColumn(0).getInt64();
}

void SqliteStore::insert_records(std::span<const StoredRecord> rs) {
    std::array<std::optional<IsoDateText>, records_per_insert> dates, untils;
    const std::int64_t seq = audit_seq();
    while (!rs.empty()) {
        const std::size_t n = std::min(rs.size(), records_per_insert);
        std::unique_ptr<SQLite::Statement>& slot = record_inserts_[n - 1];
        if (!slot) {
            std::string sql = record_insert_head;
            for (std::size_t i = 0; i < n; ++i) {
                if (i > 0) sql += ',';
                sql += record_insert_row;
            }
            sql += record_returning.chars;
            slot = std::make_unique<SQLite::Statement>(db_.sql(), sql);
        }
        SQLite::Statement& q = *slot;
        q.reset();
        q.clearBindings();
        for (std::size_t i = 0; i < n; ++i) {
            dates[i] = date_text(rs[i].date);
            untils[i] = date_text(rs[i].until);
            bind_record(q, static_cast<int>(i) * record_insert_columns, rs[i], dates[i], untils[i], seq);
        }
        run_insert(q, TableId::record);
        rs = rs.subspan(n);
    }
}

std::vector<StoredRecord> SqliteStore::records_between(std::int64_t first, std::int64_t last) {
    static constexpr auto sql =
        join_sql("SELECT ", record_columns, " FROM ", records_as_of, " r.id BETWEEN ? AND ? ORDER BY r.id");
    SQLite::Statement& q = statement(sql.c_str());
    q.bind(1, first);
    q.bind(2, last);
    std::vector<StoredRecord> out;
    while (q.executeStep()) out.push_back(read_record(q));
    return out;
}

void SqliteStore::insert_void(std::int64_t rec, const std::string& reason, const std::string& at, const std::string& by) {
    static constexpr auto sql = join_sql("INSERT INTO void (record, reason, voided_at, voided_by, audit_seq) "
                                         "VALUES (?,?,?,?,?) RETURNING ",
                                         void_columns);
    SQLite::Statement& q = statement(sql.c_str());
    q.bind(1, rec);
    q.bind(2, reason);
    q.bind(3, at);
    q.bind(4, by);
    q.bind(5, audit_seq());
    run_insert(q, TableId::void_);
}

void SqliteStore::insert_randomization(const RandomizationSlot& r) {
    static constexpr auto sql = join_sql("INSERT INTO randomization (protocol, number, site, ord, sealed_arm, key, "
                                         "audit_seq) VALUES (?,?,?,?,?,?,?) RETURNING ",
                                         randomization_columns);
    SQLite::Statement& q = statement(sql.c_str());
    q.bind(1, r.protocol);
    q.bind(2, r.number);
    bind_opt(q, 3, r.site);
    q.bind(4, r.ord);
    q.bind(5, r.sealed_arm);
    q.bind(6, r.key);
    q.bind(7, audit_seq());
    run_insert(q, TableId::randomization);
}

}  // namespace trialcal::store::sqlite
