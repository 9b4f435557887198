#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_SUITE(cli_plan)
BOOST_AUTO_TEST_SUITE_END()
