// Two coordinators recording at the same moment: every IMMEDIATE transaction
// waits its turn (busy timeout), none fails, and the audit chain stays whole.
#include "tests/support/clinic.hpp"

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>

#include <thread>

using namespace trialcal::test;

BOOST_AUTO_TEST_SUITE(cli_concurrency)

BOOST_AUTO_TEST_CASE(two_processes_writing_at_once_both_succeed) {
    Clinic c;
    c.now = "2027-03-20T12:00:00Z";
    for (const char* p : {"A", "B"})
        c.ok({"enroll", p, "--protocol", "TRANSREG", "--site", "PSL", "--day0", "2027-03-01", "--cohort", "RA", "--tz",
              "Europe/Paris"});
    constexpr int per_writer = 25;
    auto writer = [&](std::string patient, std::vector<int>* codes) {
        for (int i = 0; i < per_writer; ++i)
            codes->push_back(c.run({"dose", patient, "--at", fmt::format("2027-03-02T{:02}:{:02}", 8 + i / 60, i % 60)}).code);
    };
    std::vector<int> a_codes, b_codes;
    std::thread a(writer, "A", &a_codes), b(writer, "B", &b_codes);
    a.join();
    b.join();
    BOOST_TEST(std::count(a_codes.begin(), a_codes.end(), 0) == per_writer);
    BOOST_TEST(std::count(b_codes.begin(), b_codes.end(), 0) == per_writer);
    const std::string trail = c.ok({"audit", "--format", "csv"});
    BOOST_TEST(count(trail, ",dose,A,") == static_cast<std::size_t>(per_writer));
    BOOST_TEST(count(trail, ",dose,B,") == static_cast<std::size_t>(per_writer));
    BOOST_TEST(contains(c.ok({"audit", "verify"}), "audit trail intact: 52 rows"));
}

BOOST_AUTO_TEST_SUITE_END()
