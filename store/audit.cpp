#include "store/audit.hpp"

#include "crypto/crypto.hpp"
#include "store/store.hpp"

#include <fmt/format.h>

#include <charconv>

namespace trialcal::store {

void audit_canonical(std::string& out, const std::string& prev, std::int64_t seq, const std::string& at,
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

std::string sha256_hex(std::string_view data) { return crypto::sha256_hex(data); }

ChainCheck verify_audit(Store& s) {
    std::string canonical;
    ChainCheck c;
    std::string prev = genesis_hash;
    std::int64_t expected_seq = 1;
    for (const auto& r : s.audit_rows(std::nullopt)) {
        ++c.rows;
        if (c.first_broken) continue;
        if (r.seq != expected_seq) {
            c.first_broken = r.seq;
            c.reason = fmt::format("row {} follows row {}: a row is missing", r.seq, expected_seq - 1);
        } else if (r.prev_hash != prev) {
            c.first_broken = r.seq;
            c.reason = fmt::format("row {} does not point at the hash of row {}", r.seq, r.seq - 1);
        } else if (audit_canonical(canonical, prev, r.seq, r.at, r.entry), sha256_hex(canonical) != r.hash) {
            c.first_broken = r.seq;
            c.reason = fmt::format("row {} was changed after it was written: its hash does not match", r.seq);
        } else if (auto sealed = sealed_records(r.entry)) {
            if (s.records_sha256(sealed->first, sealed->last) != sealed->sha256) {
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
