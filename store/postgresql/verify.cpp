// `audit verify` on PostgreSQL: what makes the trail trustworthy on a server
// (each table append-only by its triggers, no role but the owner allowed to
// change or remove rows, row-level security on), then the trail and the
// tables read in order through server-side cursors, a batch at a time, for
// the engine-neutral check (store/verify_trail.hpp).
#include "store/postgresql/cursor.hpp"
#include "store/postgresql/pg_store.hpp"
#include "store/postgresql/rows.hpp"
#include "store/rows.hpp"
#include "store/verify_trail.hpp"

#include <fmt/format.h>

#include <set>

namespace trialcal::store::postgresql {

namespace {

class TableCursor final : public TableRows {
public:
    TableCursor(Connection& c, TableId id)
        : id_(id),
          cursor_(c, fmt::format("verify_{}", table(id).name),
                  fmt::format("SELECT audit_seq, {} FROM trialcal.{} ORDER BY audit_seq", table(id).columns,
                              table(id).name)) {}
    [[nodiscard]] bool done() const override { return cursor_.done(); }
    [[nodiscard]] std::int64_t seq() const override {
        return cursor_.rows().null(cursor_.row(), 0) ? -1 : cursor_.rows().integer(cursor_.row(), 0);
    }
    [[nodiscard]] std::string key() const override {
        const Result& r = cursor_.rows();
        return fmt::format("{} {}", table(id_).name, r.null(cursor_.row(), 1) ? "NULL" : r.str(cursor_.row(), 1));
    }
    void add_to(RowDigest& digest) override { add_row(digest, id_, cursor_.rows(), cursor_.row(), 1); }
    void advance() override { cursor_.advance(); }
    void close() { cursor_.close(); }

private:
    TableId id_;
    Cursor cursor_;
};

class TrailCursor final : public TrailRows {
public:
    explicit TrailCursor(Connection& c)
        : cursor_(c, "verify_audit", fmt::format("SELECT {} FROM trialcal.audit ORDER BY seq", audit_columns)) {}
    bool next(AuditRow& r) override {
        if (cursor_.done()) return false;
        r = read_audit_row(ResultRows(cursor_.rows(), cursor_.row()));
        cursor_.advance();
        return true;
    }
    void close() { cursor_.close(); }

private:
    Cursor cursor_;
};

constexpr const char* append_only_tables[] = {"protocol_file", "trial_key", "randomization", "patient",
                                              "planned_event", "amendment", "record",        "void",
                                              "site",          "enrollment_void", "screening", "audit"};
constexpr const char* site_scoped_tables[] = {"patient",   "screening", "randomization", "planned_event", "amendment",
                                              "record",    "enrollment_void", "void",  "audit"};

void check_server_rules(Connection& c, std::vector<Break>& breaks) {
    std::set<std::string> triggers;
    const Result t = c.query(
        "SELECT cl.relname || '.' || tg.tgname FROM pg_catalog.pg_trigger tg JOIN pg_catalog.pg_class cl ON cl.oid = "
        "tg.tgrelid JOIN pg_catalog.pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = 'trialcal' AND NOT "
        "tg.tgisinternal AND tg.tgenabled = 'O'");
    for (int i = 0; i < t.rows(); ++i) triggers.insert(t.str(i, 0));
    for (const char* table : append_only_tables)
        for (const char* suffix : {"_append_only", "_no_truncate"})
            if (!triggers.contains(fmt::format("{}.{}{}", table, table, suffix)))
                breaks.push_back({0, fmt::format("table {} lost its trigger {}{} (or it was disabled): rows can be "
                                                 "changed or removed",
                                                 table, table, suffix)});
    const Result g = c.query(
        "SELECT cl.relname, coalesce(r.rolname, 'PUBLIC'), a.privilege_type FROM pg_catalog.pg_class cl "
        "JOIN pg_catalog.pg_namespace n ON n.oid = cl.relnamespace CROSS JOIN LATERAL "
        "aclexplode(cl.relacl) a LEFT JOIN pg_catalog.pg_roles r ON r.oid = a.grantee WHERE n.nspname = 'trialcal' "
        "AND cl.relkind = 'r' AND a.grantee <> cl.relowner AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE') "
        "ORDER BY 1, 2, 3");
    for (int i = 0; i < g.rows(); ++i)
        breaks.push_back({0, fmt::format("role {} was granted {} on table {}: only the owner may change rows",
                                         g.text(i, 1), g.text(i, 2), g.text(i, 0))});
    std::set<std::string> secured;
    const Result s = c.query(
        "SELECT cl.relname FROM pg_catalog.pg_class cl JOIN pg_catalog.pg_namespace n ON n.oid = cl.relnamespace "
        "WHERE n.nspname = 'trialcal' AND cl.relrowsecurity");
    for (int i = 0; i < s.rows(); ++i) secured.insert(s.str(i, 0));
    for (const char* table : site_scoped_tables)
        if (!secured.contains(table))
            breaks.push_back({0, fmt::format("row-level security is off on table {}: every user sees every site", table)});
}

}  // namespace

ChainCheck PgStore::verify_audit() {
    ChainCheck c;
    Connection& conn = connection();
    in_snapshot([&] {
        // Row-level security would hide other sites' rows, and the check would
        // report them missing. The schema's owner is not bound by it (and
        // need not be among trialcal_all_sites: docs/network.md makes it a
        // role of its own): it verifies the copy `db copy` writes as it.
        if (conn.query("SELECT trialcal.sees_all_sites()").text(0, 0) != "t" && !owns_schema())
            throw Error(Errc::not_permitted, fmt::format("audit verify reads every site's rows: role {} sees only "
                                                         "its own sites' (a monitor or an admin verifies)",
                                                         conn.role()));
        check_server_rules(conn, c.breaks);
        std::vector<std::unique_ptr<TableRows>> tables;
        for (std::size_t t = 0; t < audited_tables.size(); ++t)
            tables.push_back(std::make_unique<TableCursor>(conn, static_cast<TableId>(t)));
        TrailCursor trail(conn);
        check_trail(trail, tables, c);
        trail.close();
        for (auto& t : tables) static_cast<TableCursor&>(*t).close();
    });
    return c;
}

}  // namespace trialcal::store::postgresql
