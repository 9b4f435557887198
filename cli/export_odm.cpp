// trialcal export odm --protocol ID[@VERSION] [--out FILE]: the protocol's
// schedule as a CDISC ODM 2.0 study design (docs/interop.md).
#include "cli/commands.hpp"
#include "cli/folder_writer.hpp"
#include "trial/interop_exports.hpp"

namespace trialcal::cli {

void add_export_odm(CLI::App& export_cmd, const Globals& g) {
    auto q = std::make_shared<trial::OdmQuery>();
    auto out = std::make_shared<std::string>();
    auto* cmd = export_cmd.add_subcommand("odm", "a protocol's schedule as a CDISC ODM 2.0 study design (XML)");
    cmd->add_option("--protocol", q->protocol, "the protocol, ID[@VERSION]")->required();
    cmd->add_option("--out", *out, "the file to write (default: standard output)");
    cmd->callback([&g, q, out] {
        const std::string xml = trial::odm_export(g.env(), g.catalog(), *q);
        if (out->empty()) print(xml);
        else write_whole_file(*out, xml);
    });
}

}  // namespace trialcal::cli
