#include "store/postgresql/pg_store.hpp"

#include "store/postgresql/rows.hpp"
#include "store/postgresql/schema.sql.hpp"
#include "store/rows.hpp"
#include "store/schema_one.hpp"
#include "store/tables.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <unordered_map>


namespace trialcal::store::postgresql {

namespace {

// The key of the advisory lock every write takes first: one writer at a time
// across the network, so the audit chain never forks ("TCAL").
// Sent with BEGIN, in one round trip.
constexpr char begin_write[] = "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(1413693772)";

constexpr char patient_query[] =
    "SELECT p.id, p.protocol, coalesce(a.version, p.version), coalesce(a.protocol_sha256, p.protocol_sha256), "
    "p.site, coalesce(a.day0, p.day0), p.arm, p.sealed_arm, p.key, p.randomization_number, p.cohort, p.weight_kg, "
    "p.tz, ev.reason FROM patient p "
    "LEFT JOIN amendment a ON a.id = (SELECT max(id) FROM amendment WHERE patient = p.id) "
    "LEFT JOIN enrollment_void ev ON ev.patient = p.id ";


constexpr auto screening_query = join_sql("SELECT ", screening_columns, " FROM screening ");

constexpr char slot_query[] =
    "SELECT r.protocol, r.number, r.site, r.ord, r.sealed_arm, r.key, trialcal.number_holder(r.protocol, r.number) "
    "FROM randomization r ";

RandomizationSlot read_slot(const Result& q, int i) {
    return {q.str(i, 0), q.str(i, 1), q.opt(i, 2), q.integer(i, 3), q.str(i, 4), q.integer(i, 5), q.opt(i, 6)};
}

constexpr char key_query[] =
    "SELECT id, kind, public_key, fingerprint, name, installed_at, installed_by FROM trial_key ";

InstalledKey read_key(const Result& q, int i) {
    return {q.integer(i, 0), q.str(i, 1), q.str(i, 2), q.str(i, 3), q.str(i, 4), q.str(i, 5), q.str(i, 6)};
}

constexpr auto audit_query = join_sql("SELECT ", audit_columns, " FROM audit ");

std::vector<AuditRow> audit_rows_of(const Result& q) {
    std::vector<AuditRow> out;
    out.reserve(static_cast<std::size_t>(q.rows()));
    for (int i = 0; i < q.rows(); ++i) out.push_back(read_audit_row(ResultRows(q, i)));
    return out;
}

std::optional<AuditRow> first_audit_row(const Result& q) {
    if (q.rows() == 0) return std::nullopt;
    return read_audit_row(ResultRows(q, 0));
}

// The newest revision of each event.
constexpr char newest_revision[] =
    "revision = (SELECT max(revision) FROM planned_event n WHERE n.patient = o.patient AND n.event_id = o.event_id)";

constexpr char event_insert_columns[] =
    "patient, event_id, revision, retired, version, ord, kind, day, date, window_from, window_to, sequence, name, "
    "procedures, product, drug, amount, unit, route, intake, placed, closed_day, audit_seq";

}  // namespace

void add_row(RowDigest& digest, TableId table, const Result& q, int row, int first) {
    digest.row(table);
    for (int c = first; c < q.columns(); ++c) {
        if (q.null(row, c)) {
            digest.null();
            continue;
        }
        switch (q.kind(c)) {
        case Result::Kind::integer: digest.integer(q.integer(row, c)); break;
        case Result::Kind::real: digest.real(q.real(row, c)); break;
        case Result::Kind::text: digest.text(q.text(row, c)); break;
        }
    }
    digest.done();
}

std::string rows_insert_sql(std::string_view head, int width, std::size_t n, std::string_view returning) {
    std::string sql(head);
    for (std::size_t i = 0; i < n; ++i) {
        sql += i ? ",(" : "(";
        for (int c = 1; c <= width; ++c)
            sql += fmt::format("{}${}", c > 1 ? "," : "", static_cast<int>(i) * width + c);
        sql += ')';
    }
    if (!returning.empty()) sql += fmt::format(" RETURNING {}", returning);
    return sql;
}

PgStore::PgStore(std::unique_ptr<Connection> c, Mode mode) : c_(std::move(c)), mode_(mode) {
    // The schema first: a query naming trialcal.meta would fail to plan without it.
    const bool initialised =
        c_->query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'trialcal'").rows() > 0;
    const Result v = initialised ? c_->query("SELECT value FROM trialcal.meta WHERE key = 'schema_version'")
                                 : Result(nullptr);
    if (v.rows() == 0)
        throw Error(Errc::no_database, fmt::format("PostgreSQL database {} holds no trial: run `trialcal --db URI db "
                                                   "init` as its owner first",
                                                   c_->database()));
    schema_ = static_cast<int>(v.integer(0, 0));
    if (schema_ > postgresql::schema_version)
        throw Error(Errc::newer_schema, fmt::format("PostgreSQL database {} has schema {}, newer than this trialcal's "
                                                    "({}): use a newer trialcal",
                                                    c_->database(), schema_, postgresql::schema_version));
    if (mode_ == Mode::read) {
        // One snapshot for the whole read: the server's MVCC keeps it without
        // holding anything a writer waits for.
        c_->exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        reading_ = true;
    }
}

PgStore::~PgStore() {
    if (reading_) {
        try {
            c_->exec("ROLLBACK");
        } catch (...) {  // NOLINT(bugprone-empty-catch): the connection closes next anyway
        }
    }
}

void PgStore::write(const std::function<void()>& body) {
    if (mode_ == Mode::read) throw Error(Errc::internal, "a write on a store opened to read");
    head_.reset();
    written_.clear();
    in_write_ = true;
    try {
        c_->exec(begin_write);
        body();
        if (!written_.empty())
            throw Error(Errc::internal, fmt::format("{} row(s) written without an audit row: nothing was written",
                                                    written_.rows()));
        c_->exec("COMMIT");
        in_write_ = false;
    } catch (...) {
        in_write_ = false;
        head_.reset();
        written_.clear();
        try {
            c_->exec("ROLLBACK");
        } catch (...) {  // NOLINT(bugprone-empty-catch): the first error is the one to report
        }
        throw;
    }
}

std::int64_t PgStore::audit_seq() { return chain_head().seq + 1; }

Head PgStore::chain_head() {
    if (!in_write_) return audit_head();
    if (!head_) head_ = audit_head();
    return *head_;
}

void PgStore::insert(std::string_view sql, const Params& params, TableId t) {
    const Result r = c_->run(sql, params);
    for (int i = 0; i < r.rows(); ++i) add_row(written_, t, r, i, 0);
}

void PgStore::in_snapshot(const std::function<void()>& read) {
    if (reading_ || in_write_) {
        read();
        return;
    }
    c_->exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    try {
        read();
    } catch (...) {
        try {
            c_->exec("ROLLBACK");
        } catch (...) {  // NOLINT(bugprone-empty-catch): the first error is the one to report
        }
        throw;
    }
    c_->exec("COMMIT");
}

bool PgStore::owns_schema() {
    return c_->run("SELECT pg_catalog.pg_has_role(nspowner, 'USAGE') FROM pg_catalog.pg_namespace WHERE nspname = "
                   "'trialcal'")
               .text(0, 0) == "t";
}

void PgStore::refused_at_site(const Error& e, const std::string& site) {
    if (e.code() != Errc::not_permitted) throw e;
    throw Error(Errc::not_permitted,
                fmt::format("role {} may not write this at site {} ({})", c_->role(), site, e.what()));
}

// Patients

std::optional<Patient> PgStore::patient_row(const std::string& id) {
    static const std::string sql = std::string(patient_query) + "WHERE p.id = $1";
    const Result r = c_->run(sql, Params().text(id));
    if (r.rows() == 0) return std::nullopt;
    return read_patient(ResultRows(r, 0));
}

std::optional<Patient> PgStore::patient(const std::string& id) {
    if (auto p = patient_row(id)) return p;
    // Not one of the caller's sites' patients, or no patient at all: the
    // server says which, and the refusal names the site.
    const Result site = c_->run("SELECT trialcal.patient_site($1)", Params().text(id));
    if (site.rows() > 0 && !site.null(0, 0))
        throw Error(Errc::not_permitted, fmt::format("patient {} is at site {}, where role {} does not work", id,
                                                     site.text(0, 0), c_->role()));
    return std::nullopt;
}

std::optional<std::string> PgStore::patient_id_ignoring_case(const std::string& id) {
    const Result r = c_->run("SELECT trialcal.patient_id_ignoring_case($1)", Params().text(id));
    if (r.rows() == 0 || r.null(0, 0)) return std::nullopt;
    return r.str(0, 0);
}

std::vector<Screening> PgStore::screenings(const std::string& id) {
    static const std::string sql = std::string(screening_query.chars) + "WHERE lower(patient) = lower($1) ORDER BY id";
    const Result r = c_->run(sql, Params().text(id));
    std::vector<Screening> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_screening(ResultRows(r, i)));
    return out;
}

