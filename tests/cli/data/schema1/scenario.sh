#!/bin/sh
# The small trial of the schema-1 migration tests, as commands: run by
# make_fixture.sh with trialcal at commit 97b1eaf (the last schema-1 build) to
# make fixture.sql, and by tests/cli/test_cli_migration.cpp with this build to
# make the same trial fresh on schema 2.
# Usage: scenario.sh TRIALCAL DB DIR   (DIR: this folder, for calendars/ and CSVs)
set -eu
T=$1
export TRIALCAL_DB="$2" TRIALCAL_CALENDARS="$3/calendars" TRIALCAL_USER=coordinator
at() {
    TRIALCAL_NOW=$1
    export TRIALCAL_NOW
    shift
    "$T" "$@" >/dev/null
}
# A build that registers sites (schema 3) registers them first, as the
# migration does: named by their code, in their patients' zone, closed on no
# day (nothing was placed before sites existed); the sites' zone replaces
# --tz. Schema 1 took the zone per patient.
tz="--tz Europe/Paris"
if "$T" --help 2>/dev/null | grep -q "^  sites "; then
    at 2027-02-15T08:00:00Z site add LYON --name LYON --tz Europe/Paris --closed none
    at 2027-02-15T08:01:00Z site add PSL --name PSL --tz Europe/Paris --closed none
    tz=""
fi
# A build that asks for a screening before enrollment (schema 4) gets one per
# patient on their day 0, with values inside every bound of these calendars.
screened() { :; }
if "$T" --help 2>/dev/null | grep -q "^  screen "; then
    screened() {
        at "$1" screen "$2" --protocol "$3" --site "$4" --on "$5" $(for v in $6; do printf -- '--value %s ' "$v"; done)
    }
fi
screened 2027-02-15T08:30:00Z N1 NCT05153070@1 PSL 2027-02-15 "age=25 diagnosis=1 lymphocytes=2000 c_peptide=0.5"
for p in P1 P2 P3; do
    screened 2027-03-01T07:00:00Z $p DF-IL2 PSL 2027-03-01 "age=30 t1d_duration=12 lymphocytes=2000 autoantibodies=2"
done
screened 2027-03-01T07:10:00Z M1 MS-IL2 PSL 2027-03-01 "wbc=5000 lymphocytes=2000 platelets=200000 gd_lesions=1"
screened 2027-03-01T07:20:00Z T1 TRANSREG LYON 2027-03-01 "age=30 wbc=5000 lymphocytes=2000 platelets=200000"
screened 2027-03-01T07:30:00Z O1 OL-IL2 LYON 2027-03-01 "wbc=5000 lymphocytes=2000 platelets=200000 gd_lesions=1"
# NCT05153070 (blinded, weight-dosed), re-consented to version 2 below.
at 2027-02-15T09:00:00Z enroll N1 --protocol NCT05153070@1 --site PSL --day0 2027-02-15 --arm ILT-101 --weight 70 $tz
# DF-IL2 (blinded): a randomisation list, three patients by number.
at 2027-02-26T08:00:00Z randomization import "$3/list.csv" --protocol DF-IL2
at 2027-03-01T08:00:00Z enroll P1 --protocol DF-IL2 --site PSL --day0 2027-03-01 --randomization-number 1 $tz
at 2027-03-01T08:10:00Z enroll P2 --protocol DF-IL2 --site PSL --day0 2027-03-01 --randomization-number 2 $tz
at 2027-03-01T08:20:00Z enroll P3 --protocol DF-IL2 --site PSL --day0 2027-03-01 --randomization-number 3 $tz
# MS-IL2 (blinded) with an arm from an outside system; TRANSREG (open label,
# cohorts, no arms); OL-IL2 (open label with arms: they stay plain).
at 2027-03-01T08:30:00Z enroll M1 --protocol MS-IL2 --site PSL --day0 2027-03-01 --arm placebo $tz
at 2027-03-01T08:40:00Z enroll T1 --protocol TRANSREG --site LYON --day0 2027-03-01 --cohort SLE $tz
at 2027-03-01T08:50:00Z enroll O1 --protocol OL-IL2 --site LYON --day0 2027-03-01 --arm IL-2 $tz
# Records: doses, a visit, a skip, a dose voided, a shift, imported doses.
at 2027-03-02T10:05:00Z dose P1 --at 2027-03-02T09:00 --kit K-101
at 2027-03-02T10:06:00Z dose P2 --at 2027-03-02T09:10
at 2027-03-02T10:07:00Z void R2 --reason "entered for the wrong patient"
at 2027-03-02T10:08:00Z dose P2 --at 2027-03-02T09:15
at 2027-03-02T10:09:00Z visit P2 V-D0 --at 2027-03-01
at 2027-03-03T10:00:00Z dose P1 --at 2027-03-03T09:00
at 2027-03-06T08:00:00Z skip P3 IL2-D5 --reason "adverse event"
at 2027-03-07T08:00:00Z shift P1 V-D15 --days 2 --reason "patient travelling"
at 2027-03-08T08:00:00Z reconsent N1 --version 2 --on 2027-03-01 --reason "protocol amendment 2"
at 2027-03-08T09:00:00Z import doses "$3/doses.csv"
at 2027-03-09T08:00:00Z dose O1 --at 2027-03-02T10:00 --amount "1 MIU"
