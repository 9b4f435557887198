#!/usr/bin/env bash
# tests/pg/smoke.sh: the pg_cluster fixture's own test. Connects with the
# conninfo the fixture wrote ($TRIALCAL_TEST_PG_FILE, set by trialcal_needs_pg
# in tests/CMakeLists.txt) and checks that the server answers `select 1`.
set -euo pipefail
file=${TRIALCAL_TEST_PG_FILE:-}
if [ -z "$file" ] || [ ! -f "$file" ]; then
  echo "smoke.sh: no conninfo file at '${file}' (TRIALCAL_TEST_PG_FILE); is the pg_cluster fixture running?" >&2
  exit 1
fi
conninfo=$(cat "$file")
answer=$(psql "$conninfo" -X -A -t -v ON_ERROR_STOP=1 -c 'select 1')
if [ "$answer" != "1" ]; then
  echo "smoke.sh: '$conninfo' answered '$answer' to select 1, not 1" >&2
  exit 1
fi
echo "smoke.sh: $conninfo answered 1"
