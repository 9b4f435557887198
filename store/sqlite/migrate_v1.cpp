// Schema 1 → 2 on SQLite: the old tables are read (store::SchemaOne), set
// aside under a v1_ prefix while schema 2's are made under the real names,
// and dropped once the use case has written schema 2's rows. Everything but
// the compaction is one transaction, so a crash or a refusal leaves schema 1
// as it was. The schema-1 text is here only to be read, never made again.
#include "store/schema_one.hpp"
#include "store/sqlite/audit_log.hpp"
#include "store/sqlite/schema.sql.hpp"
#include "store/sqlite/sqlite_store.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>

namespace trialcal::store::sqlite {

namespace {

// Schema 1's tables, children first: the order they are dropped in.
constexpr std::array<const char*, 8> old_tables{"void",    "record",        "amendment",     "planned_event",
                                                "patient", "randomization", "protocol_file", "audit"};

std::string text_or_empty(const SQLite::Column& c) { return c.isNull() ? std::string{} : c.getString(); }

std::optional<std::string> opt_text(const SQLite::Column& c) {
    if (c.isNull()) return std::nullopt;
    return c.getString();
}

// Schema 1's canonical form of an audit row (store/audit.cpp at 97b1eaf): the
// chain the old trail was written with, checked before it is carried over.
std::string v1_canonical(const AuditRow& r) {
    std::string out = "trialcal-audit-v1;";
    char digits[24];
    const auto number = [&](std::int64_t v) {
        const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, v);
        out.append(digits, end);
    };
    number(r.seq);
    out += ';';
    const AuditEntry& e = r.entry;
    for (const std::string* f : {&r.prev_hash, &r.at, &e.by, &e.action, &e.patient, &e.target, &e.old_value,
                                 &e.new_value, &e.sealed, &e.reason}) {
        number(static_cast<std::int64_t>(f->size()));
        out += ':';
        out += *f;
        out += ';';
    }
    return out;
}

// The old tables, under `prefix`: "" before they are set aside, "v1_" after.
class SqliteSchemaOne final : public SchemaOne {
public:
    explicit SqliteSchemaOne(Database& db) : db_(db) {}
    void set_aside() { prefix_ = "v1_"; }

    OldChain check_chain() override {
        OldChain c;
        std::string prev = genesis_hash;
        std::int64_t expected = 1;
        for (const AuditRow& r : audit_rows()) {
            ++c.rows;
            c.head = {r.seq, r.hash};
            if (c.broken) continue;
            if (r.seq != expected)
                c.broken = Break{r.seq, fmt::format("row {} follows row {}: a row is missing", r.seq, expected - 1)};
            else if (r.prev_hash != prev)
                c.broken = Break{r.seq, fmt::format("row {} does not point at the hash of row {}", r.seq, r.seq - 1)};
            else if (sha256_hex(v1_canonical(r)) != r.hash)
                c.broken = Break{r.seq, fmt::format("row {} was changed after it was written: its hash does not match",
                                                    r.seq)};
            prev = r.hash;
            expected = r.seq + 1;
        }
        return c;
    }

    std::vector<AuditRow> audit_rows() override {
        SQLite::Statement q(db_.sql(), sql("SELECT seq, at, by, action, patient, target, old, new, sealed, reason, "
                                           "prev_hash, hash FROM {}audit ORDER BY seq"));
        std::vector<AuditRow> out;
        while (q.executeStep()) {
            AuditRow& r = out.emplace_back();
            r.seq = q.getColumn(0).getInt64();
            r.at = q.getColumn(1).getString();
            r.entry = {text_or_empty(q.getColumn(2)), text_or_empty(q.getColumn(3)), text_or_empty(q.getColumn(4)),
                       text_or_empty(q.getColumn(5)), text_or_empty(q.getColumn(6)), text_or_empty(q.getColumn(7)),
                       text_or_empty(q.getColumn(8)), text_or_empty(q.getColumn(9)), ""};
            r.prev_hash = q.getColumn(10).getString();
            r.hash = q.getColumn(11).getString();
        }
        return out;
    }

