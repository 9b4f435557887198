// Two coordinators recording at the same moment: every IMMEDIATE transaction
// waits its turn (busy timeout), none fails, and the audit chain stays whole.
#include "tests/support/clinic.hpp"

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <thread>

#include <unistd.h>

using namespace trialcal::test;

BOOST_AUTO_TEST_SUITE(cli_concurrency)

namespace {
// What this suite tests is the locking, not the disk: on a machine whose
// fsync takes a third of a second (a CI runner's shared disk), 1 000
// commits of four fsyncs each take 25 minutes, one after the other. In
// memory (tmpfs) when the machine has it, where fsync costs nothing; the
// crash and disk-full suites test durability on a real disk.
std::filesystem::path memory_folder() {
    std::error_code ec;
    const std::filesystem::path shm = "/dev/shm";
    return std::filesystem::is_directory(shm, ec) && ::access(shm.c_str(), W_OK) == 0
               ? shm
               : std::filesystem::temp_directory_path();
}
}  // namespace

// Issue 6's figure: 4 processes recording 250 doses each on one database.
BOOST_AUTO_TEST_CASE(four_processes_recording_250_doses_each_all_land) {
    const TempDir memory(memory_folder());
    Clinic c;
    c.db = memory.path() / "t.db";
    c.now = "2027-03-20T12:00:00Z";
    const std::vector<std::string> patients{"A", "B", "C", "D"};
    for (const auto& p : patients)
        c.ok({"enroll", p, "--protocol", "TRANSREG", "--site", "PSL", "--day0", "2027-03-01", "--cohort", "RA"});
    constexpr int per_writer = 250;
    // A command that hangs is killed (exit 137) and counted, rather than
    // stalling the suite until CTest's timeout.
    c.timeout = std::chrono::minutes(2);
    std::vector<std::vector<int>> codes(patients.size());
    std::vector<std::thread> writers;
    for (std::size_t w = 0; w < patients.size(); ++w)
        writers.emplace_back([&, w] {
            for (int i = 0; i < per_writer; ++i)
                codes[w].push_back(c.run({"dose", patients[w], "--at",
                                          fmt::format("2027-03-{:02}T{:02}:{:02}", 2 + i / 60, 8 + i % 60 / 10, i % 60)})
                                       .code);
        });
    for (auto& t : writers) t.join();
    for (std::size_t w = 0; w < patients.size(); ++w) {
        BOOST_TEST(std::count(codes[w].begin(), codes[w].end(), 0) == per_writer, patients[w]);
        BOOST_TEST(std::count(codes[w].begin(), codes[w].end(), 75) == 0, patients[w]);  // none timed out busy
    }
    const std::string trail = c.ok({"audit", "--format", "csv"});
    BOOST_TEST(count(trail, ",dose,") == 1000u);
    for (const auto& p : patients) BOOST_TEST(count(trail, ",dose," + p + ",") == static_cast<std::size_t>(per_writer));
    BOOST_TEST(contains(c.ok({"audit", "verify"}), "audit trail intact: 1012 rows"));  // key, 3 sites, 4 screenings and enrollments, 1000 doses
}

BOOST_AUTO_TEST_SUITE_END()
