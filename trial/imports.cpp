// Imports from CSV text: patients, doses, the randomization list. Every row
// or none, in one transaction; an error names file:line and column.
#include "trial/imports.hpp"

#include "core/course.hpp"
#include "trial/sealing.hpp"
#include "trial/screening.hpp"

#include "store/audit.hpp"
#include "trial/csv_reader.hpp"
#include "trial/error.hpp"
#include "trial/anchoring.hpp"
#include "trial/time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

namespace trialcal::trial {

namespace {

// SQLite's page cache for an import of doses, in KiB: the record and audit
// indexes are reread otherwise. The rows come patient by patient, so the
// indexes grow in one sweep and a small cache holds what the next row needs:
// a million doses into 20 000 patients took 7.7 s with 16 MB, 8.8 s with 24
// and 11.2 s with 48 (single runs), and the whole import stays within the
// 100 MB every command keeps to (issue 14), at 82 MB.
constexpr int import_cache_kib = 16 * 1024;

// Every cell is checked as text typed by a person: one line (but for the
// `multiline` columns), no control or bidirectional character.
CsvTable read_csv(const ImportFile& csv, const std::vector<std::string>& required,
                  const std::vector<std::string>& optional, const std::vector<std::string>& multiline = {}) {
    const std::string& file = csv.name;
    auto table = CsvTable::parse(csv.text, required, optional, multiline);
    if (!table)
        throw Error(Kind::bad_data,
                    fmt::format("{}:{}:{}: {}", file, table.error().line, table.error().column, table.error().message));
    if (table->size() == 0) throw Error(Kind::bad_data, fmt::format("{}: no rows below the header", file));
    return std::move(*table);
}

// The cells of one column, looked up once: a million rows read by index.
class Column {
public:
    Column(const CsvTable& t, std::string_view name) : t_(t), index_(t.column(name)) {}
    [[nodiscard]] std::string operator()(std::size_t row) const { return std::string(t_.cell(row, index_)); }
    [[nodiscard]] std::string_view view(std::size_t row) const { return t_.cell(row, index_); }
    // A number as the file writes it: where cells are separated by ';' the
    // decimal mark is a comma ("62,5"), read as a point.
    [[nodiscard]] std::string number(std::size_t row) const {
        std::string s(t_.cell(row, index_));
        if (t_.separator() == ';' && std::count(s.begin(), s.end(), ',') == 1 && s.find('.') == std::string::npos)
            s[s.find(',')] = '.';
        return s;
    }

private:
    const CsvTable& t_;
    std::optional<std::size_t> index_;
};

// An error about one row, with the row's place in front unless the message
// names it already (a message about a protocol names no cell).
[[noreturn]] void rethrow_in_row(const Error& e, const std::string& file, const Origin& row) {
    const std::string what = e.what();
    throw Error(e.kind(), what.rfind(file, 0) == 0 ? what : row.row() + what);
}

std::string cell(const CsvTable& t, std::size_t row, std::string_view column) {
    return t.get(row, column).value_or("");
}

}  // namespace

std::string import_patients(const Env& env, const std::string& by, const Catalog& catalog, const ImportFile& csv,
                            Progress& progress) {
    const std::string& file = csv.name;
    const CsvTable t = read_csv(csv, {"patient", "protocol", "site", "day0"},
                                {"arm", "randomization_number", "cohort", "weight_kg", "tz"});
    const Column patient(t, "patient"), protocol(t, "protocol"), site(t, "site"), day0(t, "day0"), arm(t, "arm"),
        randomization(t, "randomization_number"), cohort(t, "cohort"), weight(t, "weight_kg"), tz(t, "tz");
    const auto prepare = [&](std::size_t i) {
        const Origin origin{file, t.line(i)};
        const EnrollInput in{patient(i), protocol(i),      site(i),   day0(i), arm(i),
                             randomization(i), cohort(i), weight.number(i), tz(i)};
        try {
            return prepare_enrollment(env.zones, catalog, in, origin);
        } catch (const Error& e) {
            rethrow_in_row(e, file, origin);
        }
    };
    progress.begin("import patients", t.size());
    // Every row is checked before the database is opened: a bad file leaves
    // no database behind. Only the checks are kept, not the calendars: a
    // network's 100 000 patients are then written one at a time.
    progress.stage("checking", t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
        (void)prepare(i);
        progress.update(i + 1);
    }
    with_store([&] {
        // Sites are registered first: no database, no site.
        auto s = open_existing(env, fmt::format("{}: no site is registered (trialcal site add CODE --name TEXT --tz "
                                                "ZONE registers one)",
                                                file));
        s->write([&] {
            const std::string now = now_text(env);
            const SiteBook sites = SiteBook::load(*s);
            progress.stage("writing", t.size());
            for (std::size_t i = 0; i < t.size(); ++i) {
                Enrollment e = prepare(i);
                try {
                    (void)commit_enrollment(*s, sites, e, by, now);
                } catch (const Error& err) {
                    rethrow_in_row(err, file, Origin{file, t.line(i)});
                }
                progress.update(i + 1);
            }
        });
    });
    return fmt::format("Imported {} patient{} from {}.\n", t.size(), t.size() == 1 ? "" : "s", file);
}

std::string import_screenings(const Env& env, const std::string& by, const Catalog& catalog, const ImportFile& csv) {
    const std::string& file = csv.name;
    // The criteria of every protocol the catalog holds may head a column.
    std::vector<std::string> criteria;
    for (const auto& f : catalog.files())
        for (const auto& c : f.protocol.eligibility)
            if (std::find(criteria.begin(), criteria.end(), c.id) == criteria.end()) criteria.push_back(c.id);
    const CsvTable t = read_csv(csv, {"patient", "protocol", "site", "on"}, criteria);
    const Column patient(t, "patient"), protocol(t, "protocol"), site(t, "site"), on(t, "on");
    std::vector<Column> columns;
    for (const auto& c : criteria) columns.emplace_back(t, c);
    std::vector<CheckedScreening> rows;
    rows.reserve(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
        const Origin origin{file, t.line(i)};
        ScreenInput in{patient(i), protocol(i), site(i), on(i), {}};
        for (std::size_t k = 0; k < criteria.size(); ++k)
            if (const std::string v = columns[k].number(i); !v.empty()) in.values.push_back(criteria[k] + "=" + v);
        try {
            rows.push_back(check_screening(catalog, in, origin));
        } catch (const Error& e) {
            rethrow_in_row(e, file, origin);
        }
    }
    std::size_t failures = 0;
    with_store([&] {
        auto s = open_existing(env, fmt::format("{}: no site is registered (trialcal site add CODE --name TEXT --tz "
                                                "ZONE registers one)",
                                                file));
        s->write([&] {
            const std::string now = now_text(env);
            const SiteBook sites = SiteBook::load(*s);
            for (const auto& row : rows) {
                try {
                    failures += !commit_screening(env, *s, sites, row, by, now).eligible;
                } catch (const Error& err) {
                    rethrow_in_row(err, file, row.origin);
                }
            }
        });
    });
    return fmt::format("Imported {} screening{} from {}: {} eligible, {} screen failure{}.\n", rows.size(),
                       rows.size() == 1 ? "" : "s", file, rows.size() - failures, failures, failures == 1 ? "" : "s");
}

namespace {

// Rows taken patient by patient, patients in id order, rows in file order
// within a patient: each patient is read once, the records of one patient
// sit together, and the patient indexes of records and audit grow in key
// order rather than at random places. A counting sort on each row's patient
// number: the ids are compared once per distinct patient, not per row pair.
std::vector<std::uint32_t> by_patient(const CsvTable& t, const Column& patient) {
    std::unordered_map<std::string_view, std::uint32_t> number;
    for (std::size_t i = 0; i < t.size(); ++i) number.try_emplace(patient.view(i), 0);
    std::vector<std::string_view> ids;
    ids.reserve(number.size());
    for (const auto& [id, n] : number) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    for (std::size_t k = 0; k < ids.size(); ++k) number[ids[k]] = static_cast<std::uint32_t>(k);
    std::vector<std::uint32_t> of_row(t.size()), rows_of(ids.size(), 0);
    for (std::size_t i = 0; i < t.size(); ++i) {
        of_row[i] = number[patient.view(i)];
        ++rows_of[of_row[i]];
    }
    std::vector<std::uint32_t> start(rows_of.size() + 1, 0);
    for (std::size_t p = 0; p < rows_of.size(); ++p) start[p + 1] = start[p] + rows_of[p];
    std::vector<std::uint32_t> order(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) order[start[of_row[i]]++] = static_cast<std::uint32_t>(i);
    return order;
}

// A patient whose doses are being imported: the stored row and protocol,
// and the live records with this file's rows so far: a row is checked
// against both.
struct DosePatient {
    store::Patient row;
    const Protocol* protocol = nullptr;
    Records live;
    DoseMinutes minutes{live};
    std::map<std::string, int> named;  // planned event -> the line of this file that names it
};

// The plan as a row that names `event` sees it: that one event, blinded,
// or none (the check then names the event as unknown to the patient).
Calendar named_event(store::Store& s, const store::Patient& row, const Protocol& protocol, const std::string& event) {
    Calendar c;
    c.protocol = row.protocol;
    c.version = row.version;
    c.day0 = row.day0;
    if (auto e = s.planned_event(row, event)) c.events.push_back(std::move(*e));
    return blind(std::move(c), protocol);
}

}  // namespace

std::string import_doses(const Env& env, const std::string& by, ImportFile csv, Progress& progress) {
    const std::string& file = csv.name;
    const std::string file_sha256 = store::sha256_hex(csv.text);
    const CsvTable t = read_csv(csv, {"patient", "at", "drug"}, {"amount", "unit", "event", "kit", "note"}, {"note"});
    std::string().swap(csv.text);
    const std::string file_name = std::filesystem::path(file).filename().string();
    const Column patient(t, "patient"), at(t, "at"), drug(t, "drug"), amount_col(t, "amount"), unit_col(t, "unit"),
        event(t, "event"), kit(t, "kit"), note(t, "note");
    const std::vector<std::uint32_t> order = by_patient(t, patient);
    progress.begin("import doses", t.size());
    with_store([&] {
        auto store = open_existing(env, fmt::format("{}: no patient is enrolled yet", file));
        store->cache_kib(import_cache_kib);  // the page cache saves rereads of the record and audit indexes
        store::Store& s = *store;
        s.write([&] {
            // A file with the same bytes holds the same patients, each of whom
            // then has an audit row of that import: the first is enough.
            if (const auto earlier = s.earlier_import(patient(order.front()), file_sha256)) {
                // The row says "file=NAME doses=N": the name it was imported under.
                const std::string& was = earlier->entry.new_value;
                const std::string name = was.substr(5, was.rfind(" doses=") - 5);
                throw Error(Kind::rule, fmt::format("{}: already imported, as {}, on {} by {} (audit row {}): the same "
                                                    "file, SHA-256 {}",
                                                    file, name, earlier->at, earlier->entry.by, earlier->seq,
                                                    file_sha256));
            }
            const std::string now = now_text(env);
            const date::sys_seconds now_time = env.clock.now();
            std::map<std::string, Protocol> protocols;  // by file hash: parsed once
            DosePatient current;
            std::int64_t first = 0, last = 0;
            // Records wait in batches for a many-row INSERT; ids are given
            // here, the transaction holding the write lock.
            std::int64_t next_id = s.next_record_id();
            std::vector<store::StoredRecord> pending;
            pending.reserve(store::Store::records_per_insert);
            const auto flush = [&] {
                s.insert_records(pending);
                pending.clear();
            };
            // One audit row per patient, after that patient's records: the
            // store puts their digest in it, which audit verify recomputes.
            // A row per dose would write every dose twice.
            const auto seal = [&] {
                flush();
                store::AuditEntry entry{by, "import doses", current.row.id, fmt::format("R{}-R{}", first, last), "",
                                        fmt::format("file={} doses={}", file_name, last - first + 1), "", ""};
                entry.source = file_sha256;
                s.append_audit(entry, now);
                // Anchored events move with what the file recorded, in a write
                // (and an audit row) of their own.
                if (has_anchors(*current.protocol)) {
                    const PatientPlan pp{current.row, *current.protocol,
                                         stored_plan(s, current.row, *current.protocol, PlanDetail::judging), {}};
                    (void)follow_anchors(s, pp, current.live, s.live_records(current.row.id),
                                         fmt::format("R{}-R{} imported", first, last), by, now);
                }
            };
            for (std::size_t k = 0; k < order.size(); ++k) {
                const std::size_t i = order[k];
                const Origin origin{file, t.line(i)};
                const std::string id = patient(i);
                if (k == 0 || id != current.row.id) {
                    if (k > 0) seal();
                    first = 0;  // record ids start at 1
                    auto row = s.patient(id);
                    if (!row) throw Error(Kind::bad_data, fmt::format("{}unknown patient '{}'", origin.row(), id));
                    refuse_voided_enrollment(*row, origin.row());
                    auto it = protocols.find(row->protocol_sha256);
                    if (it == protocols.end())
                        it = protocols.emplace(row->protocol_sha256, stored_protocol(s, *row)).first;
                    current.row = std::move(*row);
                    current.protocol = &it->second;
                    current.live = s.live_records(id);
                    // What a status change cancels, and when an open hold
                    // ends, are read from the plan: only for the few patients
                    // whose course changed.
                    if (!current.live.status.empty() || !current.live.holds.empty()) {
                        Calendar plan = stored_plan(s, current.row, *current.protocol, PlanDetail::judging);
                        trialcal::follow_course(*current.protocol, plan, current.live);
                    }
                    current.minutes = DoseMinutes(current.live);
                    current.named.clear();
                }
                const std::string amount = amount_col.number(i), unit = unit_col(i);
                if (amount.empty() != unit.empty())
                    throw Error(Kind::bad_data, fmt::format("{}amount and unit go together ('{}', '{}')", origin.row(),
                                                            amount, unit));
                const DoseInput in{id, at(i), drug(i), amount.empty() ? "" : amount + " " + unit, event(i), kit(i),
                                   note(i)};
                // The event a row names, looked up by its key: a patient's plan
                // is not read for one named dose (issue 14: a named import
                // within twice an unnamed one).
                std::optional<Calendar> named_plan;
                if (!in.event.empty()) named_plan = named_event(s, current.row, *current.protocol, in.event);
                CheckedDose d = check_dose(env.zones, current.row, *current.protocol,
                                           named_plan ? &*named_plan : nullptr, in, origin, now_time);
                current.minutes.refuse_duplicate(d, origin);
                if (d.named) {
                    if (const auto other = current.named.find(d.named->id); other != current.named.end())
                        throw Error(Kind::rule, fmt::format("{} {} is already named by line {} of this file",
                                                            origin("", "event"), d.named->id, other->second));
                    refuse_taken_event(current.live, *d.named, origin);
                    current.named.emplace(d.named->id, origin.line);
                }
                d.record.recorded_at = now;
                d.record.recorded_by = by;
                d.record.id = last = next_id++;
                current.minutes.add(d, origin.line);
                if (first == 0) first = last;
                pending.push_back(std::move(d.record));
                if (pending.size() == store::Store::records_per_insert) flush();
                progress.update(k + 1);
            }
            seal();
        });
    });
    return fmt::format("Imported {} dose{} from {}.\n", t.size(), t.size() == 1 ? "" : "s", file);
}

std::string import_randomization(const Env& env, const std::string& by, const Catalog& catalog,
                                 const std::string& protocol, const ImportFile& csv) {
    const std::string& file = csv.name;
    const CsvTable t = read_csv(csv, {"randomization_number", "arm"}, {"site"});
    const Protocol& p = catalog.find(protocol).protocol;
    if (p.arms.empty()) throw Error(Kind::bad_data, fmt::format("--protocol: {} has no arms to randomise to", p.id));
    if (!p.blinded)
        throw Error(Kind::bad_data, fmt::format("--protocol: {} is open label: enroll with --arm; a randomization list "
                                                "is kept sealed for blinded protocols",
                                                p.id));
    struct Entry {
        std::string number, site, arm;
    };
    std::vector<Entry> list;
    std::set<std::string> seen;
    const bool by_site = t.column("site").has_value();
    for (std::size_t i = 0; i < t.size(); ++i) {
        const Origin origin{file, t.line(i)};
        const std::string number = cell(t, i, "randomization_number");
        check_id(origin("", "randomization_number"), number);
        if (!seen.insert(number).second)
            throw Error(Kind::bad_data, fmt::format("{}: {} appears twice", origin("", "randomization_number"), number));
        std::string site;
        if (by_site) {
            site = cell(t, i, "site");
            check_id(origin("", "site"), site);
        }
        // The error never repeats the arm: the list itself is sealed.
        const Arm* arm = p.arm(cell(t, i, "arm"));
        if (!arm)
            throw Error(Kind::bad_data, fmt::format("{}: not an arm of {} (arms are not shown: the list is sealed)",
                                                    origin("", "arm"), p.id));
        list.push_back({number, std::move(site), arm->id});
    }
    std::vector<std::size_t> order(list.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return lower_randomization_number(list[a].number, list[b].number); });
    with_store([&] {
        auto store = env.storage.open(store::Mode::write);
        store::Store& s = *store;
        s.write([&] {
            const store::InstalledKey key = unblinding_key(s, fmt::format("{}: {} is blinded", file, p.id));
            if (s.randomization_list(p.id).numbers > 0)
                throw Error(Kind::rule, fmt::format("{}: a randomization list of {} is already loaded: a list is "
                                                    "loaded once, never changed",
                                                    file, p.id));
            // A list by site names registered sites: its blocks are given at
            // enrollment by the site's code as registered.
            if (by_site) {
                const SiteBook sites(s.sites());
                for (auto& e : list) e.site = sites.find(e.site, fmt::format("{}: column site", file)).code;
            }
            std::int64_t ord = 0;
            for (const std::size_t i : order) {
                const Entry& e = list[i];
                const SealedArm sealed = seal_arm(key, e.arm);
                s.insert_randomization({p.id, e.number, by_site ? std::optional<std::string>(e.site) : std::nullopt,
                                        ++ord, sealed.box, sealed.key, std::nullopt});
            }
            store::AuditEntry entry{by, "randomization import", "", p.id, "",
                                    fmt::format("protocol={} numbers={}{}", p.id, list.size(), by_site ? " by_site" : ""),
                                    "", ""};
            entry.source = store::sha256_hex(csv.text);
            s.append_audit(entry, now_text(env));
        });
    });
    return fmt::format("Loaded {} randomization number{} for {}; the arms are sealed to the unblinding key.\n",
                       list.size(), list.size() == 1 ? "" : "s", p.id);
}

}  // namespace trialcal::trial