    std::vector<OldProtocolFile> protocol_files() override {
        SQLite::Statement q(db_.sql(), sql("SELECT sha256, protocol, version, path, text FROM {}protocol_file "
                                           "ORDER BY sha256"));
        std::vector<OldProtocolFile> out;
        while (q.executeStep())
            out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                           q.getColumn(3).getString(), q.getColumn(4).getString()});
        return out;
    }

    std::vector<OldRandomization> randomization() override {
        SQLite::Statement q(db_.sql(), sql("SELECT protocol, number, arm FROM {}randomization ORDER BY protocol, number"));
        std::vector<OldRandomization> out;
        while (q.executeStep())
            out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString()});
        return out;
    }

    std::vector<OldPatient> patients() override {
        // Enrollment order: the order their audit rows were written in.
        SQLite::Statement q(db_.sql(),
                            sql("SELECT id, protocol, version, protocol_sha256, site, day0, arm, randomization_number, "
                                "cohort, weight_kg, tz, enrolled_at, enrolled_by FROM {}patient ORDER BY rowid"));
        std::vector<OldPatient> out;
        while (q.executeStep()) {
            OldPatient& o = out.emplace_back();
            Patient& p = o.patient;
            p.id = q.getColumn(0).getString();
            p.protocol = q.getColumn(1).getString();
            p.version = q.getColumn(2).getString();
            p.protocol_sha256 = q.getColumn(3).getString();
            p.site = q.getColumn(4).getString();
            p.day0 = from_iso(q.getColumn(5).getString());
            p.arm = opt_text(q.getColumn(6));
            p.randomization_number = opt_text(q.getColumn(7));
            p.cohort = opt_text(q.getColumn(8));
            if (!q.getColumn(9).isNull()) p.weight_kg = q.getColumn(9).getDouble();
            p.tz = q.getColumn(10).getString();
            o.enrolled_at = q.getColumn(11).getString();
            o.enrolled_by = q.getColumn(12).getString();
        }
        return out;
    }

    std::vector<PlanRow> plan(const std::string& patient) override {
        // An event's retired rows first, oldest amendment first, then the
        // active one: schema 2's newest revision is then the plan.
        SQLite::Statement q(db_.sql(),
                            sql("SELECT event_id, retired, version, ord, kind, day, date, window_from, window_to, "
                                "sequence, name, procedures, product, drug, amount, unit, route, intake "
                                "FROM {}planned_event WHERE patient = ? ORDER BY event_id, retired = 0, retired"));
        q.bind(1, patient);
        std::vector<PlanRow> out;
        while (q.executeStep()) {
            PlanRow& r = out.emplace_back();
            r.event_id = q.getColumn(0).getString();
            r.revision = out.size() > 1 && out[out.size() - 2].event_id == r.event_id ? out[out.size() - 2].revision + 1 : 0;
            r.retired = q.getColumn(1).getInt64();
            r.version = q.getColumn(2).getString();
            r.ord = q.getColumn(3).getInt64();
            r.kind = q.getColumn(4).getString();
            r.day = q.getColumn(5).getInt64();
            r.date = q.getColumn(6).getString();
            r.window_from = q.getColumn(7).getString();
            r.window_to = q.getColumn(8).getString();
            r.sequence = q.getColumn(9).getInt64();
            r.name = q.getColumn(10).getString();
            r.procedures = q.getColumn(11).getString();
            r.product = q.getColumn(12).getString();
            r.drug = q.getColumn(13).getString();
            if (!q.getColumn(14).isNull()) r.amount = q.getColumn(14).getDouble();
            r.unit = q.getColumn(15).getString();
            r.route = q.getColumn(16).getString();
            r.intake = q.getColumn(17).getString();
        }
        return out;
    }

    std::vector<AmendmentRow> amendments(const std::string& patient) override {
        SQLite::Statement q(db_.sql(), sql("SELECT id, patient, version, protocol_sha256, on_date, at, by, reason "
                                           "FROM {}amendment WHERE patient = ? ORDER BY id"));
        q.bind(1, patient);
        std::vector<AmendmentRow> out;
        while (q.executeStep())
            out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                           q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getString(),
                           q.getColumn(6).getString(), q.getColumn(7).getString()});
        return out;
    }

    std::vector<StoredRecord> records(const std::string& patient) override {
        SQLite::Statement q(db_.sql(), sql("SELECT id, patient, kind, event_id, at_local, at_utc, tz, date, product, "
                                           "amount, unit, kit, note, reason, recorded_at, recorded_by "
                                           "FROM {}record WHERE patient = ? ORDER BY id"));
        q.bind(1, patient);
        std::vector<StoredRecord> out;
        while (q.executeStep()) {
            StoredRecord& r = out.emplace_back();
            r.id = q.getColumn(0).getInt64();
            r.patient = q.getColumn(1).getString();
            const std::string kind = q.getColumn(2).getString();
            r.kind = kind == "dose" ? RecordKind::dose : kind == "visit" ? RecordKind::visit : RecordKind::skip;
            r.event = opt_text(q.getColumn(3));
            r.at_local = text_or_empty(q.getColumn(4));
            r.at_utc = text_or_empty(q.getColumn(5));
            r.tz = text_or_empty(q.getColumn(6));
            if (!q.getColumn(7).isNull()) r.date = from_iso(q.getColumn(7).getString());
            r.product = text_or_empty(q.getColumn(8));
            if (!q.getColumn(9).isNull()) r.amount = q.getColumn(9).getDouble();
            r.unit = text_or_empty(q.getColumn(10));
            r.kit = text_or_empty(q.getColumn(11));
            r.note = text_or_empty(q.getColumn(12));
            r.reason = text_or_empty(q.getColumn(13));
            r.recorded_at = q.getColumn(14).getString();
            r.recorded_by = q.getColumn(15).getString();
        }
        return out;
    }

    std::vector<OldVoid> voids(const std::string& patient) override {
        SQLite::Statement q(db_.sql(), sql("SELECT v.record, v.reason, v.voided_at, v.voided_by FROM {0}void v "
                                           "JOIN {0}record r ON r.id = v.record WHERE r.patient = ? ORDER BY v.record"));
        q.bind(1, patient);
        std::vector<OldVoid> out;
        while (q.executeStep())
            out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                           q.getColumn(3).getString()});
        return out;
    }

