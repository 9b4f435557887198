#pragma once
// One connection to a PostgreSQL server through libpq, owned (RAII), and the
// results of its statements. Statements the store runs again are prepared
// once per connection (at their second run) and run with bound parameters in
// libpq's text format. The server's errors become store::Error here, by
// SQLSTATE: no caller sees libpq.
#include "store/error.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

struct pg_conn;
struct pg_result;

namespace trialcal::store::postgresql {

// Whether `where` names a PostgreSQL database (postgresql:// or postgres://)
// rather than an SQLite file.
[[nodiscard]] bool is_uri(std::string_view where) noexcept;

// The role libpq will log in as for `uri`, when it can be known without
// connecting: the URI's user, else $PGUSER, else the OS account (what
// libpq sends; the server's session_user is that role). Nothing when a
// service file may name it.
[[nodiscard]] std::optional<std::string> user_of(const std::string& uri);

class Result {
public:
    explicit Result(pg_result* r) noexcept : r_(r) {}
    [[nodiscard]] int rows() const noexcept;
    [[nodiscard]] int columns() const noexcept;
    // A column's kind of value, as the row digest types it.
    enum class Kind { integer, real, text };
    [[nodiscard]] Kind kind(int col) const noexcept;
    [[nodiscard]] bool null(int row, int col) const noexcept;
    [[nodiscard]] std::string_view text(int row, int col) const noexcept;  // "" when NULL
    [[nodiscard]] std::string str(int row, int col) const { return std::string(text(row, col)); }
    [[nodiscard]] std::optional<std::string> opt(int row, int col) const;
    [[nodiscard]] std::int64_t integer(int row, int col) const noexcept;
    [[nodiscard]] double real(int row, int col) const noexcept;

private:
    struct Free {
        void operator()(pg_result* r) const noexcept;
    };
    std::unique_ptr<pg_result, Free> r_;
};

// A statement's parameters, as text: what is bound is what the server parses.
class Params {
public:
    Params& text(std::string_view v);
    Params& null();
    Params& integer(std::int64_t v);
    Params& real(double v);  // the shortest text that reads back as the same double
    template <class T>
    Params& opt(const std::optional<T>& v) {
        if (!v) return null();
        if constexpr (std::is_same_v<T, double>) return real(*v);
        else if constexpr (std::is_integral_v<T>) return integer(*v);
        else return text(*v);
    }
    // Texts as one text[] parameter ({"P1","P2"}, quotes and backslashes escaped).
    Params& text_array(std::span<const std::string> texts);
    // An empty text as NULL.
    Params& text_or_null(std::string_view v) { return v.empty() ? null() : text(v); }
    [[nodiscard]] int size() const noexcept { return static_cast<int>(values_.size()); }
    // Pointers into the values, valid until the next change.
    [[nodiscard]] std::vector<const char*> pointers() const;
    void clear() noexcept {
        values_.clear();
        nulls_.clear();
    }

private:
    std::vector<std::string> values_;
    std::vector<bool> nulls_;
};

class Connection {
public:
    // Connects to `uri`; an unreachable server, a database that does not
    // exist or a refused login is store::Error naming it (the password left out).
    static std::unique_ptr<Connection> open(const std::string& uri);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Statements without parameters, several at once (DDL, BEGIN, COMMIT).
    void exec(const char* sql);
    // A statement kept prepared for the life of the connection, by its text.
    Result run(std::string_view sql, const Params& params = {});
    // A statement built at run time (verify's table scans), not kept.
    Result query(const std::string& sql, const Params& params = {});
    // The login role, as the server authenticated it.
    [[nodiscard]] const std::string& role() const noexcept { return role_; }
    // The database's name, for messages.
    [[nodiscard]] const std::string& database() const noexcept { return database_; }

private:
    explicit Connection(pg_conn* c) noexcept : c_(c) {}
    Result checked(pg_result* r, std::string_view what);
    pg_conn* c_;
    std::unordered_map<std::string, std::string> prepared_;  // text -> statement name
    std::unordered_set<std::string> run_once_;               // texts run unprepared so far
    std::string role_;
    std::string groups_;  // trialcal's roles the login holds, for messages
    std::string database_;
};

}  // namespace trialcal::store::postgresql
