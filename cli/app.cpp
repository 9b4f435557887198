#include "cli/app.hpp"

#include "cli/clock.hpp"
#include "cli/commands.hpp"
#include "cli/error.hpp"

namespace trialcal::cli {

int run(int argc, char** argv) {
    CLI::App app{"trialcal: visit and dose calendars and compliance for low-dose IL-2 trials", "trialcal"};
    app.require_subcommand(1);
    app.fallthrough();  // --db, --calendars, --by may come after the command
    // The build's clock is part of its version: a test build can be told apart.
    const std::string version = std::string("trialcal ") + TRIALCAL_VERSION +
                                (test_clock_compiled() ? "\nclock: test ($TRIALCAL_NOW pins it)" : "\nclock: the machine's");
    app.set_version_flag("--version", version);
    announce_clock();
    Globals g;
    app.add_option("--db", g.db, "database file (default $TRIALCAL_DB, else ./trialcal.db)");
    app.add_option("--calendars", g.calendars, "protocol folder (default $TRIALCAL_CALENDARS, else bundled)");
    app.add_option("--by", g.by, "who is acting (default $TRIALCAL_USER)");
    add_protocol_commands(app, g);
    add_calendar_command(app, g);
    add_holidays_command(app, g);
    add_site_command(app, g);
    add_sites_command(app, g);
    add_record_commands(app, g);
    add_course_commands(app, g);
    add_audit_commands(app, g);
    add_report_commands(app, g);
    add_due_command(app, g);
    add_import_commands(app, g);
    add_plan_commands(app, g);
    add_export_commands(app, g);
    add_keys_command(app, g);
    add_db_command(app, g);
    add_user_command(app, g);
    try {
        app.parse(argc, argv);  // runs the chosen command's callback
    } catch (const CLI::CallForHelp&) {
        print(app.help());  // the chosen command's help when one was named
    } catch (const CLI::CallForVersion&) {
        print(version + "\n");
    } catch (const CLI::CallForAllHelp&) {
        print(app.help("", CLI::AppFormatMode::All));
    } catch (const CLI::ParseError& e) {
        // Name what was not understood: an unknown command or flag.
        std::string rest;
        const CLI::App* deepest = &app;
        while (!deepest->get_subcommands().empty()) deepest = deepest->get_subcommands().front();
        for (const auto& r : deepest->remaining()) rest += (rest.empty() ? "" : " ") + r;
        if (rest.empty())
            for (const auto& r : app.remaining()) rest += (rest.empty() ? "" : " ") + r;
        throw Error(Exit::usage, rest.empty() ? std::string(e.what())
                                              : std::string(e.what()) + " (not understood: " + rest +
                                                    "; see trialcal --help)");
    }
    return 0;
}

}  // namespace trialcal::cli