private:
    [[nodiscard]] std::string sql(const char* text) const { return fmt::format(fmt::runtime(text), prefix_); }

    Database& db_;
    std::string prefix_;
};

bool table_exists(SQLite::Database& db, const std::string& name) {
    SQLite::Statement q(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
    q.bind(1, name);
    return q.executeStep();
}

}  // namespace

int SqliteStore::schema_version() { return db_.version(); }

void SqliteStore::finalize_statements() {
    // Prepared again on their next use.
    statements_.clear();
    readers_.clear();
    audit_.reset();
    for (auto& r : record_inserts_) r.reset();
}

bool SqliteStore::migrate_schema_one(const std::function<void(SchemaOne&)>& check,
                                     const std::function<void(SchemaOne&)>& copy) {
    if (db_.version() != 1) return false;
    SQLite::Database& db = db_.sql();
    // Foreign keys cannot be switched inside a transaction: off while the
    // old tables are renamed and dropped (their rows point at each other),
    // checked in full before the commit instead.
    db.exec("PRAGMA foreign_keys = OFF");
    // Pages freed by the dropped tables are overwritten with zeros, so the
    // plaintext arms do not survive in free pages (nor in a WAL) even before
    // the VACUUM below.
    db.exec("PRAGMA secure_delete = ON");
    bool migrated = false;
    audit_seq_.reset();
    written_.clear();
    try {
        db_.write([&] {
            // Another trialcal may have migrated it while we waited for the lock.
            if (db.execAndGet("PRAGMA user_version").getInt() != 1) return;
            SqliteSchemaOne old(db_);
            check(old);
            // Set aside: schema 2's triggers and indexes reuse schema 1's names.
            std::vector<std::string> drops;
            {
                SQLite::Statement q(db, "SELECT type, name FROM sqlite_schema WHERE type IN ('trigger', 'index') "
                                        "AND name NOT LIKE 'sqlite_autoindex%'");
                while (q.executeStep())
                    drops.push_back(fmt::format("DROP {} \"{}\"", q.getColumn(0).getString(), q.getColumn(1).getString()));
            }
            for (const auto& d : drops) db.exec(d);
            for (const char* t : old_tables)
                if (table_exists(db, t))
                    db.exec(fmt::format("ALTER TABLE \"{0}\" RENAME TO \"v1_{0}\"", t));
            old.set_aside();
            // Straight to the current schema: `copy` registers the sites too.
            db.exec(schema_v2);
            db.exec(schema_v3);
            db.exec(schema_v4);
            copy(old);
            if (!written_.empty())
                throw Error(Errc::internal, fmt::format("{} row(s) written without an audit row: nothing was migrated",
                                                        written_.rows()));
            // DROP TABLE refuses while any statement has a cursor open (the
            // trail's head read, say): the store's are finalised first.
            finalize_statements();
            for (const char* t : old_tables)
                if (table_exists(db, std::string("v1_") + t))
                    db.exec(fmt::format("DROP TABLE \"v1_{}\"", t));
            check_foreign_keys();
            db.exec(fmt::format("PRAGMA user_version = {}", sqlite::schema_version));
            migrated = true;
        });
    } catch (...) {
        audit_seq_.reset();
        written_.clear();
        finalize_statements();
        db.exec("PRAGMA foreign_keys = ON");
        throw;
    }
    db.exec("PRAGMA foreign_keys = ON");
    if (!migrated) return false;
    db_.set_version(sqlite::schema_version);
    // VACUUM refuses while a statement is active, too.
    finalize_statements();
    audit_seq_.reset();
    // The old tables' bytes leave the file: VACUUM rewrites it from the live
    // rows only; a WAL (when this SQLite is trusted with one) is emptied.
    translate(db_.path().string(), [&] {
        db.exec("VACUUM");
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    });
    return true;
}

