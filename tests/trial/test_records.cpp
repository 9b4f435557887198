// The records use cases in-process (trial/records.hpp): enroll, dose, void,
// with a fake clock and account, real zones, and SQLite in memory.
#include "tests/support/fake_env.hpp"
#include "trial/error.hpp"
#include "trial/records.hpp"

#include <boost/test/unit_test.hpp>

using namespace trialcal;
using namespace trialcal::test;

namespace {

const trial::EnrollInput p001{"P001", "DF-IL2", "PSL", "2027-03-01", "IL2-2", "", "", "", "Europe/Paris"};

trial::DoseInput dose_at(const std::string& at) { return {"P001", at, "", "", "", "", ""}; }

trial::Kind kind_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const trial::Error& e) {
        return e.kind();
    }
    BOOST_FAIL("no trial::Error was thrown");
    return trial::Kind::internal;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(records)

BOOST_AUTO_TEST_CASE(enrolling_stores_the_patient_and_the_plan_with_one_audit_row) {
    FakeEnv f;
    BOOST_TEST(trial::enroll(f.env, "nurse", f.catalog, p001) ==
               "Enrolled P001 in DF-IL2 version 1 at site PSL, day 0 2027-03-01 (arm blinded): 10 visits, 5 doses.\n");
    auto s = f.storage.look();
    const auto p = s.patient("P001");
    BOOST_TEST_REQUIRE(p.has_value());
    BOOST_TEST(p->site == "PSL");
    BOOST_TEST((p->day0 == date::sys_days{date::year{2027} / 3 / 1}));
    BOOST_TEST(p->arm.value_or("") == "IL2-2");
    BOOST_TEST(p->tz == "Europe/Paris");
    BOOST_TEST(s.plan(*p).events.size() == 15u);
    const auto rows = s.audit_rows(std::nullopt);
    BOOST_TEST_REQUIRE(rows.size() == 1u);
    BOOST_TEST(rows[0].entry.action == "enroll");
    BOOST_TEST(rows[0].entry.by == "nurse");
    BOOST_TEST(rows[0].entry.sealed == "arm=IL2-2");
    BOOST_TEST(rows[0].at == "2027-03-10T12:00:00Z");  // the fake clock's
}

BOOST_AUTO_TEST_CASE(enrolling_the_same_patient_twice_is_refused_by_the_rule) {
    FakeEnv f;
    (void)trial::enroll(f.env, "nurse", f.catalog, p001);
    BOOST_TEST((kind_of([&] { (void)trial::enroll(f.env, "nurse", f.catalog, p001); }) == trial::Kind::rule));
    BOOST_TEST(f.storage.look().audit_rows(std::nullopt).size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_dose_names_the_planned_dose_it_matched_and_its_timing) {
    FakeEnv f;
    (void)trial::enroll(f.env, "nurse", f.catalog, p001);
    BOOST_TEST(trial::dose(f.env, "nurse", dose_at("2027-03-02T09:00")) ==
               "Recorded R1: aldesleukin or placebo as planned for patient P001 at 2027-03-02T09:00 (Europe/Paris); "
               "matched to IL2-D1 (D1 2027-03-02), on time.\n");
    // Nothing on 03-03: a dose on the 4th is that day's (D2 stays missed).
    BOOST_TEST(trial::dose(f.env, "nurse", dose_at("2027-03-04T09:00")) ==
               "Recorded R2: aldesleukin or placebo as planned for patient P001 at 2027-03-04T09:00 (Europe/Paris); "
               "matched to IL2-D3 (D3 2027-03-04), on time.\n");
    // A second dose that day goes to the missed D2, a day late.
    BOOST_TEST(trial::dose(f.env, "nurse", dose_at("2027-03-04T18:00")) ==
               "Recorded R3: aldesleukin or placebo as planned for patient P001 at 2027-03-04T18:00 (Europe/Paris); "
               "matched to IL2-D2 (D2 2027-03-03), late by 1 day(s).\n");
    auto s = f.storage.look();
    const auto r = s.record(1);
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->at_utc == "2027-03-02T08:00:00Z");  // Paris is UTC+1 in March
    BOOST_TEST((*r->date == date::sys_days{date::year{2027} / 3 / 2}));
    BOOST_TEST(r->recorded_at == "2027-03-10T12:00:00Z");
}

BOOST_AUTO_TEST_CASE(a_dose_more_than_a_day_ahead_of_the_clock_is_refused) {
    FakeEnv f;
    (void)trial::enroll(f.env, "nurse", f.catalog, p001);
    f.clock.set(date::sys_days{date::year{2027} / 3 / 2});  // midnight UTC, the 2nd
    BOOST_TEST((kind_of([&] { (void)trial::dose(f.env, "nurse", dose_at("2027-03-04T09:00")); }) == trial::Kind::rule));
    BOOST_TEST(!f.storage.look().record(1).has_value());
}

BOOST_AUTO_TEST_CASE(a_voided_dose_frees_its_planned_dose) {
    FakeEnv f;
    (void)trial::enroll(f.env, "nurse", f.catalog, p001);
    (void)trial::dose(f.env, "nurse", dose_at("2027-03-02T09:00"));
    BOOST_TEST(trial::void_record(f.env, "monitor", {"R1", "wrong patient"}) ==
               "Voided R1 of patient P001 (wrong patient); it stays in the audit trail and no report counts it.\n");
    auto s = f.storage.look();
    BOOST_TEST(s.record(1)->voided);
    BOOST_TEST(s.live_records("P001").doses.empty());
    BOOST_TEST((kind_of([&] { (void)trial::void_record(f.env, "monitor", {"R1", "again"}); }) == trial::Kind::rule));
    // IL2-D1 is open again: the next dose of the 2nd matches it.
    BOOST_TEST(trial::dose(f.env, "nurse", dose_at("2027-03-02T10:00")).find("matched to IL2-D1") != std::string::npos);
    const auto rows = s.audit_rows(std::string("P001"));
    BOOST_TEST_REQUIRE(rows.size() == 4u);
    BOOST_TEST(rows[2].entry.action == "void");
    BOOST_TEST(rows[2].entry.target == "R1");
    BOOST_TEST(rows[2].entry.by == "monitor");
    BOOST_TEST(!store::verify_audit(s).first_broken.has_value());
}

BOOST_AUTO_TEST_CASE(an_unknown_patient_is_bad_data) {
    FakeEnv f;
    (void)trial::enroll(f.env, "nurse", f.catalog, p001);
    trial::DoseInput in = dose_at("2027-03-02T09:00");
    in.patient = "P404";
    BOOST_TEST((kind_of([&] { (void)trial::dose(f.env, "nurse", in); }) == trial::Kind::bad_data));
}

BOOST_AUTO_TEST_SUITE_END()
