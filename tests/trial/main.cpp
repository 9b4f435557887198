#define BOOST_TEST_MODULE trialcal_trial
#include <boost/test/unit_test.hpp>
