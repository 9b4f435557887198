#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_SUITE(csv_reader)
BOOST_AUTO_TEST_SUITE_END()
