#include "store/postgresql/connection.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <cstring>

namespace trialcal::store::postgresql {

bool is_uri(std::string_view where) noexcept {
    return where.starts_with("postgresql://") || where.starts_with("postgres://");
}

std::optional<std::string> user_of(const std::string& uri) {
    const auto value = [](PQconninfoOption* options, std::string_view keyword) {
        std::string out;
        for (PQconninfoOption* o = options; o && o->keyword; ++o)
            if (keyword == o->keyword && o->val) out = o->val;
        return out;
    };
    char* error = nullptr;
    PQconninfoOption* given = PQconninfoParse(uri.c_str(), &error);
    if (!given) {
        PQfreemem(error);
        return std::nullopt;  // the connection will say what is wrong
    }
    std::string user = value(given, "user");
    const bool service = !value(given, "service").empty() || std::getenv("PGSERVICE");
    PQconninfoFree(given);
    if (!user.empty()) return user;
    if (service) return std::nullopt;
    PQconninfoOption* defaults = PQconndefaults();
    user = value(defaults, "user");
    PQconninfoFree(defaults);
    if (user.empty()) return std::nullopt;
    return user;
}

void Result::Free::operator()(pg_result* r) const noexcept { PQclear(r); }

int Result::rows() const noexcept { return PQntuples(r_.get()); }

int Result::columns() const noexcept { return PQnfields(r_.get()); }

Result::Kind Result::kind(int col) const noexcept {
    // Type OIDs of pg_type.dat: int8, int2, int4; float4, float8.
    switch (PQftype(r_.get(), col)) {
    case 20:
    case 21:
    case 23: return Kind::integer;
    case 700:
    case 701: return Kind::real;
    default: return Kind::text;
    }
}

bool Result::null(int row, int col) const noexcept { return PQgetisnull(r_.get(), row, col) != 0; }

std::string_view Result::text(int row, int col) const noexcept {
    return {PQgetvalue(r_.get(), row, col), static_cast<std::size_t>(PQgetlength(r_.get(), row, col))};
}

std::optional<std::string> Result::opt(int row, int col) const {
    if (null(row, col)) return std::nullopt;
    return str(row, col);
}

std::int64_t Result::integer(int row, int col) const noexcept {
    const std::string_view t = text(row, col);
    std::int64_t v = 0;
    std::from_chars(t.data(), t.data() + t.size(), v);
    return v;
}

double Result::real(int row, int col) const noexcept {
    // The server writes the shortest text that reads back as the same double
    // (extra_float_digits 1, set at connection): read back exactly.
    const std::string_view t = text(row, col);
    double v = 0;
    std::from_chars(t.data(), t.data() + t.size(), v);
    return v;
}

Params& Params::text_array(std::span<const std::string> texts) {
    std::string array = "{";
    for (const std::string& t : texts) {
        if (array.size() > 1) array += ',';
        array += '"';
        for (const char ch : t) {
            if (ch == '"' || ch == '\\') array += '\\';
            array += ch;
        }
        array += '"';
    }
    return text(array + "}");
}

Params& Params::text(std::string_view v) {
    values_.emplace_back(v);
    nulls_.push_back(false);
    return *this;
}

Params& Params::null() {
    values_.emplace_back();
    nulls_.push_back(true);
    return *this;
}

Params& Params::integer(std::int64_t v) {
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, v);
    return text(std::string_view(digits, static_cast<std::size_t>(end - digits)));
}

Params& Params::real(double v) {
    char digits[32];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, v);
    return text(std::string_view(digits, static_cast<std::size_t>(end - digits)));
}

std::vector<const char*> Params::pointers() const {
    std::vector<const char*> p(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i) p[i] = nulls_[i] ? nullptr : values_[i].c_str();
    return p;
}

namespace {

// What the server's SQLSTATE says about a refusal, in the store's terms.
Errc errc_of(std::string_view state) noexcept {
    if (state == "42501" || state.starts_with("28")) return Errc::not_permitted;  // privilege, RLS, login
    if (state.starts_with("23") || state == "P0001") return Errc::refused;       // constraints, append-only
    if (state == "40001" || state == "40P01" || state == "55P03" || state == "57014") return Errc::busy;
    if (state == "3D000") return Errc::no_database;
    if (state == "42P01" || state == "3F000") return Errc::not_trialcal;  // no trialcal schema: not initialised
    if (state == "25006") return Errc::read_only;
    if (state.starts_with("08") || state.starts_with("57") || state.starts_with("53") || state.starts_with("58"))
        return Errc::io;
    return Errc::internal;
}

std::string first_line(const char* message) {
    std::string m = message ? message : "";
    if (const auto nl = m.find('\n'); nl != std::string::npos) m.resize(nl);
    return m;
}

}  // namespace

