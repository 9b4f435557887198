#include "store/sqlite/row_digest.hpp"

#include "store/audit.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace trialcal::store::sqlite {

namespace {

void append_number(std::string& out, std::int64_t v) {
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, v);
    out.append(digits, end);
}

}  // namespace

void RowDigest::add(TableId table, SQLite::Statement& q, int first) {
    std::string& out = canonical_;
    out.clear();
    const Table& t = audited_tables[static_cast<std::size_t>(table)];
    out += t.name;
    out += ';';
    const int n = q.getColumnCount();
    for (int i = first; i < n; ++i) {
        const SQLite::Column c = q.getColumn(i);
        if (t.always > 0 && i - first >= t.always) {
            // A later schema's column: absent while NULL, else named by its
            // position, so no value can pose as another column's.
            if (c.isNull()) continue;
            out += '@';
            append_number(out, i - first);
        }
        switch (c.getType()) {
        case SQLITE_NULL: out += "n;"; break;
        case SQLITE_INTEGER:
            out += 'i';
            append_number(out, c.getInt64());
            out += ';';
            break;
        case SQLITE_FLOAT: {
            // A REAL column's whole number comes back from INSERT … RETURNING
            // on a WITHOUT ROWID table as an integer, and as a REAL when read:
            // the same value, hashed one way.
            const double v = c.getDouble();
            if (v == static_cast<double>(static_cast<std::int64_t>(v)) && v > -9.0e18 && v < 9.0e18) {
                out += 'i';
                append_number(out, static_cast<std::int64_t>(v));
                out += ';';
                break;
            }
            // 17 significant digits: the double round-trips exactly.
            char text[32];
            const int len = std::snprintf(text, sizeof text, "%.17g", c.getDouble());
            out += 'r';
            out.append(text, static_cast<std::size_t>(len));
            out += ';';
            break;
        }
        default: {  // text and blobs: their bytes
            const bool blob = c.getType() == SQLITE_BLOB;
            const void* bytes = c.getBlob();
            const int size = c.getBytes();
            out += blob ? 'b' : 't';
            append_number(out, size);
            out += ':';
            if (size > 0) out.append(static_cast<const char*>(bytes), static_cast<std::size_t>(size));
            out += ';';
        }
        }
    }
    hashes_[static_cast<std::size_t>(table)].push_back(sha256_hex(out));
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

}  // namespace trialcal::store::sqlite
