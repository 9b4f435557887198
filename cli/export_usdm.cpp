// trialcal export usdm --protocol ID[@VERSION] [--out FILE]
// A protocol as a CDISC USDM v4 study definition (docs/interop.md, USDM): the
// protocol as written, like its file; no patient's data.
#include "cli/commands.hpp"
#include "cli/error.hpp"
#include "cli/folder_writer.hpp"
#include "output/usdm.hpp"

#include <fmt/format.h>

namespace trialcal::cli {

namespace {

struct UsdmArgs {
    std::string protocol;
    std::string out;
};

}  // namespace

void add_export_usdm(CLI::App& export_cmd, const Globals& g) {
    auto a = std::make_shared<UsdmArgs>();
    auto* cmd = export_cmd.add_subcommand("usdm", "a protocol as a CDISC USDM v4 study definition (JSON)");
    cmd->add_option("--protocol", a->protocol, "protocol ID[@VERSION]")->required();
    cmd->add_option("--out", a->out, "the file to write (default: standard output)");
    cmd->callback([&g, a] {
        const Catalog catalog = g.catalog();
        const std::string text = usdm_json(catalog.find(a->protocol).protocol);
        if (a->out.empty()) {
            print(text);
            return;
        }
        // Like every export: written beside its name and renamed into place.
        write_whole_file(a->out, text);
    });
}

}  // namespace trialcal::cli
