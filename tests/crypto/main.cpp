#define BOOST_TEST_MODULE trialcal_crypto
#include <boost/test/unit_test.hpp>
