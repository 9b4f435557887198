#!/bin/sh
# Remakes fixture.sql: the trial of ../schema1/scenario.sh as trialcal schema 3
# wrote it (sites registered first), arms sealed to a throwaway unblinding key.
# TRIALCAL_V3 is a trialcal built from commit cd69aa0 (the last build that
# wrote schema 3), e.g.
#   git archive cd69aa0 | tar -x -C /tmp/v3 && cmake -S /tmp/v3 -B /tmp/v3/build -G Ninja \
#     -DBUILD_TESTING=OFF && ninja -C /tmp/v3/build trialcal
#   TRIALCAL_V3=/tmp/v3/build/cli/trialcal tests/cli/data/schema3/make_fixture.sh
# A dump does not carry the header's pragmas: they are appended, as schema 3
# set them.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
scenario="$here/../schema1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TRIALCAL_KEY_PASSPHRASE="a throwaway passphrase, never kept"
TRIALCAL_NOW=2027-02-14T08:00:00Z TRIALCAL_USER=coordinator "$TRIALCAL_V3" keys new --unblinding --out "$work/u.key" >/dev/null
TRIALCAL_NOW=2027-02-14T08:00:00Z TRIALCAL_USER=coordinator TRIALCAL_DB="$work/v3.db" \
    "$TRIALCAL_V3" keys install "$work/u.key.pub" >/dev/null
"$scenario/scenario.sh" "$TRIALCAL_V3" "$work/v3.db" "$scenario"
{
    echo "-- The trial of ../schema1/scenario.sh, written by trialcal schema 3 (commit cd69aa0); made by make_fixture.sh."
    sqlite3 "$work/v3.db" .dump
    echo "PRAGMA application_id = 1413693772;"
    echo "PRAGMA user_version = 3;"
} > "$here/fixture.sql"
