// trialcal export fhir --patient P | --site S [--as-of DATE] [--out FILE]:
// a FHIR R5 Bundle of the patient's (or the site's patients') study,
// protocol, calendar and doses, blinded (docs/interop.md).
#include "cli/commands.hpp"
#include "cli/folder_writer.hpp"
#include "trial/interop_exports.hpp"

#include <filesystem>

namespace trialcal::cli {

namespace {

void export_fhir(const Globals& g, const trial::FhirQuery& q, const std::string& out) {
    if (out.empty()) {
        // Held until complete: a refusal half-way prints nothing.
        std::string bundle;
        trial::fhir_export(g.env(), q, [&bundle](const std::string& piece) { bundle += piece; });
        print(bundle);
        return;
    }
    // Streamed into a hidden file renamed into place once whole.
    FolderWriter w = FolderWriter::for_file(out);
    const std::size_t file = w.open(std::filesystem::path(out).filename().string());
    trial::fhir_export(g.env(), q, [&w, file](const std::string& piece) { w.append(file, piece); });
    w.finish();
    w.commit();
}

}  // namespace

void add_export_fhir(CLI::App& export_cmd, const Globals& g) {
    auto q = std::make_shared<trial::FhirQuery>();
    auto out = std::make_shared<std::string>();
    auto* cmd = export_cmd.add_subcommand("fhir", "a patient's or a site's patients' FHIR R5 Bundle (JSON), blinded");
    auto* patient = cmd->add_option("--patient", q->patient, "one patient");
    cmd->add_option("--site", q->site, "every patient of a site")->excludes(patient);
    cmd->add_option("--as-of", q->as_of, "records dated after it are left out (default: today at each site)");
    cmd->add_option("--out", *out, "the file to write (default: standard output)");
    cmd->callback([&g, q, out] { export_fhir(g, *q, *out); });
}

}  // namespace trialcal::cli