void SqliteStore::append_history(const AuditRow& carried) {
    if (!written_.empty())
        throw Error(Errc::internal, "a carried audit row accounts for no rows: rows written before it need their own");
    if (!audit_) audit_ = std::make_unique<AuditLog>(db_, written_, account_);
    audit_->append_as(carried.entry, carried.at, carried.account);
    audit_seq_ = audit_->last_seq() + 1;
}

void SqliteStore::insert_plan_rows(const std::string& patient, const std::vector<PlanRow>& rows) {
    static constexpr auto sql = join_sql(
        "INSERT INTO planned_event (patient, event_id, revision, retired, version, ord, kind, day, date, window_from, "
        "window_to, sequence, name, procedures, product, drug, amount, unit, route, intake, audit_seq) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING ",
        planned_event_columns);
    for (const PlanRow& r : rows) {
        SQLite::Statement& q = statement(sql.c_str());
        q.bind(1, patient);
        q.bind(2, r.event_id);
        q.bind(3, r.revision);
        q.bind(4, r.retired);
        q.bind(5, r.version);
        q.bind(6, r.ord);
        q.bind(7, r.kind);
        q.bind(8, r.day);
        q.bind(9, r.date);
        q.bind(10, r.window_from);
        q.bind(11, r.window_to);
        q.bind(12, r.sequence);
        q.bind(13, r.name);
        q.bind(14, r.procedures);
        q.bind(15, r.product);
        q.bind(16, r.drug);
        if (r.amount) q.bind(17, *r.amount);
        q.bind(18, r.unit);
        q.bind(19, r.route);
        q.bind(20, r.intake);
        q.bind(21, audit_seq());
        run_insert(q, TableId::planned_event);
    }
}

void SqliteStore::insert_amendment(const AmendmentRow& a) {
    static constexpr auto sql =
        join_sql("INSERT INTO amendment (id, patient, version, protocol_sha256, on_date, at, by, reason, audit_seq) "
                 "VALUES (?,?,?,?,?,?,?,?,?) RETURNING ",
                 amendment_columns);
    SQLite::Statement& q = statement(sql.c_str());
    q.bind(1, a.id);
    q.bind(2, a.patient);
    q.bind(3, a.version);
    q.bind(4, a.protocol_sha256);
    q.bind(5, a.on_date);
    q.bind(6, a.at);
    q.bind(7, a.by);
    q.bind(8, a.reason);
    q.bind(9, audit_seq());
    run_insert(q, TableId::amendment);
}

}  // namespace trialcal::store::sqlite
