// trialcal import patients|doses FILE.csv, trialcal randomization import FILE.csv:
// every row or none, in one transaction; an error names file:line and column.
#include "cli/clock.hpp"
#include "cli/commands.hpp"
#include "cli/csv_reader.hpp"
#include "cli/error.hpp"
#include "cli/recording.hpp"
#include "store/audit.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

namespace trialcal::cli {

namespace {

struct ImportArgs {
    std::string file;
    std::string protocol;  // randomization import only
};

CsvTable read_csv(const std::string& file, const std::vector<std::string>& required,
                  const std::vector<std::string>& optional) {
    const std::string text = read_file(file);
    auto table = CsvTable::parse(text, required, optional);
    if (!table)
        throw Error(Exit::bad_data,
                    fmt::format("{}:{}:{}: {}", file, table.error().line, table.error().column, table.error().message));
    if (table->size() == 0) throw Error(Exit::bad_data, fmt::format("{}: no rows below the header", file));
    return std::move(*table);
}

std::string cell(const CsvTable& t, std::size_t row, std::string_view column) {
    return t.get(row, column).value_or("");
}

void import_patients(const Globals& g, const std::string& file) {
    const std::string by = g.user();
    const CsvTable t = read_csv(file, {"patient", "protocol", "site", "day0"},
                                {"arm", "randomization_number", "cohort", "weight_kg", "tz"});
    const Catalog catalog = g.catalog();
    // Every row is checked before the database is opened.
    std::vector<Enrollment> rows;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const Origin origin{file, t.line(i)};
        const EnrollInput in{cell(t, i, "patient"), cell(t, i, "protocol"),  cell(t, i, "site"),
                             cell(t, i, "day0"),    cell(t, i, "arm"),       cell(t, i, "randomization_number"),
                             cell(t, i, "cohort"),  cell(t, i, "weight_kg"), cell(t, i, "tz")};
        try {
            rows.push_back(prepare_enrollment(catalog, in, origin));
        } catch (const Error& e) {
            // Messages that name a protocol rather than a cell get the row's place.
            const std::string what = e.what();
            throw Error(e.code(), what.rfind(file, 0) == 0 ? what : origin.row() + what);
        }
    }
    with_store([&] {
        auto db = store::Database::open(g.db_path(), store::Mode::write);
        store::Store s(db);
        db.write([&] {
            const std::string now = utc_text(now_utc());
            for (auto& e : rows) (void)commit_enrollment(db, s, e, by, now);
        });
        print(fmt::format("Imported {} patient{} from {}.\n", rows.size(), rows.size() == 1 ? "" : "s", file));
    });
}

void import_doses(const Globals& g, const std::string& file) {
    const std::string by = g.user();
    const CsvTable t = read_csv(file, {"patient", "at", "drug"}, {"amount", "unit", "event", "kit", "note"});
    with_store([&] {
        auto db = open_existing(g, fmt::format("{}: no patient is enrolled yet", file));
        store::Store s(db);
        std::size_t count = 0;
        db.write([&] {
            const std::string now = utc_text(now_utc());
            std::map<std::string, PatientPlan> patients;  // each plan loaded once
            for (std::size_t i = 0; i < t.size(); ++i) {
                const Origin origin{file, t.line(i)};
                const std::string id = cell(t, i, "patient");
                auto it = patients.find(id);
                if (it == patients.end()) {
                    if (!s.patient(id))
                        throw Error(Exit::bad_data, fmt::format("{}unknown patient '{}'", origin.row(), id));
                    it = patients.emplace(id, load_patient(s, id)).first;
                }
                const std::string amount = cell(t, i, "amount"), unit = cell(t, i, "unit");
                if (amount.empty() != unit.empty())
                    throw Error(Exit::bad_data, fmt::format("{}amount and unit go together ('{}', '{}')", origin.row(),
                                                            amount, unit));
                const DoseInput in{id, cell(t, i, "at"), cell(t, i, "drug"), amount.empty() ? "" : amount + " " + unit,
                                   cell(t, i, "event"), cell(t, i, "kit"), cell(t, i, "note")};
                (void)record_dose(db, s, it->second, in, origin, by, now);
                ++count;
            }
        });
        print(fmt::format("Imported {} dose{} from {}.\n", count, count == 1 ? "" : "s", file));
    });
}

void import_randomization(const Globals& g, const ImportArgs& a) {
    const std::string by = g.user();
    const CsvTable t = read_csv(a.file, {"randomization_number", "arm"}, {});
    const Catalog catalog = g.catalog();
    const Protocol& p = catalog.find(a.protocol).protocol;
    if (p.arms.empty()) throw Error(Exit::bad_data, fmt::format("--protocol: {} has no arms to randomise to", p.id));
    std::vector<std::pair<std::string, std::string>> list;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const Origin origin{a.file, t.line(i)};
        const std::string number = cell(t, i, "randomization_number");
        check_id(origin("", "randomization_number"), number);
        if (!seen.insert(number).second)
            throw Error(Exit::bad_data, fmt::format("{}: {} appears twice", origin("", "randomization_number"), number));
        // The error never repeats the arm: the list itself is sealed.
        const Arm* arm = p.arm(cell(t, i, "arm"));
        if (!arm)
            throw Error(Exit::bad_data, fmt::format("{}: not an arm of {} (arms are not shown: the list is sealed)",
                                                    origin("", "arm"), p.id));
        list.emplace_back(number, arm->id);
    }
    with_store([&] {
        auto db = store::Database::open(g.db_path(), store::Mode::write);
        store::Store s(db);
        db.write([&] {
            for (const auto& [number, arm] : list) {
                if (s.randomized_arm(p.id, number))
                    throw Error(Exit::refused,
                                fmt::format("{}: randomization number {} of {} is already loaded", a.file, number, p.id));
                s.insert_randomization(p.id, number, arm);
            }
            store::append_audit(db, {by, "randomization import", "", p.id, "",
                                     fmt::format("protocol={} numbers={} file_sha256={}", p.id, list.size(),
                                                 store::sha256_hex(read_file(a.file))),
                                     "", ""},
                                utc_text(now_utc()));
        });
        print(fmt::format("Loaded {} randomization number{} for {}; the arms stay sealed.\n", list.size(),
                          list.size() == 1 ? "" : "s", p.id));
    });
}

}  // namespace

void add_import_commands(CLI::App& app, const Globals& g) {
    auto* import = app.add_subcommand("import", "import patients or doses from CSV: every row or none");
    import->require_subcommand(1);
    auto pa = std::make_shared<ImportArgs>();
    auto* patients = import->add_subcommand("patients", "patient,protocol,site,day0[,arm,randomization_number,cohort,weight_kg,tz]");
    patients->add_option("file", pa->file, "CSV file")->required();
    patients->callback([&g, pa] { import_patients(g, pa->file); });
    auto da = std::make_shared<ImportArgs>();
    auto* doses = import->add_subcommand("doses", "patient,at,drug[,amount,unit,event,kit,note]");
    doses->add_option("file", da->file, "CSV file")->required();
    doses->callback([&g, da] { import_doses(g, da->file); });

    auto* randomization = app.add_subcommand("randomization", "the randomisation list");
    randomization->require_subcommand(1);
    auto ra = std::make_shared<ImportArgs>();
    auto* rimport = randomization->add_subcommand("import", "load randomization_number,arm from CSV (sealed)");
    rimport->add_option("file", ra->file, "CSV file")->required();
    rimport->add_option("--protocol", ra->protocol, "protocol ID")->required();
    rimport->callback([&g, ra] { import_randomization(g, *ra); });
}

}  // namespace trialcal::cli
