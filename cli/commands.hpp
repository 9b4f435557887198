#pragma once
// Each family of commands registers itself on the application.
#include "cli/error.hpp"
#include "trial/error.hpp"
#include "cli/options.hpp"
#include "trial/catalog.hpp"

namespace trialcal::cli {

void add_protocol_commands(CLI::App& app, const Globals& g);
void add_calendar_command(CLI::App& app, const Globals& g);
void add_record_commands(CLI::App& app, const Globals& g);
void add_course_commands(CLI::App& app, const Globals& g);
void add_audit_commands(CLI::App& app, const Globals& g);
void add_report_commands(CLI::App& app, const Globals& g);
void add_due_command(CLI::App& app, const Globals& g);
void add_import_commands(CLI::App& app, const Globals& g);
void add_plan_commands(CLI::App& app, const Globals& g);
void add_export_commands(CLI::App& app, const Globals& g);
void add_export_ics(CLI::App& export_cmd, const Globals& g);
void add_export_sdtm(CLI::App& export_cmd, const Globals& g);
void add_export_odm(CLI::App& export_cmd, const Globals& g);
void add_export_fhir(CLI::App& export_cmd, const Globals& g);
void add_export_usdm(CLI::App& export_cmd, const Globals& g);
void add_protocol_import(CLI::App& protocol, const Globals& g);
void add_keys_command(CLI::App& app, const Globals& g);
void add_db_command(CLI::App& app, const Globals& g);
void add_user_command(CLI::App& app, const Globals& g);
void add_holidays_command(CLI::App& app, const Globals& g);
void add_site_command(CLI::App& app, const Globals& g);
void add_sites_command(CLI::App& app, const Globals& g);

using trial::Catalog;
using trial::describe;
using trial::read_file;

}  // namespace trialcal::cli
