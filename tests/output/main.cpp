#define BOOST_TEST_MODULE trialcal_output
#include <boost/test/unit_test.hpp>
