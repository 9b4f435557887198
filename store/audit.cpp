#include "store/audit.hpp"

#include "crypto/crypto.hpp"

#include <fmt/format.h>

#include <charconv>

namespace trialcal::store {

std::string Head::text() const { return fmt::format("{}:{}", seq, hash); }

std::optional<Head> parse_head(std::string_view text) {
    const auto is_hash = [](std::string_view h) {
        return h.size() == 64 && h.find_first_not_of("0123456789abcdef") == std::string_view::npos;
    };
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) {
        if (!is_hash(text)) return std::nullopt;
        return Head{0, std::string(text)};
    }
    Head h;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + colon, h.seq);
    if (ec != std::errc{} || end != text.data() + colon || h.seq < 1) return std::nullopt;
    if (!is_hash(text.substr(colon + 1))) return std::nullopt;
    h.hash = std::string(text.substr(colon + 1));
    return h;
}

void audit_canonical(std::string& out, const AuditRow& r) {
    out.clear();
    char digits[24];
    const auto number = [&](std::int64_t v) {
        const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, v);
        out.append(digits, end);
    };
    out += "trialcal-audit-v2;";
    number(r.seq);
    out += ';';
    number(r.rows);
    out += ';';
    const AuditEntry& e = r.entry;
    for (const std::string* f : {&r.prev_hash, &r.at, &r.account, &e.by, &e.action, &e.patient, &e.target,
                                 &e.old_value, &e.new_value, &e.sealed, &e.reason, &e.source, &r.digest}) {
        number(static_cast<std::int64_t>(f->size()));
        out += ':';
        out += *f;
        out += ';';
    }
}

std::optional<std::string> head_problem(const ChainCheck& c, const Head& kept,
                                        const std::optional<std::string>& hash_at_kept_seq) {
    if (kept.seq > c.head.seq)
        return fmt::format("the kept head is row {}, but the trail ends at row {}: it was rolled back or truncated",
                           kept.seq, c.head.seq);
    if (!hash_at_kept_seq)
        return fmt::format("the trail holds no row with the kept head's hash {}: it was rolled back or rewritten",
                           kept.hash);
    if (*hash_at_kept_seq != kept.hash)
        return fmt::format("row {} of the trail has hash {}, not the kept {}: the trail was rewritten", kept.seq,
                           *hash_at_kept_seq, kept.hash);
    for (const Break& b : c.breaks)
        if (b.seq <= kept.seq)
            return fmt::format("the trail up to the kept head is broken (row {}): it no longer proves that head",
                               b.seq);
    return std::nullopt;
}

std::string sha256_hex(std::string_view data) { return crypto::sha256_hex(data); }

}  // namespace trialcal::store
