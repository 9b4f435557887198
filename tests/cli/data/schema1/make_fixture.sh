#!/bin/sh
# Remakes fixture.sql: the trial of scenario.sh as trialcal schema 1 wrote it.
# TRIALCAL_V1 is a trialcal built from commit 97b1eaf (the last build that
# wrote schema 1), e.g.
#   git archive 97b1eaf | tar -x -C /tmp/v1 && cmake -S /tmp/v1 -B /tmp/v1/build -G Ninja \
#     -DBUILD_TESTING=OFF && ninja -C /tmp/v1/build trialcal
#   TRIALCAL_V1=/tmp/v1/build/cli/trialcal tests/cli/data/schema1/make_fixture.sh
# A dump does not carry the header's pragmas: they are appended, as schema 1
# set them.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/scenario.sh" "$TRIALCAL_V1" "$work/v1.db" "$here"
{
    echo "-- The trial of scenario.sh, written by trialcal schema 1 (commit 97b1eaf); made by make_fixture.sh."
    sqlite3 "$work/v1.db" .dump
    echo "PRAGMA application_id = 1413693772;"
    echo "PRAGMA user_version = 1;"
} > "$here/fixture.sql"
