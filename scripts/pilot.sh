#!/usr/bin/env bash
# The main job: installs and builds caseflow, then runs the Namur pilot on the bundled
# samples in a fresh SQLite database under out/: registers the 14 sample situations
# (two of them are redirected), drives the 12 pilot situations through their scenario
# steps (refusals included) and prints where each one stands and the envelope.
# Re-running starts from a clean out/ and gives the same result.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BUILD_DIR=${CASEFLOW_BUILD_DIR:-build}
caseflow="$BUILD_DIR/caseflow"
out=${CASEFLOW_OUT:-out}

rm -rf "$out"
mkdir -p "$out"
export CASEFLOW_DB="$out/pilot.db"

echo "== 1. a database for the Namur network"
"$caseflow" init --network samples/namur/network.xml

echo "== 2. registering the sample situations (phase 1: eligibility, R1 and R3)"
for situation in samples/namur/situations/*.xml; do
  id=$("$caseflow" situation new "$situation" --as partner:pilot)
  printf '  %-3s %s\n' "$id" "$(basename "$situation")"
done

echo "== 3. driving the pilot situations through their phases"
scripts/drive-scenarios.sh "$caseflow" "$CASEFLOW_DB"

echo "== 4. where each situation stands"
"$caseflow" situation list
echo
"$caseflow" envelope --year 2026

echo "== 5. the audit trail is intact"
"$caseflow" verify
echo
echo "database: $CASEFLOW_DB  (try: $caseflow events 4 --db $CASEFLOW_DB)"
