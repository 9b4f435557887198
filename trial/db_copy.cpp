#include "trial/db_copy.hpp"

#include "trial/error.hpp"
#include "trial/patient.hpp"

#include <fmt/format.h>

#include <optional>
#include <vector>

namespace trialcal::trial {

namespace {

// Rows handed to the destination at a time: memory holds one batch, however
// many millions the source has.
constexpr std::size_t rows_per_batch = 1000;

// The first table of `s` that holds a row, if any.
std::optional<std::string> first_table_with_rows(store::Store& s) {
    for (const store::StoredTable& t : store::stored_tables()) {
        bool any = false;
        s.for_each_stored_row(t, [&](const store::StoredRow&) { return !(any = true); });
        if (any) return t.name();
    }
    return std::nullopt;
}

// Each table's rows, from `from` into `to` inside `to`'s write; how many of each.
std::vector<std::int64_t> copy_rows(store::Store& from, store::Store& to) {
    std::vector<std::int64_t> counts;
    std::vector<store::StoredRow> batch;
    batch.reserve(rows_per_batch);
    for (const store::StoredTable& t : store::stored_tables()) {
        std::int64_t n = 0;
        from.for_each_stored_row(t, [&](const store::StoredRow& row) {
            batch.push_back(row);
            if (batch.size() == rows_per_batch) {
                to.insert_stored_rows(t, batch);
                batch.clear();
            }
            ++n;
            return true;
        });
        to.insert_stored_rows(t, batch);
        batch.clear();
        counts.push_back(n);
    }
    return counts;
}

// "N break(s), the first: audit row S: WHAT" of a trail that does not verify.
std::string breaks_text(const store::ChainCheck& c) {
    return fmt::format("{} break(s), the first: audit row {}: {}", c.breaks.size(), c.breaks.front().seq,
                       c.breaks.front().what);
}

// How the destination's check differs from the source's; empty when it does not.
std::string difference(const store::ChainCheck& source, const store::ChainCheck& copy) {
    std::string out;
    const auto add = [&](const std::string& what) { out += (out.empty() ? "" : "; ") + what; };
    if (copy.head != source.head) add(fmt::format("head {} instead of {}", copy.head.text(), source.head.text()));
    if (copy.rows != source.rows) add(fmt::format("{} audit rows instead of {}", copy.rows, source.rows));
    if (copy.table_rows != source.table_rows)
        add(fmt::format("{} rows accounted for instead of {}", copy.table_rows, source.table_rows));
    if (!copy.intact()) add(breaks_text(copy));
    return out;
}

}  // namespace

std::string copy_database(Storage& from, Storage& to) {
    std::string out;
    with_store([&] {
        const auto source = from.open(store::Mode::read);
        const store::ChainCheck checked = source->verify_audit();
        if (!checked.intact())
            throw Error(Kind::bad_data,
                        fmt::format("{}: its audit trail does not verify ({}): a broken trail is not carried into "
                                    "another database; nothing was written",
                                    from.name(), breaks_text(checked)));
        // The rows are read as of the read's snapshot; the check read the
        // trail as it is now. Someone writing meanwhile makes them differ.
        if (source->audit_head() != checked.head)
            throw Error(Kind::busy, fmt::format("{} was written to while it was read (head {} now): copy it again "
                                                "when nobody writes to it; nothing was written",
                                                from.name(), checked.head.text()));
        const auto dest = to.open(store::Mode::write);
        std::vector<std::int64_t> counts;
        dest->write([&] {
            if (const store::Head head = dest->audit_head(); head.seq != 0)
                throw Error(Kind::rule, fmt::format("{}: not an empty trial database (its audit trail is at {}): a "
                                                    "copy goes only where nothing was written; nothing was written",
                                                    to.name(), head.text()));
            if (const auto table = first_table_with_rows(*dest))
                throw Error(Kind::rule, fmt::format("{}: not an empty trial database (table {} holds rows): a copy "
                                                    "goes only where nothing was written; nothing was written",
                                                    to.name(), *table));
            counts = copy_rows(*source, *dest);
            // Verified inside the copy's transaction: a copy that does not
            // verify as its source does is never committed.
            const store::ChainCheck copied = dest->verify_audit();
            if (const std::string d = difference(checked, copied); !d.empty())
                throw Error(Kind::internal, fmt::format("the copy in {} does not verify as {} does: {}; rolled back, "
                                                        "nothing was written",
                                                        to.name(), from.name(), d));
        });
        out = fmt::format("copied {} to {}:\n", from.name(), to.name());
        const auto tables = store::stored_tables();
        for (std::size_t i = 0; i + 1 < tables.size(); ++i)
            out += fmt::format("  {:<16} {} rows\n", tables[i].name(), counts[i]);
        out += fmt::format("  {:<16} {} audit rows\n", "audit", counts.back());
        out += fmt::format("audit verify: intact, head {} on both\n", checked.head.text());
    });
    return out;
}

}  // namespace trialcal::trial
