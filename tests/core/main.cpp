#define BOOST_TEST_MODULE trialcal_core
#include <boost/test/unit_test.hpp>
