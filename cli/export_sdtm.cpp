// trialcal export sdtm DOMAIN… [--protocol ID] --out DIR [--format csv|dataset-json] [--as-of DATE]
// [--unblinded --reason TEXT]
// One CSV (or Dataset-JSON file, docs/interop.md) per CDISC SDTM domain (docs/sdtm.md). The use case streams them
// subject by subject; here they are written next to their final names and
// renamed into place, so a failed export leaves DIR as it was.
#include "cli/commands.hpp"
#include "cli/error.hpp"
#include "cli/folder_writer.hpp"
#include "trial/sdtm_export.hpp"

#include <fmt/format.h>

#include <date/date.h>

#include <filesystem>
#include <utility>

namespace trialcal::cli {

namespace {

namespace fs = std::filesystem;

void export_sdtm(const Globals& g, const trial::SdtmQuery& a) {
    const trial::SdtmRequest request = trial::prepare_sdtm(a);
    if (a.out.empty()) throw Error(Exit::usage, "--out: give the folder to write the dataset files in");
    const fs::path dir = a.out;
    std::vector<fs::path> created = missing_folders(dir);
    std::error_code ec;
    if (!created.empty() && !fs::create_directories(dir, ec) && ec)
        throw Error(Exit::no_input, fmt::format("--out {}: cannot create the folder ({})", dir.string(), ec.message()));
    // A refusal from here on removes the folders made and the files begun.
    FolderWriter w(dir, std::move(created));
    for (const auto d : request.domains) w.open(sdtm::file_name(d, request.container));
    const trial::Env env = g.env();
    const std::vector<std::size_t> rows =
        trial::stream_sdtm(env, [&g] { return g.user(); }, [&g] { return g.catalog(); }, a, request,
                           [&w](std::size_t i, const std::string& bytes) { w.append(i, bytes); });
    if (request.container == sdtm::Container::dataset_json) {
        // The head counts the rows, so it is written once they are.
        const std::string created_at = date::format("%FT%T", env.clock.now());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const sdtm::Domain d = request.domains[i];
            dataset_json::Dataset meta;
            meta.created = created_at;
            meta.name = std::string(sdtm::code(d));
            meta.label = std::string(sdtm::label(d));
            meta.study_oid = a.protocol.substr(0, a.protocol.find('@'));  // one study's: its id
            meta.file_oid = fmt::format("trialcal.SDTM.{}.{}", a.protocol.empty() ? "ALL" : a.protocol, meta.name);
            meta.source_version = TRIALCAL_VERSION;
            meta.records = rows[i];
            w.wrap(i, dataset_json::head(meta, sdtm::columns(d)), dataset_json::tail());
        }
    }
    w.finish();
    // The datasets keep CDISC's variables only; what is printed says it.
    std::string summary;
    if (a.unblinded) {
        // Only the files that unblinding changes, those written.
        std::string files;
        for (const auto d : request.domains)
            if (d == sdtm::Domain::EX || d == sdtm::Domain::DM || d == sdtm::Domain::SE)
                files += (files.empty() ? "" : ", ") + sdtm::file_name(d, request.container);
        summary = fmt::format("UNBLINDED: {} name the real arms, drugs and amounts\n", files);
    }
    for (std::size_t i = 0; i < rows.size(); ++i)
        summary += fmt::format("{}: {} row{}\n", (dir / sdtm::file_name(request.domains[i], request.container)).string(), rows[i],
                               rows[i] == 1 ? "" : "s");
    w.commit();
    print_text(summary);
}

}  // namespace

void add_export_sdtm(CLI::App& export_cmd, const Globals& g) {
    auto a = std::make_shared<trial::SdtmQuery>();
    auto* cmd = export_cmd.add_subcommand("sdtm", "CDISC SDTM datasets, one CSV per domain (TV TA TE DM SV EX DV DS SE)");
    cmd->add_option("domains", a->domains, "domains to write: TV, TA, TE, DM, SV, EX, DV, DS, SE")->required();
    cmd->add_option("--protocol", a->protocol, "one study, ID[@VERSION] (default: every study in the database)");
    cmd->add_option("--out", a->out, "folder for the dataset files (created when missing)")->required();
    add_format(cmd, a->format, {"csv", "dataset-json"});
    cmd->add_option("--as-of", a->as_of, "records dated after it are left out (default: today at each site)");
    auto key = std::make_shared<std::string>();
    add_unblinding(cmd, a->unblinded, a->reason, *key, "EX names the real drug and amount, DM the arm, SE its elements");
    cmd->callback([&g, a, key] {
        if (a->unblinded) a->key = unblinding_key_file(*key);
        export_sdtm(g, *a);
    });
}

}  // namespace trialcal::cli
