#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_SUITE(seed_calendars)
BOOST_AUTO_TEST_SUITE_END()
