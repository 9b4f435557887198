// `audit verify` on SQLite: the schema against the one trialcal makes, then
// the trail and the tables read in order for the engine-neutral check
// (store/verify_trail.hpp). Every break is listed.
#include "store/sqlite/audit_log.hpp"
#include "store/sqlite/digest_row.hpp"
#include "store/verify_trail.hpp"
#include "store/sqlite/schema.sql.hpp"
#include "store/tables.hpp"

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
class TableCursor final : public TableRows {
public:
    TableCursor(Database& db, TableId id)
        : id_(id),
          q_(db.sql(), fmt::format("SELECT audit_seq, {} FROM {} ORDER BY audit_seq", table(id).columns, table(id).name)) {
        advance();
    }
    [[nodiscard]] bool done() const override { return done_; }
    [[nodiscard]] std::int64_t seq() const override { return seq_; }
    [[nodiscard]] std::string key() const override {
        return fmt::format("{} {}", table(id_).name, q_.getColumn(1).isNull() ? "NULL" : q_.getColumn(1).getString());
    }
    void add_to(RowDigest& digest) override { add_row(digest, id_, q_, 1); }
    void advance() override {
        done_ = !q_.executeStep();
        if (!done_) seq_ = q_.getColumn(0).isNull() ? -1 : q_.getColumn(0).getInt64();
    }

private:
    TableId id_;
    SQLite::Statement q_;
    bool done_ = false;
    std::int64_t seq_ = 0;
};

class TrailCursor final : public TrailRows {
public:
    explicit TrailCursor(Database& db) : q_(db.sql(), fmt::format("SELECT {} FROM audit ORDER BY seq", audit_columns)) {}
    bool next(AuditRow& r) override {
        if (!q_.executeStep()) return false;
        r = read_audit_row(q_);
        return true;
    }

private:
    SQLite::Statement q_;
};

}  // namespace

ChainCheck verify_audit(Database& db) {
    ChainCheck c;
    check_schema(db, c.breaks);
    std::vector<std::unique_ptr<TableRows>> tables;
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
    std::unique_ptr<TrailCursor> trail;
    try {
        trail = std::make_unique<TrailCursor>(db);
    } catch (const SQLite::Exception& e) {
        c.breaks.push_back({0, fmt::format("the audit trail cannot be read as trialcal wrote it: {}", e.what())});
        return c;
    }
    check_trail(*trail, tables, c);
    return c;
}

}  // namespace trialcal::store::sqlite
