// End-to-end: trialcal export sdtm. A two-patient study, each in its own
// protocol: DF-IL2 P001 with the compliance.md worked example doses (a fifth
// dose voided), a skipped and a late visit; NCT05153070 P101 with ciclosporin
// amounts (one wrong, one intake skipped) and an ILT-101/placebo injection
// given far too early: beyond the reach of every planned dose, so extra
// (compliance v2). Every value of every dataset is checked against
// fixtures written by hand from the protocols and the records below.
#include "tests/support/clinic.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <set>

using namespace trialcal::test;

namespace {

struct TwoPatients : Clinic {
    TwoPatients() {
        ok({"enroll", "P001", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm", "IL2-2"});
        ok({"enroll", "P101", "--protocol", "NCT05153070", "--site", "LYO", "--day0", "2027-03-07", "--arm", "ILT-101",
            "--weight", "60"});
        // P001: R1-R4 the worked example; R5 voided, so D5 is missed.
        ok({"dose", "P001", "--at", "2027-03-02T09:00"});
        ok({"dose", "P001", "--at", "2027-03-03T09:10", "--kit", "K-17"});
        ok({"dose", "P001", "--at", "2027-03-05T08:50"});
        ok({"dose", "P001", "--at", "2027-03-05T17:00"});
        ok({"dose", "P001", "--at", "2027-03-06T09:00"});
        ok({"void", "R5", "--reason", "entered for the wrong patient"});
        ok({"visit", "P001", "V-D0", "--at", "2027-03-01"});
        ok({"visit", "P001", "V-D1", "--at", "2027-03-02"});
        ok({"skip", "P001", "V-D2", "--reason", "hospitalised"});
        ok({"visit", "P001", "V-D3", "--at", "2027-03-05"});  // a day late
        ok({"visit", "P001", "V-D4", "--at", "2027-03-05"});
        ok({"visit", "P001", "V-D5", "--at", "2027-03-06"});
        // V-D6 (2027-03-07) never recorded: missed.
        // P101: 60 kg, version 2: ciclosporin 300 mg twice a day from D1 (2027-03-08).
        ok({"visit", "P101", "V-D0", "--at", "2027-03-07"});
        ok({"dose", "P101", "--drug", "ciclosporin", "--at", "2027-03-08T08:00"});
        ok({"dose", "P101", "--drug", "ciclosporin", "--at", "2027-03-08T20:00", "--amount", "250 mg"});
        ok({"dose", "P101", "--drug", "ciclosporin", "--at", "2027-03-09T08:30", "--kit", "LOT-7", "--amount", "300 mg"});
        ok({"skip", "P101", "CSA-D2-PM", "--reason", "vomiting"});
        ok({"dose", "P101", "--drug", "ciclosporin", "--at", "2027-03-10T08:00"});
        ok({"dose", "P101", "--drug", "ILT-101 or placebo", "--at", "2027-03-10T09:00", "--amount", "1 ml"});
    }
    [[nodiscard]] fs::path out(const std::string& name = "sdtm") const { return dir.path() / name; }
    [[nodiscard]] std::string file(const std::string& name, const std::string& folder = "sdtm") const {
        return slurp(out(folder) / name);
    }
    // Every entry of a folder, hidden ones included.
    [[nodiscard]] static std::set<std::string> entries(const fs::path& folder) {
        std::set<std::string> out;
        for (const auto& e : fs::directory_iterator(folder)) out.insert(e.path().filename().string());
        return out;
    }
};

const std::vector<std::string> six{"export", "sdtm", "TV", "TA", "TE", "SV", "EX", "DV"};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

// --- The fixtures, by hand ---------------------------------------------------------
// Study days: SDTM day 1 is day 0 (P001 2027-03-01, P101 2027-03-07); protocol Dn is day n + 1.

const std::string tv_df_il2 =
    "DF-IL2,TV,1,Inclusion,1,,,\"V-D0: protocol D0 (day 0), on that day only\",End of the visit day\n"
    "DF-IL2,TV,2,D1,2,,,\"V-D1: protocol D1 (day 0 + 1 day), on that day only\",End of the visit day\n"
    "DF-IL2,TV,3,D2,3,,,\"V-D2: protocol D2 (day 0 + 2 days), on that day only\",End of the visit day\n"
    "DF-IL2,TV,4,D3,4,,,\"V-D3: protocol D3 (day 0 + 3 days), on that day only\",End of the visit day\n"
    "DF-IL2,TV,5,D4,5,,,\"V-D4: protocol D4 (day 0 + 4 days), on that day only\",End of the visit day\n"
    "DF-IL2,TV,6,D5,6,,,\"V-D5: protocol D5 (day 0 + 5 days), on that day only\",End of the visit day\n"
    "DF-IL2,TV,7,\"D6, end of treatment phase\",7,,,\"V-D6: protocol D6 (day 0 + 6 days), on that day only\","
    "End of the visit day\n"
    "DF-IL2,TV,8,D15,16,,,\"V-D15: protocol D15 (day 0 + 15 days), window protocol D14 to D16\",End of the visit day\n"
    "DF-IL2,TV,9,D22,23,,,\"V-D22: protocol D22 (day 0 + 22 days), window protocol D21 to D23\",End of the visit day\n"
    "DF-IL2,TV,10,\"D60, end of study\",61,,,\"V-D60: protocol D60 (day 0 + 60 days), window protocol D57 to D63\","
    "End of the visit day\n"
    // The early-termination visit, after the plan's: dated from a withdrawal, no VISITDY.
    "DF-IL2,TV,11,Early termination,,,,\"V-ET: early termination, on the withdrawal date, window 0 days before to 14 "
    "days after\",End of the visit day\n";

const std::string tv_nct =
    "NCT05153070,TV,1,Inclusion / baseline,1,,,\"V-D0: protocol D0 (day 0), on that day only\",End of the visit day\n"
    "NCT05153070,TV,2,\"D63, post-ciclosporin\",64,,,\"V-D63: protocol D63 (day 0 + 63 days), on that day only\","
    "End of the visit day\n"
    "NCT05153070,TV,3,\"D67, primary endpoint\",68,,,\"V-D67: protocol D67 (day 0 + 67 days), on that day only\","
    "End of the visit day\n"
    "NCT05153070,TV,4,M3,89,,,\"V-D88: protocol D88 (day 0 + 88 days), window protocol D81 to D95\",End of the visit day\n"
    "NCT05153070,TV,5,M6,180,,,\"V-D179: protocol D179 (day 0 + 179 days), window protocol D172 to D186\","
    "End of the visit day\n"
    "NCT05153070,TV,6,M9,271,,,\"V-D270: protocol D270 (day 0 + 270 days), window protocol D263 to D277\","
    "End of the visit day\n"
    "NCT05153070,TV,7,\"M12, end of treatment\",362,,,\"V-D361: protocol D361 (day 0 + 361 days), window protocol "
    "D354 to D368\",End of the visit day\n"
    "NCT05153070,TV,8,\"M18, follow-up\",537,,,\"V-D536: protocol D536 (day 0 + 536 days), window protocol D522 to "
    "D550\",End of the visit day\n"
    "NCT05153070,TV,9,\"M24, end of study\",720,,,\"V-D719: protocol D719 (day 0 + 719 days), window protocol D705 "
    "to D733\",End of the visit day\n"
    "NCT05153070,TV,10,Early termination,,,,\"V-ET: early termination, on the withdrawal date, window 0 days before "
    "to 14 days after\",End of the visit day\n";

const std::string tv_header = "STUDYID,DOMAIN,VISITNUM,VISIT,VISITDY,ARMCD,ARM,TVSTRL,TVENRL\n";

// Elements: screening D0; DF-IL2 D1-D5, one per arm; NCT05153070 ciclosporin
// D1-D62 (the same in both arms), ILT-101/placebo daily D63-D73 and weekly
// D74-D354, one per arm; follow-up to the last visit.
const std::string te_expected =
    "STUDYID,DOMAIN,ETCD,ELEMENT,TESTRL,TEENRL,TEDUR\n"
    "DF-IL2,TE,SCRN,Screening,\"Protocol D0, the first visit\",\"End of protocol D0, the day before the first "
    "dose\",P1D\n"
    "DF-IL2,TE,TRTA,aldesleukin 0.33 MIU SC once a day,\"Protocol D1, the first dose of this element\",\"End of "
    "protocol D5, the day of the last dose\",P5D\n"
    "DF-IL2,TE,TRTB,aldesleukin 1 MIU SC once a day,\"Protocol D1, the first dose of this element\",\"End of "
    "protocol D5, the day of the last dose\",P5D\n"
    "DF-IL2,TE,TRTC,aldesleukin 3 MIU SC once a day,\"Protocol D1, the first dose of this element\",\"End of "
    "protocol D5, the day of the last dose\",P5D\n"
    "DF-IL2,TE,TRTD,placebo SC once a day,\"Protocol D1, the first dose of this element\",\"End of protocol D5, "
    "the day of the last dose\",P5D\n"
    "DF-IL2,TE,FU,Follow-up,\"Protocol D6, the day after the last dose\",\"End of protocol D60, the last "
    "visit\",P55D\n"
    "NCT05153070,TE,SCRN,Screening,\"Protocol D0, the first visit\",\"End of protocol D0, the day before the "
    "first dose\",P1D\n"
    "NCT05153070,TE,TRT1,ciclosporin 5 mg/kg oral twice a day,\"Protocol D1, the first dose of this "
    "element\",\"End of protocol D62, the day before the next element\",P62D\n"
    "NCT05153070,TE,TRT2A,ILT-101 1 MIU SC once a day,\"Protocol D63, the first dose of this element\",\"End of "
    "protocol D73, the day before the next element\",P11D\n"
    "NCT05153070,TE,TRT2B,placebo SC once a day,\"Protocol D63, the first dose of this element\",\"End of protocol "
    "D73, the day before the next element\",P11D\n"
    "NCT05153070,TE,TRT3A,ILT-101 1 MIU SC once a week,\"Protocol D74, the first dose of this element\",\"End of "
    "protocol D354, the day of the last dose\",P281D\n"
    "NCT05153070,TE,TRT3B,placebo SC once a week,\"Protocol D74, the first dose of this element\",\"End of "
    "protocol D354, the day of the last dose\",P281D\n"
    "NCT05153070,TE,FU,Follow-up,\"Protocol D355, the day after the last dose\",\"End of protocol D719, the last "
    "visit\",P365D\n";

std::string ta_arm(const std::string& study, const std::string& armcd, const std::string& arm,
                   const std::vector<std::pair<std::string, std::string>>& steps) {
    std::string out;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto& [etcd, element] = steps[i];
        const std::string epoch = etcd == "SCRN"  ? "SCREENING"
                                  : etcd == "FU"  ? "FOLLOW-UP"
                                  : study == "DF-IL2" ? "TREATMENT"
                                                      : "TREATMENT " + etcd.substr(3, 1);
        out += study + ",TA," + armcd + "," + arm + "," + std::to_string(i + 1) + "," + etcd + "," + element + "," +
               (i == 0 ? "Assigned to arm " + arm : "") + ",," + epoch + "\n";
    }
    return out;
}

const std::string ta_expected =
    "STUDYID,DOMAIN,ARMCD,ARM,TAETORD,ETCD,ELEMENT,TABRANCH,TATRANS,EPOCH\n" +
    ta_arm("DF-IL2", "IL2-1", "aldesleukin 0.33 MIU",
           {{"SCRN", "Screening"}, {"TRTA", "aldesleukin 0.33 MIU SC once a day"}, {"FU", "Follow-up"}}) +
    ta_arm("DF-IL2", "IL2-2", "aldesleukin 1 MIU",
           {{"SCRN", "Screening"}, {"TRTB", "aldesleukin 1 MIU SC once a day"}, {"FU", "Follow-up"}}) +
    ta_arm("DF-IL2", "IL2-3", "aldesleukin 3 MIU",
           {{"SCRN", "Screening"}, {"TRTC", "aldesleukin 3 MIU SC once a day"}, {"FU", "Follow-up"}}) +
    ta_arm("DF-IL2", "IL2-4", "placebo",
           {{"SCRN", "Screening"}, {"TRTD", "placebo SC once a day"}, {"FU", "Follow-up"}}) +
    ta_arm("NCT05153070", "ILT-101", "ILT-101 1 MIU",
           {{"SCRN", "Screening"},
            {"TRT1", "ciclosporin 5 mg/kg oral twice a day"},
            {"TRT2A", "ILT-101 1 MIU SC once a day"},
            {"TRT3A", "ILT-101 1 MIU SC once a week"},
            {"FU", "Follow-up"}}) +
    ta_arm("NCT05153070", "placebo", "placebo",
           {{"SCRN", "Screening"},
            {"TRT1", "ciclosporin 5 mg/kg oral twice a day"},
            {"TRT2B", "placebo SC once a day"},
            {"TRT3B", "placebo SC once a week"},
            {"FU", "Follow-up"}});

// As of 2027-03-10: P001's visits to V-D6 are past (V-D15's window opens
// 03-14); P101's next visit is D63.
const std::string sv_p001 =
    "DF-IL2,SV,DF-IL2-PSL-P001,1,Inclusion,1,2027-03-01,2027-03-01,1,1,Y,Y,,\n"
    "DF-IL2,SV,DF-IL2-PSL-P001,2,D1,2,2027-03-02,2027-03-02,2,2,Y,Y,,\n"
    "DF-IL2,SV,DF-IL2-PSL-P001,3,D2,3,,,,,Y,N,hospitalised,\n"
    "DF-IL2,SV,DF-IL2-PSL-P001,4,D3,4,2027-03-05,2027-03-05,5,5,Y,Y,,\n"
    "DF-IL2,SV,DF-IL2-PSL-P001,5,D4,5,2027-03-05,2027-03-05,5,5,Y,Y,,\n"
    "DF-IL2,SV,DF-IL2-PSL-P001,6,D5,6,2027-03-06,2027-03-06,6,6,Y,Y,,\n"
    "DF-IL2,SV,DF-IL2-PSL-P001,7,\"D6, end of treatment phase\",7,,,,,Y,N,,\n";
const std::string sv_p101 =
    "NCT05153070,SV,NCT05153070-LYO-P101,1,Inclusion / baseline,1,2027-03-07,2027-03-07,1,1,Y,Y,,\n";
const std::string sv_header =
    "STUDYID,DOMAIN,USUBJID,VISITNUM,VISIT,VISITDY,SVSTDTC,SVENDTC,SVSTDY,SVENDY,SVPRESP,SVOCCUR,SVREASOC,SVUPDES\n";

const std::string ex_header =
    "STUDYID,DOMAIN,USUBJID,EXSEQ,EXSPID,EXTRT,EXDOSE,EXDOSU,EXDOSFRM,EXROUTE,EXLOT,EXSTDTC,EXENDTC,EXSTDY,EXENDY,"
    "VISITNUM,VISIT\n";

// Blinded: DF-IL2 gives no volume, so no amount; ILT-101/placebo shows the 1 mL handled.
// In administered order: 03-05 08:50 (matched to D4: nearer its noon) before
// 17:00, which DF-IL2's reach of 0 days leaves extra (compliance v2): no
// EXSPID, no visit. The ILT-101/placebo injection of 03-10 is extra too.
const std::string ex_blinded =
    ex_header +
    "DF-IL2,EX,DF-IL2-PSL-P001,1,IL2-D1,aldesleukin or placebo,,,INJECTION,SUBCUTANEOUS,,2027-03-02T09:00,"
    "2027-03-02T09:00,2,2,2,D1\n"
    "DF-IL2,EX,DF-IL2-PSL-P001,2,IL2-D2,aldesleukin or placebo,,,INJECTION,SUBCUTANEOUS,K-17,2027-03-03T09:10,"
    "2027-03-03T09:10,3,3,3,D2\n"
    "DF-IL2,EX,DF-IL2-PSL-P001,3,IL2-D4,aldesleukin or placebo,,,INJECTION,SUBCUTANEOUS,,2027-03-05T08:50,"
    "2027-03-05T08:50,5,5,5,D4\n"
    "DF-IL2,EX,DF-IL2-PSL-P001,4,,aldesleukin or placebo,,,INJECTION,SUBCUTANEOUS,,2027-03-05T17:00,"
    "2027-03-05T17:00,5,5,,\n"
    "NCT05153070,EX,NCT05153070-LYO-P101,1,CSA-D1-AM,ciclosporin,300,mg,,ORAL,,2027-03-08T08:00,2027-03-08T08:00,"
    "2,2,,\n"
    "NCT05153070,EX,NCT05153070-LYO-P101,2,CSA-D1-PM,ciclosporin,250,mg,,ORAL,,2027-03-08T20:00,2027-03-08T20:00,"
    "2,2,,\n"
    "NCT05153070,EX,NCT05153070-LYO-P101,3,CSA-D2-AM,ciclosporin,300,mg,,ORAL,LOT-7,2027-03-09T08:30,"
    "2027-03-09T08:30,3,3,,\n"
    "NCT05153070,EX,NCT05153070-LYO-P101,4,CSA-D3-AM,ciclosporin,300,mg,,ORAL,,2027-03-10T08:00,2027-03-10T08:00,"
    "4,4,,\n"
    "NCT05153070,EX,NCT05153070-LYO-P101,5,,ILT-101 or placebo,1,mL,INJECTION,SUBCUTANEOUS,,"
    "2027-03-10T09:00,2027-03-10T09:00,4,4,,\n";

// Unblinded: the arms' drug and amount (IL2-2: 1 MIU; ILT-101: 1 MIU).
const std::string ex_unblinded =
    ex_header +
    "DF-IL2,EX,DF-IL2-PSL-P001,1,IL2-D1,aldesleukin,1,MIU,INJECTION,SUBCUTANEOUS,,2027-03-02T09:00,"
    "2027-03-02T09:00,2,2,2,D1\n"
    "DF-IL2,EX,DF-IL2-PSL-P001,2,IL2-D2,aldesleukin,1,MIU,INJECTION,SUBCUTANEOUS,K-17,2027-03-03T09:10,"
    "2027-03-03T09:10,3,3,3,D2\n"
    "DF-IL2,EX,DF-IL2-PSL-P001,3,IL2-D4,aldesleukin,1,MIU,INJECTION,SUBCUTANEOUS,,2027-03-05T08:50,"
    "2027-03-05T08:50,5,5,5,D4\n"
    "DF-IL2,EX,DF-IL2-PSL-P001,4,,aldesleukin,1,MIU,INJECTION,SUBCUTANEOUS,,2027-03-05T17:00,"
    "2027-03-05T17:00,5,5,,\n"
    "NCT05153070,EX,NCT05153070-LYO-P101,1,CSA-D1-AM,ciclosporin,300,mg,,ORAL,,2027-03-08T08:00,2027-03-08T08:00,"
    "2,2,,\n"
    "NCT05153070,EX,NCT05153070-LYO-P101,2,CSA-D1-PM,ciclosporin,250,mg,,ORAL,,2027-03-08T20:00,2027-03-08T20:00,"
    "2,2,,\n"
    "NCT05153070,EX,NCT05153070-LYO-P101,3,CSA-D2-AM,ciclosporin,300,mg,,ORAL,LOT-7,2027-03-09T08:30,"
    "2027-03-09T08:30,3,3,,\n"
    "NCT05153070,EX,NCT05153070-LYO-P101,4,CSA-D3-AM,ciclosporin,300,mg,,ORAL,,2027-03-10T08:00,2027-03-10T08:00,"
    "4,4,,\n"
    "NCT05153070,EX,NCT05153070-LYO-P101,5,,ILT-101,1,MIU,INJECTION,SUBCUTANEOUS,,"
    "2027-03-10T09:00,2027-03-10T09:00,4,4,,\n";

// By date, then calendar order (a visit before a dose of the same day), an
// extra dose after every event of its date. Compliance v2: IL2-D3 (03-04)
// is missed, DF-IL2 having no late limit, and R4 (03-05 17:00) is extra, a
// second dose on 03-05 (R3 at 08:50 is nearer D4's noon).
const std::string dv_p001 =
    "DF-IL2,DV,DF-IL2-PSL-P001,1,V-D2,Visit V-D2 (protocol D2) not done: hospitalised,MISSED VISIT,VISIT SCHEDULE,"
    "2027-03-03,3\n"
    "DF-IL2,DV,DF-IL2-PSL-P001,2,IL2-D3,Dose IL2-D3 of aldesleukin or placebo (protocol D3) not given: its window "
    "ended 2027-03-04,MISSED DOSE,STUDY TREATMENT,2027-03-04,4\n"
    "DF-IL2,DV,DF-IL2-PSL-P001,3,V-D3,\"Visit V-D3 (protocol D3) done 2027-03-05, 1 day late (window "
    "2027-03-04)\",VISIT OUT OF WINDOW,VISIT SCHEDULE,2027-03-05,5\n"
    "DF-IL2,DV,DF-IL2-PSL-P001,4,R4,Dose of aldesleukin or placebo given 2027-03-05 (record R4) matched to no "
    "planned dose: second dose on 03-05,UNSCHEDULED DOSE,STUDY TREATMENT,2027-03-05,5\n"
    "DF-IL2,DV,DF-IL2-PSL-P001,5,IL2-D5,Dose IL2-D5 of aldesleukin or placebo (protocol D5) not given: its window "
    "ended 2027-03-06,MISSED DOSE,STUDY TREATMENT,2027-03-06,6\n"
    "DF-IL2,DV,DF-IL2-PSL-P001,6,V-D6,Visit V-D6 (protocol D6) not done: its window ended 2027-03-07,MISSED VISIT,"
    "VISIT SCHEDULE,2027-03-07,7\n";
// CSA-D3-PM (2027-03-10) is still due, not missed. The ILT-101/placebo
// injection (R18, 03-10) is beyond the reach of every planned dose: D63's
// window opens 2027-05-09, 60 days later, and its reach is the window
// (limits 0). Extra, not "60 days early" as version 1 had it.
const std::string dv_p101 =
    "NCT05153070,DV,NCT05153070-LYO-P101,1,CSA-D1-PM,\"Dose CSA-D1-PM of ciclosporin (protocol D1): 250 mg given, "
    "300 mg planned\",WRONG DOSE,STUDY TREATMENT,2027-03-08,2\n"
    "NCT05153070,DV,NCT05153070-LYO-P101,2,CSA-D2-PM,Dose CSA-D2-PM of ciclosporin (protocol D2) not given: "
    "vomiting,MISSED DOSE,STUDY TREATMENT,2027-03-09,3\n"
    "NCT05153070,DV,NCT05153070-LYO-P101,3,R18,\"Dose of ILT-101 or placebo given 2027-03-10 (record R18) matched to "
    "no planned dose: 60 days before ILT101-D63's window, beyond reach\",UNSCHEDULED DOSE,STUDY TREATMENT,"
    "2027-03-10,4\n";
const std::string dv_header = "STUDYID,DOMAIN,USUBJID,DVSEQ,DVSPID,DVTERM,DVDECOD,DVCAT,DVSTDTC,DVSTDY\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_sdtm)

BOOST_FIXTURE_TEST_CASE(every_value_of_the_two_patient_study_matches_the_fixture, TwoPatients) {
    const std::string printed = ok(with(six, {"--out", out().string(), "--as-of", "2027-03-10"}));
    BOOST_TEST(printed == out().string() + "/tv.csv: 21 rows\n" + out().string() + "/ta.csv: 22 rows\n" +
                              out().string() + "/te.csv: 13 rows\n" + out().string() + "/sv.csv: 8 rows\n" +
                              out().string() + "/ex.csv: 9 rows\n" + out().string() + "/dv.csv: 9 rows\n");
    BOOST_TEST(file("tv.csv") == tv_header + tv_df_il2 + tv_nct);
    BOOST_TEST(file("ta.csv") == ta_expected);
    BOOST_TEST(file("te.csv") == te_expected);
    BOOST_TEST(file("sv.csv") == sv_header + sv_p001 + sv_p101);
    BOOST_TEST(file("ex.csv") == ex_blinded);
    BOOST_TEST(file("dv.csv") == dv_header + dv_p001 + dv_p101);
    BOOST_TEST((entries(out()) == std::set<std::string>{"dv.csv", "ex.csv", "sv.csv", "ta.csv", "te.csv", "tv.csv"}));
    // The voided R5 (2027-03-06 09:00) is nowhere.
    BOOST_TEST(!contains(file("ex.csv"), "2027-03-06T09:00"));
}

// Without --as-of, each site's today (TRIALCAL_NOW is 2027-03-10 12:00 UTC).
BOOST_FIXTURE_TEST_CASE(as_of_defaults_to_today_at_the_site, TwoPatients) {
    ok(with(six, {"--out", out().string()}));
    BOOST_TEST(file("sv.csv") == sv_header + sv_p001 + sv_p101);
    BOOST_TEST(file("dv.csv") == dv_header + dv_p001 + dv_p101);
    // As of 2027-03-05, later records do not exist yet.
    ok({"export", "sdtm", "ex", "--out", out("early").string(), "--as-of", "2027-03-05"});
    BOOST_TEST(count(file("ex.csv", "early"), "\n") == 5u);  // header and R1-R4
    refused(65, "--as-of: ", {"export", "sdtm", "ex", "--out", out().string(), "--as-of", "2027-02-30"});
}

// --protocol takes one study (an NCT number names it); the trial design
// alone needs no database.
BOOST_FIXTURE_TEST_CASE(protocol_selects_one_study, TwoPatients) {
    ok({"export", "sdtm", "tv", "sv", "dv", "--protocol", "NCT01353833", "--out", out().string(), "--as-of",
        "2027-03-10"});
    BOOST_TEST(file("tv.csv") == tv_header + tv_df_il2);
    BOOST_TEST(file("sv.csv") == sv_header + sv_p001);
    BOOST_TEST(file("dv.csv") == dv_header + dv_p001);
    ok({"export", "sdtm", "sv", "--protocol", "NCT05153070@2", "--out", out().string(), "--as-of", "2027-03-10"});
    BOOST_TEST(file("sv.csv") == sv_header + sv_p101);

    Clinic empty;  // no database at all
    empty.ok({"export", "sdtm", "TV", "--protocol", "DF-IL2", "--out", (empty.dir.path() / "design").string()});
    BOOST_TEST(slurp(empty.dir.path() / "design" / "tv.csv") == tv_header + tv_df_il2);
    BOOST_TEST(!fs::exists(empty.db));
    empty.refused(66, "no database", {"export", "sdtm", "SV", "--protocol", "DF-IL2", "--out",
                                      (empty.dir.path() / "sv").string()});
    BOOST_TEST(!fs::exists(empty.dir.path() / "sv"));
    refused(65, "unknown protocol 'NOPE'", {"export", "sdtm", "TV", "--protocol", "NOPE", "--out", out("x").string()});
    BOOST_TEST(!fs::exists(out("x")));
}

BOOST_FIXTURE_TEST_CASE(blinded_ex_shows_no_arm, TwoPatients) {
    ok({"export", "sdtm", "EX", "--out", out().string(), "--as-of", "2027-03-10"});
    const std::string ex = file("ex.csv");
    BOOST_TEST(ex == ex_blinded);
    for (const std::string arm : {"IL2-2", "MIU", ",aldesleukin,", ",ILT-101,", ",placebo,"})
        BOOST_TEST(!contains(ex, arm), arm);
    // A blinded export is read-only: no --by needed, the database unchanged.
    const std::string before = bytes();
    RunOptions o;
    o.env = {{"TRIALCAL_DB", db.string()}, {"TRIALCAL_CALENDARS", source_calendars().string()},
             {"TRIALCAL_NOW", now}};
    BOOST_TEST(run_trialcal({"export", "sdtm", "EX", "DV", "--out", out("again").string()}, o).code == 0);
    BOOST_TEST((bytes() == before));
    BOOST_TEST(!contains(ok({"audit", "--format", "csv"}), ",unblind,"));
}

BOOST_FIXTURE_TEST_CASE(unblinded_ex_needs_a_reason_and_is_audited, TwoPatients) {
    refused(2, "--reason", with(six, {"--out", out().string(), "--unblinded"}));
    refused(2, "EX, DM and SE only",
            {"export", "sdtm", "TV", "SV", "DS", "--out", out().string(), "--unblinded", "--reason", "DSMB"});
    BOOST_TEST(!fs::exists(out()));
    ok(with(six, {"--out", out().string(), "--as-of", "2027-03-10", "--unblinded", "--reason", "DSMB review"}));
    BOOST_TEST(file("ex.csv") == ex_unblinded);
    // Nothing else changes when unblinded.
    BOOST_TEST(file("sv.csv") == sv_header + sv_p001 + sv_p101);
    BOOST_TEST(file("dv.csv") == dv_header + dv_p001 + dv_p101);
    BOOST_TEST(file("ta.csv") == ta_expected);
    const std::string trail = ok({"audit", "--format", "csv"});
    BOOST_TEST(count(trail, ",unblind,,\"SDTM export TV, TA, TE, SV, EX, DV (DF-IL2, NCT05153070)\",,,DSMB review,") ==
                   1u,
               trail);
    BOOST_TEST(contains(ok({"audit", "verify"}), "audit trail intact"));
}

BOOST_FIXTURE_TEST_CASE(usage_errors_name_what_is_wrong, TwoPatients) {
    refused(2, "'XY'", {"export", "sdtm", "TV", "XY", "--out", out().string()});
    refused(2, "unknown domain 'ae'", {"export", "sdtm", "ae", "--out", out().string()});
    refused(2, "domains", {"export", "sdtm", "--out", out().string()});
    refused(2, "--out", {"export", "sdtm", "TV"});
    BOOST_TEST(!fs::exists(out()));
    // A domain named twice is written once.
    BOOST_TEST(ok({"export", "sdtm", "tv", "TV", "--out", out().string()}) == out().string() + "/tv.csv: 21 rows\n");
}

// --out is created when missing (parents too); a file in the way is 66.
BOOST_FIXTURE_TEST_CASE(out_folder_is_created_or_refused, TwoPatients) {
    const fs::path deep = dir.path() / "a" / "b" / "c";
    ok({"export", "sdtm", "TE", "--out", deep.string()});
    BOOST_TEST(slurp(deep / "te.csv") == te_expected);
    dir.write("file", "not a folder");
    refused(66, "is not a folder", {"export", "sdtm", "TE", "--out", (dir.path() / "file").string()});
    refused(66, "is not a folder", {"export", "sdtm", "TE", "--out", (dir.path() / "file" / "sub").string()});
    BOOST_TEST(slurp(dir.path() / "file") == "not a folder");
    // A relative --out is relative to the working directory.
    ok({"export", "sdtm", "TE", "--out", "rel"});
    BOOST_TEST(slurp(dir.path() / "rel" / "te.csv") == te_expected);
}

// A write that fails part-way (a file-size limit, as a full disk) leaves the
// folder as it was: old files untouched, no temporary file, no new folder.
BOOST_FIXTURE_TEST_CASE(failed_export_writes_nothing_partial, TwoPatients) {
    fs::create_directories(out());
    dir.write("sdtm/sv.csv", "old sv\n");
    dir.write("sdtm/ta.csv", "old ta\n");
    dir.write("sdtm/notes.txt", "mine\n");
    RunOptions o;
    o.env = env(now);
    o.cwd = dir.path();
    o.file_size_limit = 1000;  // sv.csv (642 bytes) fits, ta.csv does not
    const RunResult r = run_trialcal({"export", "sdtm", "SV", "TA", "--out", out().string()}, o);
    BOOST_TEST(r.code == 70, r.err);
    BOOST_TEST(r.out.empty());
    BOOST_TEST(contains(r.err, "ta.csv"), r.err);
    BOOST_TEST(contains(r.err, "nothing was exported"), r.err);
    BOOST_TEST((entries(out()) == std::set<std::string>{"notes.txt", "sv.csv", "ta.csv"}));
    BOOST_TEST(file("sv.csv") == "old sv\n");
    BOOST_TEST(file("ta.csv") == "old ta\n");
    // Into a folder it had to create: the folders go too.
    const RunResult fresh = run_trialcal({"export", "sdtm", "SV", "TA", "--out", (dir.path() / "n" / "m").string()}, o);
    BOOST_TEST(fresh.code == 70, fresh.err);
    BOOST_TEST(!fs::exists(dir.path() / "n"));
    // Without the limit the same export replaces both files and leaves notes.txt.
    ok({"export", "sdtm", "SV", "TA", "--out", out().string(), "--as-of", "2027-03-10"});
    BOOST_TEST(file("sv.csv") == sv_header + sv_p001 + sv_p101);
    BOOST_TEST(file("ta.csv") == ta_expected);
    BOOST_TEST(file("notes.txt") == "mine\n");
    BOOST_TEST((entries(out()) == std::set<std::string>{"notes.txt", "sv.csv", "ta.csv"}));
}

// A later rename fails (a folder has sv.csv's name) after the first replaced
// tv.csv (the datasets go in the order asked for): tv.csv is put back as it was, byte for byte, and no file
// of the export is left, under its name or a temporary one.
BOOST_FIXTURE_TEST_CASE(export_failing_at_a_later_rename_puts_back_what_it_replaced, TwoPatients) {
    fs::create_directories(out() / "sv.csv");
    dir.write("sdtm/tv.csv", "old tv\n");
    dir.write("sdtm/sv.csv/inside.txt", "a folder, not a file\n");
    const std::set<std::string> before = entries(out());
    refused(66, "sv.csv", {"export", "sdtm", "TV", "SV", "--out", out().string(), "--as-of", "2027-03-10"});
    const RunResult r = run({"export", "sdtm", "TV", "SV", "--out", out().string(), "--as-of", "2027-03-10"});
    BOOST_TEST(r.code == 66, r.err);
    BOOST_TEST(r.out.empty());
    BOOST_TEST(contains(r.err, "nothing was exported"), r.err);
    BOOST_TEST((entries(out()) == before));
    BOOST_TEST(file("tv.csv") == "old tv\n");
    BOOST_TEST(slurp(out() / "sv.csv" / "inside.txt") == "a folder, not a file\n");
    // With the folder gone, the same export writes both.
    fs::remove_all(out() / "sv.csv");
    ok({"export", "sdtm", "TV", "SV", "--out", out().string(), "--as-of", "2027-03-10"});
    BOOST_TEST(file("sv.csv") == sv_header + sv_p001 + sv_p101);
}

// DF-IL2 as of 2027-03-10: P201 at a site in France (CCH), on IL2-2, given
// two doses, an unscheduled visit on D1, treatment discontinued on 03-03,
// withdrawn lost to follow-up on 03-08; P202 at PSL (no country), day 0
// 03-08, no dose yet.
struct Course : Clinic {
    Course() {
        ok({"enroll", "P202", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-08", "--arm", "IL2-4"});
        ok({"site", "add", "CCH", "--name", "Clinique de Chantilly", "--tz", "Europe/Paris", "--country", "FR",
            "--closed", "none", "--holidays", "none"});
        ok({"enroll", "P201", "--protocol", "DF-IL2", "--site", "CCH", "--day0", "2027-03-01", "--arm", "IL2-2"});
        ok({"dose", "P201", "--at", "2027-03-02T09:00"});
        ok({"dose", "P201", "--at", "2027-03-03T09:00"});
        ok({"visit", "P201", "V-D0", "--at", "2027-03-01"});
        ok({"visit", "P201", "V-D1", "--at", "2027-03-02"});
        ok({"visit", "P201", "--unscheduled", "--at", "2027-03-02", "--reason", "fever", "--name", "Fever check"});
        ok({"visit", "P201", "V-D2", "--at", "2027-03-03"});
        ok({"discontinue", "P201", "--on", "2027-03-03", "--reason", "injection-site reaction"});
        ok({"visit", "P201", "V-D3", "--at", "2027-03-04"});
        ok({"visit", "P201", "V-D4", "--at", "2027-03-05"});
        ok({"withdraw", "P201", "--on", "2027-03-08", "--reason", "no answer", "--lost-to-follow-up"});
    }
    [[nodiscard]] fs::path out(const std::string& name) const { return dir.path() / name; }
};

const std::string dm_header =
    "STUDYID,DOMAIN,USUBJID,SUBJID,RFSTDTC,RFENDTC,RFXSTDTC,RFXENDTC,RFICDTC,RFPENDTC,DTHDTC,DTHFL,SITEID,AGE,AGEU,"
    "SEX,RACE,ETHNIC,ARMCD,ARM,ACTARMCD,ACTARM,ARMNRS,COUNTRY\n";
const std::string ds_header = "STUDYID,DOMAIN,USUBJID,DSSEQ,DSTERM,DSDECOD,DSCAT,DSSCAT,EPOCH,DSSTDTC,DSSTDY\n";
const std::string se_header =
    "STUDYID,DOMAIN,USUBJID,SESEQ,ETCD,ELEMENT,TAETORD,EPOCH,SESTDTC,SEENDTC,SESTDY,SEENDY\n";

// P201 ended on 03-08 (the withdrawal, their last contact); the site's
// country FR is FRA. Subjects by site: CCH before PSL.
const std::string dm_course_blinded =
    dm_header +
    "DF-IL2,DM,DF-IL2-CCH-P201,P201,2027-03-01,2027-03-08,2027-03-02T09:00,2027-03-03T09:00,2027-03-01,2027-03-08,,,"
    "CCH,,,,,,,,,,BLINDED,FRA\n"
    "DF-IL2,DM,DF-IL2-PSL-P202,P202,2027-03-08,,,,2027-03-08,2027-03-08,,,PSL,,,,,,,,,,BLINDED,\n";
const std::string dm_course_unblinded =
    dm_header +
    "DF-IL2,DM,DF-IL2-CCH-P201,P201,2027-03-01,2027-03-08,2027-03-02T09:00,2027-03-03T09:00,2027-03-01,2027-03-08,,,"
    "CCH,,,,,,IL2-2,aldesleukin 1 MIU,IL2-2,aldesleukin 1 MIU,,FRA\n"
    "DF-IL2,DM,DF-IL2-PSL-P202,P202,2027-03-08,,,,2027-03-08,2027-03-08,,,PSL,,,,,,IL2-4,placebo,,,"
    "\"ASSIGNED, NOT TREATED\",\n";
// The discontinuation in treatment, the withdrawal in follow-up (which began
// the day after the last dose, 03-04).
const std::string ds_course =
    ds_header +
    "DF-IL2,DS,DF-IL2-CCH-P201,1,INFORMED CONSENT OBTAINED,INFORMED CONSENT OBTAINED,PROTOCOL MILESTONE,,SCREENING,"
    "2027-03-01,1\n"
    "DF-IL2,DS,DF-IL2-CCH-P201,2,injection-site reaction,OTHER,DISPOSITION EVENT,STUDY TREATMENT,TREATMENT,"
    "2027-03-03,3\n"
    "DF-IL2,DS,DF-IL2-CCH-P201,3,no answer,LOST TO FOLLOW-UP,DISPOSITION EVENT,STUDY PARTICIPATION,FOLLOW-UP,"
    "2027-03-08,8\n"
    "DF-IL2,DS,DF-IL2-PSL-P202,1,INFORMED CONSENT OBTAINED,INFORMED CONSENT OBTAINED,PROTOCOL MILESTONE,,SCREENING,"
    "2027-03-08,1\n";
const std::string se_course_unblinded =
    se_header +
    "DF-IL2,SE,DF-IL2-CCH-P201,1,SCRN,Screening,1,SCREENING,2027-03-01,2027-03-02,1,2\n"
    "DF-IL2,SE,DF-IL2-CCH-P201,2,TRTB,aldesleukin 1 MIU SC once a day,2,TREATMENT,2027-03-02,2027-03-04,2,4\n"
    "DF-IL2,SE,DF-IL2-CCH-P201,3,FU,Follow-up,3,FOLLOW-UP,2027-03-04,2027-03-08,4,8\n"
    "DF-IL2,SE,DF-IL2-PSL-P202,1,SCRN,Screening,1,SCREENING,2027-03-08,,1,\n";
// V-D5 and V-D6 missed; everything after the withdrawal cancelled; the
// early-termination visit (window 03-08 to 03-22) still due. The unscheduled
// visit of D1 is 2.01. P202's D0 and D1 missed, D2 due.
const std::string sv_course =
    sv_header +
    "DF-IL2,SV,DF-IL2-CCH-P201,1,Inclusion,1,2027-03-01,2027-03-01,1,1,Y,Y,,\n"
    "DF-IL2,SV,DF-IL2-CCH-P201,2,D1,2,2027-03-02,2027-03-02,2,2,Y,Y,,\n"
    "DF-IL2,SV,DF-IL2-CCH-P201,2.01,Fever check,,2027-03-02,2027-03-02,2,2,,,,fever\n"
    "DF-IL2,SV,DF-IL2-CCH-P201,3,D2,3,2027-03-03,2027-03-03,3,3,Y,Y,,\n"
    "DF-IL2,SV,DF-IL2-CCH-P201,4,D3,4,2027-03-04,2027-03-04,4,4,Y,Y,,\n"
    "DF-IL2,SV,DF-IL2-CCH-P201,5,D4,5,2027-03-05,2027-03-05,5,5,Y,Y,,\n"
    "DF-IL2,SV,DF-IL2-CCH-P201,6,D5,6,,,,,Y,N,,\n"
    "DF-IL2,SV,DF-IL2-CCH-P201,7,\"D6, end of treatment phase\",7,,,,,Y,N,,\n"
    "DF-IL2,SV,DF-IL2-PSL-P202,1,Inclusion,1,,,,,Y,N,,\n"
    "DF-IL2,SV,DF-IL2-PSL-P202,2,D1,2,,,,,Y,N,,\n";

BOOST_FIXTURE_TEST_CASE(dm_ds_se_sv_follow_the_course, Course) {
    const std::vector<std::string> four{"export", "sdtm", "DM", "DS", "SE", "SV", "--as-of", "2027-03-10"};
    const std::string printed = ok(with(four, {"--out", out("blinded").string()}));
    const std::string at = out("blinded").string();
    BOOST_TEST(printed == at + "/dm.csv: 2 rows\n" + at + "/ds.csv: 4 rows\n" + at + "/se.csv: 4 rows\n" + at +
                              "/sv.csv: 10 rows\n");
    BOOST_TEST(slurp(out("blinded") / "dm.csv") == dm_course_blinded);
    BOOST_TEST(slurp(out("blinded") / "ds.csv") == ds_course);
    // Blinded, DF-IL2's treatment element (one per arm) has no code or name.
    BOOST_TEST(slurp(out("blinded") / "se.csv") ==
               replace_all(se_course_unblinded, "TRTB,aldesleukin 1 MIU SC once a day", ","));
    BOOST_TEST(slurp(out("blinded") / "sv.csv") == sv_course);
    // A blinded export needs no --by and unblinds nothing.
    BOOST_TEST(!contains(ok({"audit", "--format", "csv"}), ",unblind,"));

    // Unblinded, DM names the arm and SE its element; DS and SV are the same.
    const std::string shown = ok(with(four, {"--out", out("open").string(), "--unblinded", "--reason", "DSMB"}));
    BOOST_TEST(shown.rfind("UNBLINDED: dm.csv, se.csv name the real arms, drugs and amounts\n", 0) == 0u, shown);
    BOOST_TEST(slurp(out("open") / "dm.csv") == dm_course_unblinded);
    BOOST_TEST(slurp(out("open") / "se.csv") == se_course_unblinded);
    BOOST_TEST(slurp(out("open") / "ds.csv") == ds_course);
    BOOST_TEST(slurp(out("open") / "sv.csv") == sv_course);
    const std::string trail = ok({"audit", "--format", "csv"});
    BOOST_TEST(count(trail, ",unblind,,\"SDTM export DM, DS, SE, SV (DF-IL2)\",,,DSMB,") == 1u, trail);

    // As of 03-05: not yet withdrawn, so P201 has not ended and is still in
    // follow-up; P202 not yet enrolled on a past day 0: no consent yet.
    ok({"export", "sdtm", "DS", "DM", "--as-of", "2027-03-05", "--out", out("early").string()});
    BOOST_TEST(slurp(out("early") / "ds.csv") == ds_header +
                                                      "DF-IL2,DS,DF-IL2-CCH-P201,1,INFORMED CONSENT OBTAINED,INFORMED "
                                                      "CONSENT OBTAINED,PROTOCOL MILESTONE,,SCREENING,2027-03-01,1\n"
                                                      "DF-IL2,DS,DF-IL2-CCH-P201,2,injection-site reaction,OTHER,"
                                                      "DISPOSITION EVENT,STUDY TREATMENT,TREATMENT,2027-03-03,3\n");
    BOOST_TEST(slurp(out("early") / "dm.csv") ==
               dm_header +
                   "DF-IL2,DM,DF-IL2-CCH-P201,P201,2027-03-01,,2027-03-02T09:00,2027-03-03T09:00,2027-03-01,"
                   "2027-03-05,,,CCH,,,,,,,,,,BLINDED,FRA\n"
                   "DF-IL2,DM,DF-IL2-PSL-P202,P202,2027-03-08,,,,,,,,PSL,,,,,,,,,,BLINDED,\n");
}

BOOST_AUTO_TEST_SUITE_END()
