// `audit verify` on SQLite: the chain, each audit row's digest of the rows it
// wrote against the rows that name it now, rows that no audit row accounts
// for, times that go backwards, and the schema against the one trialcal
// makes. Every break is listed. One pass over the trail and one over each
// table, merged on audit_seq: memory is one write's rows at a time.
#include "store/sqlite/audit_log.hpp"
#include "store/sqlite/row_digest.hpp"
#include "store/sqlite/schema.sql.hpp"
#include "store/sqlite/tables.hpp"

#include <fmt/format.h>

#include <map>
#include <memory>
#include <tuple>

namespace trialcal::store::sqlite {

namespace {

// The objects of the schema, by (type, name): their SQL text.
std::map<std::pair<std::string, std::string>, std::string> schema_objects(SQLite::Database& db) {
    std::map<std::pair<std::string, std::string>, std::string> out;
    SQLite::Statement q(db, "SELECT type, name, coalesce(sql, '') FROM sqlite_schema");
    while (q.executeStep()) out[{q.getColumn(0).getString(), q.getColumn(1).getString()}] = q.getColumn(2).getString();
    return out;
}

void check_schema(Database& db, std::vector<Break>& breaks) {
    SQLite::Database made(":memory:", SQLite::OPEN_READWRITE);
    made.exec(schema_v2);
    made.exec(schema_v3);
    made.exec(schema_v4);
    const auto want = schema_objects(made), have = schema_objects(db.sql());
    for (const auto& [key, sql] : have) {
        const auto it = want.find(key);
        if (it == want.end())
            breaks.push_back({0, fmt::format("the schema has {} {} '{}' that trialcal did not make",
                                             key.first == "index" ? "an" : "a", key.first, key.second)});
        else if (it->second != sql)
            breaks.push_back({0, fmt::format("the {} '{}' differs from the one trialcal made", key.first, key.second)});
    }
    for (const auto& [key, sql] : want)
        if (!have.contains(key))
            breaks.push_back({0, fmt::format("the {} '{}' that trialcal made is gone", key.first, key.second)});
}

// One table's rows in audit_seq order.
class TableCursor {
public:
    TableCursor(Database& db, TableId id)
        : id_(id),
          q_(db.sql(), fmt::format("SELECT audit_seq, {} FROM {} ORDER BY audit_seq", table(id).columns, table(id).name)) {
        advance();
    }
    [[nodiscard]] bool done() const noexcept { return done_; }
    [[nodiscard]] std::int64_t seq() const noexcept { return seq_; }
    [[nodiscard]] TableId id() const noexcept { return id_; }
    [[nodiscard]] std::string key() const {
        return fmt::format("{} {}", table(id_).name, q_.getColumn(1).isNull() ? "NULL" : q_.getColumn(1).getString());
    }
    SQLite::Statement& row() noexcept { return q_; }
    void advance() {
        done_ = !q_.executeStep();
        if (!done_) seq_ = q_.getColumn(0).isNull() ? -1 : q_.getColumn(0).getInt64();
    }

private:
    TableId id_;
    SQLite::Statement q_;
    bool done_ = false;
    std::int64_t seq_ = 0;
};

std::string describe(const AuditRow& r) {
    return fmt::format("audit row {} ({}{}{})", r.seq, r.entry.action, r.entry.patient.empty() ? "" : " of ",
                       r.entry.patient);
}

}  // namespace

ChainCheck verify_audit(Database& db) {
    ChainCheck c;
    check_schema(db, c.breaks);
    std::vector<std::unique_ptr<TableCursor>> tables;
    for (std::size_t t = 0; t < audited_tables.size(); ++t) {
        // A table dropped or a column renamed is already a schema break; the
        // rest of the trail is still checked.
        try {
            tables.push_back(std::make_unique<TableCursor>(db, static_cast<TableId>(t)));
        } catch (const SQLite::Exception& e) {
            c.breaks.push_back({0, fmt::format("table {} cannot be read as trialcal wrote it: {}",
                                               audited_tables[t].name, e.what())});
        }
    }
    // Rows naming no audit row that exists, up to (not including) `seq`.
    const auto unaccounted_before = [&](std::int64_t seq) {
        for (auto& t : tables)
            for (; !t->done() && t->seq() < seq; t->advance())
                c.breaks.push_back({t->seq() > 0 ? t->seq() : 0,
                                    fmt::format("{} names audit row {}, which does not exist: no audit row accounts "
                                                "for it",
                                                t->key(), t->seq())});
    };
    std::unique_ptr<SQLite::Statement> trail;
    try {
        trail = std::make_unique<SQLite::Statement>(db.sql(), fmt::format("SELECT {} FROM audit ORDER BY seq", audit_columns));
    } catch (const SQLite::Exception& e) {
        c.breaks.push_back({0, fmt::format("the audit trail cannot be read as trialcal wrote it: {}", e.what())});
        return c;
    }
    SQLite::Statement& q = *trail;
    std::string canonical, prev = genesis_hash, prev_at;
    std::int64_t expected = 1;
    RowDigest found;
    while (q.executeStep()) {
        const AuditRow r = read_audit_row(q);
        ++c.rows;
        if (r.seq != expected)
            c.breaks.push_back({r.seq, fmt::format("audit row {} follows row {}: {} row(s) are missing", r.seq,
                                                   expected - 1, r.seq - expected)});
        if (r.prev_hash != prev)
            c.breaks.push_back({r.seq, fmt::format("audit row {} does not point at the hash of the row before it", r.seq)});
        audit_canonical(canonical, r);
        if (sha256_hex(canonical) != r.hash)
            c.breaks.push_back({r.seq, fmt::format("{} was changed after it was written: its hash does not match",
                                                   describe(r))});
        if (!prev_at.empty() && r.at < prev_at)
            c.breaks.push_back({r.seq, fmt::format("{} was written at {}, before the row before it ({}): the clock "
                                                   "went back or rows were reordered",
                                                   describe(r), r.at, prev_at)});
        unaccounted_before(r.seq);
        for (auto& t : tables)
            for (; !t->done() && t->seq() == r.seq; t->advance()) found.add(t->id(), t->row(), 1);
        const std::int64_t there = found.rows();
        const RowsDigest d = found.take();
        c.table_rows += there;
        if (d.rows != r.rows)
            c.breaks.push_back({r.seq, fmt::format("{} wrote {} row(s); {} name it now: rows were {}", describe(r),
                                                   r.rows, there, there < r.rows ? "removed" : "added")});
        else if (d.digest != r.digest)
            c.breaks.push_back({r.seq, fmt::format("{}: the {} row(s) it wrote were changed after they were written",
                                                   describe(r), r.rows)});
        prev = r.hash;
        prev_at = r.at;
        c.head = {r.seq, r.hash};
        expected = r.seq + 1;
    }
    unaccounted_before(std::numeric_limits<std::int64_t>::max());
    return c;
}

}  // namespace trialcal::store::sqlite