void PgStore::for_each_screening(const std::function<void(const Screening&)>& f) {
    static const std::string sql = std::string(screening_query.chars) + "ORDER BY site, patient, id";
    const Result r = c_->run(sql);
    for (int i = 0; i < r.rows(); ++i) f(read_screening(ResultRows(r, i)));
}

std::vector<Patient> PgStore::patients() {
    std::vector<Patient> out;
    for_each_patient([&](const Patient& p) { out.push_back(p); });
    return out;
}

void PgStore::for_each_patient(const std::function<void(const Patient&)>& f) {
    // The ids first, then each patient: a network's patients never all in memory.
    const Result ids = c_->run("SELECT id FROM patient p WHERE NOT EXISTS (SELECT 1 FROM enrollment_void v WHERE "
                               "v.patient = p.id) ORDER BY site, id");
    if (!reading_ || in_write_) {
        for (int i = 0; i < ids.rows(); ++i)
            if (auto p = patient_row(ids.str(i, 0))) f(*p);
        return;
    }
    // In a snapshot, a batch at a time: the patients' rows in one statement,
    // and their plans and records each in one when first asked (PatientBatch).
    static const std::string sql = std::string(patient_query) + "WHERE p.id = ANY($1::text[])";
    struct EndBatch {
        PatientBatch& b;
        ~EndBatch() { b.end(); }
    } end_batch{batch_};
    std::vector<std::string> batch;
    std::unordered_map<std::string_view, int> row_of;
    for (int first = 0; first < ids.rows(); first += static_cast<int>(PatientBatch::patients_per_batch)) {
        const int end = std::min(ids.rows(), first + static_cast<int>(PatientBatch::patients_per_batch));
        batch.clear();
        for (int i = first; i < end; ++i) batch.push_back(ids.str(i, 0));
        const Result rows = c_->run(sql, Params().text_array(batch));
        row_of.clear();
        for (int i = 0; i < rows.rows(); ++i) row_of.emplace(rows.text(i, 0), i);
        batch_.start(batch);
        for (const std::string& id : batch)
            if (const auto at = row_of.find(id); at != row_of.end()) f(read_patient(ResultRows(rows, at->second)));
    }
}

