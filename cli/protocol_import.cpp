// trialcal protocol import usdm FILE.json [--out FILE.toml]
// A CDISC USDM v4 study definition as a protocol file (docs/interop.md, USDM).
// The file goes to standard output, or to --out, never over an existing file;
// what USDM says that trialcal cannot plan is a warning on stderr naming its
// JSON path.
#include "cli/commands.hpp"
#include "cli/error.hpp"
#include "cli/staged_file.hpp"
#include "trial/usdm_import.hpp"

#include <fmt/format.h>

namespace trialcal::cli {

namespace {

struct ImportArgs {
    std::string file;
    std::string out;
};

void import_usdm(const ImportArgs& a) {
    const trial::ImportedProtocol imported = trial::import_usdm(a.file);
    const Protocol& p = imported.usdm.protocol;
    std::size_t early = 0;
    for (const auto& v : p.visits) early += v.early_termination ? 1 : 0;
    for (const auto& w : imported.usdm.warnings) warn(fmt::format("{}: {}", a.file, w));
    const std::string summary =
        fmt::format("{}: {} version {}: {} visits ({} early-termination), {} regimens, {} assumptions, {} warnings\n",
                    a.file, p.id, p.version, p.planned_visit_count(), early, p.regimens.size(), p.assumptions.size(),
                    imported.usdm.warnings.size());
    if (a.out.empty()) {
        print(imported.toml);
        fmt::print(stderr, "{}", summary);
        return;
    }
    StagedFile f(a.out, imported.toml, 0644, "a protocol file");
    f.place();
    f.keep();
    sync_folder_of(a.out);
    print_text(fmt::format("{}: written\n", a.out) + summary);
}

}  // namespace

void add_protocol_import(CLI::App& protocol, const Globals&) {
    auto* import = protocol.add_subcommand("import", "a protocol file from another standard's study definition");
    import->require_subcommand(1);
    auto a = std::make_shared<ImportArgs>();
    auto* usdm = import->add_subcommand("usdm", "from a CDISC USDM v4 study definition (JSON)");
    usdm->add_option("file", a->file, "the USDM document (Wrapper-Input JSON)")->required();
    usdm->add_option("--out", a->out, "the protocol file to write (default: standard output); never overwritten");
    usdm->callback([a] { import_usdm(*a); });
}

}  // namespace trialcal::cli
