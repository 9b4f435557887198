// The reading use cases in-process: the filters every report shares
// (trial/patient_filter.hpp), the compliance report's unblinded marks and
// who it names, and the worklist's home doses.
#include "tests/support/fake_env.hpp"
#include "trial/compliance_report.hpp"
#include "trial/due_worklist.hpp"
#include "trial/error.hpp"
#include "trial/patient_filter.hpp"
#include "trial/records.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace trialcal;
using namespace trialcal::test;

namespace {

// P001 (DF-IL2 at PSL) and N1 (NCT05153070 version 1 at LYO; ciclosporin at home).
struct TwoSites : FakeEnv {
    TwoSites() {
        (void)enroll({"P001", "DF-IL2", "PSL", "2027-03-01", "IL2-2", "", "", "", "Europe/Paris"});
        (void)enroll({"N1", "NCT05153070@1", "LYO", "2027-03-01", "ILT-101", "", "", "60", "Europe/Paris"});
    }
    [[nodiscard]] trial::PatientSelection select(const trial::PatientFilter& filter) {
        auto s = storage.open(store::Mode::read);
        return trial::PatientSelection::resolve(*s, [this] { return catalog; }, filter);
    }
    // The message of the trial::Error of kind bad_data `f` throws.
    [[nodiscard]] static std::string bad_data(const std::function<void()>& f) {
        try {
            f();
        } catch (const trial::Error& e) {
            BOOST_TEST((e.kind() == trial::Kind::bad_data));
            return e.what();
        }
        BOOST_FAIL("no trial::Error was thrown");
        return {};
    }
    [[nodiscard]] std::string report(trial::ReportQuery q) {
        std::string out;
        trial::compliance_report(env, [] { return std::string("monitor"); }, [this] { return catalog; }, q,
                                 [&](const std::string& piece) { out += piece; });
        return out;
    }
    [[nodiscard]] std::string due(const trial::DueQuery& q) {
        std::string out;
        trial::due_worklist(env, [this] { return catalog; }, q, [&](const std::string& piece) { out += piece; });
        return out;
    }
};

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(reports)

BOOST_FIXTURE_TEST_CASE(a_filter_that_names_nothing_is_bad_data_naming_it, TwoSites) {
    BOOST_TEST(contains(bad_data([&] { (void)select({"P9", "", ""}); }), "'P9'"));
    BOOST_TEST(contains(bad_data([&] { (void)select({"", "NOPE", ""}); }), "'NOPE'"));
    BOOST_TEST(contains(bad_data([&] { (void)select({"", "", "XX-1"}); }), "'XX-1'"));
    BOOST_TEST(contains(bad_data([&] { (void)select({"", "", "DF-IL2@7"}); }), "'DF-IL2@7'"));
}

BOOST_FIXTURE_TEST_CASE(protocol_at_version_admits_that_version_only, TwoSites) {
    auto s = storage.look();
    const store::Patient n1 = *s.patient("N1");
    const store::Patient p001 = *s.patient("P001");
    BOOST_TEST(select({"", "", "NCT05153070@1"}).admits(n1));
    BOOST_TEST(!select({"", "", "NCT05153070@2"}).admits(n1));
    BOOST_TEST(select({"", "", "NCT05153070"}).admits(n1));  // every version
    BOOST_TEST(!select({"", "", "NCT05153070"}).admits(p001));
    BOOST_TEST(select({"", "", "NCT01353833"}).admits(p001));  // DF-IL2's registry number
    BOOST_TEST(select({"", "PSL", ""}).admits(p001));
    BOOST_TEST(!select({"", "PSL", ""}).admits(n1));
}

BOOST_FIXTURE_TEST_CASE(an_unknown_filter_writes_no_unblinding_to_the_trail, TwoSites) {
    trial::ReportQuery q;
    q.site = "NOPE";
    q.unblinded = true;
    q.reason = "DSMB";
    BOOST_TEST(contains(bad_data([&] { (void)report(q); }), "NOPE"));
    BOOST_TEST(storage.look().audit_rows(std::nullopt).size() == 8u);  // key, three sites, two screenings and enrollments only
}

BOOST_FIXTURE_TEST_CASE(an_unblinded_report_without_the_key_or_its_passphrase_writes_nothing, TwoSites) {
    trial::ReportQuery q;
    q.unblinded = true;
    q.reason = "DSMB";
    const auto refused = [&](trial::Kind kind, const std::string& names) {
        try {
            (void)report(q);
            BOOST_ERROR("no refusal");
        } catch (const trial::Error& e) {
            BOOST_TEST((e.kind() == kind), e.what());
            BOOST_TEST(contains(e.what(), names), e.what());
        }
        BOOST_TEST(storage.look().audit_rows(std::nullopt).size() == 8u);  // key, three sites, two screenings and enrollments: no unblinding
    };
    refused(trial::Kind::not_permitted, "--key FILE");  // no key at all
    q.key = trial::KeyFile{"unblinding.key", slurp(TestKeys::get().unblinding)};
    refused(trial::Kind::not_permitted, "unblinding.key");  // no passphrase
    keys.pass = "not the passphrase at all";
    refused(trial::Kind::not_permitted, "passphrase");
    keys.pass = test_passphrase;
    q.key = trial::KeyFile{"signing.key", slurp(TestKeys::get().signing)};
    refused(trial::Kind::not_permitted, "signing");
    q.key = trial::KeyFile{"cut.key", slurp(TestKeys::get().unblinding).substr(0, 120)};
    refused(trial::Kind::bad_data, "cut.key");
}

BOOST_FIXTURE_TEST_CASE(unblinded_report_says_so_in_every_format, TwoSites) {
    trial::ReportQuery q;
    q.as_of = "2027-03-10";
    for (const bool unblinded : {false, true}) {
        q.unblinded = unblinded;
        q.reason = unblinded ? "DSMB" : "";
        if (unblinded) {
            q.key = trial::KeyFile{"unblinding.key", slurp(TestKeys::get().unblinding)};
            keys.pass = test_passphrase;
        }
        q.format = "json";
        const std::string json = report(q);
        // The first key, true or false.
        BOOST_TEST(json.find(unblinded ? "\"unblinded\": true" : "\"unblinded\": false") < json.find("\"as_of\""), json);
        q.format = "csv";
        const std::string csv = report(q);
        BOOST_TEST(csv.substr(0, csv.find('\n')).ends_with(",audit_head,unblinded"), csv);
        BOOST_TEST(contains(csv, unblinded ? ",true\n" : ",false\n"), csv);
        BOOST_TEST(!contains(csv, unblinded ? ",false\n" : ",true\n"), csv);
        q.format = "table";
        const std::string table = report(q);
        BOOST_TEST((table.rfind("UNBLINDED", 0) == 0u) == unblinded, table);
        q.format = "html";
        const std::string html = report(q);
        BOOST_TEST(contains(html, "class=\"unblinded-banner\"") == unblinded);
        BOOST_TEST(contains(html, "@top-center") == unblinded);
    }
}

BOOST_FIXTURE_TEST_CASE(a_report_names_the_user_else_the_os_account, TwoSites) {
    trial::ReportQuery q;
    q.format = "html";
    BOOST_TEST(contains(report(q), "<dt>Printed by</dt><dd>os-account</dd>"));  // $TRIALCAL_USER
    q.printed_by = "dr.martin";
    BOOST_TEST(contains(report(q), "<dt>Printed by</dt><dd>dr.martin</dd>"));  // --by
    q.printed_by.clear();
    os_user.user.reset();
    const std::string html = report(q);
    BOOST_TEST(contains(html, "<dt>Printed by</dt><dd>os-login</dd>"));
    BOOST_TEST(!contains(html, "unknown"));
}

// N1's ciclosporin D5 (2027-03-06) is taken at home; no visit that day.
BOOST_FIXTURE_TEST_CASE(the_worklist_leaves_home_doses_out_unless_asked, TwoSites) {
    trial::DueQuery q;
    q.patient = "N1";
    q.from = "2027-03-06";
    q.format = "csv";
    BOOST_TEST(!contains(due(q), "CSA-D5"));
    q.home = true;
    BOOST_TEST(contains(due(q), ",CSA-D5,dose,5,2027-03-06,"));
}

// The store keeps a plan's dates only: the report must take the intake times
// and limits from the protocol, or worked example 4 and every late dose
// within reach come out wrong.
BOOST_AUTO_TEST_CASE(reports_judge_stored_plans_with_the_protocols_slots_and_reach) {
    FakeEnv f;
    f.clock.set(date::sys_days{date::year{2027} / 4 / 10} + std::chrono::hours{12});
    (void)f.enroll({"N2", "NCT05153070@2", "PSL", "2027-03-01", "ILT-101", "", "", "60", "Europe/Paris"});
    (void)f.enroll({"Q1", "TRANSREG", "LYON", "2027-03-01", "", "", "RA", "", "Europe/Paris"});
    // Worked example 4: D33 (2027-04-03), morning capsules at 15:00 (slot PM), evening ones at 20:05.
    (void)trial::dose(f.env, "nurse", {"N2", "2027-04-03T15:00", "ciclosporin", "", "", "", ""});
    (void)trial::dose(f.env, "nurse", {"N2", "2027-04-03T20:05", "ciclosporin", "", "", "", ""});
    // TRANSREG RA maintenance D15: window 03-14..03-18, late_limit 3: 03-19 is late, within reach.
    (void)trial::dose(f.env, "nurse", {"Q1", "2027-03-19T10:00", "", "", "", "", ""});
    trial::ReportQuery q;
    q.format = "csv";
    std::string csv;
    const auto emit = [&](const std::string& piece) { csv += piece; };
    q.patient = "N2";
    q.as_of = "2027-04-03";
    trial::compliance_report(f.env, [] { return std::string("m"); }, [&] { return f.catalog; }, q, emit);
    // planned,expected,given,on_time,early,late,missed,...: D1-D32 missed (64), D33 AM late, PM on time.
    BOOST_TEST(contains(csv, ",N2,NCT05153070,2,PSL,on_treatment,ciclosporin,120,66,2,1,0,1,64,0,0,0,0,0,3.0,1.5,"), csv);
    csv.clear();
    q.patient = "Q1";
    q.as_of = "2027-03-25";
    trial::compliance_report(f.env, [] { return std::string("m"); }, [&] { return f.catalog; }, q, emit);
    // Induction D1-D5 missed; D15 late; D29's reach (from 03-25) has begun: due, not expected.
    BOOST_TEST(contains(csv, ",Q1,TRANSREG,1,LYON,on_treatment,aldesleukin (Proleukin),18,6,1,0,0,1,5,0,0,0,0,0,16.7,0.0,"), csv);
}

BOOST_AUTO_TEST_SUITE_END()