std::unique_ptr<Connection> Connection::open(const std::string& uri) {
    pg_conn* c = PQconnectdb(uri.c_str());
    if (!c) throw Error(Errc::io, "PostgreSQL: out of memory connecting");
    std::unique_ptr<Connection> out(new Connection(c));
    const std::string where = fmt::format("database {} on {}", PQdb(c) ? PQdb(c) : "?",
                                          PQhost(c) && *PQhost(c) ? PQhost(c) : "localhost");
    if (PQstatus(c) != CONNECTION_OK) {
        const std::string why = first_line(PQerrorMessage(c));
        // libpq gives no SQLSTATE for a failed connection: its text tells.
        const bool missing = why.find("does not exist") != std::string::npos && why.find("database") != std::string::npos;
        const bool refused = why.find("authentication") != std::string::npos ||
                             why.find("password") != std::string::npos || why.find("role") != std::string::npos ||
                             why.find("pg_hba") != std::string::npos;
        throw Error(missing ? Errc::no_database : refused ? Errc::not_permitted : Errc::io,
                    fmt::format("cannot connect to {}: {}", where, why));
    }
    out->database_ = PQdb(c);
    // Texts bytewise as SQLite compares them; doubles as the shortest exact
    // text; a lock waited for no longer than SQLite's busy timeout. No JIT:
    // our statements read a patient or a batch of them by index, and
    // compiling one (the planner's cost crosses jit_above_cost on a network
    // of some size) took 20 ms, more than running it.
    // Then who logged in, and trialcal's roles they hold: a refusal names
    // both. One round trip (PQexec answers with the last statement's rows).
    Result who = out->checked(
        PQexec(c, "SET client_encoding = 'UTF8'; SET extra_float_digits = 1; SET search_path = trialcal, pg_catalog; "
                  "SET lock_timeout = '10s'; SET idle_in_transaction_session_timeout = 0; "
                  "SET client_min_messages = warning; SET jit = off; "
                  "SELECT session_user, coalesce((SELECT string_agg(rolname, ', ' ORDER BY rolname) FROM "
                  "pg_catalog.pg_roles WHERE rolname IN ('trialcal_nurse', 'trialcal_coordinator', "
                  "'trialcal_monitor', 'trialcal_admin') AND pg_has_role(session_user, oid, 'MEMBER')), 'none')"),
        "session");
    out->role_ = who.str(0, 0);
    out->groups_ = who.str(0, 1);
    return out;
}

Connection::~Connection() { PQfinish(c_); }

Result Connection::checked(pg_result* r, std::string_view what) {
    const ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Result(r);
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const std::string code = state ? state : (PQstatus(c_) == CONNECTION_BAD ? "08006" : "XX000");
    std::string message = first_line(r ? PQresultErrorMessage(r) : PQerrorMessage(c_));
    if (message.starts_with("ERROR:  ")) message.erase(0, 8);
    if (const char* detail = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : nullptr)
        message += fmt::format(" ({})", detail);
    PQclear(r);
    (void)what;
    const Errc errc = errc_of(code);
    if (errc == Errc::not_permitted)
        throw Error(errc, fmt::format("PostgreSQL database {} refused role {} (trialcal roles: {}): {}", database_,
                                      role_, groups_, message));
    throw Error(errc, fmt::format("PostgreSQL database {}: {}", database_, message));
}

void Connection::exec(const char* sql) { checked(PQexec(c_, sql), sql); }

Result Connection::run(std::string_view sql, const Params& params) {
    std::string text(sql);
    auto it = prepared_.find(text);
    if (it == prepared_.end()) {
        // Its first time unprepared, in one round trip: most commands run
        // most statements once. Prepared when it comes again.
        if (run_once_.insert(text).second) return query(text, params);
        std::string name = fmt::format("s{}", prepared_.size() + 1);
        checked(PQprepare(c_, name.c_str(), text.c_str(), 0, nullptr), text);
        it = prepared_.emplace(std::move(text), std::move(name)).first;
    }
    const std::vector<const char*> values = params.pointers();
    return checked(PQexecPrepared(c_, it->second.c_str(), params.size(), values.data(), nullptr, nullptr, 0),
                   it->first);
}

Result Connection::query(const std::string& sql, const Params& params) {
    const std::vector<const char*> values = params.pointers();
    return checked(PQexecParams(c_, sql.c_str(), params.size(), nullptr, values.data(), nullptr, nullptr, 0), sql);
}

}  // namespace trialcal::store::postgresql
