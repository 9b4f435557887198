#include "store/verify_trail.hpp"

#include <fmt/format.h>

#include <limits>

namespace trialcal::store {

namespace {

std::string describe(const AuditRow& r) {
    return fmt::format("audit row {} ({}{}{})", r.seq, r.entry.action, r.entry.patient.empty() ? "" : " of ",
                       r.entry.patient);
}

}  // namespace

void check_trail(TrailRows& trail, std::vector<std::unique_ptr<TableRows>>& tables, ChainCheck& c) {
    // Rows naming no audit row that exists, up to (not including) `seq`.
    const auto unaccounted_before = [&](std::int64_t seq) {
        for (auto& t : tables)
            for (; !t->done() && t->seq() < seq; t->advance())
                c.breaks.push_back({t->seq() > 0 ? t->seq() : 0,
                                    fmt::format("{} names audit row {}, which does not exist: no audit row accounts "
                                                "for it",
                                                t->key(), t->seq())});
    };
    std::string canonical, prev = genesis_hash, prev_at;
    std::int64_t expected = 1;
    RowDigest found;
    AuditRow r;
    while (trail.next(r)) {
        ++c.rows;
        if (r.seq != expected)
            c.breaks.push_back({r.seq, fmt::format("audit row {} follows row {}: {} row(s) are missing", r.seq,
                                                   expected - 1, r.seq - expected)});
        if (r.prev_hash != prev)
            c.breaks.push_back({r.seq, fmt::format("audit row {} does not point at the hash of the row before it", r.seq)});
        audit_canonical(canonical, r);
        if (sha256_hex(canonical) != r.hash)
            c.breaks.push_back({r.seq, fmt::format("{} was changed after it was written: its hash does not match",
                                                   describe(r))});
        if (!prev_at.empty() && r.at < prev_at)
            c.breaks.push_back({r.seq, fmt::format("{} was written at {}, before the row before it ({}): the clock "
                                                   "went back or rows were reordered",
                                                   describe(r), r.at, prev_at)});
        unaccounted_before(r.seq);
        for (auto& t : tables)
            for (; !t->done() && t->seq() == r.seq; t->advance()) t->add_to(found);
        const std::int64_t there = found.rows();
        const RowsDigest d = found.take();
        c.table_rows += there;
        if (d.rows != r.rows)
            c.breaks.push_back({r.seq, fmt::format("{} wrote {} row(s); {} name it now: rows were {}", describe(r),
                                                   r.rows, there, there < r.rows ? "removed" : "added")});
        else if (d.digest != r.digest)
            c.breaks.push_back({r.seq, fmt::format("{}: the {} row(s) it wrote were changed after they were written",
                                                   describe(r), r.rows)});
        prev = r.hash;
        prev_at = r.at;
        c.head = {r.seq, r.hash};
        expected = r.seq + 1;
    }
    unaccounted_before(std::numeric_limits<std::int64_t>::max());
}

}  // namespace trialcal::store
