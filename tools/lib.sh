# Shared by tools/run, tools/test and tools/bench: install what is missing from
# Debian's packages, then configure and build. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${TRIALCAL_BUILD_DIR:-$ROOT/build}"

TRIALCAL_PACKAGES=(
  g++ cmake ninja-build pkg-config
  libhowardhinnant-date-dev libsqlitecpp-dev libsqlite3-dev sqlite3
  libfmt-dev libboost-test-dev libtomlplusplus-dev libcli11-dev libsodium-dev
  tzdata
  nlohmann-json3-dev
  libpq-dev
)

# What the tests need beyond the build: headless Chromium prints the HTML
# report to PDF, poppler-utils reads it back; sqlite3 tampers with files.
TRIALCAL_TEST_PACKAGES=(chromium poppler-utils sqlite3)
# xmllint validates the ODM exports against the ODM 2.0 schema.
TRIALCAL_TEST_PACKAGES+=(libxml2-utils)
# The PostgreSQL engine's tests run against a throwaway cluster
# (tests/pg/cluster.sh): initdb, pg_ctl and the server from Debian's postgresql,
# psql and pg_isready from its client.
TRIALCAL_TEST_PACKAGES+=(postgresql)

# ical.js (npm), the independent iCalendar parser the feed tests read with,
# into the build tree; node comes from Debian when missing.
ensure_icaljs() {
  command -v node >/dev/null 2>&1 || ensure_packages nodejs npm
  [ -f "$BUILD/npm/node_modules/ical.js/dist/ical.js" ] && return 0
  mkdir -p "$BUILD/npm"
  npm install --silent --no-audit --no-fund --prefix "$BUILD/npm" ical.js@2.2.1 >&2
}

# The JSON Schema validators the export tests check every document with
# (docs/interop.md), into the same build-tree prefix as ical.js: ajv 8 with
# ajv-formats (USDM's 2020-12 schemas, Dataset-JSON's) and FHIR R5's schema
# (hl7.fhir.r5.core ships package/openapi/fhir.schema.json).
ensure_json_validators() {
  command -v node >/dev/null 2>&1 || ensure_packages nodejs npm
  [ -f "$BUILD/npm/node_modules/hl7.fhir.r5.core/openapi/fhir.schema.json" ] &&
    [ -f "$BUILD/npm/node_modules/ajv/dist/2020.js" ] &&
    [ -f "$BUILD/npm/node_modules/ajv-formats/dist/index.js" ] && return 0
  mkdir -p "$BUILD/npm"
  npm install --silent --no-audit --no-fund --prefix "$BUILD/npm" ajv@8.17.1 ajv-formats@3.0.1 hl7.fhir.r5.core@5.0.0 >&2
}

# Installs the packages that are not installed yet; quiet when all are.
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "tools: installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Configures and builds; extra arguments go to cmake's configure step, run
# again on an existing build tree so that its options are the ones asked for
# (tools/test and tools/run share a tree with TRIALCAL_TEST_CLOCK on and off).
build() {
  ensure_packages "${TRIALCAL_PACKAGES[@]}"
  if [ ! -f "$BUILD/build.ninja" ] || [ $# -gt 0 ]; then
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE="${TRIALCAL_BUILD_TYPE:-RelWithDebInfo}" "$@" >&2
  fi
  cmake --build "$BUILD" >&2
}
