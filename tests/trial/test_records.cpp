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
    BOOST_TEST(f.enroll(p001) ==
               "Enrolled P001 in DF-IL2 version 1 at site PSL, day 0 2027-03-01 (arm blinded): 10 visits, 5 doses.\n");
    auto s = f.storage.look();
    const auto p = s.patient("P001");
    BOOST_TEST_REQUIRE(p.has_value());
    BOOST_TEST(p->site == "PSL");
    BOOST_TEST((p->day0 == date::sys_days{date::year{2027} / 3 / 1}));
    // A blinded arm is stored only sealed to the installed key.
    BOOST_TEST(!p->arm.has_value());
    BOOST_TEST_REQUIRE(p->sealed_arm.has_value());
    BOOST_TEST(p->sealed_arm->size() == 236u);  // every arm seals to one length
    BOOST_TEST(p->sealed_arm->find("IL2-2") == std::string::npos);
    BOOST_TEST(p->tz == "Europe/Paris");
    BOOST_TEST(s.plan(*p).events.size() == 15u);
    const auto rows = s.audit_rows(std::nullopt);
    BOOST_TEST_REQUIRE(rows.size() == 6u);  // the key's installation, three sites, the screening, the enrollment
    BOOST_TEST(rows[4].entry.action == "screen");
    BOOST_TEST(rows[4].rows == 2);  // protocol text, screening
    BOOST_TEST(rows[5].entry.action == "enroll");
    BOOST_TEST(rows[5].entry.by == "nurse");
    BOOST_TEST(rows[5].account == "os-login");
    BOOST_TEST(rows[5].entry.sealed == *p->sealed_arm);
    BOOST_TEST(rows[5].rows == 16);  // patient, 15 planned events (the text came with the screening)
    BOOST_TEST(rows[5].at == "2027-03-10T12:00:00Z");  // the fake clock's
}

BOOST_AUTO_TEST_CASE(enrolling_the_same_patient_twice_is_refused_by_the_rule) {
    FakeEnv f;
    (void)f.enroll(p001);
    BOOST_TEST((kind_of([&] { (void)f.enroll(p001); }) == trial::Kind::rule));
    BOOST_TEST(f.storage.look().audit_rows(std::nullopt).size() == 6u);
}

BOOST_AUTO_TEST_CASE(a_dose_names_the_planned_dose_it_matched_and_its_timing) {
    FakeEnv f;
    (void)f.enroll(p001);
    BOOST_TEST(trial::dose(f.env, "nurse", dose_at("2027-03-02T09:00")).summary ==
               "Recorded R1: aldesleukin or placebo as planned for patient P001 at 2027-03-02T09:00 (Europe/Paris); "
               "matched to IL2-D1 (D1 2027-03-02), on time.\n");
    // Nothing on 03-03: a dose on the 4th is that day's (D2 stays missed).
    BOOST_TEST(trial::dose(f.env, "nurse", dose_at("2027-03-04T09:00")).summary ==
               "Recorded R2: aldesleukin or placebo as planned for patient P001 at 2027-03-04T09:00 (Europe/Paris); "
               "matched to IL2-D3 (D3 2027-03-04), on time.\n");
    // A second dose that day is beyond the reach of D2 (late_limit 0): extra,
    // accepted with a warning naming the first one of that slot.
    const trial::Recorded third = trial::dose(f.env, "nurse", dose_at("2027-03-04T18:00"));
    BOOST_TEST(third.summary ==
               "Recorded R3: aldesleukin or placebo as planned for patient P001 at 2027-03-04T18:00 (Europe/Paris); "
               "extra: second dose on 03-04.\n");
    BOOST_TEST_REQUIRE(third.warnings.size() == 1u);
    BOOST_TEST(third.warnings[0] ==
               "R2 already gave IL2-D3 at 2027-03-04T09:00; if R3 was entered in error: trialcal void R3 --reason TEXT");
    auto s = f.storage.look();
    const auto r = s.record(1);
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->at_utc == "2027-03-02T08:00:00Z");  // Paris is UTC+1 in March
    BOOST_TEST((*r->date == date::sys_days{date::year{2027} / 3 / 2}));
    BOOST_TEST(r->recorded_at == "2027-03-10T12:00:00Z");
}

