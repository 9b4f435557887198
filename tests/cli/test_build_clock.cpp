// cli/clock.hpp: $TRIALCAL_NOW pins the clock in a test build only; a build
// with default options reads the machine's clock and says it ignores it.
#include "cli/clock.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

using trialcal::cli::now_source;
using trialcal::cli::NowSource;

BOOST_AUTO_TEST_SUITE(build_clock)

BOOST_AUTO_TEST_CASE(decided_by_the_build_and_the_variable) {
    BOOST_TEST((now_source(true, "2027-03-10T12:00:00Z") == NowSource::pinned));
    BOOST_TEST((now_source(false, "2027-03-10T12:00:00Z") == NowSource::ignored));
    BOOST_TEST((now_source(false, nullptr) == NowSource::machine));
    BOOST_TEST((now_source(true, nullptr) == NowSource::machine));
    BOOST_TEST((now_source(false, "") == NowSource::machine));
    BOOST_TEST(trialcal::cli::now_ignored_notice.find("-DTRIALCAL_TEST_CLOCK=ON") != std::string_view::npos);
}

// These tests are built by tools/test, with the option on.
BOOST_AUTO_TEST_CASE(this_build_has_the_test_clock) { BOOST_TEST(trialcal::cli::test_clock_compiled()); }

BOOST_AUTO_TEST_SUITE_END()
