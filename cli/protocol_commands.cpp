// trialcal protocols | protocol show | protocol check
#include "cli/commands.hpp"
#include "cli/error.hpp"
#include "core/calendar.hpp"
#include "core/protocol_parser.hpp"
#include "output/protocol_view.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace trialcal::cli {

namespace {

struct ProtocolsArgs {
    std::string format;
};

struct ShowArgs {
    std::string spec;
    std::string format;
};

struct CheckArgs {
    std::vector<std::string> files;
};

// How many events a protocol's calendar has, for `protocol check`'s summary.
std::string event_summary(const Protocol& p) {
    std::size_t doses = 0;
    for (const auto& r : p.regimens) {
        if (!r.cohorts.empty() || !r.except_cohorts.empty()) continue;
        doses += r.dose_count();
    }
    return fmt::format("{} version {}: {} visits, {} doses{}", p.id, p.version, p.planned_visit_count(), doses,
                       p.cohorts.empty() ? "" : " before cohort-specific regimens");
}

}  // namespace

void add_protocol_commands(CLI::App& app, const Globals& g) {
    auto list_args = std::make_shared<ProtocolsArgs>();
    auto* list = app.add_subcommand("protocols", "list the protocols and their versions");
    add_format(list, list_args->format, {"table", "json", "csv"});
    list->callback([&g, list_args] {
        const Catalog catalog = g.catalog();
        std::vector<ProtocolListing> ls;
        for (const auto& f : catalog.files()) ls.push_back({&f.protocol, f.path.filename().string()});
        if (list_args->format == "json") print(protocols_json(ls));
        else if (list_args->format == "csv") print(protocols_csv(ls));
        else print(protocols_table(ls));
    });

    auto* protocol = app.add_subcommand("protocol", "show or check protocol files");
    protocol->require_subcommand(1);

    auto show_args = std::make_shared<ShowArgs>();
    auto* show = protocol->add_subcommand("show", "the schedule of activities of ID[@VERSION]");
    show->add_option("protocol", show_args->spec, "protocol ID[@VERSION]")->required();
    add_format(show, show_args->format, {"table", "json", "csv"});
    show->callback([&g, show_args] {
        const Catalog catalog = g.catalog();
        const Protocol& p = catalog.find(show_args->spec).protocol;
        if (show_args->format == "json") print(protocol_show_json(p, false));
        else if (show_args->format == "csv") print(protocol_show_csv(p, false));
        else print(protocol_show_table(p, false));
    });

    add_protocol_import(*protocol, g);

    auto check_args = std::make_shared<CheckArgs>();
    auto* check = protocol->add_subcommand("check", "validate protocol files, reporting every problem");
    check->add_option("files", check_args->files, "protocol files (TOML)")->required();
    check->callback([check_args] {
        std::string out, errors;
        Exit worst = Exit::ok;
        for (const auto& file : check_args->files) {
            std::string text;
            try {
                text = read_file(file);
            } catch (const trial::Error& e) {
                // Missing or unreadable: 66; a FIFO, a device or too large: 65.
                errors += std::string(e.what()) + "\n";
                if (e.kind() == trial::Kind::not_found) worst = Exit::no_input;
                else if (worst == Exit::ok) worst = Exit::bad_data;
                continue;
            }
            auto parsed = parse_protocol(text);
            if (!parsed.protocol) {
                errors += describe(file, parsed.diagnostics) + "\n";
                errors += fmt::format("{}: {} problem{}\n", file, parsed.diagnostics.size(),
                                      parsed.diagnostics.size() == 1 ? "" : "s");
                if (worst == Exit::ok) worst = Exit::bad_data;
                continue;
            }
            out += fmt::format("{}: ok, {}\n", file, event_summary(*parsed.protocol));
        }
        print(out);
        if (worst != Exit::ok) {
            errors.pop_back();
            throw Error(worst, errors);
        }
    });
}

}  // namespace trialcal::cli
