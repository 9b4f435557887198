#!/bin/sh
# Remakes fixture.sql: the trial of ../schema1/scenario.sh as trialcal schema 2
# wrote it, arms sealed to a throwaway unblinding key (its private half is
# not kept: the migration to schema 3 does not open arms). TRIALCAL_V2 is a
# trialcal built from commit c201aea (the last build that wrote schema 2), e.g.
#   git archive c201aea | tar -x -C /tmp/v2 && cmake -S /tmp/v2 -B /tmp/v2/build -G Ninja \
#     -DBUILD_TESTING=OFF && ninja -C /tmp/v2/build trialcal
#   TRIALCAL_V2=/tmp/v2/build/cli/trialcal tests/cli/data/schema2/make_fixture.sh
# A dump does not carry the header's pragmas: they are appended, as schema 2
# set them.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
scenario="$here/../schema1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TRIALCAL_KEY_PASSPHRASE="a throwaway passphrase, never kept"
TRIALCAL_NOW=2027-02-14T08:00:00Z TRIALCAL_USER=coordinator "$TRIALCAL_V2" keys new --unblinding --out "$work/u.key" >/dev/null
TRIALCAL_NOW=2027-02-14T08:00:00Z TRIALCAL_USER=coordinator TRIALCAL_DB="$work/v2.db" \
    "$TRIALCAL_V2" keys install "$work/u.key.pub" >/dev/null
"$scenario/scenario.sh" "$TRIALCAL_V2" "$work/v2.db" "$scenario"
{
    echo "-- The trial of ../schema1/scenario.sh, written by trialcal schema 2 (commit c201aea); made by make_fixture.sh."
    sqlite3 "$work/v2.db" .dump
    echo "PRAGMA application_id = 1413693772;"
    echo "PRAGMA user_version = 2;"
} > "$here/fixture.sql"