std::string PgStore::protocol_text(const std::string& sha256) {
    const Result r = c_->run("SELECT text FROM protocol_file WHERE sha256 = $1", Params().text(sha256));
    if (r.rows() == 0) throw Error(Errc::not_found, fmt::format("protocol file {} is not in the database", sha256));
    return r.str(0, 0);
}

// Plans

Calendar PgStore::plan(const Patient& p) {
    static const std::string batched = fmt::format("SELECT {}, retired, patient FROM planned_event WHERE patient = "
                                                   "ANY($1::text[]) ORDER BY patient, event_id, revision",
                                                   event_columns.chars);
    if (auto rows = batch_.rows(*c_, PatientBatch::Read::plan, batched, p.id)) return plan_of(*rows, p, true);
    static const std::string sql = fmt::format(
        "SELECT {}, retired FROM planned_event WHERE patient = $1 ORDER BY event_id, revision", event_columns.chars);
    const Result r = c_->run(sql, Params().text(p.id));
    ResultRows rows(r);
    return plan_of(rows, p, true);
}

Calendar PgStore::plan_for_judging(const Patient& p) {
    static const std::string batched = fmt::format("SELECT {}, retired, patient FROM planned_event WHERE patient = "
                                                   "ANY($1::text[]) ORDER BY patient, event_id, revision",
                                                   judging_columns);
    if (auto rows = batch_.rows(*c_, PatientBatch::Read::judging_plan, batched, p.id)) return plan_of(*rows, p, false);
    static const std::string sql = fmt::format(
        "SELECT {}, retired FROM planned_event WHERE patient = $1 ORDER BY event_id, revision", judging_columns);
    const Result r = c_->run(sql, Params().text(p.id));
    ResultRows rows(r);
    return plan_of(rows, p, false);
}

std::optional<Event> PgStore::planned_event(const Patient& p, const std::string& event_id) {
    static const std::string sql = fmt::format("SELECT {}, retired FROM planned_event WHERE patient = $1 AND "
                                               "event_id = $2 ORDER BY revision DESC LIMIT 1",
                                               event_columns.chars);
    const Result r = c_->run(sql, Params().text(p.id).text(event_id));
    ResultRows rows(r);
    std::optional<Event> out;
    if (rows.step() && rows.integer64(18) == 0) read_event(rows, true, out.emplace());
    return out;
}

std::vector<Event> PgStore::replaced_events(const Patient& p) {
    static const std::string sql =
        fmt::format("SELECT {} FROM planned_event o WHERE patient = $1 AND retired <> 0 AND {} ORDER BY date, "
                    "kind = 'dose', ord",
                    event_columns.chars, newest_revision);
    const Result r = c_->run(sql, Params().text(p.id));
    ResultRows rows(r);
    std::vector<Event> out;
    while (rows.step()) read_event(rows, true, out.emplace_back());
    return out;
}

// Records

std::vector<StoredRecord> PgStore::records(const std::string& patient) {
    const auto read = [](ResultRows& rows) {
        std::vector<StoredRecord> out;
        while (rows.step()) out.push_back(read_record(rows));
        return out;
    };
    static const std::string batched = fmt::format("SELECT {}, r.patient FROM record r LEFT JOIN void v ON v.record = "
                                                   "r.id WHERE r.patient = ANY($1::text[]) ORDER BY r.patient, r.id",
                                                   record_columns);
    if (auto rows = batch_.rows(*c_, PatientBatch::Read::records, batched, patient)) return read(*rows);
    static const std::string sql = fmt::format(
        "SELECT {} FROM record r LEFT JOIN void v ON v.record = r.id WHERE r.patient = $1 ORDER BY r.id",
        record_columns);
    const Result r = c_->run(sql, Params().text(patient));
    ResultRows rows(r);
    return read(rows);
}

