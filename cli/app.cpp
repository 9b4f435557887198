#include "cli/app.hpp"

#include "cli/commands.hpp"
#include "cli/error.hpp"

namespace trialcal::cli {

int run(int argc, char** argv) {
    CLI::App app{"trialcal: visit and dose calendars and compliance for low-dose IL-2 trials", "trialcal"};
    app.require_subcommand(1);
    app.fallthrough();  // --db, --calendars, --by may come after the command
    Globals g;
    app.add_option("--db", g.db, "database file (default $TRIALCAL_DB, else ./trialcal.db)");
    app.add_option("--calendars", g.calendars, "protocol folder (default $TRIALCAL_CALENDARS, else bundled)");
    app.add_option("--by", g.by, "who is acting (default $TRIALCAL_USER)");
    add_protocol_commands(app, g);
    add_calendar_command(app, g);
    add_record_commands(app, g);
    add_audit_commands(app, g);
    add_report_commands(app, g);
    app.parse(argc, argv);  // runs the chosen command's callback
    return 0;
}

}  // namespace trialcal::cli
