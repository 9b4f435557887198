#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_SUITE(calendar)
BOOST_AUTO_TEST_SUITE_END()
