#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_SUITE(protocol_parser)
BOOST_AUTO_TEST_SUITE_END()