std::optional<StoredRecord> PgStore::record(std::int64_t id) {
    static const std::string sql =
        fmt::format("SELECT {} FROM record r LEFT JOIN void v ON v.record = r.id WHERE r.id = $1", record_columns);
    const Result r = c_->run(sql, Params().integer(id));
    ResultRows rows(r);
    if (rows.step()) return read_record(rows);
    const Result site = c_->run("SELECT trialcal.record_site($1)", Params().integer(id));
    if (site.rows() > 0 && !site.null(0, 0))
        throw Error(Errc::not_permitted, fmt::format("record R{} is of a patient at site {}, where role {} does not "
                                                     "work",
                                                     id, site.text(0, 0), c_->role()));
    return std::nullopt;
}

std::vector<StoredRecord> PgStore::records_between(std::int64_t first, std::int64_t last) {
    static const std::string sql = fmt::format(
        "SELECT {} FROM record r LEFT JOIN void v ON v.record = r.id WHERE r.id BETWEEN $1 AND $2 ORDER BY r.id",
        record_columns);
    const Result r = c_->run(sql, Params().integer(first).integer(last));
    ResultRows rows(r);
    std::vector<StoredRecord> out;
    while (rows.step()) out.push_back(read_record(rows));
    return out;
}

Records PgStore::live_records(const std::string& patient) {
    const auto read = [](ResultRows& rows) {
        Records out;
        while (rows.step()) add_live_record(rows, out);
        return out;
    };
    static const std::string batched = fmt::format(
        "SELECT {}, r.patient FROM record r WHERE r.patient = ANY($1::text[]) AND NOT EXISTS (SELECT 1 FROM void v "
        "WHERE v.record = r.id) ORDER BY r.patient, r.id",
        live_record_columns);
    if (auto rows = batch_.rows(*c_, PatientBatch::Read::live_records, batched, patient)) return read(*rows);
    static const std::string sql = fmt::format("SELECT {} FROM record r WHERE r.patient = $1 AND NOT EXISTS (SELECT "
                                               "1 FROM void v WHERE v.record = r.id) ORDER BY r.id",
                                               live_record_columns);
    const Result r = c_->run(sql, Params().text(patient));
    ResultRows rows(r);
    return read(rows);
}

// Randomisation and keys

std::optional<RandomizationSlot> PgStore::randomization(const std::string& protocol, const std::string& number) {
    static const std::string sql = std::string(slot_query) + "WHERE r.protocol = $1 AND r.number = $2";
    const Result r = c_->run(sql, Params().text(protocol).text(number));
    if (r.rows() == 0) return std::nullopt;
    return read_slot(r, 0);
}

std::optional<RandomizationSlot> PgStore::next_randomization(const std::string& protocol,
                                                             const std::optional<std::string>& site) {
    static const std::string sql =
        std::string(slot_query) +
        "WHERE r.protocol = $1 AND r.site IS NOT DISTINCT FROM $2 AND trialcal.number_holder(r.protocol, r.number) "
        "IS NULL ORDER BY r.ord LIMIT 1";
    const Result r = c_->run(sql, Params().text(protocol).opt(site));
    if (r.rows() == 0) return std::nullopt;
    return read_slot(r, 0);
}

Store::ListShape PgStore::randomization_list(const std::string& protocol) {
    const Result r = c_->run("SELECT count(*), coalesce(max(CASE WHEN site IS NULL THEN 0 ELSE 1 END), 0) FROM "
                             "randomization WHERE protocol = $1",
                             Params().text(protocol));
    return {r.integer(0, 0), r.integer(0, 1) != 0};
}

std::optional<InstalledKey> PgStore::current_key(const std::string& kind) {
    static const std::string sql = std::string(key_query) + "WHERE kind = $1 ORDER BY id DESC LIMIT 1";
    const Result r = c_->run(sql, Params().text(kind));
    if (r.rows() == 0) return std::nullopt;
    return read_key(r, 0);
}

std::optional<InstalledKey> PgStore::installed_key(std::int64_t id) {
    static const std::string sql = std::string(key_query) + "WHERE id = $1";
    const Result r = c_->run(sql, Params().integer(id));
    if (r.rows() == 0) return std::nullopt;
    return read_key(r, 0);
}

std::optional<InstalledKey> PgStore::key_with_fingerprint(const std::string& kind, const std::string& fingerprint) {
    static const std::string sql = std::string(key_query) + "WHERE kind = $1 AND fingerprint = $2 ORDER BY id LIMIT 1";
    const Result r = c_->run(sql, Params().text(kind).text(fingerprint));
    if (r.rows() == 0) return std::nullopt;
    return read_key(r, 0);
}

