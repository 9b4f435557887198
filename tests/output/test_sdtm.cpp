// CDISC SDTM datasets: study days (no day 0), headers, the trial design the
// seed protocols give, EX's blinding, DM, DS and SE from a subject's course,
// and unscheduled visits in SV, on calendars expanded in memory.
#include "core/course.hpp"
#include "core/protocol_parser.hpp"
#include "output/sdtm.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

using namespace trialcal;
namespace sd = trialcal::sdtm;
using sd::Domain;

namespace {

date::sys_days ymd(int y, unsigned m, unsigned d) { return date::sys_days{date::year{y} / date::month{m} / date::day{d}}; }

Protocol seed(const std::string& file) {
    std::ifstream in(std::string(TRIALCAL_SOURCE_DIR) + "/calendars/" + file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    auto parsed = parse_protocol(text.str());
    BOOST_TEST_REQUIRE(parsed.protocol.has_value(), file);
    return *parsed.protocol;
}

// One subject with a plan expanded from `p` and the records given.
sd::Subject subject(const Protocol& p, const std::string& patient, std::optional<std::string> arm,
                      date::sys_days day0, std::optional<double> weight = std::nullopt) {
    sd::Subject s;
    s.site = "PSL";
    s.patient = patient;
    s.protocol = &p;
    auto plan = expand(p, {day0, std::move(arm), std::nullopt, weight});
    BOOST_TEST_REQUIRE(plan.has_value());
    s.plan = *plan;
    s.as_of = ymd(2027, 12, 31);
    return s;
}

// An administration at 09:00 UTC of `day`, `amount` in `unit` (none: as planned).
void give(sd::Subject& s, std::int64_t record, const std::string& product, date::sys_days day,
          std::optional<double> amount = std::nullopt, const std::string& unit = "") {
    const auto at = std::chrono::duration_cast<std::chrono::seconds>(day.time_since_epoch()).count() + 9 * 3600;
    const auto wall = date::local_days{day.time_since_epoch()} + std::chrono::hours{9};
    s.records.doses.push_back({record, product, day, at, std::nullopt, amount, wall});
    const date::year_month_day d{day};
    char local[32];
    std::snprintf(local, sizeof local, "%04d-%02u-%02uT09:00", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()));
    s.administered.push_back({record, local, unit, ""});
}

// Visits V-D<n> done on their planned day, for each n given.
void visits(sd::Subject& s, std::initializer_list<int> days, std::int64_t first_record) {
    for (const int n : days)
        s.records.visits.push_back({first_record++, "V-D" + std::to_string(n), s.plan.day0 + date::days{n}});
}

// A discontinuation or withdrawal, followed on the plan as trialcal does.
void status(sd::Subject& s, std::int64_t record, StatusChange change, date::sys_days on, const std::string& reason,
            bool lost = false) {
    s.records.status.push_back({record, change, on, reason, lost});
    follow_course(*s.protocol, s.plan, s.records);
}

// The data rows of a dataset, header dropped.
std::string rows(const sd::Dataset& d) { return d.csv.substr(d.csv.find('\n') + 1); }

std::vector<std::string> codes(const sd::TrialDesign& d, const sd::DesignArm& arm) {
    std::vector<std::string> out;
    for (const auto& s : arm.steps) out.push_back(d.elements[s.element].etcd);
    return out;
}

const sd::DesignArm& arm(const sd::TrialDesign& d, const std::string& armcd) {
    for (const auto& a : d.arms)
        if (a.armcd == armcd) return a;
    BOOST_FAIL("no arm " << armcd);
    return d.arms.front();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sdtm)

// SDTM day 1 is the reference start date, the protocol's D0; there is no day 0.
BOOST_AUTO_TEST_CASE(study_day_around_day_0) {
    const date::sys_days d0 = ymd(2027, 3, 1);
    BOOST_TEST(sd::study_day(d0, d0) == 1);                      // D0
    BOOST_TEST(sd::study_day(d0 + date::days{1}, d0) == 2);      // D1
    BOOST_TEST(sd::study_day(ymd(2027, 2, 28), d0) == -1);       // the day before
    BOOST_TEST(sd::study_day(ymd(2027, 2, 27), d0) == -2);
    BOOST_TEST(sd::study_day(ymd(2027, 3, 31), d0) == 31);
    // Across 29 February and a year end.
    BOOST_TEST(sd::study_day(ymd(2028, 3, 1), ymd(2028, 2, 28)) == 3);
    BOOST_TEST(sd::study_day(ymd(2028, 2, 29), ymd(2028, 3, 1)) == -1);
    BOOST_TEST(sd::study_day(ymd(2028, 1, 1), ymd(2027, 12, 31)) == 2);
    BOOST_TEST(sd::study_day(ymd(2027, 12, 30), ymd(2027, 12, 31)) == -1);
    // VISITDY of protocol Dn.
    static_assert(sd::planned_study_day(StudyDay{0}) == 1);
    static_assert(sd::planned_study_day(StudyDay{1}) == 2);
    static_assert(sd::planned_study_day(StudyDay{-1}) == -1);
    BOOST_TEST(sd::planned_study_day(StudyDay{60}) == 61);
    BOOST_TEST(sd::planned_study_day(StudyDay{-14}) == -14);
    // Both agree for every day, and none is day 0.
    for (int n = -400; n <= 800; ++n) {
        const int day = sd::study_day(StudyDay{n}.on(ymd(2028, 2, 29)), ymd(2028, 2, 29));
        BOOST_TEST_REQUIRE(day == sd::planned_study_day(StudyDay{n}), n);
        BOOST_TEST_REQUIRE(day != 0);
    }
}

BOOST_AUTO_TEST_CASE(headers_are_the_cdisc_variables) {
    const std::pair<Domain, const char*> expected[] = {
        {Domain::TV, "STUDYID,DOMAIN,VISITNUM,VISIT,VISITDY,ARMCD,ARM,TVSTRL,TVENRL\n"},
        {Domain::TA, "STUDYID,DOMAIN,ARMCD,ARM,TAETORD,ETCD,ELEMENT,TABRANCH,TATRANS,EPOCH\n"},
        {Domain::TE, "STUDYID,DOMAIN,ETCD,ELEMENT,TESTRL,TEENRL,TEDUR\n"},
        {Domain::SV, "STUDYID,DOMAIN,USUBJID,VISITNUM,VISIT,VISITDY,SVSTDTC,SVENDTC,SVSTDY,SVENDY,SVPRESP,SVOCCUR,"
                     "SVREASOC,SVUPDES\n"},
        {Domain::EX, "STUDYID,DOMAIN,USUBJID,EXSEQ,EXSPID,EXTRT,EXDOSE,EXDOSU,EXDOSFRM,EXROUTE,EXLOT,EXSTDTC,EXENDTC,"
                     "EXSTDY,EXENDY,VISITNUM,VISIT\n"},
        {Domain::DV, "STUDYID,DOMAIN,USUBJID,DVSEQ,DVSPID,DVTERM,DVDECOD,DVCAT,DVSTDTC,DVSTDY\n"},
        {Domain::DM, "STUDYID,DOMAIN,USUBJID,SUBJID,RFSTDTC,RFENDTC,RFXSTDTC,RFXENDTC,RFICDTC,RFPENDTC,DTHDTC,DTHFL,"
                     "SITEID,AGE,AGEU,SEX,RACE,ETHNIC,ARMCD,ARM,ACTARMCD,ACTARM,ARMNRS,COUNTRY\n"},
        {Domain::DS, "STUDYID,DOMAIN,USUBJID,DSSEQ,DSTERM,DSDECOD,DSCAT,DSSCAT,EPOCH,DSSTDTC,DSSTDY\n"},
        {Domain::SE, "STUDYID,DOMAIN,USUBJID,SESEQ,ETCD,ELEMENT,TAETORD,EPOCH,SESTDTC,SEENDTC,SESTDY,SEENDY\n"},
    };
    for (const auto& [d, header] : expected) {
        const auto data = sd::dataset(d, {});
        BOOST_TEST(data.csv == header);
        BOOST_TEST(data.rows == 0u);
    }
}

BOOST_AUTO_TEST_CASE(domain_names_files_and_terms) {
    BOOST_TEST((sd::parse_domain("tv") == Domain::TV));
    BOOST_TEST((sd::parse_domain("Ex") == Domain::EX));
    BOOST_TEST((sd::parse_domain("DV") == Domain::DV));
    BOOST_TEST((sd::parse_domain("dm") == Domain::DM));
    BOOST_TEST((sd::parse_domain("Ds") == Domain::DS));
    BOOST_TEST((sd::parse_domain("SE") == Domain::SE));
    for (const char* bad : {"", "T", "TVX", "AE", "DMX", "xx"}) BOOST_TEST(!sd::parse_domain(bad).has_value(), bad);
    BOOST_TEST(sd::file_name(Domain::DS) == "ds.csv");
    BOOST_TEST(sd::file_name(Domain::EX) == "ex.csv");
    BOOST_TEST(sd::code(Domain::TA) == "TA");
    BOOST_TEST(sd::usubjid("DF-IL2", "PSL", "P001") == "DF-IL2-PSL-P001");
    BOOST_TEST(sd::route_term("SC") == "SUBCUTANEOUS");
    BOOST_TEST(sd::route_term("oral") == "ORAL");
    BOOST_TEST(sd::route_term("nasal") == "NASAL");
    BOOST_TEST(sd::unit_term("ml") == "mL");
    BOOST_TEST(sd::unit_term("MIU") == "MIU");
}

// DF-IL2: screening (D0), one treatment element per arm (D1-D5), follow-up (D6-D60).
BOOST_AUTO_TEST_CASE(df_il2_elements_one_treatment_per_arm) {
    const auto d = sd::trial_design(seed("df-il2.toml"));
    std::vector<std::string> te;
    for (const auto& e : d.elements) te.push_back(e.etcd + " " + e.name + " " + std::to_string(e.days()));
    const std::vector<std::string> expected{"SCRN Screening 1",
                                            "TRTA aldesleukin 0.33 MIU SC once a day 5",
                                            "TRTB aldesleukin 1 MIU SC once a day 5",
                                            "TRTC aldesleukin 3 MIU SC once a day 5",
                                            "TRTD placebo SC once a day 5",
                                            "FU Follow-up 55"};
    BOOST_TEST(te == expected, boost::test_tools::per_element());
    BOOST_TEST(d.arms.size() == 4u);
    BOOST_TEST((codes(d, arm(d, "IL2-4")) == std::vector<std::string>{"SCRN", "TRTD", "FU"}));
    BOOST_TEST(arm(d, "IL2-4").steps[0].branch == "Assigned to arm placebo");
    BOOST_TEST(arm(d, "IL2-4").steps[1].epoch == "TREATMENT");
}

// TRANSREG: cohorts are the arms; SLE's weekly maintenance starts at D8, so
// its induction element ends a week earlier and is an element of its own.
BOOST_AUTO_TEST_CASE(transreg_cohorts_walk_their_own_maintenance) {
    const auto d = sd::trial_design(seed("transreg.toml"));
    BOOST_TEST(d.arms.size() == 14u);
    BOOST_TEST((codes(d, arm(d, "RA")) == std::vector<std::string>{"SCRN", "TRT1A", "TRT2A", "FU"}));
    BOOST_TEST((codes(d, arm(d, "SLE")) == std::vector<std::string>{"SCRN", "TRT1B", "TRT2B", "FU"}));
    BOOST_TEST(arm(d, "SLE").arm == "systemic lupus erythematosus");
    BOOST_TEST(arm(d, "SLE").steps[0].branch == "Assigned to cohort systemic lupus erythematosus");
    BOOST_TEST(arm(d, "SLE").steps[2].epoch == "TREATMENT 2");
    const auto& sle = d.elements[arm(d, "SLE").steps[2].element];
    BOOST_TEST(sle.name == "aldesleukin (Proleukin) 1 MIU SC once a week");
    BOOST_TEST(sle.start.count() == 8);
    BOOST_TEST(sle.end.count() == 183);
    const auto& induction = d.elements[arm(d, "RA").steps[1].element];
    BOOST_TEST(induction.end.count() == 14);
    BOOST_TEST(d.elements.back().etcd == "FU");
    BOOST_TEST(d.elements.back().start.count() == 184);
    BOOST_TEST(d.elements.back().days() == 357);  // D184-D540
}

// MS-IL2's last visit is its last dose (D183): no follow-up element.
BOOST_AUTO_TEST_CASE(no_follow_up_without_a_visit_after_the_last_dose) {
    const auto d = sd::trial_design(seed("ms-il2.toml"));
    BOOST_TEST((codes(d, arm(d, "placebo")) == std::vector<std::string>{"SCRN", "TRT1B", "TRT2B"}));
    BOOST_TEST(d.elements.back().teenrl == "End of protocol D183, the day of the last dose");
}

// Blinded, EX shows the label and the handled volume; unblinded, the real
// drug and amount (placebo's volume). Nothing else changes.
BOOST_AUTO_TEST_CASE(ex_blinded_shows_label_and_volume_only) {
    const Protocol nct = seed("nct05153070-v2.toml");
    const date::sys_days d0 = ymd(2027, 1, 1);
    sd::Subject active = subject(nct, "P1", "ILT-101", d0, 60), placebo = subject(nct, "P2", "placebo", d0, 60);
    for (auto* s : {&active, &placebo}) give(*s, 1, "ILT101", d0 + date::days{63}, 1, "ml");
    sd::Study study{nct, {active, placebo}};
    const std::string blinded = rows(sd::dataset(Domain::EX, {study}));
    BOOST_TEST(blinded ==
               "NCT05153070,EX,NCT05153070-PSL-P1,1,ILT101-D63,ILT-101 or placebo,1,mL,INJECTION,SUBCUTANEOUS,,"
               "2027-03-05T09:00,2027-03-05T09:00,64,64,2,\"D63, post-ciclosporin\"\n"
               "NCT05153070,EX,NCT05153070-PSL-P2,1,ILT101-D63,ILT-101 or placebo,1,mL,INJECTION,SUBCUTANEOUS,,"
               "2027-03-05T09:00,2027-03-05T09:00,64,64,2,\"D63, post-ciclosporin\"\n");
    const std::string unblinded = rows(sd::dataset(Domain::EX, {study}, {true}));
    BOOST_TEST(unblinded ==
               "NCT05153070,EX,NCT05153070-PSL-P1,1,ILT101-D63,ILT-101,1,MIU,INJECTION,SUBCUTANEOUS,,"
               "2027-03-05T09:00,2027-03-05T09:00,64,64,2,\"D63, post-ciclosporin\"\n"
               "NCT05153070,EX,NCT05153070-PSL-P2,1,ILT101-D63,placebo,1,mL,INJECTION,SUBCUTANEOUS,,"
               "2027-03-05T09:00,2027-03-05T09:00,64,64,2,\"D63, post-ciclosporin\"\n");
    // The other datasets do not depend on unblinding.
    for (Domain d : {Domain::SV, Domain::DV, Domain::TA})
        BOOST_TEST(sd::dataset(d, {study}).csv == sd::dataset(d, {study}, {true}).csv);
}

// DF-IL2 gives no injection volume: blinded EX has no amount at all, and an
// amount recorded in MIU is not shown to the blinded.
BOOST_AUTO_TEST_CASE(ex_blinded_hides_an_amount_recorded_in_the_real_unit) {
    const Protocol df = seed("df-il2.toml");
    sd::Subject s = subject(df, "P001", "IL2-3", ymd(2027, 3, 1));
    give(s, 1, "IL2", ymd(2027, 3, 2), 3, "MIU");
    give(s, 2, "IL2", ymd(2027, 3, 3));
    const sd::Study study{df, {s}};
    const std::string blinded = rows(sd::dataset(Domain::EX, {study}));
    BOOST_TEST(blinded.find("MIU") == std::string::npos, blinded);
    BOOST_TEST(blinded.find("aldesleukin or placebo,,,INJECTION") != std::string::npos, blinded);
    const std::string unblinded = rows(sd::dataset(Domain::EX, {study}, {true}));
    BOOST_TEST(unblinded ==
               "DF-IL2,EX,DF-IL2-PSL-P001,1,IL2-D1,aldesleukin,3,MIU,INJECTION,SUBCUTANEOUS,,2027-03-02T09:00,"
               "2027-03-02T09:00,2,2,2,D1\n"
               "DF-IL2,EX,DF-IL2-PSL-P001,2,IL2-D2,aldesleukin,3,MIU,INJECTION,SUBCUTANEOUS,,2027-03-03T09:00,"
               "2027-03-03T09:00,3,3,3,D2\n");
}

// A dose with no planned dose left is in EX without EXSPID nor visit, and
// is a deviation of its own; records after the as-of date do not exist yet.
BOOST_AUTO_TEST_CASE(unscheduled_dose_and_as_of) {
    const Protocol df = seed("df-il2.toml");
    sd::Subject s = subject(df, "P001", "IL2-2", ymd(2027, 3, 1));
    for (int i = 1; i <= 6; ++i) give(s, i, "IL2", ymd(2027, 3, 1) + date::days{i});
    for (int i = 0; i <= 6; ++i)
        s.records.visits.push_back({100 + i, "V-D" + std::to_string(i), ymd(2027, 3, 1) + date::days{i}});
    s.as_of = ymd(2027, 3, 7);
    const sd::Study study{df, {s}};
    const auto ex = sd::dataset(Domain::EX, {study});
    BOOST_TEST(ex.rows == 6u);
    BOOST_TEST(rows(ex).find("DF-IL2,EX,DF-IL2-PSL-P001,6,,aldesleukin or placebo,,,INJECTION,SUBCUTANEOUS,,"
                             "2027-03-07T09:00,2027-03-07T09:00,7,7,,\n") != std::string::npos,
               ex.csv);
    BOOST_TEST(rows(sd::dataset(Domain::DV, {study})) ==
               "DF-IL2,DV,DF-IL2-PSL-P001,1,R6,\"Dose of aldesleukin or placebo given 2027-03-07 (record R6) matched "
               "to no planned dose: 1 day after IL2-D5's window, beyond reach\",UNSCHEDULED DOSE,STUDY TREATMENT,"
               "2027-03-07,7\n");
    sd::Study earlier = study;
    earlier.subjects[0].as_of = ymd(2027, 3, 3);
    BOOST_TEST(sd::dataset(Domain::EX, {earlier}).rows == 2u);
    BOOST_TEST(sd::dataset(Domain::SV, {earlier}).rows == 3u);  // V-D0..V-D2 done; V-D3 is due
    BOOST_TEST(sd::dataset(Domain::DV, {earlier}).rows == 0u);
}


// An export streams: the header once, each study's design rows or each
// subject's rows as they come, with nothing kept between takes. The pieces
// together are byte for byte the dataset written whole, for two studies.
BOOST_AUTO_TEST_CASE(a_dataset_written_subject_by_subject_is_the_dataset_written_whole) {
    const Protocol df = seed("df-il2.toml"), nct = seed("nct05153070-v2.toml");
    sd::Subject a = subject(df, "P001", "IL2-2", ymd(2027, 3, 1)), b = subject(df, "P002", "IL2-4", ymd(2027, 3, 8));
    sd::Subject c = subject(nct, "P101", "placebo", ymd(2027, 1, 1), 60);
    give(a, 1, "IL2", ymd(2027, 3, 2));
    give(a, 2, "IL2", ymd(2027, 3, 20));  // far too late: a deviation
    give(b, 3, "IL2", ymd(2027, 3, 9), 1.5, "MIU");
    give(c, 4, "ILT101", ymd(2027, 3, 5), 1, "ml");
    const std::vector<sd::Study> studies{{df, {a, b}}, {nct, {c}}};
    for (Domain d : sd::all_domains) {
        sd::DatasetWriter w(d);
        std::vector<std::string> pieces;
        for (const auto& st : studies) {
            w.study(st.design);
            pieces.push_back(w.take());
            for (const auto& s : st.subjects) {
                w.subject(s);
                pieces.push_back(w.take());
            }
        }
        std::string joined;
        for (const auto& p : pieces) joined += p;
        const sd::Dataset whole = sd::dataset(d, studies);
        BOOST_TEST(joined == whole.csv, sd::code(d));
        BOOST_TEST(w.rows() == whole.rows, sd::code(d));
        BOOST_TEST(pieces.front().rfind(sd::variables(d).front() + ",", 0) == 0u, sd::code(d));  // the header first
        BOOST_TEST(w.take().empty());
    }
    // Subject domains write a row per subject's event here, design domains none.
    BOOST_TEST(sd::dataset(Domain::EX, studies).rows == 4u);
    BOOST_TEST(sd::dataset(Domain::TV, studies).rows == sd::dataset(Domain::TV, {studies[0]}).rows +
                                                            sd::dataset(Domain::TV, {studies[1]}).rows);
}

// --- DM, DS, SE and unscheduled visits --------------------------------------------------

namespace {

// DF-IL2 (day 0 2027-03-01: doses D1-D5 03-02..03-06, visits D0-D6, D15,
// D22, D60 04-30, early termination from a withdrawal). Four subjects, as
// of 2027-12-31 unless said:
//   P001 IL2-2 completed: every dose and visit on its day.
//   P002 IL2-4 treatment discontinued 03-03 after two doses, visits go on
//        to D15, withdrawn 03-20, lost to follow-up.
//   P003 IL2-1 withdrawn 03-03 after one dose, in treatment.
//   P004 IL2-3 as of 03-01: the inclusion visit done, no dose yet.
// and a screen failure, S009.
sd::Study df_il2_study(const Protocol& df) {
    const date::sys_days d0 = ymd(2027, 3, 1);
    sd::Subject p1 = subject(df, "P001", "IL2-2", d0);
    p1.country = "FR";
    for (int i = 1; i <= 5; ++i) give(p1, i, "IL2", d0 + date::days{i});
    visits(p1, {0, 1, 2, 3, 4, 5, 6, 15, 22, 60}, 100);

    sd::Subject p2 = subject(df, "P002", "IL2-4", d0);
    p2.country = "FR";
    give(p2, 11, "IL2", ymd(2027, 3, 2));
    give(p2, 12, "IL2", ymd(2027, 3, 3));
    visits(p2, {0, 1, 2, 3, 4, 5, 6, 15}, 200);
    status(p2, 290, StatusChange::discontinued, ymd(2027, 3, 3), "injection-site reaction");
    status(p2, 291, StatusChange::withdrawn, ymd(2027, 3, 20), "no answer since D15", true);

    sd::Subject p3 = subject(df, "P003", "IL2-1", d0);
    give(p3, 21, "IL2", ymd(2027, 3, 2));
    visits(p3, {0}, 300);
    status(p3, 390, StatusChange::withdrawn, ymd(2027, 3, 3), "moved abroad");

    sd::Subject p4 = subject(df, "P004", "IL2-3", d0);
    p4.country = "XX";  // names no country
    visits(p4, {0}, 400);
    p4.as_of = d0;

    sd::ScreenFailure s9{"PSL", "S009", "FR", ymd(2027, 2, 20), {"lymphocytes 900 /mm3: must be at least 1000"}};
    return {df, {p1, p2, p3, p4}, {s9}};
}

}  // namespace

// Blinded, no arm variable tells the arm; ARMNRS says why they are null.
// RFSTDTC is day 0, from which every study day counts; RFXSTDTC/RFXENDTC
// the first and last administration as EX writes them; RFENDTC the end of
// participation (withdrawn or completed), RFPENDTC the last contact until then.
BOOST_AUTO_TEST_CASE(dm_one_row_per_subject_and_screen_failure) {
    const Protocol df = seed("df-il2.toml");
    const sd::Study study = df_il2_study(df);
    const std::string blinded = rows(sd::dataset(Domain::DM, {study}));
    BOOST_TEST(blinded ==
               "DF-IL2,DM,DF-IL2-PSL-P001,P001,2027-03-01,2027-04-30,2027-03-02T09:00,2027-03-06T09:00,2027-03-01,"
               "2027-04-30,,,PSL,,,,,,,,,,BLINDED,FRA\n"
               "DF-IL2,DM,DF-IL2-PSL-P002,P002,2027-03-01,2027-03-20,2027-03-02T09:00,2027-03-03T09:00,2027-03-01,"
               "2027-03-20,,,PSL,,,,,,,,,,BLINDED,FRA\n"
               "DF-IL2,DM,DF-IL2-PSL-P003,P003,2027-03-01,2027-03-03,2027-03-02T09:00,2027-03-02T09:00,2027-03-01,"
               "2027-03-03,,,PSL,,,,,,,,,,BLINDED,\n"
               "DF-IL2,DM,DF-IL2-PSL-P004,P004,2027-03-01,,,,2027-03-01,2027-03-01,,,PSL,,,,,,,,,,BLINDED,\n"
               "DF-IL2,DM,DF-IL2-PSL-S009,S009,,,,,,2027-02-20,,,PSL,,,,,,,,,,SCREEN FAILURE,FRA\n");
    for (const std::string arm : {",IL2-", "MIU", "placebo"}) BOOST_TEST(blinded.find(arm) == std::string::npos, arm);
    BOOST_TEST(rows(sd::dataset(Domain::DM, {study}, {true})) ==
               "DF-IL2,DM,DF-IL2-PSL-P001,P001,2027-03-01,2027-04-30,2027-03-02T09:00,2027-03-06T09:00,2027-03-01,"
               "2027-04-30,,,PSL,,,,,,IL2-2,aldesleukin 1 MIU,IL2-2,aldesleukin 1 MIU,,FRA\n"
               "DF-IL2,DM,DF-IL2-PSL-P002,P002,2027-03-01,2027-03-20,2027-03-02T09:00,2027-03-03T09:00,2027-03-01,"
               "2027-03-20,,,PSL,,,,,,IL2-4,placebo,IL2-4,placebo,,FRA\n"
               "DF-IL2,DM,DF-IL2-PSL-P003,P003,2027-03-01,2027-03-03,2027-03-02T09:00,2027-03-02T09:00,2027-03-01,"
               "2027-03-03,,,PSL,,,,,,IL2-1,aldesleukin 0.33 MIU,IL2-1,aldesleukin 0.33 MIU,,\n"
               "DF-IL2,DM,DF-IL2-PSL-P004,P004,2027-03-01,,,,2027-03-01,2027-03-01,,,PSL,,,,,,IL2-3,aldesleukin 3 MIU,,,"
               "\"ASSIGNED, NOT TREATED\",\n"
               "DF-IL2,DM,DF-IL2-PSL-S009,S009,,,,,,2027-02-20,,,PSL,,,,,,,,,,SCREEN FAILURE,FRA\n");
}

// Completed on a last visit missed (D60, planned 04-30; last seen at D22,
// 03-23): participation ends with the completion, on the missed visit's
// planned date, in DM, DS and SE alike.
BOOST_AUTO_TEST_CASE(completed_on_a_missed_last_visit_ends_on_its_planned_date) {
    const Protocol df = seed("df-il2.toml");
    const date::sys_days d0 = ymd(2027, 3, 1);
    sd::Subject s = subject(df, "P005", "IL2-2", d0);
    for (int i = 1; i <= 5; ++i) give(s, i, "IL2", d0 + date::days{i});
    visits(s, {0, 1, 2, 3, 4, 5, 6, 15, 22}, 100);
    const sd::Study study{df, {s}};
    BOOST_TEST(rows(sd::dataset(Domain::DM, {study})) ==
               "DF-IL2,DM,DF-IL2-PSL-P005,P005,2027-03-01,2027-04-30,2027-03-02T09:00,2027-03-06T09:00,2027-03-01,"
               "2027-04-30,,,PSL,,,,,,,,,,BLINDED,\n");
    BOOST_TEST(rows(sd::dataset(Domain::DS, {study})).find(
                   "DF-IL2,DS,DF-IL2-PSL-P005,2,COMPLETED,COMPLETED,DISPOSITION EVENT,STUDY PARTICIPATION,FOLLOW-UP,"
                   "2027-04-30,61\n") != std::string::npos);
    BOOST_TEST(rows(sd::dataset(Domain::SE, {study})).find(
                   "DF-IL2,SE,DF-IL2-PSL-P005,3,FU,Follow-up,3,FOLLOW-UP,2027-03-07,2027-04-30,7,61\n") !=
               std::string::npos);
    // Before D60's window ends (05-03), the subject is still in follow-up.
    sd::Study before = study;
    before.subjects[0].as_of = ymd(2027, 5, 2);
    BOOST_TEST(rows(sd::dataset(Domain::DM, {before})) ==
               "DF-IL2,DM,DF-IL2-PSL-P005,P005,2027-03-01,,2027-03-02T09:00,2027-03-06T09:00,2027-03-01,"
               "2027-03-23,,,PSL,,,,,,,,,,BLINDED,\n");
}

// Consent on day 0; the discontinuation of treatment apart from the end of
// participation; the free-text reason as DSTERM; the epoch the date falls in.
BOOST_AUTO_TEST_CASE(ds_consent_discontinuation_withdrawal_completion_screen_failure) {
    const Protocol df = seed("df-il2.toml");
    const sd::Study study = df_il2_study(df);
    const auto ds = sd::dataset(Domain::DS, {study});
    BOOST_TEST(rows(ds) ==
               "DF-IL2,DS,DF-IL2-PSL-P001,1,INFORMED CONSENT OBTAINED,INFORMED CONSENT OBTAINED,PROTOCOL MILESTONE,,"
               "SCREENING,2027-03-01,1\n"
               "DF-IL2,DS,DF-IL2-PSL-P001,2,COMPLETED,COMPLETED,DISPOSITION EVENT,STUDY PARTICIPATION,FOLLOW-UP,"
               "2027-04-30,61\n"
               "DF-IL2,DS,DF-IL2-PSL-P002,1,INFORMED CONSENT OBTAINED,INFORMED CONSENT OBTAINED,PROTOCOL MILESTONE,,"
               "SCREENING,2027-03-01,1\n"
               "DF-IL2,DS,DF-IL2-PSL-P002,2,injection-site reaction,OTHER,DISPOSITION EVENT,STUDY TREATMENT,TREATMENT,"
               "2027-03-03,3\n"
               "DF-IL2,DS,DF-IL2-PSL-P002,3,no answer since D15,LOST TO FOLLOW-UP,DISPOSITION EVENT,STUDY PARTICIPATION,"
               "FOLLOW-UP,2027-03-20,20\n"
               "DF-IL2,DS,DF-IL2-PSL-P003,1,INFORMED CONSENT OBTAINED,INFORMED CONSENT OBTAINED,PROTOCOL MILESTONE,,"
               "SCREENING,2027-03-01,1\n"
               "DF-IL2,DS,DF-IL2-PSL-P003,2,moved abroad,WITHDRAWAL BY SUBJECT,DISPOSITION EVENT,STUDY PARTICIPATION,"
               "TREATMENT,2027-03-03,3\n"
               "DF-IL2,DS,DF-IL2-PSL-P004,1,INFORMED CONSENT OBTAINED,INFORMED CONSENT OBTAINED,PROTOCOL MILESTONE,,"
               "SCREENING,2027-03-01,1\n"
               "DF-IL2,DS,DF-IL2-PSL-S009,1,Not eligible at screening: lymphocytes 900 /mm3: must be at least 1000,"
               "SCREEN FAILURE,DISPOSITION EVENT,STUDY PARTICIPATION,SCREENING,2027-02-20,\n");
    BOOST_TEST(ds.rows == 9u);
    // Unblinding changes no row of DS.
    BOOST_TEST(sd::dataset(Domain::DS, {study}, {true}).csv == ds.csv);
    // Before the withdrawal, P002 is only discontinued; P001 not yet completed.
    sd::Study earlier = study;
    for (auto& s : earlier.subjects) s.as_of = ymd(2027, 3, 10);
    const std::string before = rows(sd::dataset(Domain::DS, {earlier}));
    BOOST_TEST(before.find("LOST TO FOLLOW-UP") == std::string::npos, before);
    BOOST_TEST(before.find("COMPLETED") == std::string::npos, before);
    BOOST_TEST(before.find("DF-IL2-PSL-P002,2,injection-site reaction,OTHER") != std::string::npos, before);
}

// Each element entered, from its actual first day to the next one's; the
// last open while the subject is in the study. Blinded, an element only
// some arms have (DF-IL2's treatment) has no code or name.
BOOST_AUTO_TEST_CASE(se_elements_walked_with_actual_dates) {
    const Protocol df = seed("df-il2.toml");
    const sd::Study study = df_il2_study(df);
    BOOST_TEST(rows(sd::dataset(Domain::SE, {study}, {true})) ==
               "DF-IL2,SE,DF-IL2-PSL-P001,1,SCRN,Screening,1,SCREENING,2027-03-01,2027-03-02,1,2\n"
               "DF-IL2,SE,DF-IL2-PSL-P001,2,TRTB,aldesleukin 1 MIU SC once a day,2,TREATMENT,2027-03-02,2027-03-07,2,7\n"
               "DF-IL2,SE,DF-IL2-PSL-P001,3,FU,Follow-up,3,FOLLOW-UP,2027-03-07,2027-04-30,7,61\n"
               "DF-IL2,SE,DF-IL2-PSL-P002,1,SCRN,Screening,1,SCREENING,2027-03-01,2027-03-02,1,2\n"
               "DF-IL2,SE,DF-IL2-PSL-P002,2,TRTD,placebo SC once a day,2,TREATMENT,2027-03-02,2027-03-04,2,4\n"
               "DF-IL2,SE,DF-IL2-PSL-P002,3,FU,Follow-up,3,FOLLOW-UP,2027-03-04,2027-03-20,4,20\n"
               "DF-IL2,SE,DF-IL2-PSL-P003,1,SCRN,Screening,1,SCREENING,2027-03-01,2027-03-02,1,2\n"
               "DF-IL2,SE,DF-IL2-PSL-P003,2,TRTA,aldesleukin 0.33 MIU SC once a day,2,TREATMENT,2027-03-02,2027-03-03,"
               "2,3\n"
               "DF-IL2,SE,DF-IL2-PSL-P004,1,SCRN,Screening,1,SCREENING,2027-03-01,,1,\n");
    const std::string blinded = rows(sd::dataset(Domain::SE, {study}));
    BOOST_TEST(blinded.find("DF-IL2,SE,DF-IL2-PSL-P001,2,,,2,TREATMENT,2027-03-02,2027-03-07,2,7\n") !=
                   std::string::npos,
               blinded);
    for (const std::string arm : {"TRTA", "TRTB", "TRTD", "MIU", "placebo"})
        BOOST_TEST(blinded.find(arm) == std::string::npos, arm);
    BOOST_TEST(sd::dataset(Domain::SE, {study}).rows == 9u);
}

// NCT05153070: ciclosporin (TRT1) is every arm's, so it keeps its code when
// blinded; the ILT-101/placebo element after it does not.
BOOST_AUTO_TEST_CASE(se_blinded_keeps_the_elements_every_arm_shares) {
    const Protocol nct = seed("nct05153070-v2.toml");
    sd::Subject s = subject(nct, "P101", "placebo", ymd(2027, 1, 1), 60);
    give(s, 1, "CSA", ymd(2027, 1, 2), 300, "mg");
    give(s, 2, "ILT101", ymd(2027, 3, 5), 1, "ml");
    s.as_of = ymd(2027, 3, 6);
    const sd::Study study{nct, {s}};
    BOOST_TEST(rows(sd::dataset(Domain::SE, {study})) ==
               "NCT05153070,SE,NCT05153070-PSL-P101,1,SCRN,Screening,1,SCREENING,2027-01-01,2027-01-02,1,2\n"
               "NCT05153070,SE,NCT05153070-PSL-P101,2,TRT1,ciclosporin 5 mg/kg oral twice a day,2,TREATMENT 1,"
               "2027-01-02,2027-03-05,2,64\n"
               "NCT05153070,SE,NCT05153070-PSL-P101,3,,,3,TREATMENT 2,2027-03-05,,64,\n");
    BOOST_TEST(rows(sd::dataset(Domain::SE, {study}, {true})).find(",3,TRT2B,placebo SC once a day,3,TREATMENT 2,") !=
               std::string::npos);
}

// TRANSREG is open-label: its cohort is the arm, shown without unblinding.
BOOST_AUTO_TEST_CASE(dm_open_label_shows_the_cohort_as_the_arm) {
    const Protocol transreg = seed("transreg.toml");
    sd::Subject s;
    s.site = "LYON";
    s.patient = "T01";
    s.protocol = &transreg;
    auto plan = expand(transreg, {ymd(2027, 3, 1), std::nullopt, std::string("SLE"), std::nullopt});
    BOOST_TEST_REQUIRE(plan.has_value());
    s.plan = *plan;
    s.as_of = ymd(2027, 3, 1);
    const std::string dm = rows(sd::dataset(Domain::DM, {{transreg, {s}}}));
    BOOST_TEST(dm == "TRANSREG,DM,TRANSREG-LYON-T01,T01,2027-03-01,,,,2027-03-01,2027-03-01,,,LYON,,,,,,SLE,systemic "
                     "lupus erythematosus,,,\"ASSIGNED, NOT TREATED\",\n");
}

// An unscheduled visit is numbered after the last planned visit before it
// (done: its date; else its planned date), in date order: 2.01, 3.01, 3.02.
// Not planned: no VISITDY, SVPRESP and SVOCCUR null, the reason in SVUPDES.
BOOST_AUTO_TEST_CASE(sv_unscheduled_visits_take_decimal_numbers) {
    const Protocol df = seed("df-il2.toml");
    sd::Subject s = subject(df, "P001", "IL2-2", ymd(2027, 3, 1));
    visits(s, {0, 1, 2}, 100);
    s.records.unscheduled.push_back({52, ymd(2027, 3, 3), "Rash check", "=injection-site rash"});
    s.records.unscheduled.push_back({50, ymd(2027, 3, 2), "Unscheduled visit", "fever"});
    s.records.unscheduled.push_back({53, ymd(2027, 3, 3), "Unscheduled visit", "itching"});
    s.records.unscheduled.push_back({54, ymd(2027, 3, 5), "Unscheduled visit", "after the as-of date"});
    s.as_of = ymd(2027, 3, 4);
    const auto sv = sd::dataset(Domain::SV, {{df, {s}}});
    BOOST_TEST(rows(sv) == "DF-IL2,SV,DF-IL2-PSL-P001,1,Inclusion,1,2027-03-01,2027-03-01,1,1,Y,Y,,\n"
                           "DF-IL2,SV,DF-IL2-PSL-P001,2,D1,2,2027-03-02,2027-03-02,2,2,Y,Y,,\n"
                           "DF-IL2,SV,DF-IL2-PSL-P001,2.01,Unscheduled visit,,2027-03-02,2027-03-02,2,2,,,,fever\n"
                           "DF-IL2,SV,DF-IL2-PSL-P001,3,D2,3,2027-03-03,2027-03-03,3,3,Y,Y,,\n"
                           "DF-IL2,SV,DF-IL2-PSL-P001,3.01,Rash check,,2027-03-03,2027-03-03,3,3,,,,\"'=injection-site rash\"\n"
                           "DF-IL2,SV,DF-IL2-PSL-P001,3.02,Unscheduled visit,,2027-03-03,2027-03-03,3,3,,,,itching\n");
    BOOST_TEST(sv.rows == 6u);
    // After a missed visit, by its planned date: V-D3 (03-04) and V-D4 (03-05) missed as of 03-06.
    s.records.unscheduled = {{60, ymd(2027, 3, 5), "Unscheduled visit", "fever"}};
    s.as_of = ymd(2027, 3, 6);
    BOOST_TEST(rows(sd::dataset(Domain::SV, {{df, {s}}})).find(",5.01,Unscheduled visit,,2027-03-05,") !=
               std::string::npos);
}

BOOST_DATA_TEST_CASE(country_is_iso_3166_alpha_3,
                     boost::unit_test::data::make({"FR", "fr", "DE", "GB", "US", "CH", "", "XX", "FRA", "F"}) ^
                         boost::unit_test::data::make({"FRA", "FRA", "DEU", "GBR", "USA", "CHE", "", "", "", ""}),
                     alpha2, alpha3) {
    BOOST_TEST(sd::country_term(alpha2) == std::string(alpha3));
}

BOOST_AUTO_TEST_SUITE_END()
