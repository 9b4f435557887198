// `db copy` on PostgreSQL: a table's rows read through a cursor of the
// store's snapshot (a batch at a time: a network holds millions), typed as
// the server holds them, and rows inserted verbatim, many a statement, by
// the schema's owner only: rows of other accounts, audit rows among them,
// are what row-level security and the audit's policies refuse any other role.
#include "store/postgresql/pg_store.hpp"

#include <fmt/format.h>

namespace trialcal::store::postgresql {

namespace {

constexpr int rows_per_fetch = 2000;
// A statement binds at most 65 535 values, and a plan's row has 23.
constexpr std::size_t rows_per_insert = 1000;

void read_value(const Result& r, int row, int col, StoredValue& v) {
    if (r.null(row, col)) {
        v = std::monostate{};
        return;
    }
    switch (r.kind(col)) {
    case Result::Kind::integer: v = r.integer(row, col); break;
    case Result::Kind::real: v = r.real(row, col); break;
    case Result::Kind::text: v = r.str(row, col); break;
    }
}

// Only the owner of schema trialcal (or a role with its rights) writes rows
// as they were stored.
void check_owner(Connection& c) {
    const Result r = c.run("SELECT pg_catalog.pg_has_role(n.nspowner, 'USAGE'), pg_catalog.pg_get_userbyid(n.nspowner) "
                           "FROM pg_catalog.pg_namespace n WHERE n.nspname = 'trialcal'");
    if (r.rows() == 1 && r.text(0, 0) == "t") return;
    throw Error(Errc::not_permitted,
                fmt::format("role {} is not the owner of schema trialcal in database {} (its owner is {}): a copy "
                            "writes every row as it was stored, other accounts' audit rows among them, which "
                            "row-level security and the audit's policies refuse to any role but the owner; run it "
                            "as {}",
                            c.role(), c.database(), r.rows() ? r.str(0, 1) : "unknown",
                            r.rows() ? r.str(0, 1) : "the owner"));
}

}  // namespace

void PgStore::for_each_stored_row(const StoredTable& t, const std::function<bool(const StoredRow&)>& f) {
    Connection& c = connection();
    // A cursor lives in a transaction: the read store's snapshot or the
    // write's, else one of its own.
    const bool own = !reading_ && !in_write_;
    if (own) c.exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    const std::string cursor = fmt::format("copy_{}", t.name());
    bool open = false;
    try {
        c.exec(fmt::format("DECLARE {} NO SCROLL CURSOR FOR SELECT {} FROM trialcal.{} ORDER BY {}", cursor,
                           t.columns(), t.name(), t.order())
                   .c_str());
        open = true;
        const std::string fetch = fmt::format("FETCH {} FROM {}", rows_per_fetch, cursor);
        StoredRow row(static_cast<std::size_t>(t.width()));
        for (bool more = true; more;) {
            const Result r = c.query(fetch);
            if (r.rows() == 0) break;
            for (int i = 0; i < r.rows() && more; ++i) {
                for (int col = 0; col < t.width(); ++col) read_value(r, i, col, row[static_cast<std::size_t>(col)]);
                more = f(row);
            }
        }
        open = false;
        c.exec(fmt::format("CLOSE {}", cursor).c_str());
    } catch (...) {
        if (own) {
            try {
                c.exec("ROLLBACK");
            } catch (...) {  // NOLINT(bugprone-empty-catch): the first error is the one to report
            }
        } else if (open) {
            try {
                c.exec(fmt::format("CLOSE {}", cursor).c_str());
            } catch (...) {  // NOLINT(bugprone-empty-catch): the transaction is failing already
            }
        }
        throw;
    }
    if (own) c.exec("COMMIT");
}

void PgStore::insert_stored_rows(const StoredTable& t, std::span<const StoredRow> rows) {
    if (!in_write_) throw Error(Errc::internal, "rows copied outside a write");
    Connection& c = connection();
    check_owner(c);
    const int width = t.width();
    Params params;
    while (!rows.empty()) {
        const std::size_t n = std::min(rows.size(), rows_per_insert);
        std::string sql = fmt::format("INSERT INTO trialcal.{} ({}) VALUES ", t.name(), t.columns());
        params.clear();
        for (std::size_t r = 0; r < n; ++r) {
            const StoredRow& row = rows[r];
            if (static_cast<int>(row.size()) != width)
                throw Error(Errc::internal, fmt::format("a row of {} with {} values, not {}", t.name(), row.size(), width));
            sql += r ? ",(" : "(";
            for (int col = 0; col < width; ++col) {
                sql += fmt::format("{}${}", col ? "," : "", params.size() + 1);
                const StoredValue& v = row[static_cast<std::size_t>(col)];
                if (const auto* x = std::get_if<std::int64_t>(&v)) params.integer(*x);
                else if (const auto* d = std::get_if<double>(&v)) params.real(*d);
                else if (const auto* s = std::get_if<std::string>(&v)) params.text(*s);
                else params.null();
            }
            sql += ")";
        }
        // Prepared once per shape: every full batch of a table runs the same statement.
        (void)c.run(sql, params);
        // A site's staff are its role's members (`site add` makes it): a
        // copied site gets its role too.
        if (t.audited == TableId::site)
            for (const StoredRow& row : rows.first(n))
                if (const auto* code = std::get_if<std::string>(&row.front()))
                    (void)c.run("SELECT trialcal.site_role($1)", Params().text(*code));
        rows = rows.subspan(n);
    }
}

}  // namespace trialcal::store::postgresql