std::vector<SiteRevision> PgStore::sites() {
    const Result q = c_->run(
        "SELECT code, revision, name, tz, country, closed, holidays, holiday_file, at, by FROM site o "
        "WHERE revision = (SELECT max(revision) FROM site n WHERE n.code = o.code) ORDER BY code");
    std::vector<SiteRevision> out;
    for (int i = 0; i < q.rows(); ++i) {
        SiteRevision& r = out.emplace_back();
        Site& s = r.site;
        s.code = q.str(i, 0);
        r.revision = static_cast<int>(q.integer(i, 1));
        s.name = q.str(i, 2);
        s.tz = q.str(i, 3);
        s.country = q.opt(i, 4);
        const auto weekdays = parse_weekdays(q.text(i, 5));
        if (!weekdays)
            throw Error(Errc::internal, fmt::format("site {}: closed days '{}' as stored do not read back", s.code,
                                                    q.text(i, 5)));
        s.closed = *weekdays;
        s.holidays = q.opt(i, 6);
        r.holiday_file = q.str(i, 7);
        r.at = q.str(i, 8);
        r.by = q.str(i, 9);
    }
    return out;
}

std::optional<std::string> PgStore::outside_site(const std::string& code) {
    if (c_->run("SELECT trialcal.works_at($1)", Params().text(code)).text(0, 0) == "t") return std::nullopt;
    return fmt::format("role {} does not work at site {}", c_->role(), code);
}

// Writes

void PgStore::add_user(const std::string& name, const std::string& role, const std::vector<std::string>& sites) {
    c_->run("SELECT trialcal.add_user($1, $2, $3::text[])", Params().text(name).text(role).text_array(sites));
}

void PgStore::insert_site(const SiteRevision& r) {
    static const std::string sql = fmt::format(
        "INSERT INTO site (code, revision, name, tz, country, closed, holidays, holiday_file, at, by, audit_seq) "
        "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING {}",
        site_columns);
    const Site& s = r.site;
    Params p;
    p.text(s.code).integer(r.revision).text(s.name).text(s.tz).opt(s.country).text(weekdays_text(s.closed));
    if (s.holidays) p.text(*s.holidays).text(r.holiday_file);
    else p.null().null();
    p.text(r.at).text(r.by).integer(audit_seq());
    try {
        insert(sql, p, TableId::site);
    } catch (const Error& e) {
        refused_at_site(e, s.code);
    }
    // The site's role: its staff are made members (`user add --site`). Made
    // once, by whoever may add sites; its name is the site's code.
    if (r.revision == 0)
        c_->run("SELECT trialcal.site_role($1)", Params().text(s.code));
}

void PgStore::save_protocol_file(const std::string& sha256, const std::string& protocol, const std::string& version,
                                 const std::string& path, const std::string& body) {
    static const std::string sql = fmt::format(
        "INSERT INTO protocol_file (sha256, protocol, version, path, text, audit_seq) VALUES ($1,$2,$3,$4,$5,$6) "
        "ON CONFLICT (sha256) DO NOTHING RETURNING {}",
        protocol_file_columns);
    insert(sql, Params().text(sha256).text(protocol).text(version).text(path).text(body).integer(audit_seq()),
           TableId::protocol_file);
}

void PgStore::insert_patient(const Patient& p, const std::string& at, const std::string& by) {
    static const std::string sql = fmt::format(
        "INSERT INTO patient (id, protocol, version, protocol_sha256, site, day0, arm, sealed_arm, key, "
        "randomization_number, cohort, weight_kg, tz, enrolled_at, enrolled_by, audit_seq) VALUES "
        "($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16) RETURNING {}",
        patient_columns);
    Params q;
    q.text(p.id).text(p.protocol).text(p.version).text(p.protocol_sha256).text(p.site).text(iso(p.day0));
    q.opt(p.arm).opt(p.sealed_arm).opt(p.key).opt(p.randomization_number).opt(p.cohort).opt(p.weight_kg);
    q.text(p.tz).text(at).text(by).integer(audit_seq());
    try {
        insert(sql, q, TableId::patient);
    } catch (const Error& e) {
        refused_at_site(e, p.site);
    }
}

namespace {

// One planned_event row's values after (patient, event_id, revision, retired, version, ord).
void event_values(Params& q, const Event& e, const std::string& procedures) {
    q.text(e.kind == EventKind::visit ? "visit" : "dose").integer(e.day.count()).text(iso(e.date));
    q.text(iso(e.window.from)).text(iso(e.window.to)).integer(0).text(e.name).text(procedures);
    q.text(e.product).text(e.drug).opt(e.amount).text(e.unit).text(e.route).text(e.intake);
    if (e.placed) q.text(iso(*e.placed));
    else q.null();
    if (e.closed_day) q.integer(1);
    else q.null();
}

// Plans go in batches of rows a statement: a round trip per event would be
// most of an enrollment's time.
constexpr std::size_t events_per_insert = 64;
constexpr int event_insert_width = 23;

std::string event_insert_sql(std::size_t n) {
    static const std::string head = fmt::format("INSERT INTO planned_event ({}) VALUES ", event_insert_columns);
    return rows_insert_sql(head, event_insert_width, n, planned_event_columns);
}

}  // namespace

