#pragma once
// Sites with one enrolled patient, shared by the end-to-end suites that
// record against them.
#include "tests/support/clinic.hpp"

namespace trialcal::test {

// A DF-IL2 patient at a Paris site, day 0 = 2027-03-01 (D1-D5 = 03-02..03-06);
// now is 2027-03-10 12:00 UTC, 13:00 in Paris.
struct ParisPatient : Clinic {
    ParisPatient() {
        ok({"enroll", "P1", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm", "IL2-2"});
    }
};

// An NCT05153070 version 1 patient, N1 (ciclosporin at home, ILT-101 at the
// site), day 0 = 2027-03-01; now is 2027-05-01.
struct AmendedPatient : Clinic {
    AmendedPatient() {
        now = "2027-05-01T12:00:00Z";
        ok({"enroll", "N1", "--protocol", "NCT05153070@1", "--site", "PSL", "--day0", "2027-03-01", "--arm", "ILT-101",
            "--weight", "60"});
    }
};

}  // namespace trialcal::test
