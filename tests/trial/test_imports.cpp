// The imports in-process (trial/imports.hpp): every row or none, one audit
// row per patient sealing the records it wrote.
#include "tests/support/fake_env.hpp"
#include "trial/error.hpp"
#include "trial/imports.hpp"
#include "trial/records.hpp"

#include <boost/test/unit_test.hpp>

using namespace trialcal;
using namespace trialcal::test;

namespace {

void enroll_p001(FakeEnv& f) {
    (void)f.enroll({"P001", "DF-IL2", "PSL", "2027-03-01", "IL2-2", "", "", "", "Europe/Paris"});
}

// Counts what the progress callback was told.
class CountingProgress final : public trial::Progress {
public:
    void begin(std::string work, std::size_t rows) override {
        what = std::move(work);
        total = rows;
    }
    void stage(std::string, std::size_t) override {}
    void update(std::size_t done) override { last = done; }
    std::string what;
    std::size_t total = 0, last = 0;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(imports)

BOOST_AUTO_TEST_CASE(two_dose_rows_are_written_and_sealed_by_one_audit_row) {
    FakeEnv f;
    enroll_p001(f);
    CountingProgress progress;
    const trial::ImportFile in{"d.csv", "patient,at,drug\nP001,2027-03-02T09:00,IL2\nP001,2027-03-03T09:10,IL2\n"};
    BOOST_TEST(trial::import_doses(f.env, "coordinator", in, progress) == "Imported 2 doses from d.csv.\n");
    BOOST_TEST(progress.what == "import doses");
    BOOST_TEST(progress.total == 2u);
    BOOST_TEST(progress.last == 2u);
    auto s = f.storage.look();
    const auto records = s.records("P001");
    BOOST_TEST_REQUIRE(records.size() == 2u);
    BOOST_TEST(records[0].id == 1);
    BOOST_TEST(records[1].id == 2);
    BOOST_TEST(records[1].at_utc == "2027-03-03T08:10:00Z");
    BOOST_TEST((*records[1].date == date::sys_days{date::year{2027} / 3 / 3}));
    const auto rows = s.audit_rows(std::string("P001"));
    BOOST_TEST_REQUIRE(rows.size() == 3u);  // screen, enroll, then the import's one row
    BOOST_TEST(rows[2].entry.action == "import doses");
    BOOST_TEST(rows[2].entry.target == "R1-R2");
    BOOST_TEST(rows[2].entry.new_value.find("doses=2") != std::string::npos);
    BOOST_TEST(rows[2].rows == 2);  // the two records, accounted for by their digest
    BOOST_TEST(rows[2].entry.source.size() == 64u);
    const store::ChainCheck check = s.verify_audit();
    BOOST_TEST(check.intact());
}

BOOST_AUTO_TEST_CASE(a_bad_second_row_leaves_nothing_written) {
    FakeEnv f;
    enroll_p001(f);
    trial::NoProgress progress;
    const trial::ImportFile in{"bad.csv", "patient,at,drug\nP001,2027-03-02T09:00,IL2\nP001,2027-13-04T09:00,IL2\n"};
    try {
        (void)trial::import_doses(f.env, "coordinator", in, progress);
        BOOST_FAIL("the bad row was accepted");
    } catch (const trial::Error& e) {
        BOOST_TEST((e.kind() == trial::Kind::bad_data));
        BOOST_TEST(std::string(e.what()) ==
                   "bad.csv:3: column at: '2027-13-04T09:00': '2027-13-04' is not a calendar date");
    }
    auto s = f.storage.look();
    BOOST_TEST(s.records("P001").empty());
    BOOST_TEST(s.next_record_id() == 1);
    BOOST_TEST(s.audit_rows(std::nullopt).size() == 6u);  // key, three sites, screening, enrollment: not the import
}

namespace {

// The refusal of an import: its kind and message; nothing may have been written.
std::pair<trial::Kind, std::string> refusal(FakeEnv& f, const trial::ImportFile& in) {
    trial::NoProgress progress;
    const std::size_t rows = f.storage.look().audit_rows(std::nullopt).size();
    const std::int64_t next = f.storage.look().next_record_id();
    try {
        (void)trial::import_doses(f.env, "coordinator", in, progress);
    } catch (const trial::Error& e) {
        BOOST_TEST(f.storage.look().audit_rows(std::nullopt).size() == rows);
        BOOST_TEST(f.storage.look().next_record_id() == next);
        return {e.kind(), e.what()};
    }
    BOOST_FAIL("the import was accepted");
    return {trial::Kind::internal, ""};
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_row_at_the_minute_of_another_is_a_duplicate) {
    FakeEnv f;
    enroll_p001(f);
    (void)trial::dose(f.env, "nurse", {"P001", "2027-03-02T09:00", "", "", "", "", ""});
    // Against the database: the live record R1.
    const auto stored = refusal(f, {"d.csv", "patient,at,drug\nP001,2027-03-03T09:00,IL2\nP001,2027-03-02T08:00Z,IL2\n"});
    BOOST_TEST((stored.first == trial::Kind::rule));
    BOOST_TEST(stored.second == "d.csv:3: column at 2027-03-02T09:00: duplicate of record R1: IL2 for patient P001 at "
                                "the same minute (void R1 first if it is the wrong one)");
    // Against an earlier row of the same file.
    const auto row = refusal(f, {"e.csv", "patient,at,drug\nP001,2027-03-03T09:00,IL2\nP001,2027-03-03T09:00,IL2\n"});
    BOOST_TEST((row.first == trial::Kind::rule));
    BOOST_TEST(row.second == "e.csv:3: column at 2027-03-03T09:00: duplicate of line 2 of this file: IL2 for patient "
                             "P001 at the same minute");
    // A voided record frees its minute.
    (void)trial::void_record(f.env, "nurse", {"R1", "entered twice"});
    trial::NoProgress progress;
    BOOST_TEST(trial::import_doses(f.env, "coordinator", {"g.csv", "patient,at,drug\nP001,2027-03-02T09:00,IL2\n"},
                                   progress) == "Imported 1 dose from g.csv.\n");
}

BOOST_AUTO_TEST_CASE(the_same_file_twice_is_refused_naming_the_first_import) {
    FakeEnv f;
    enroll_p001(f);
    trial::NoProgress progress;
    const std::string text = "patient,at,drug\nP001,2027-03-02T09:00,IL2\n";
    (void)trial::import_doses(f.env, "coordinator", {"d.csv", text}, progress);
    const auto again = refusal(f, {"renamed.csv", text});
    BOOST_TEST((again.first == trial::Kind::rule));
    BOOST_TEST(again.second.find("renamed.csv: already imported, as d.csv, on 2027-03-10T12:00:00Z by coordinator "
                                 "(audit row 7): the same file, SHA-256 ") == 0,
               again.second);
    // Other bytes are another file, even with the same doses.
    BOOST_TEST(refusal(f, {"d.csv", "patient,drug,at\nP001,IL2,2027-03-02T09:00\n"}).second.find(
                   "duplicate of record R1") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