void PgStore::insert_plan(const std::string& patient, const Calendar& c) { insert_plan(patient, c, Revisions::first); }

void PgStore::insert_plan(const std::string& patient, const Calendar& c, Revisions revisions) {
    const std::int64_t seq = audit_seq();
    Params q;
    std::size_t in_batch = 0;
    const auto flush = [&] {
        if (in_batch == 0) return;
        insert(event_insert_sql(in_batch), q, TableId::planned_event);
        q.clear();
        in_batch = 0;
    };
    int ord = 0;
    for (const Event& e : c.events) {
        std::int64_t revision = 0;
        if (revisions == Revisions::continued) {
            const Result r = c_->run("SELECT coalesce(max(revision) + 1, 0) FROM planned_event WHERE patient = $1 AND "
                                     "event_id = $2",
                                     Params().text(patient).text(e.id));
            revision = r.integer(0, 0);
        }
        q.text(patient).text(e.id).integer(revision).integer(0).text(c.version).integer(ord++);
        event_values(q, e, join(e.procedures));
        q.integer(seq);
        if (++in_batch == events_per_insert) flush();
    }
    flush();
}

void PgStore::insert_plan(const std::string& patient, const Protocol& p, std::span<const PlannedEvent> events,
                          std::span<const Dose> doses, std::span<const EventPlacement> placements) {
    if (placements.size() != events.size())
        throw Error(Errc::internal, fmt::format("patient {}: {} placements for {} events", patient, placements.size(),
                                                events.size()));
    Calendar c;
    c.version = p.version;
    c.events.reserve(events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
        Event& e = c.events.emplace_back(event_of(p, events[i], doses));
        e.placed = placements[i].placed;
        e.closed_day = placements[i].closed_day;
    }
    insert_plan(patient, c, Revisions::first);
}

void PgStore::move_event(const std::string& patient, const Event& moved) {
    static const std::string sql = fmt::format(
        "INSERT INTO planned_event ({}) SELECT patient, event_id, revision + 1, 0, version, ord, kind, day, $1, $2, "
        "$3, sequence + 1, name, procedures, product, drug, amount, unit, route, intake, $7, $8::bigint, $4::bigint "
        "FROM planned_event o WHERE patient = $5 AND event_id = $6 AND retired = 0 AND {} RETURNING {}",
        event_insert_columns, newest_revision, planned_event_columns);
    Params q;
    q.text(iso(moved.date)).text(iso(moved.window.from)).text(iso(moved.window.to)).integer(audit_seq());
    q.text(patient).text(moved.id);
    if (moved.placed) q.text(iso(*moved.placed));
    else q.null();
    if (moved.closed_day) q.integer(1);
    else q.null();
    const std::int64_t before = written_.rows();
    insert(sql, q, TableId::planned_event);
    if (written_.rows() != before + 1)
        throw Error(Errc::not_found, fmt::format("no planned event {} for patient {}", moved.id, patient));
}

void PgStore::amend_plan(const std::string& patient, date::sys_days on, const Calendar& next, const std::string& sha256,
                         const std::string& at, const std::string& by, const std::string& reason) {
    static const std::string amend_sql = fmt::format(
        "INSERT INTO amendment (patient, version, protocol_sha256, on_date, at, by, reason, audit_seq, day0) "
        "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING {}",
        amendment_columns);
    const Result a = c_->run(amend_sql, Params().text(patient).text(next.version).text(sha256).text(iso(on)).text(at)
                                            .text(by).text(reason).integer(audit_seq()).text(iso(next.day0)));
    add_row(written_, TableId::amendment, a, 0, 0);
    const std::int64_t amendment = a.integer(0, 0);
    static const std::string retire_sql = fmt::format(
        "INSERT INTO planned_event ({}) SELECT patient, event_id, revision + 1, $1::bigint, version, ord, kind, day, "
        "date, window_from, window_to, sequence, name, procedures, product, drug, amount, unit, route, intake, placed, "
        "closed_day, $2::bigint FROM planned_event o WHERE patient = $3 AND retired = 0 AND date > $4 AND {} "
        "RETURNING {}",
        event_insert_columns, newest_revision, planned_event_columns);
    insert(retire_sql, Params().integer(amendment).integer(audit_seq()).text(patient).text(iso(on)),
           TableId::planned_event);
    Calendar after = next;
    std::erase_if(after.events, [&](const Event& e) { return e.date <= on; });
    insert_plan(patient, after, Revisions::continued);
}

