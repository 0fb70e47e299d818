#!/usr/bin/env bash
# The browser tests' server (a CTest fixture, label browser): copies the service tests' pilot
# database (built once per run by the service fixture), gives it the sample users with their
# passwords and languages, and starts `caseflow serve` on a free loopback port. Writes the
# address to STATE/address and the server's pid to STATE/pid; stop-server.sh ends it.
# Usage: start-server.sh BUILD_DIR STATE_DIR
set -euo pipefail
build=$1 state=$2
caseflow="$build/caseflow"
rm -rf "$state" && mkdir -p "$state"
template=$(ls -d "$build"/tests/service-fixture/*/template.db 2>/dev/null | grep -v /building- | head -1 || true)
[[ -n $template ]] || { echo "no service template database under $build/tests/service-fixture" >&2; exit 1; }
export CASEFLOW_DB="$state/web.db"
cp "$template" "$CASEFLOW_DB"
# The users of the browser tests: name|role|situations|language|password. A test that registers
# situations has a case manager of its own (the last three, journey.test.mjs and
# keyboard.test.mjs), so no test's caseload depends on which tests ran before it: ctest may run
# them in any order (a test that failed last time runs first).
while IFS='|' read -r name role situations language password; do
  if [[ -n $situations ]]; then
    "$caseflow" user add "$name" --role "$role" --situations "$situations" >/dev/null
  else
    "$caseflow" user add "$name" --role "$role" >/dev/null
  fi
  printf '%s\n' "$password" | "$caseflow" user password "$name" --lang "$language" >/dev/null
done <<'USERS'
Marie Coordinator|coordinator||fr|coordinator password
Élodie Massart|case_manager|12,3|fr|case manager password
Pieter Claes|case_manager|12,4|nl|dutch case manager password
Other CaseManager|case_manager|1|fr|other case manager password
Julie Renard|case_manager||fr|french journey password
Lotte Maes|case_manager||nl|dutch journey password
Sarah Henrard|case_manager||fr|keyboard journey password
USERS
"$caseflow" serve --bind 127.0.0.1:0 --threads 4 --access-log off >"$state/serve.log" 2>&1 &
echo $! >"$state/pid"
# Ready in about a second; the sanitizer build under a parallel suite may take many times that.
for _ in $(seq 1 600); do
  if address=$(grep -o 'http://127.0.0.1:[0-9]*' "$state/serve.log"); then
    echo "$address" >"$state/address"
    echo "caseflow serves the browser tests on $address"
    exit 0
  fi
  kill -0 "$(cat "$state/pid")" 2>/dev/null || { cat "$state/serve.log" >&2; exit 1; }
  sleep 0.1
done
echo "caseflow serve did not start" >&2
exit 1
