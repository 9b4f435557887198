// The SDTM export's use case in-process (trial/sdtm_export.cpp): which
// screenings make a screen failure of DM and DS, read from the store after
// the study's subjects. The CLI has no command to write a screening here
// yet, so they are written to the store directly.
#include "tests/support/fake_env.hpp"
#include "trial/records.hpp"
#include "trial/sdtm_export.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace trialcal;
using namespace trialcal::test;

namespace {

date::sys_days ymd(int y, unsigned m, unsigned d) { return date::sys_days{date::year{y} / date::month{m} / date::day{d}}; }

// P001 enrolled in DF-IL2 at PSL on 2027-03-01 (arm sealed), and screenings.
struct Screened : FakeEnv {
    Screened() {
        (void)enroll({"P001", "DF-IL2", "PSL", "2027-03-01", "IL2-2", "", "", "", "Europe/Paris"});
    }
    // A screening of DF-IL2, as `screen` would store it with its audit row.
    void screen(const std::string& patient, const std::string& site, date::sys_days on, bool eligible,
                std::vector<std::pair<std::string, double>> values) {
        auto s = storage.open(store::Mode::update);
        const store::Patient p001 = *s->patient("P001");
        s->write([&] {
            s->insert_screening({0, patient, "DF-IL2", p001.version, p001.protocol_sha256, site, on, std::move(values),
                                 eligible, "2027-03-01T08:00:00Z", "nurse"});
            s->append_audit({"nurse", "screen", patient, "DF-IL2", "", eligible ? "eligible" : "not eligible", "", "", ""},
                            "2027-03-01T08:00:00Z");
        });
    }
    // DM and DS as of 2027-03-10, blinded; every study with a patient, or the one named.
    std::vector<std::string> export_dm_ds(const std::string& protocol = "") {
        trial::SdtmQuery q;
        q.protocol = protocol;
        q.domains = {"DM", "DS"};
        q.as_of = "2027-03-10";
        const trial::SdtmRequest r = trial::prepare_sdtm(q);
        std::vector<std::string> out(2);
        (void)trial::stream_sdtm(env, [] { return std::string("monitor"); }, [this] { return catalog; }, q, r,
                                 [&](std::size_t i, const std::string& bytes) { out[i] += bytes; });
        return out;
    }
};

const std::vector<std::pair<std::string, double>> eligible_values{{"age", 30}, {"t1d_duration", 6}, {"lymphocytes", 1500}};

}  // namespace

BOOST_AUTO_TEST_SUITE(sdtm_export)

// S009 failed (its last screening); S010 failed, then passed; P001 failed,
// then was enrolled; S011 failed after the as-of date. Only S009 is a
// screen failure, after the study's subjects, each failed criterion in DSTERM.
BOOST_FIXTURE_TEST_CASE(a_screen_failure_is_a_patient_never_enrolled_whose_last_screening_failed, Screened) {
    screen("S009", "LYO", ymd(2027, 2, 20), false, {{"age", 52}, {"t1d_duration", 6}, {"lymphocytes", 900}});
    screen("S010", "PSL", ymd(2027, 2, 10), false, {{"age", 30}, {"t1d_duration", 30}, {"lymphocytes", 1500}});
    screen("S010", "PSL", ymd(2027, 2, 20), true, eligible_values);
    screen("P001", "PSL", ymd(2027, 2, 15), false, {{"age", 30}, {"t1d_duration", 6}});
    screen("S011", "PSL", ymd(2027, 3, 12), false, {{"age", 17}, {"t1d_duration", 6}, {"lymphocytes", 1500}});
    const auto out = export_dm_ds();
    BOOST_TEST(out[0] ==
               "STUDYID,DOMAIN,USUBJID,SUBJID,RFSTDTC,RFENDTC,RFXSTDTC,RFXENDTC,RFICDTC,RFPENDTC,DTHDTC,DTHFL,SITEID,"
               "AGE,AGEU,SEX,RACE,ETHNIC,ARMCD,ARM,ACTARMCD,ACTARM,ARMNRS,COUNTRY\n"
               "DF-IL2,DM,DF-IL2-PSL-P001,P001,2027-03-01,,,,2027-03-01,2027-03-01,,,PSL,,,,,,,,,,BLINDED,\n"
               "DF-IL2,DM,DF-IL2-LYO-S009,S009,,,,,,2027-02-20,,,LYO,,,,,,,,,,SCREEN FAILURE,\n");
    BOOST_TEST(out[1] ==
               "STUDYID,DOMAIN,USUBJID,DSSEQ,DSTERM,DSDECOD,DSCAT,DSSCAT,EPOCH,DSSTDTC,DSSTDY\n"
               "DF-IL2,DS,DF-IL2-PSL-P001,1,INFORMED CONSENT OBTAINED,INFORMED CONSENT OBTAINED,PROTOCOL MILESTONE,,"
               "SCREENING,2027-03-01,1\n"
               "DF-IL2,DS,DF-IL2-LYO-S009,1,Not eligible at screening: age 52 years: must be at most 50; lymphocytes 900 /mm3: must be at least 1000,SCREEN FAILURE,DISPOSITION EVENT,STUDY PARTICIPATION,SCREENING,"
               "2027-02-20,\n");
}

// A voided enrollment is no enrollment: its failed screening is a screen
// failure. With no patient left, the study is exported when named only.
BOOST_FIXTURE_TEST_CASE(a_voided_enrollment_leaves_a_failed_screening_a_screen_failure, Screened) {
    screen("P001", "PSL", ymd(2027, 2, 15), false, {{"age", 30}, {"t1d_duration", 6}, {"lymphocytes", 800}});
    auto s = storage.open(store::Mode::update);
    s->write([&] {
        s->void_enrollment("P001", "entered in error", "2027-03-02T08:00:00Z", "nurse");
        s->append_audit({"nurse", "void-enrollment", "P001", "", "", "voided", "", "entered in error", ""},
                        "2027-03-02T08:00:00Z");
    });
    s.reset();
    BOOST_TEST(export_dm_ds()[0].find("DF-IL2") == std::string::npos);
    const auto out = export_dm_ds("DF-IL2");
    BOOST_TEST(out[0].find("DF-IL2,DM,DF-IL2-PSL-P001,P001,,,,,,2027-02-15,,,PSL,,,,,,,,,,SCREEN FAILURE,\n") !=
                   std::string::npos,
               out[0]);
}

BOOST_AUTO_TEST_SUITE_END()