namespace {

constexpr char record_insert_head[] =
    "INSERT INTO record (id, patient, kind, event_id, at_local, at_utc, tz, date, product, amount, unit, kit, note, "
    "reason, recorded_at, recorded_by, audit_seq, until, kg, lost_to_follow_up, name) VALUES ";
constexpr int record_insert_width = 21;

void record_values(Params& q, const StoredRecord& r, std::int64_t id, std::int64_t seq) {
    q.integer(id).text(r.patient).text(kind_name(r.kind)).opt(r.event);
    q.text_or_null(r.at_local).text_or_null(r.at_utc).text_or_null(r.tz);
    if (r.date) q.text(iso(*r.date));
    else q.null();
    q.text_or_null(r.product).opt(r.amount).text_or_null(r.unit).text_or_null(r.kit).text_or_null(r.note);
    q.text_or_null(r.reason).text(r.recorded_at).text(r.recorded_by).integer(seq);
    if (r.until) q.text(iso(*r.until));
    else q.null();
    q.opt(r.kg);
    if (r.lost_to_follow_up) q.integer(1);
    else q.null();
    q.text_or_null(r.name);
}

std::string record_insert_sql(std::size_t n) {
    return rows_insert_sql(record_insert_head, record_insert_width, n, record_row_columns);
}

}  // namespace

std::int64_t PgStore::next_record_id() {
    const Result r = c_->run("SELECT trialcal.next_id('record')");
    return r.integer(0, 0);
}

std::int64_t PgStore::insert_record(const StoredRecord& r) {
    const std::int64_t id = r.id > 0 ? r.id : next_record_id();
    Params q;
    record_values(q, r, id, audit_seq());
    insert(record_insert_sql(1), q, TableId::record);
    return id;
}

void PgStore::insert_records(std::span<const StoredRecord> rs) {
    const std::int64_t seq = audit_seq();
    while (!rs.empty()) {
        const std::size_t n = std::min(rs.size(), records_per_insert);
        Params q;
        for (std::size_t i = 0; i < n; ++i) record_values(q, rs[i], rs[i].id, seq);
        insert(record_insert_sql(n), q, TableId::record);
        rs = rs.subspan(n);
    }
}

void PgStore::insert_void(std::int64_t rec, const std::string& reason, const std::string& at, const std::string& by) {
    static const std::string sql = fmt::format(
        "INSERT INTO void (record, reason, voided_at, voided_by, audit_seq) VALUES ($1,$2,$3,$4,$5) RETURNING {}",
        void_columns);
    insert(sql, Params().integer(rec).text(reason).text(at).text(by).integer(audit_seq()), TableId::void_);
}

void PgStore::void_enrollment(const std::string& patient, const std::string& reason, const std::string& at,
                              const std::string& by) {
    static const std::string sql = fmt::format(
        "INSERT INTO enrollment_void (patient, reason, at, by, audit_seq) VALUES ($1,$2,$3,$4,$5) RETURNING {}",
        enrollment_void_columns);
    insert(sql, Params().text(patient).text(reason).text(at).text(by).integer(audit_seq()), TableId::enrollment_void);
}

std::int64_t PgStore::insert_screening(const Screening& s) {
    static const std::string sql = fmt::format(
        "INSERT INTO screening (patient, protocol, version, protocol_sha256, site, on_date, \"values\", eligible, at, "
        "by, audit_seq) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING {}",
        screening_columns);
    Params q;
    q.text(s.patient).text(s.protocol).text(s.version).text(s.protocol_sha256).text(s.site).text(iso(s.on));
    q.text(screening_values_text(s.values)).integer(s.eligible ? 1 : 0).text(s.at).text(s.by).integer(audit_seq());
    try {
        const Result r = c_->run(sql, q);
        add_row(written_, TableId::screening, r, 0, 0);
        return r.integer(0, 0);
    } catch (const Error& e) {
        refused_at_site(e, s.site);
    }
}

void PgStore::insert_randomization(const RandomizationSlot& r) {
    static const std::string sql = fmt::format(
        "INSERT INTO randomization (protocol, number, site, ord, sealed_arm, key, audit_seq) VALUES "
        "($1,$2,$3,$4,$5,$6,$7) RETURNING {}",
        randomization_columns);
    insert(sql, Params().text(r.protocol).text(r.number).opt(r.site).integer(r.ord).text(r.sealed_arm).integer(r.key)
                    .integer(audit_seq()),
           TableId::randomization);
}

std::int64_t PgStore::install_key(const InstalledKey& k) {
    static const std::string sql = fmt::format(
        "INSERT INTO trial_key (kind, public_key, fingerprint, name, installed_at, installed_by, audit_seq) VALUES "
        "($1,$2,$3,$4,$5,$6,$7) RETURNING {}",
        trial_key_columns);
    const Result r = c_->run(sql, Params().text(k.kind).text(k.public_key).text(k.fingerprint).text(k.name)
                                      .text(k.installed_at).text(k.installed_by).integer(audit_seq()));
    add_row(written_, TableId::trial_key, r, 0, 0);
    return r.integer(0, 0);
}

