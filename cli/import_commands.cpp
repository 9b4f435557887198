// trialcal import patients|doses FILE.csv, trialcal randomization import FILE.csv:
// reads the file and shows the import's progress on a terminal.
#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "trial/imports.hpp"

namespace trialcal::cli {

namespace {

struct ImportArgs {
    std::string file;
    std::string protocol;  // randomization import only
};

// Only a regular file, at most csv_file_limit: a FIFO or /dev/zero would be
// read forever. "-" is a file named "-": stdin is not an import source, since
// an import is all rows or none and must know its whole input before it writes.
trial::ImportFile read_import(const std::string& file) {
    return {file, trial::read_regular_file(file, trial::csv_file_limit)};
}

}  // namespace

void add_import_commands(CLI::App& app, const Globals& g) {
    auto* import = app.add_subcommand("import", "import patients or doses from CSV: every row or none");
    import->require_subcommand(1);
    auto pa = std::make_shared<ImportArgs>();
    auto* patients = import->add_subcommand("patients", "patient,protocol,site,day0[,arm,randomization_number,cohort,weight_kg,tz]");
    patients->add_option("file", pa->file, "CSV file")->required();
    patients->callback([&g, pa] {
        const std::string by = g.user();
        const trial::ImportFile in = read_import(pa->file);
        Progress progress;
        print_text(trial::import_patients(g.env(), by, g.catalog(), in, progress));
    });
    auto sa = std::make_shared<ImportArgs>();
    auto* screenings = import->add_subcommand("screenings", "patient,protocol,site,on, then a column per criterion id");
    screenings->add_option("file", sa->file, "CSV file")->required();
    screenings->callback([&g, sa] {
        const std::string by = g.user();
        print_text(trial::import_screenings(g.env(), by, g.catalog(), read_import(sa->file)));
    });
    auto da = std::make_shared<ImportArgs>();
    auto* doses = import->add_subcommand("doses", "patient,at,drug[,amount,unit,event,kit,note]");
    doses->add_option("file", da->file, "CSV file")->required();
    doses->callback([&g, da] {
        const std::string by = g.user();
        Progress progress;
        print_text(trial::import_doses(g.env(), by, read_import(da->file), progress));
    });

    auto* randomization = app.add_subcommand("randomization", "the randomisation list");
    randomization->require_subcommand(1);
    auto ra = std::make_shared<ImportArgs>();
    auto* rimport = randomization->add_subcommand("import", "load randomization_number,arm from CSV (sealed)");
    rimport->add_option("file", ra->file, "CSV file")->required();
    rimport->add_option("--protocol", ra->protocol, "protocol ID")->required();
    rimport->callback([&g, ra] {
        const std::string by = g.user();
        const trial::ImportFile in = read_import(ra->file);
        print_text(trial::import_randomization(g.env(), by, g.catalog(), ra->protocol, in));
    });
}

}  // namespace trialcal::cli
