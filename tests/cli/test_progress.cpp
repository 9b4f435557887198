// The import progress bar: its time-left text, and silence off a terminal
// (a script or a pipe sees nothing extra on stderr).
#include "cli/progress.hpp"
#include "tests/support/clinic.hpp"

#include <boost/test/unit_test.hpp>

using namespace trialcal::test;
using trialcal::cli::clock_text;

BOOST_AUTO_TEST_SUITE(progress)

BOOST_AUTO_TEST_CASE(time_left_reads_as_minutes_and_seconds_then_hours) {
    BOOST_TEST(clock_text(std::chrono::seconds{0}) == "0:00");
    BOOST_TEST(clock_text(std::chrono::seconds{65}) == "1:05");
    BOOST_TEST(clock_text(std::chrono::seconds{3599}) == "59:59");
    BOOST_TEST(clock_text(std::chrono::seconds{3725}) == "1:02:05");
}

BOOST_AUTO_TEST_CASE(imports_print_no_progress_when_stderr_is_not_a_terminal) {
    Clinic c;
    c.now = "2027-03-20T12:00:00Z";
    const auto patients = c.dir.write("p.csv", "patient,protocol,site,day0,cohort,tz\nA,TRANSREG,PSL,2027-03-01,RA,"
                                               "Europe/Paris\n");
    const RunResult p = c.run({"import", "patients", patients.string()});
    BOOST_TEST(p.code == 0, p.err);
    BOOST_TEST(p.err == "");
    const auto doses = c.dir.write("d.csv", "patient,at,drug\nA,2027-03-02T09:00,IL2\n");
    const RunResult d = c.run({"import", "doses", doses.string()});
    BOOST_TEST(d.code == 0, d.err);
    BOOST_TEST(d.err == "");
    BOOST_TEST(d.out == "Imported 1 dose from " + doses.string() + ".\n");
}

BOOST_AUTO_TEST_SUITE_END()
