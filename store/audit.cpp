#include "store/audit.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

namespace trialcal::store {

namespace {

// Length-prefixed fields: no value can be made to look like two others.
std::string canonical(const std::string& prev, std::int64_t seq, const std::string& at, const AuditEntry& e) {
    std::string out;
    for (const std::string* f : {&prev, &at, &e.by, &e.action, &e.patient, &e.target, &e.old_value, &e.new_value,
                                 &e.sealed, &e.reason})
        out += fmt::format("{}:{};", f->size(), *f);
    return fmt::format("trialcal-audit-v1;{};", seq) + out;
}

std::string text_or_empty(const SQLite::Column& c) { return c.isNull() ? std::string{} : c.getString(); }

}  // namespace

std::string sha256_hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1)
        throw Error(Errc::io, "SHA-256 failed (OpenSSL)");
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) hex += fmt::format("{:02x}", digest[i]);
    return hex;
}

std::string audit_head(Database& db) {
    SQLite::Statement q(db.sql(), "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1");
    return q.executeStep() ? q.getColumn(0).getString() : genesis_hash;
}

void append_audit(Database& db, const AuditEntry& e, const std::string& at) {
    const std::string prev = audit_head(db);
    SQLite::Statement seq_q(db.sql(), "SELECT coalesce(max(seq), 0) + 1 FROM audit");
    seq_q.executeStep();
    const std::int64_t seq = seq_q.getColumn(0).getInt64();
    const std::string hash = sha256_hex(canonical(prev, seq, at, e));
    SQLite::Statement ins(db.sql(),
                          "INSERT INTO audit (seq, at, by, action, patient, target, old, new, sealed, reason, "
                          "prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    ins.bind(1, seq);
    ins.bind(2, at);
    ins.bind(3, e.by);
    ins.bind(4, e.action);
    ins.bind(5, e.patient);
    ins.bind(6, e.target);
    ins.bind(7, e.old_value);
    ins.bind(8, e.new_value);
    ins.bind(9, e.sealed);
    ins.bind(10, e.reason);
    ins.bind(11, prev);
    ins.bind(12, hash);
    ins.exec();
}

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
        }
        prev = r.hash;
        ++expected_seq;
    }
    c.head = prev;
    return c;
}

}  // namespace trialcal::store
