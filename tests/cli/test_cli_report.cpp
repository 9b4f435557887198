#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_SUITE(cli_report)
BOOST_AUTO_TEST_SUITE_END()