// The audit trail

void PgStore::append_audit(const AuditEntry& e, const std::string& at) {
    AuditRow r;
    const Head head = chain_head();
    r.seq = head.seq + 1;
    r.prev_hash = head.hash;
    r.at = at;
    r.account = c_->role();
    r.entry = e;
    RowsDigest d = written_.take();
    r.rows = d.rows;
    r.digest = std::move(d.digest);
    std::string canonical;
    audit_canonical(canonical, r);
    r.hash = sha256_hex(canonical);
    static const std::string sql = fmt::format(
        "INSERT INTO audit (seq, at, account, by, action, patient, target, old, new, sealed, reason, source, rows, "
        "digest, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)");
    Params q;
    q.integer(r.seq).text(r.at).text(r.account).text(e.by).text(e.action).text(e.patient).text(e.target);
    q.text(e.old_value).text(e.new_value).text(e.sealed).text(e.reason).text(e.source).integer(r.rows);
    q.text(r.digest).text(r.prev_hash).text(r.hash);
    try {
        c_->run(sql, q);
    } catch (const Error& x) {
        if (x.code() != Errc::not_permitted) throw;
        throw Error(Errc::not_permitted,
                    fmt::format("role {} may not {}{}{}: the server refused it ({})", c_->role(), e.action,
                                e.patient.empty() ? "" : " for patient ", e.patient, x.what()));
    }
    head_ = Head{r.seq, r.hash};
}

Head PgStore::audit_head() {
    const Result r = c_->run("SELECT seq, hash FROM trialcal.audit_head()");
    if (r.integer(0, 0) == 0) return {};
    return {r.integer(0, 0), r.str(0, 1)};
}

std::vector<AuditRow> PgStore::audit_rows(const std::optional<std::string>& patient) {
    if (patient) {
        static const std::string sql = std::string(audit_query.chars) + "WHERE patient = $1 ORDER BY seq";
        return audit_rows_of(c_->run(sql, Params().text(*patient)));
    }
    static const std::string sql = std::string(audit_query.chars) + "ORDER BY seq";
    return audit_rows_of(c_->run(sql));
}

std::vector<AuditRow> PgStore::audit_rows_between(const std::optional<std::string>& patient, std::int64_t after,
                                                  std::int64_t up_to, std::size_t limit) {
    static const std::string sql = std::string(audit_query.chars) +
                                   "WHERE seq > $1 AND seq <= $2 AND ($3::text IS NULL OR patient = $3) ORDER BY seq "
                                   "LIMIT $4";
    return audit_rows_of(
        c_->run(sql, Params().integer(after).integer(up_to).opt(patient).integer(static_cast<std::int64_t>(limit))));
}

std::optional<AuditRow> PgStore::audit_row(std::int64_t seq) {
    static const std::string sql = std::string(audit_query.chars) + "WHERE seq = $1";
    return first_audit_row(c_->run(sql, Params().integer(seq)));
}

std::optional<AuditRow> PgStore::audit_row_with_hash(const std::string& hash) {
    static const std::string sql = std::string(audit_query.chars) + "WHERE hash = $1";
    return first_audit_row(c_->run(sql, Params().text(hash)));
}

std::optional<AuditRow> PgStore::earlier_import(const std::string& patient, const std::string& file_sha256) {
    static const std::string sql =
        std::string(audit_query.chars) + "WHERE patient = $1 AND action = 'import doses' AND source = $2 ORDER BY seq LIMIT 1";
    return first_audit_row(c_->run(sql, Params().text(patient).text(file_sha256)));
}

// Schema 1's migration runs on SQLite, before a unit's file joins a network.
void PgStore::append_history(const AuditRow&) {
    throw Error(Errc::internal, "schema 1 is migrated on SQLite: `db migrate` the file, then `db copy` it");
}
void PgStore::insert_plan_rows(const std::string&, const std::vector<PlanRow>&) { append_history({}); }
void PgStore::insert_amendment(const AmendmentRow&) { append_history({}); }

// Opening

std::unique_ptr<Store> open(const std::string& uri, Mode mode) {
    return std::make_unique<PgStore>(Connection::open(uri), mode);
}

std::string login_role(const std::string& uri) {
    // Each connection costs the server a process: a command that can know
    // its role from the URI opens only the store's.
    if (auto user = user_of(uri)) return *user;
    return Connection::open(uri)->role();
}

bool init(const std::string& uri) {
    const std::unique_ptr<Connection> c = Connection::open(uri);
    c->exec("BEGIN");
    const Result there = c->query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'trialcal'");
    if (there.rows() > 0) {
        c->exec("ROLLBACK");
        return false;
    }
    // Roles are the cluster's: two databases initialised at once would race to make them.
    c->exec("SELECT pg_advisory_xact_lock(1413693773)");
    c->exec(roles_sql);
    c->exec(schema_sql);
    c->exec("COMMIT");
    return true;
}

}  // namespace trialcal::store::postgresql
