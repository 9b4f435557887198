// Sites on SQLite: their revisions, and the migration from schema 2 (before
// sites) to schema 3.
#include "store/sqlite/sqlite_store.hpp"

#include "store/sqlite/schema.sql.hpp"

#include <fmt/format.h>

namespace trialcal::store::sqlite {

std::vector<SiteRevision> SqliteStore::sites() {
    SQLite::Statement& q = statement(
        "SELECT code, revision, name, tz, country, closed, holidays, holiday_file, at, by FROM site o "
        "WHERE audit_seq <= trialcal_snapshot() AND revision = (SELECT max(revision) FROM site n "
        "WHERE n.code = o.code AND n.audit_seq <= trialcal_snapshot()) ORDER BY code");
    std::vector<SiteRevision> out;
    while (q.executeStep()) {
        SiteRevision& r = out.emplace_back();
        Site& s = r.site;
        s.code = q.getColumn(0).getString();
        r.revision = q.getColumn(1).getInt();
        s.name = q.getColumn(2).getString();
        s.tz = q.getColumn(3).getString();
        if (!q.getColumn(4).isNull()) s.country = q.getColumn(4).getString();
        const std::string closed = q.getColumn(5).getString();
        const auto weekdays = parse_weekdays(closed);
        if (!weekdays) {
            q.tryReset();
            throw Error(Errc::internal, fmt::format("site {}: closed days '{}' as stored do not read back", s.code, closed));
        }
        s.closed = *weekdays;
        if (!q.getColumn(6).isNull()) s.holidays = q.getColumn(6).getString();
        if (!q.getColumn(7).isNull()) r.holiday_file = q.getColumn(7).getString();
        r.at = q.getColumn(8).getString();
        r.by = q.getColumn(9).getString();
    }
    q.tryReset();
    return out;
}

void SqliteStore::insert_site(const SiteRevision& r) {
    static constexpr auto sql =
        join_sql("INSERT INTO site (code, revision, name, tz, country, closed, holidays, holiday_file, at, by, "
                 "audit_seq) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING ",
                 site_columns);
    const Site& s = r.site;
    SQLite::Statement& q = statement(sql.c_str());
    q.bind(1, s.code);
    q.bind(2, r.revision);
    q.bind(3, s.name);
    q.bind(4, s.tz);
    if (s.country) q.bind(5, *s.country);
    else q.bind(5);
    q.bind(6, weekdays_text(s.closed));
    if (s.holidays) {
        q.bind(7, *s.holidays);
        q.bind(8, r.holiday_file);
    } else {
        q.bind(7);
        q.bind(8);
    }
    q.bind(9, r.at);
    q.bind(10, r.by);
    q.bind(11, audit_seq());
    run_insert(q, TableId::site);
}

void SqliteStore::add_user(const std::string& name, const std::string&, const std::vector<std::string>&) {
    throw Error(Errc::refused, fmt::format("user {}: a unit's SQLite file has no users of its own (the operating "
                                           "system's account is recorded on every write); users belong to a "
                                           "network's PostgreSQL database",
                                           name));
}

bool SqliteStore::migrate_schema_two(const std::function<void()>& copy) {
    return migrate_to_current(2, {schema_v3, schema_v4}, copy);
}

}  // namespace trialcal::store::sqlite
