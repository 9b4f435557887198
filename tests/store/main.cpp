#define BOOST_TEST_MODULE trialcal_store
#include <boost/test/unit_test.hpp>
