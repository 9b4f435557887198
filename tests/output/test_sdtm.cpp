// CDISC SDTM datasets: study days (no day 0), headers, the trial design the
// seed protocols give, and EX's blinding, on calendars expanded in memory.
#include "core/protocol_parser.hpp"
#include "output/sdtm.hpp"

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
                     "SVREASOC\n"},
        {Domain::EX, "STUDYID,DOMAIN,USUBJID,EXSEQ,EXSPID,EXTRT,EXDOSE,EXDOSU,EXDOSFRM,EXROUTE,EXLOT,EXSTDTC,EXENDTC,"
                     "EXSTDY,EXENDY,VISITNUM,VISIT\n"},
        {Domain::DV, "STUDYID,DOMAIN,USUBJID,DVSEQ,DVSPID,DVTERM,DVDECOD,DVCAT,DVSTDTC,DVSTDY\n"},
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
    for (const char* bad : {"", "T", "TVX", "DM", "xx"}) BOOST_TEST(!sd::parse_domain(bad).has_value(), bad);
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

BOOST_AUTO_TEST_SUITE_END()
