// The audit trail as a listing, and its verification.
#include "trial/audit_trail.hpp"

#include "output/csv.hpp"
#include "output/json.hpp"
#include "output/table.hpp"
#include "trial/error.hpp"
#include "trial/patient_filter.hpp"
#include "trial/patient.hpp"
#include "trial/recording.hpp"

#include <fmt/format.h>

namespace trialcal::trial {

namespace {

// An import's row seals the records it wrote; the listing shows them, one
// line each as a single dose's row would, after the stored (hashed) values.
std::vector<std::string> imported(store::Store& s, const std::vector<store::AuditRow>& rows) {
    std::vector<std::string> out(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto sealed = store::sealed_records(rows[i].entry);
        if (!sealed) continue;
        for (const auto& r : s.records_between(sealed->first, sealed->last))
            out[i] += fmt::format("{}R{}: {}", out[i].empty() ? "" : "\n", r.id, dose_details(r));
    }
    return out;
}

std::string listing(const std::vector<store::AuditRow>& rows, const std::vector<std::string>& records,
                    const std::string& format, bool unblinded) {
    auto sealed = [&](const store::AuditRow& r) { return unblinded ? r.entry.sealed : std::string(); };
    if (format == "json") {
        JsonWriter j;
        // Only when unblinded, first: a blinded listing keeps its shape.
        j.begin_object();
        if (unblinded) j.key("unblinded").value(true);
        j.key("audit").begin_array();
        for (const auto& r : rows) {
            j.begin_object();
            j.key("seq").value(static_cast<long long>(r.seq));
            j.key("at").value(r.at);
            j.key("by").value(r.entry.by);
            j.key("action").value(r.entry.action);
            j.key("patient").value(r.entry.patient);
            j.key("target").value(r.entry.target);
            j.key("old").value(r.entry.old_value);
            j.key("new").value(r.entry.new_value);
            if (!records[static_cast<std::size_t>(&r - rows.data())].empty())
                j.key("records").value(records[static_cast<std::size_t>(&r - rows.data())]);
            if (unblinded) j.key("sealed").value(r.entry.sealed);
            j.key("reason").value(r.entry.reason);
            j.key("hash").value(r.hash);
            j.end_object();
        }
        j.end_array().end_object();
        return j.str();
    }
    if (format == "csv") {
        std::vector<std::string> header{"seq", "at", "by", "action", "patient", "target", "old", "new"};
        if (unblinded) header.push_back("sealed");
        header.insert(header.end(), {"reason", "records", "hash"});
        // Only when unblinded, like `sealed`, and last.
        if (unblinded) header.emplace_back("unblinded");
        CsvWriter w(header);
        for (const auto& r : rows) {
            std::vector<std::string> f{fmt::format("{}", r.seq), r.at, r.entry.by, r.entry.action, r.entry.patient,
                                       r.entry.target, r.entry.old_value, r.entry.new_value};
            if (unblinded) f.push_back(r.entry.sealed);
            f.insert(f.end(), {r.entry.reason, records[static_cast<std::size_t>(&r - rows.data())], r.hash});
            if (unblinded) f.emplace_back("true");
            w.row(f);
        }
        return w.str();
    }
    TextTable t({{"Seq", TextTable::Align::right}, {"At (UTC)"}, {"By"}, {"Action"}, {"Patient"}, {"Target"},
                 {"Details"}, {"Reason"}});
    for (const auto& r : rows) {
        std::string details = r.entry.new_value;
        if (!r.entry.old_value.empty()) details = r.entry.old_value + " -> " + details;
        if (const std::string& lines = records[static_cast<std::size_t>(&r - rows.data())]; !lines.empty())
            details += "\n" + lines;
        if (!sealed(r).empty()) details += " [" + sealed(r) + "]";
        t.row({fmt::format("{}", r.seq), r.at, r.entry.by, r.entry.action, r.entry.patient, r.entry.target, details,
               r.entry.reason});
    }
    const std::string notice = unblinded ? "UNBLINDED: sealed values (arms) are shown; not for blinded staff\n" : "";
    return notice + t.str() + fmt::format("\n{} row{}\n", rows.size(), rows.size() == 1 ? "" : "s");
}

}  // namespace

std::string audit_listing(const Env& env, const Actor& by, const AuditQuery& q) {
    std::string out;
    with_store([&] {
        std::optional<std::string> patient;
        if (!q.patient.empty()) patient = q.patient;
        // Checked before the unblinding is audited: a typo writes nothing.
        (void)PatientSelection::resolve(*env.storage.open(store::Mode::read), {}, {q.patient, "", ""});
        if (q.unblinded) {
            auto s = env.storage.open(store::Mode::update);
            audit_unblinding(env, *s, by, q.patient, "audit listing", q.reason);
            const auto rows = s->audit_rows(patient);
            out = listing(rows, imported(*s, rows), q.format, true);
            return;
        }
        auto s = env.storage.open(store::Mode::read);
        const auto rows = s->audit_rows(patient);
        out = listing(rows, imported(*s, rows), q.format, false);
    });
    return out;
}

std::string audit_verify(const Env& env) {
    std::string out;
    with_store([&] {
        auto s = env.storage.open(store::Mode::read);
        const auto check = store::verify_audit(*s);
        if (check.first_broken)
            throw Error(Kind::bad_data, fmt::format("{}: audit chain broken at row {}: {}", env.storage.name(),
                                                    *check.first_broken, check.reason));
        out = fmt::format("audit trail intact: {} row{}\nhead {}\n", check.rows, check.rows == 1 ? "" : "s", check.head);
    });
    return out;
}

}  // namespace trialcal::trial
