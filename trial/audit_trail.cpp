// The audit trail as a listing, and its verification.
#include "trial/audit_trail.hpp"

#include "output/csv.hpp"
#include "output/json.hpp"
#include "output/table.hpp"
#include "trial/emit.hpp"
#include "trial/error.hpp"
#include "trial/patient_filter.hpp"
#include "trial/patient.hpp"
#include "trial/recording.hpp"
#include "trial/sealing.hpp"

#include <charconv>
#include <functional>

#include <fmt/format.h>

namespace trialcal::trial {

namespace {

// The records "R5-R14" an import's row names as its target.
std::optional<std::pair<std::int64_t, std::int64_t>> record_range(const store::AuditRow& r) {
    if (r.entry.action != "import doses") return std::nullopt;
    const std::string& t = r.entry.target;
    std::int64_t first = 0, last = 0;
    const char* end = t.data() + t.size();
    if (t.size() < 4 || t[0] != 'R') return std::nullopt;
    auto [dash, ec1] = std::from_chars(t.data() + 1, end, first);
    if (ec1 != std::errc{} || dash + 2 > end || dash[0] != '-' || dash[1] != 'R') return std::nullopt;
    auto [stop, ec2] = std::from_chars(dash + 2, end, last);
    if (ec2 != std::errc{} || stop != end) return std::nullopt;
    return std::pair{first, last};
}

// An import's row accounts for the records it wrote; the listing shows them,
// one line each as a single dose's row would, after the stored (hashed) values.
std::string imported(store::Store& s, const store::AuditRow& row) {
    std::string out;
    const auto range = record_range(row);
    if (!range) return out;
    for (const auto& r : s.records_between(range->first, range->second))
        out += fmt::format("{}R{}: {}", out.empty() ? "" : "\n", r.id, dose_details(r));
    return out;
}

// Rows per read: a network's trail is read in short batches, never held.
constexpr std::size_t batch = 512;

// Each row up to `up_to`, oldest first, with its import's record lines.
void each_row(store::Store& s, const std::optional<std::string>& patient, std::int64_t up_to,
              const std::function<void(const store::AuditRow&, const std::string& records)>& f) {
    std::int64_t after = 0;
    for (;;) {
        const auto rows = s.audit_rows_between(patient, after, up_to, batch);
        for (const auto& r : rows) f(r, imported(s, r));
        if (rows.size() < batch) return;
        after = rows.back().seq;
    }
}

// The listing, a row at a time. The table's columns are as wide as their
// widest cell, so it reads the trail twice: once to measure, once to print;
// both stop at the head fixed first, and rows are never changed, so both
// passes see the same rows.
void listing(store::Store& s, const std::optional<std::string>& patient, const std::string& format,
             const Unblinding* unblinding, const Emit& emit_to) {
    ChunkedEmit emit(emit_to);
    const std::int64_t up_to = s.audit_head().seq;
    const bool unblinded = unblinding != nullptr;
    // A sealed value is shown only opened, and only unblinded: its box is in
    // the chain, but a blinded listing carries neither box nor content.
    auto sealed = [&](const store::AuditRow& r) {
        return unblinding && !r.entry.sealed.empty() ? "arm=" + unblinding->open(r.entry.sealed) : std::string();
    };
    if (format == "json") {
        JsonWriter j;
        // Only when unblinded, first: a blinded listing keeps its shape.
        j.begin_object();
        if (unblinded) j.key("unblinded").value(true);
        j.key("audit").begin_array();
        each_row(s, patient, up_to, [&](const store::AuditRow& r, const std::string& records) {
            j.begin_object();
            j.key("seq").value(static_cast<long long>(r.seq));
            j.key("at").value(r.at);
            j.key("account").value(r.account);
            j.key("by").value(r.entry.by);
            j.key("action").value(r.entry.action);
            j.key("patient").value(r.entry.patient);
            j.key("target").value(r.entry.target);
            j.key("old").value(r.entry.old_value);
            j.key("new").value(r.entry.new_value);
            if (!records.empty()) j.key("records").value(records);
            if (unblinded) j.key("sealed").value(sealed(r));
            j.key("reason").value(r.entry.reason);
            j.key("hash").value(r.hash);
            j.end_object();
            emit(j.take());
        });
        j.end_array().end_object();
        emit(j.str());
        emit.flush();
        return;
    }
    if (format == "csv") {
        std::vector<std::string> header{"seq", "at", "account", "by", "action", "patient", "target", "old", "new"};
        if (unblinded) header.push_back("sealed");
        header.insert(header.end(), {"reason", "records", "hash"});
        // Only when unblinded, like `sealed`, and last.
        if (unblinded) header.emplace_back("unblinded");
        CsvWriter w(header);
        emit(w.take());
        each_row(s, patient, up_to, [&](const store::AuditRow& r, const std::string& records) {
            std::vector<std::string> f{fmt::format("{}", r.seq), r.at, r.account, r.entry.by, r.entry.action,
                                       r.entry.patient, r.entry.target, r.entry.old_value, r.entry.new_value};
            if (unblinded) f.push_back(sealed(r));
            f.insert(f.end(), {r.entry.reason, records, r.hash});
            if (unblinded) f.emplace_back("true");
            w.row(f);
            emit(w.take());
        });
        emit.flush();
        return;
    }
    TextTable t({{"Seq", TextTable::Align::right}, {"At (UTC)"}, {"By"}, {"Action"}, {"Patient"}, {"Target"},
                 {"Details"}, {"Reason"}});
    auto cells = [&](const store::AuditRow& r, const std::string& records) {
        std::string details = r.entry.new_value;
        if (!r.entry.old_value.empty()) details = r.entry.old_value + " -> " + details;
        if (!records.empty()) details += "\n" + records;
        if (!sealed(r).empty()) details += " [" + sealed(r) + "]";
        // The name given, and the account that ran trialcal when it differs.
        const std::string who = r.account.empty() || r.account == r.entry.by
                                    ? r.entry.by
                                    : fmt::format("{} ({})", r.entry.by, r.account);
        return std::vector<std::string>{fmt::format("{}", r.seq), r.at,           who,    r.entry.action,
                                        r.entry.patient,          r.entry.target, details, r.entry.reason};
    };
    std::size_t rows = 0;
    each_row(s, patient, up_to, [&](const store::AuditRow& r, const std::string& records) {
        t.measure(cells(r, records));
        ++rows;
    });
    if (unblinded) emit("UNBLINDED: sealed values (arms) are shown; not for blinded staff\n");
    emit(t.head());
    each_row(s, patient, up_to,
             [&](const store::AuditRow& r, const std::string& records) { emit(t.line(cells(r, records))); });
    emit(fmt::format("\n{} row{}\n", rows, rows == 1 ? "" : "s"));
    emit.flush();
}

}  // namespace

void audit_listing(const Env& env, const Actor& by, const AuditQuery& q, const Emit& emit) {
    with_store([&] {
        std::optional<std::string> patient;
        if (!q.patient.empty()) patient = q.patient;
        // Checked before the unblinding is audited: a typo writes nothing.
        (void)PatientSelection::resolve(*env.storage.open(store::Mode::read), {}, {q.patient, "", ""});
        if (q.unblinded) {
            auto s = env.storage.open(store::Mode::update);
            // The key is opened before anything is written: a wrong key or
            // passphrase leaves no unblinding row.
            const Unblinding unblinding = open_unblinding(env, *s, q.key);
            audit_unblinding(env, *s, by, q.patient, "audit listing", q.reason);
            listing(*s, patient, q.format, &unblinding, emit);
            return;
        }
        auto s = env.storage.open(store::Mode::read);
        listing(*s, patient, q.format, nullptr, emit);
    });
}

std::string audit_verify(const Env& env, const std::optional<std::string>& kept_head,
                         const std::optional<SealFile>& seal) {
    std::optional<store::Head> kept;
    if (kept_head) {
        kept = store::parse_head(*kept_head);
        if (!kept)
            throw Error(Kind::bad_data, fmt::format("--head: '{}' is neither SEQ:HASH nor a SHA-256 in hex", *kept_head));
    }
    std::string out;
    with_store([&] {
        auto s = env.storage.open(store::Mode::read);
        std::string sealed_by;
        if (seal) {
            const SealedHead sealed = read_seal(*s, *seal);
            kept = sealed.head;
            sealed_by = fmt::format(" (sealed by {} at {}, key {})", sealed.signer, sealed.sealed_at, sealed.key);
        }
        const store::ChainCheck check = s->verify_audit();
        std::vector<std::string> problems;
        for (const auto& b : check.breaks) problems.push_back(b.what);
        if (kept) {
            std::optional<std::string> hash_there;
            if (kept->seq == 0) {
                if (auto row = s->audit_row_with_hash(kept->hash)) {
                    kept->seq = row->seq;
                    hash_there = row->hash;
                }
            } else if (auto row = s->audit_row(kept->seq)) {
                hash_there = row->hash;
            }
            if (auto problem = store::head_problem(check, *kept, hash_there))
                problems.push_back("against the kept head " + kept->text() + ": " + *problem);
        }
        if (!problems.empty()) {
            std::string text = fmt::format("{}: the audit trail does not verify ({} break{}):", env.storage.name(),
                                           problems.size(), problems.size() == 1 ? "" : "s");
            for (const auto& p : problems) text += "\n  " + p;
            text += fmt::format("\nhead now {}", check.head.text());
            throw Error(Kind::bad_data, text);
        }
        out = fmt::format("audit trail intact: {} row{}, accounting for {} stored row{}{}\nhead {}\n", check.rows,
                          check.rows == 1 ? "" : "s", check.table_rows, check.table_rows == 1 ? "" : "s",
                          kept ? fmt::format("; extends the kept head {}{}", kept->text(), sealed_by) : "",
                          check.head.text());
    });
    return out;
}

}  // namespace trialcal::trial
