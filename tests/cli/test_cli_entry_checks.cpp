// End-to-end: the entry checks of compliance.md version 2 ("What is refused
// when a record is entered") and issue 12's filters and unblinded labels.
// Each refusal asserts the exit code, that stderr names the value at fault,
// and that the database file is byte for byte what it was.
#include "tests/support/clinic.hpp"
#include "tests/support/patients.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace trialcal::test;

namespace {

using Paris = ParisPatient;
using Amended = AmendedPatient;

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_entry_checks)

// ---------------------------------------------------------------- time

BOOST_FIXTURE_TEST_CASE(a_dose_in_the_future_at_the_site_is_bad_data, Paris) {
    // 13:01 in Paris is one minute after now.
    refused(65, "2027-03-10T13:01", {"dose", "P1", "--at", "2027-03-10T13:01"});
    refused(65, "in the future", {"dose", "P1", "--at", "2027-03-11T09:00"});
    // The current minute is not the future.
    const std::string out = ok({"dose", "P1", "--at", "2027-03-10T13:00"});
    BOOST_TEST(contains(out, "at 2027-03-10T13:00 (Europe/Paris)"), out);
}

BOOST_FIXTURE_TEST_CASE(at_now_is_the_current_minute_at_the_site, Paris) {
    const std::string out = ok_at("2027-03-10T12:00:42Z", {"dose", "P1", "--at", "now"});
    BOOST_TEST(contains(out, "Recorded R1:"), out);
    BOOST_TEST(contains(out, "at 2027-03-10T13:00 (Europe/Paris)"), out);
}