BOOST_AUTO_TEST_CASE(a_dose_after_the_current_minute_at_the_site_is_bad_data_and_changes_nothing) {
    FakeEnv f;
    (void)f.enroll(p001);
    // 2027-03-02 08:00:30 UTC: 09:00 in Paris, half a minute in.
    f.clock.set(date::sys_days{date::year{2027} / 3 / 2} + std::chrono::hours{8} + std::chrono::seconds{30});
    BOOST_TEST((kind_of([&] { (void)trial::dose(f.env, "nurse", dose_at("2027-03-02T09:01")); }) == trial::Kind::bad_data));
    BOOST_TEST((kind_of([&] { (void)trial::dose(f.env, "nurse", dose_at("2027-03-02T08:01Z")); }) == trial::Kind::bad_data));
    BOOST_TEST(!f.storage.look().record(1).has_value());
    BOOST_TEST(f.storage.look().audit_rows(std::nullopt).size() == 6u);
    // The current minute is not the future; "now" is that minute at the site.
    BOOST_TEST(trial::dose(f.env, "nurse", dose_at("2027-03-02T09:00")).summary.find("matched to IL2-D1") !=
               std::string::npos);
    (void)trial::void_record(f.env, "nurse", {"R1", "test"});
    BOOST_TEST(trial::dose(f.env, "nurse", dose_at("now")).summary.find("at 2027-03-02T09:00 (Europe/Paris)") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_same_product_at_the_same_local_minute_is_a_duplicate) {
    FakeEnv f;
    (void)f.enroll(p001);
    (void)trial::dose(f.env, "nurse", dose_at("2027-03-02T09:00"));
    const auto refusal = [&](const std::string& at) {
        try {
            (void)trial::dose(f.env, "nurse", dose_at(at));
        } catch (const trial::Error& e) {
            BOOST_TEST((e.kind() == trial::Kind::rule));
            return std::string(e.what());
        }
        BOOST_FAIL("no trial::Error was thrown");
        return std::string();
    };
    BOOST_TEST(refusal("2027-03-02T09:00").find("duplicate of record R1") != std::string::npos);
    // The same minute written in UTC, and with seconds in the instant.
    BOOST_TEST(refusal("2027-03-02T08:00Z").find("R1") != std::string::npos);
    BOOST_TEST(f.storage.look().live_records("P001").doses.size() == 1u);
    // The next minute is not a duplicate, only a second dose in the slot.
    const trial::Recorded next = trial::dose(f.env, "nurse", dose_at("2027-03-02T09:01"));
    BOOST_TEST(next.warnings.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_wall_time_the_clock_showed_twice_needs_its_offset) {
    FakeEnv f;
    f.clock.set(date::sys_days{date::year{2027} / 11 / 1});
    const trial::EnrollInput autumn{"P001", "DF-IL2", "PSL", "2027-10-28", "IL2-2", "", "", "", "Europe/Paris"};
    (void)f.enroll(autumn);
    std::string message;
    try {
        (void)trial::dose(f.env, "nurse", dose_at("2027-10-31T02:30"));
    } catch (const trial::Error& e) {
        BOOST_TEST((e.kind() == trial::Kind::bad_data));
        message = e.what();
    }
    BOOST_TEST(message.find("+02:00") != std::string::npos, message);
    BOOST_TEST(message.find("+01:00") != std::string::npos, message);
    BOOST_TEST(!f.storage.look().record(1).has_value());
    // With its offset it is one instant.
    (void)trial::dose(f.env, "nurse", dose_at("2027-10-31T02:30+01:00"));
    BOOST_TEST(f.storage.look().record(1)->at_utc == "2027-10-31T01:30:00Z");
    BOOST_TEST(f.storage.look().record(1)->at_local == "2027-10-31T02:30");
    // The hour skipped in spring does not exist at all.
    FakeEnv g;
    g.clock.set(date::sys_days{date::year{2027} / 4 / 1});
    const trial::EnrollInput spring{"P001", "DF-IL2", "PSL", "2027-03-25", "IL2-2", "", "", "", "Europe/Paris"};
    (void)g.enroll(spring);
    BOOST_TEST((kind_of([&] { (void)trial::dose(g.env, "nurse", dose_at("2027-03-28T02:30")); }) == trial::Kind::bad_data));
}

BOOST_AUTO_TEST_CASE(a_voided_dose_frees_its_planned_dose) {
    FakeEnv f;
    (void)f.enroll(p001);
    (void)trial::dose(f.env, "nurse", dose_at("2027-03-02T09:00"));
    BOOST_TEST(trial::void_record(f.env, "monitor", {"R1", "wrong patient"}) ==
               "Voided R1 of patient P001 (wrong patient); it stays in the audit trail and no report counts it.\n");
    auto s = f.storage.look();
    BOOST_TEST(s.record(1)->voided);
    BOOST_TEST(s.live_records("P001").doses.empty());
    BOOST_TEST((kind_of([&] { (void)trial::void_record(f.env, "monitor", {"R1", "again"}); }) == trial::Kind::rule));
    // IL2-D1 is open again: the next dose of the 2nd matches it.
    BOOST_TEST(trial::dose(f.env, "nurse", dose_at("2027-03-02T10:00")).summary.find("matched to IL2-D1") !=
               std::string::npos);
    const auto rows = s.audit_rows(std::string("P001"));
    BOOST_TEST_REQUIRE(rows.size() == 5u);  // screen, enroll, dose, void, dose
    BOOST_TEST(rows[3].entry.action == "void");
    BOOST_TEST(rows[3].entry.target == "R1");
    BOOST_TEST(rows[3].entry.by == "monitor");
    BOOST_TEST(s.verify_audit().intact());
}

BOOST_AUTO_TEST_CASE(an_unknown_patient_is_bad_data) {
    FakeEnv f;
    (void)f.enroll(p001);
    trial::DoseInput in = dose_at("2027-03-02T09:00");
    in.patient = "P404";
    BOOST_TEST((kind_of([&] { (void)trial::dose(f.env, "nurse", in); }) == trial::Kind::bad_data));
}

BOOST_AUTO_TEST_SUITE_END()
