#pragma once
// A query read a batch of rows at a time through a server-side cursor of the
// open transaction: a network's tables hold millions of rows, memory one
// batch (`audit verify`, `db copy`).
#include "store/postgresql/connection.hpp"

#include <fmt/format.h>

#include <string>

namespace trialcal::store::postgresql {

class Cursor {
public:
    static constexpr int rows_per_fetch = 2000;

    Cursor(Connection& c, std::string name, const std::string& sql) : c_(c), name_(std::move(name)) {
        c_.exec(fmt::format("DECLARE {} NO SCROLL CURSOR FOR {}", name_, sql).c_str());
        fetch();
    }
    [[nodiscard]] bool done() const noexcept { return r_.rows() == 0; }
    // The current row is row() of rows().
    [[nodiscard]] const Result& rows() const noexcept { return r_; }
    [[nodiscard]] int row() const noexcept { return row_; }
    void advance() {
        if (++row_ >= r_.rows()) fetch();
    }
    // Done with it before the transaction ends (its name can serve again).
    void close() { c_.exec(fmt::format("CLOSE {}", name_).c_str()); }

private:
    void fetch() {
        r_ = c_.query(fmt::format("FETCH {} FROM {}", rows_per_fetch, name_));
        row_ = 0;
    }
    Connection& c_;
    std::string name_;
    Result r_{nullptr};
    int row_ = 0;
};

}  // namespace trialcal::store::postgresql
