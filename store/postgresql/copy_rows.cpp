// `db copy` on PostgreSQL: a table's rows read through a cursor of the
// store's snapshot (a batch at a time: a network holds millions), typed as
// the server holds them, and rows inserted verbatim, many a statement, by
// the schema's owner only: rows of other accounts, audit rows among them,
// are what row-level security and the audit's policies refuse any other role.
#include "store/postgresql/cursor.hpp"
#include "store/postgresql/pg_store.hpp"
#include "store/postgresql/rows.hpp"

#include <fmt/format.h>

namespace trialcal::store::postgresql {

namespace {

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

}  // namespace

void PgStore::for_each_stored_row(const StoredTable& t, const std::function<bool(const StoredRow&)>& f) {
    in_snapshot([&] {
        Cursor cursor(connection(), fmt::format("copy_{}", t.name()),
                      fmt::format("SELECT {} FROM trialcal.{} ORDER BY {}", t.columns(), t.name(), t.order()));
        StoredRow row(static_cast<std::size_t>(t.width()));
        for (; !cursor.done(); cursor.advance()) {
            for (int col = 0; col < t.width(); ++col)
                read_value(cursor.rows(), cursor.row(), col, row[static_cast<std::size_t>(col)]);
            if (!f(row)) break;
        }
        cursor.close();
    });
}

void PgStore::insert_stored_rows(const StoredTable& t, std::span<const StoredRow> rows) {
    if (!in_write_) throw Error(Errc::internal, "rows copied outside a write");
    Connection& c = connection();
    // Only the owner of schema trialcal (or a role with its rights) writes rows as they were stored.
    if (!owns_schema()) {
        const Result owner = c.run("SELECT pg_catalog.pg_get_userbyid(nspowner) FROM pg_catalog.pg_namespace WHERE "
                                   "nspname = 'trialcal'");
        const std::string name = owner.rows() ? owner.str(0, 0) : "unknown";
        throw Error(Errc::not_permitted,
                    fmt::format("role {} is not the owner of schema trialcal in database {} (its owner is {}): a copy "
                                "writes every row as it was stored, other accounts' audit rows among them, which "
                                "row-level security and the audit's policies refuse to any role but the owner; run "
                                "it as {}",
                                c.role(), c.database(), name, owner.rows() ? name : "the owner"));
    }
    // Audit rows copied as stored move the chain's head past what this write read.
    head_.reset();
    const int width = t.width();
    const std::string head = fmt::format("INSERT INTO trialcal.{} ({}) VALUES ", t.name(), t.columns());
    Params params;
    while (!rows.empty()) {
        const std::size_t n = std::min(rows.size(), rows_per_insert);
        params.clear();
        for (const StoredRow& row : rows.first(n)) {
            if (static_cast<int>(row.size()) != width)
                throw Error(Errc::internal, fmt::format("a row of {} with {} values, not {}", t.name(), row.size(), width));
            for (const StoredValue& v : row) {
                if (const auto* x = std::get_if<std::int64_t>(&v)) params.integer(*x);
                else if (const auto* d = std::get_if<double>(&v)) params.real(*d);
                else if (const auto* s = std::get_if<std::string>(&v)) params.text(*s);
                else params.null();
            }
        }
        // Prepared once per shape: every full batch of a table runs the same statement.
        (void)c.run(rows_insert_sql(head, width, n, ""), params);
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
