#!/usr/bin/env bash
# tests/pg/refused.sh REGEX COMMAND...: the negative cases' runner. Passes only
# when COMMAND fails (non-zero exit) and its output matches REGEX, so that a
# check that cannot fail, or fails for another reason, is caught.
set -uo pipefail
[ $# -ge 2 ] || { echo "usage: $0 REGEX COMMAND..." >&2; exit 64; }
regex=$1
shift
out=$("$@" 2>&1)
rc=$?
printf '%s\n' "$out"
if [ $rc -eq 0 ]; then
  echo "refused.sh: '$*' succeeded; it should have failed" >&2
  exit 1
fi
if ! grep -Eq -- "$regex" <<<"$out"; then
  echo "refused.sh: '$*' failed (exit $rc) but its output does not match /$regex/" >&2
  exit 1
fi
echo "refused.sh: failed as expected (exit $rc)"
