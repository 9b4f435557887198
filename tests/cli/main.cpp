#define BOOST_TEST_MODULE trialcal_cli
#include <boost/test/unit_test.hpp>
