#include "store/row_digest.hpp"

#include "store/audit.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace trialcal::store {

namespace {

void append_number(std::string& out, std::int64_t v) {
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, v);
    out.append(digits, end);
}

}  // namespace

void RowDigest::row(TableId table) {
    table_index_ = static_cast<std::size_t>(table);
    table_ = &audited_tables[table_index_];
    column_ = 0;
    canonical_.clear();
    canonical_ += table_->name;
    canonical_ += ';';
}

bool RowDigest::column(bool is_null) {
    const int i = column_++;
    if (table_->always > 0 && i >= table_->always) {
        if (is_null) return false;
        canonical_ += '@';
        append_number(canonical_, i);
    }
    return true;
}

void RowDigest::null() {
    if (column(true)) canonical_ += "n;";
}

void RowDigest::integer(std::int64_t v) {
    if (!column(false)) return;
    canonical_ += 'i';
    append_number(canonical_, v);
    canonical_ += ';';
}

void RowDigest::real(double v) {
    // A REAL column's whole number comes back from INSERT … RETURNING on a
    // WITHOUT ROWID table as an integer, and as a REAL when read: the same
    // value, hashed one way.
    // In range first: converting a double outside int64's range is undefined.
    if (v > -9.0e18 && v < 9.0e18 && v == static_cast<double>(static_cast<std::int64_t>(v))) {
        integer(static_cast<std::int64_t>(v));
        return;
    }
    if (!column(false)) return;
    // 17 significant digits: the double round-trips exactly.
    char digits[32];
    const int len = std::snprintf(digits, sizeof digits, "%.17g", v);
    canonical_ += 'r';
    canonical_.append(digits, static_cast<std::size_t>(len));
    canonical_ += ';';
}

void RowDigest::text(std::string_view v) {
    if (!column(false)) return;
    canonical_ += 't';
    append_number(canonical_, static_cast<std::int64_t>(v.size()));
    canonical_ += ':';
    canonical_.append(v);
    canonical_ += ';';
}

void RowDigest::blob(std::string_view v) {
    if (!column(false)) return;
    canonical_ += 'b';
    append_number(canonical_, static_cast<std::int64_t>(v.size()));
    canonical_ += ':';
    canonical_.append(v);
    canonical_ += ';';
}

void RowDigest::done() {
    hashes_[table_index_].push_back(sha256_hex(canonical_));
    ++rows_;
}

RowsDigest RowDigest::take() {
    std::string all = "trialcal-rows-v2;";
    for (std::size_t t = 0; t < hashes_.size(); ++t) {
        auto& h = hashes_[t];
        if (h.empty()) continue;
        std::sort(h.begin(), h.end());
        all += audited_tables[t].name;
        all += ';';
        append_number(all, static_cast<std::int64_t>(h.size()));
        all += ';';
        for (const auto& x : h) all += x;
        all += ';';
        h.clear();
    }
    RowsDigest out{rows_, sha256_hex(all)};
    rows_ = 0;
    return out;
}

void RowDigest::clear() noexcept {
    for (auto& h : hashes_) h.clear();
    rows_ = 0;
}

}  // namespace trialcal::store
