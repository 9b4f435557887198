#include "store/audit.hpp"

#include "store/store.hpp"

#include <fmt/format.h>
#include <nettle/sha2.h>

#include <charconv>

namespace trialcal::store {

namespace {

// Length-prefixed fields: no value can be made to look like two others.
void canonical(std::string& out, const std::string& prev, std::int64_t seq, const std::string& at,
               const AuditEntry& e) {
    out.clear();
    char digits[24];
    const auto number = [&](std::int64_t v) {
        const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, v);
        out.append(digits, end);
    };
    out += "trialcal-audit-v1;";
    number(seq);
    out += ';';
    for (const std::string* f : {&prev, &at, &e.by, &e.action, &e.patient, &e.target, &e.old_value, &e.new_value,
                                 &e.sealed, &e.reason}) {
        number(static_cast<std::int64_t>(f->size()));
        out += ':';
        out += *f;
        out += ';';
    }
}

std::string canonical(const std::string& prev, std::int64_t seq, const std::string& at, const AuditEntry& e) {
    std::string out;
    canonical(out, prev, seq, at, e);
    return out;
}

std::string text_or_empty(const SQLite::Column& c) { return c.isNull() ? std::string{} : c.getString(); }

}  // namespace

std::optional<SealedRecords> sealed_records(const AuditEntry& e) {
    static constexpr std::string_view key = "records_sha256=";
    const auto at = e.new_value.find(key);
    if (at == std::string::npos || e.target.size() < 4 || e.target[0] != 'R') return std::nullopt;
    SealedRecords s;
    const char* p = e.target.data() + 1;
    const char* end = e.target.data() + e.target.size();
    auto [dash, ec1] = std::from_chars(p, end, s.first);
    if (ec1 != std::errc{} || dash + 2 > end || dash[0] != '-' || dash[1] != 'R') return std::nullopt;
    auto [stop, ec2] = std::from_chars(dash + 2, end, s.last);
    if (ec2 != std::errc{} || stop != end) return std::nullopt;
    s.sha256 = e.new_value.substr(at + key.size(), 64);
    return s;
}

std::string sha256_hex(std::string_view data) {
    sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, data.size(), reinterpret_cast<const std::uint8_t*>(data.data()));
    std::uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
    static constexpr char hex_digits[] = "0123456789abcdef";
    std::string out(2 * SHA256_DIGEST_SIZE, '0');
    for (std::size_t i = 0; i < SHA256_DIGEST_SIZE; ++i) {
        out[2 * i] = hex_digits[digest[i] >> 4];
        out[2 * i + 1] = hex_digits[digest[i] & 0xf];
    }
    return out;
}

std::string audit_head(Database& db) {
    SQLite::Statement q(db.sql(), "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1");
    return q.executeStep() ? q.getColumn(0).getString() : genesis_hash;
}

AuditLog::AuditLog(Database& db)
    : head_(db.sql(), "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"),
      insert_(db.sql(),
              "INSERT INTO audit (seq, at, by, action, patient, target, old, new, sealed, reason, prev_hash, hash) "
              "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)") {}

void AuditLog::append(const AuditEntry& e, const std::string& at) {
    // Read each time, never cached: only the write transaction's lock makes
    // the head ours, and it is one step on the last page of the B-tree.
    head_.reset();
    std::int64_t seq = 1;
    std::string prev = genesis_hash;
    if (head_.executeStep()) {
        seq = head_.getColumn(0).getInt64() + 1;
        prev = head_.getColumn(1).getString();
    }
    canonical(canonical_, prev, seq, at, e);
    const std::string hash = sha256_hex(canonical_);
    insert_.reset();
    insert_.bind(1, seq);
    insert_.bindNoCopy(2, at);
    insert_.bindNoCopy(3, e.by);
    insert_.bindNoCopy(4, e.action);
    insert_.bindNoCopy(5, e.patient);
    insert_.bindNoCopy(6, e.target);
    insert_.bindNoCopy(7, e.old_value);
    insert_.bindNoCopy(8, e.new_value);
    insert_.bindNoCopy(9, e.sealed);
    insert_.bindNoCopy(10, e.reason);
    insert_.bindNoCopy(11, prev);
    insert_.bindNoCopy(12, hash);
    insert_.exec();
}

void append_audit(Database& db, const AuditEntry& e, const std::string& at) { AuditLog(db).append(e, at); }

std::vector<AuditRow> audit_rows(Database& db, const std::optional<std::string>& patient) {
    SQLite::Statement q(db.sql(), patient ? "SELECT seq, at, by, action, patient, target, old, new, sealed, reason, "
                                            "prev_hash, hash FROM audit WHERE patient = ? ORDER BY seq"
                                          : "SELECT seq, at, by, action, patient, target, old, new, sealed, reason, "
                                            "prev_hash, hash FROM audit ORDER BY seq");
    if (patient) q.bind(1, *patient);
    std::vector<AuditRow> rows;
    while (q.executeStep()) {
        AuditRow r;
        r.seq = q.getColumn(0).getInt64();
        r.at = q.getColumn(1).getString();
        r.entry = {text_or_empty(q.getColumn(2)), text_or_empty(q.getColumn(3)), text_or_empty(q.getColumn(4)),
                   text_or_empty(q.getColumn(5)), text_or_empty(q.getColumn(6)), text_or_empty(q.getColumn(7)),
                   text_or_empty(q.getColumn(8)), text_or_empty(q.getColumn(9))};
        r.prev_hash = q.getColumn(10).getString();
        r.hash = q.getColumn(11).getString();
        rows.push_back(std::move(r));
    }
    return rows;
}

ChainCheck verify_audit(Database& db) {
    ChainCheck c;
    std::string prev = genesis_hash;
    std::int64_t expected_seq = 1;
    for (const auto& r : audit_rows(db, std::nullopt)) {
        ++c.rows;
        if (c.first_broken) continue;
        if (r.seq != expected_seq) {
            c.first_broken = r.seq;
            c.reason = fmt::format("row {} follows row {}: a row is missing", r.seq, expected_seq - 1);
        } else if (r.prev_hash != prev) {
            c.first_broken = r.seq;
            c.reason = fmt::format("row {} does not point at the hash of row {}", r.seq, r.seq - 1);
        } else if (sha256_hex(canonical(prev, r.seq, r.at, r.entry)) != r.hash) {
            c.first_broken = r.seq;
            c.reason = fmt::format("row {} was changed after it was written: its hash does not match", r.seq);
        } else if (auto sealed = sealed_records(r.entry)) {
            if (Store(db).records_sha256(sealed->first, sealed->last) != sealed->sha256) {
                c.first_broken = r.seq;
                c.reason = fmt::format("records R{} to R{}, sealed by row {}, were changed after they were written",
                                       sealed->first, sealed->last, r.seq);
            }
        }
        prev = r.hash;
        ++expected_seq;
    }
    c.head = prev;
    return c;
}

}  // namespace trialcal::store
