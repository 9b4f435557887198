// trialcal audit [--patient P] | audit verify
#include "cli/clock.hpp"
#include "cli/commands.hpp"
#include "cli/error.hpp"
#include "cli/patient.hpp"
#include "cli/recording.hpp"
#include "output/csv.hpp"
#include "output/json.hpp"
#include "output/table.hpp"
#include "store/audit.hpp"

#include <fmt/format.h>

namespace trialcal::cli {

namespace {

struct AuditArgs {
    std::string patient, format, reason;
    bool unblinded = false;
};

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
        j.begin_object().key("audit").begin_array();
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
        CsvWriter w(header);
        for (const auto& r : rows) {
            std::vector<std::string> f{fmt::format("{}", r.seq), r.at, r.entry.by, r.entry.action, r.entry.patient,
                                       r.entry.target, r.entry.old_value, r.entry.new_value};
            if (unblinded) f.push_back(r.entry.sealed);
            f.insert(f.end(), {r.entry.reason, records[static_cast<std::size_t>(&r - rows.data())], r.hash});
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
    return t.str() + fmt::format("\n{} row{}\n", rows.size(), rows.size() == 1 ? "" : "s");
}

}  // namespace

void add_audit_commands(CLI::App& app, const Globals& g) {
    auto a = std::make_shared<AuditArgs>();
    auto* audit = app.add_subcommand("audit", "the audit trail: every write, who, when, why");
    audit->add_option("--patient", a->patient, "one patient's trail");
    audit->add_flag("--unblinded", a->unblinded, "show sealed values (arms); audited, needs --reason");
    audit->add_option("--reason", a->reason, "why unblinding");
    add_format(audit, a->format, {"table", "json", "csv"});
    auto* verify = audit->add_subcommand("verify", "check the hash chain; prints its head");
    audit->callback([&g, a, verify] {
        if (verify->parsed()) return;
        with_store([&] {
            std::optional<std::string> patient;
            if (!a->patient.empty()) patient = a->patient;
            if (a->unblinded) {
                auto db = store::Database::open(g.db_path(), store::Mode::update);
                audit_unblinding(db, g, a->patient, "audit listing", a->reason);
                store::Store s(db);
                const auto rows = store::audit_rows(db, patient);
                print(listing(rows, imported(s, rows), a->format, true));
                return;
            }
            auto db = store::Database::open(g.db_path(), store::Mode::read);
            if (patient && !store::Store(db).patient(*patient))
                throw Error(Exit::bad_data, fmt::format("--patient: unknown patient '{}'", *patient));
            store::Store s(db);
            const auto rows = store::audit_rows(db, patient);
            print(listing(rows, imported(s, rows), a->format, false));
        });
    });
    verify->callback([&g] {
        with_store([&] {
            auto db = store::Database::open(g.db_path(), store::Mode::read);
            const auto check = store::verify_audit(db);
            if (check.first_broken)
                throw Error(Exit::bad_data, fmt::format("{}: audit chain broken at row {}: {}", g.db_path(),
                                                        *check.first_broken, check.reason));
            print(fmt::format("audit trail intact: {} row{}\nhead {}\n", check.rows, check.rows == 1 ? "" : "s",
                              check.head));
        });
    });
}

}  // namespace trialcal::cli