BOOST_AUTO_TEST_CASE(an_ambiguous_wall_time_names_both_offsets) {
    Clinic c;
    c.now = "2027-11-01T12:00:00Z";
    // D1-D5 = 10-29 .. 11-02; the clocks go back at 03:00 on 10-31.
    c.ok({"enroll", "P1", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-10-28", "--arm", "IL2-2"});
    c.refused(65, "+02:00", {"dose", "P1", "--at", "2027-10-31T02:30"});
    c.refused(65, "+01:00", {"dose", "P1", "--at", "2027-10-31T02:30"});
    // With its offset it is one instant, and accepted.
    const std::string out = c.ok({"dose", "P1", "--at", "2027-10-31T02:30+01:00"});
    BOOST_TEST(contains(out, "IL2-D3"), out);
    // An hour that never exists stays refused, naming the gap.
    Clinic s;
    s.now = "2027-04-01T12:00:00Z";
    s.ok({"enroll", "P1", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-25", "--arm", "IL2-2"});
    s.refused(65, "does not exist", {"dose", "P1", "--at", "2027-03-28T02:30"});
}

// ---------------------------------------------------------------- duplicates

BOOST_FIXTURE_TEST_CASE(the_same_minute_twice_is_a_duplicate, Paris) {
    ok({"dose", "P1", "--at", "2027-03-02T09:00"});
    refused(1, "R1", {"dose", "P1", "--at", "2027-03-02T09:00"});
    // The same instant written with its offset is the same local minute.
    refused(1, "duplicate", {"dose", "P1", "--at", "2027-03-02T08:00Z"});
    // A voided record is not live: the minute is free again.
    ok({"void", "R1", "--reason", "wrong patient"});
    ok({"dose", "P1", "--at", "2027-03-02T09:00"});
}

BOOST_FIXTURE_TEST_CASE(a_second_dose_in_a_matched_slot_is_kept_with_a_warning, Paris) {
    ok({"dose", "P1", "--at", "2027-03-02T09:00"});
    const RunResult r = run({"dose", "P1", "--at", "2027-03-02T17:00"});
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(contains(r.err, "R1"), r.err);
    BOOST_TEST(contains(r.err, "trialcal void"), r.err);
    BOOST_TEST(contains(r.out, "extra"), r.out);
    const std::string j = ok({"report", "compliance", "--as-of", "2027-03-02", "--format", "json"});
    BOOST_TEST(contains(j, "\"extra\": 1"), j);
    BOOST_TEST(contains(j, "\"unscheduled\": 1"), j);
    BOOST_TEST(contains(j, "\"on_time\": 1"), j);
}

BOOST_FIXTURE_TEST_CASE(the_same_import_file_twice_is_refused_whole, Paris) {
    const std::string f = dir.write("d.csv", "patient,at,drug\nP1,2027-03-02T09:00,IL2\nP1,2027-03-03T09:00,IL2\n").string();
    ok({"import", "doses", f});
    refused(1, "already imported", {"import", "doses", f});
    // The same bytes under another name are the same file.
    const std::string g = dir.write("copy.csv", slurp(f)).string();
    refused(1, "already imported", {"import", "doses", g});
}

// ---------------------------------------------------------------- named events

BOOST_FIXTURE_TEST_CASE(a_named_dose_keeps_its_event_when_a_later_record_is_nearer, Paris) {
    const std::string first = ok({"dose", "P1", "--at", "2027-03-04T09:00", "--event", "IL2-D3"});
    BOOST_TEST(contains(first, "IL2-D3"), first);
    const std::string second = ok({"dose", "P1", "--at", "2027-03-03T17:00"});
    BOOST_TEST(contains(second, "matched to IL2-D2"), second);
    BOOST_TEST(!contains(second, "IL2-D3"), second);
    const std::string j = ok({"report", "compliance", "--as-of", "2027-03-04", "--format", "json"});
    BOOST_TEST(contains(j, "\"on_time\": 2"), j);
    BOOST_TEST(contains(j, "\"extra\": 0"), j);
    // SDTM EX says the same: EXSPID is the planned dose each record matched.
    const std::string out = (dir.path() / "sdtm").string();
    ok({"export", "sdtm", "EX", "--out", out});
    const std::string ex = slurp(out + "/ex.csv");
    BOOST_TEST(contains(ex, ",1,IL2-D2,"), ex);  // 03-03 17:00, first in time
    BOOST_TEST(contains(ex, ",2,IL2-D3,"), ex);  // 03-04 09:00, named
}

BOOST_FIXTURE_TEST_CASE(naming_a_dose_already_named_or_skipped_is_refused, Paris) {
    ok({"dose", "P1", "--at", "2027-03-04T09:00", "--event", "IL2-D3"});
    refused(1, "IL2-D3", {"dose", "P1", "--at", "2027-03-04T10:00", "--event", "IL2-D3"});
    refused(1, "R1", {"dose", "P1", "--at", "2027-03-04T10:00", "--event", "IL2-D3"});
    ok({"skip", "P1", "IL2-D4", "--reason", "refused"});
    refused(1, "skipped", {"dose", "P1", "--at", "2027-03-05T10:00", "--event", "IL2-D4"});
    // Not a dose of the patient at all: bad data.
    refused(65, "IL2-D9", {"dose", "P1", "--at", "2027-03-05T10:00", "--event", "IL2-D9"});
    refused(65, "V-D1", {"dose", "P1", "--at", "2027-03-05T10:00", "--event", "V-D1"});
}

BOOST_FIXTURE_TEST_CASE(naming_a_dose_of_another_product_is_refused, Amended) {
    refused(1, "ILT101-D63", {"dose", "N1", "--at", "2027-03-02T08:00", "--drug", "ciclosporin", "--event", "ILT101-D63"});
}

BOOST_FIXTURE_TEST_CASE(a_visit_recorded_twice_is_refused, Paris) {
    ok({"visit", "P1", "V-D1", "--at", "2027-03-02"});
    refused(1, "V-D1", {"visit", "P1", "V-D1", "--at", "2027-03-02"});
    refused(1, "R1", {"visit", "P1", "V-D1", "--at", "2027-03-03"});
}

// ---------------------------------------------------------------- plan changes

BOOST_FIXTURE_TEST_CASE(shift_refuses_what_has_already_passed, Amended) {
    // CSA-D5 is 2027-03-06, window [0, 0]: long over on 2027-05-01.
    refused(1, "CSA-D5", {"shift", "N1", "CSA-D5", "--days", "2", "--reason", "x"});
    refused(1, "window ended", {"shift", "N1", "CSA-D5", "--days", "2", "--reason", "x"});
    // V-D63 is 2027-05-03; five days earlier is before today.
    refused(1, "2027-04-28", {"shift", "N1", "V-D63", "--days", "-5", "--reason", "x"});
    ok({"shift", "N1", "V-D63", "--days", "-2", "--reason", "x"});
}

BOOST_FIXTURE_TEST_CASE(reconsent_refuses_an_older_version_and_a_future_date, Clinic) {
    now = "2027-05-01T12:00:00Z";
    ok({"enroll", "N2", "--protocol", "NCT05153070@2", "--site", "PSL", "--day0", "2027-03-01", "--arm", "ILT-101",
        "--weight", "60"});
    refused(1, "older", {"reconsent", "N2", "--version", "1", "--on", "2027-03-10", "--reason", "x"});
    ok({"enroll", "N3", "--protocol", "NCT05153070@1", "--site", "PSL", "--day0", "2027-03-01", "--arm", "ILT-101",
        "--weight", "60"});
    refused(65, "2027-06-01", {"reconsent", "N3", "--version", "2", "--on", "2027-06-01", "--reason", "x"});
}

BOOST_AUTO_TEST_SUITE_END()
