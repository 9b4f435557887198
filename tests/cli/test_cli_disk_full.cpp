// A full disk in the middle of an import: the write fails with a clear error,
// and the database stays intact and usable.
#include "tests/support/clinic.hpp"

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>

using namespace trialcal::test;

BOOST_AUTO_TEST_SUITE(cli_disk_full)

BOOST_AUTO_TEST_CASE(an_import_onto_a_full_disk_fails_cleanly_and_changes_nothing) {
    Clinic c;
    c.now = "2028-01-01T12:00:00Z";
    c.ok({"enroll", "P1", "--protocol", "TRANSREG", "--site", "PSL", "--day0", "2027-03-01", "--cohort", "SLE"});
    std::string csv = "patient,at,drug,note\n";
    for (int i = 0; i < 400; ++i)
        csv += fmt::format("P1,2027-03-{:02}T{:02}:00,IL2,{}\n", 2 + i / 24, i % 24, std::string(200, 'x'));
    const auto batch = c.dir.write("doses.csv", csv);
    const std::string before = c.bytes();

    RunOptions full;
    full.env = c.env(c.now);
    full.file_size_limit = static_cast<long>(before.size()) + 8192;  // room for a few pages, not the batch
    const RunResult r = run_trialcal({"import", "doses", batch.string()}, full);
    BOOST_TEST(r.code == 70, r.err);
    BOOST_TEST(r.out.empty());
    // RLIMIT_FSIZE fails the write with EFBIG, which SQLite reports as a write
    // I/O error; a real full disk (ENOSPC) is "disk full". Both say nothing was written.
    BOOST_TEST(contains(r.err, "the disk refused a write (full, a file size limit, or an I/O error)"), r.err);
    BOOST_TEST(contains(r.err, "nothing was written, the database is as it was"), r.err);
    BOOST_TEST(contains(r.err, c.db.string()), r.err);

    // Intact and usable: the same bytes once the journal is rolled back, and
    // the next command works.
    BOOST_TEST(c.run({"audit", "verify"}).code == 0);
    BOOST_TEST((c.bytes() == before));
    BOOST_TEST(contains(c.ok({"import", "doses", batch.string()}), "Imported 400 doses"));
    // One audit row seals the 400 records of P1.
    const std::string trail = c.ok({"audit", "--format", "csv"});
    BOOST_TEST(count(trail, ",import doses,P1,R") == 1u);
    BOOST_TEST(contains(trail, " doses=400"));
    BOOST_TEST(count(trail, " product=IL2 amount= event= kit= note=" + std::string(200, 'x')) == 400u);
}

BOOST_AUTO_TEST_SUITE_END()
