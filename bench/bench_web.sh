#!/usr/bin/env bash
# Web application benchmark (not a test, not run in CI): the caseload page and a situation page
# of `caseflow serve` under wrk (16 connections) on the pilot database, signed in as the
# coordinator (the caseload holds every situation), next to nginx serving the same bytes as
# static files in the same run. Issue 15 asks p99 under 50 ms. Installs wrk and nginx-light
# with apt when they are missing (needs root), works in a temporary directory, stops
# everything it started when it ends.
# Usage: bench/bench_web.sh   (env: CASEFLOW_BUILD_DIR=build, BENCH_DURATION=10s,
#        BENCH_CONNECTIONS=16, BENCH_WRK_THREADS=2, BENCH_SERVER_THREADS=16)
cd "$(dirname "$0")/.."
source bench/http/harness.sh

source bench/http/pilot-db.sh
password="bench: a long passphrase for the coordinator"
printf '%s\n' "$password" | "$caseflow" user password "Bench Coordinator" >/dev/null

start_caseflow

# Signs in as a person does: the sign-in page's token, then the form; keeps the session cookie.
jar="$work/cookies"
token=$(curl -sf -c "$jar" "http://127.0.0.1:$port/sign-in" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -sf -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "name=Bench Coordinator" \
  --data-urlencode "password=$password" --data-urlencode "next=/caseload" "http://127.0.0.1:$port/sign-in"
session=$(awk '$6 == "caseflow_session" { print $7 }' "$jar")
[[ -n $session ]] || { echo "bench: could not sign in" >&2; cat "$work/serve.err" >&2; exit 1; }
cookie="Cookie: caseflow_session=$session"

twin_folder
curl -sf -H "$cookie" "http://127.0.0.1:$port/caseload" >"$work/www/caseload.html"
curl -sf -H "$cookie" "http://127.0.0.1:$port/situations/3" >"$work/www/situation.html"
start_nginx caseload.html

print_setup
echo "   caseload $(stat -c %s "$work/www/caseload.html") bytes, situation page $(stat -c %s "$work/www/situation.html") bytes"
run "caseflow GET /caseload (coordinator)" "http://127.0.0.1:$port/caseload" "$cookie"
run "nginx    GET /caseload.html (same bytes)" "http://127.0.0.1:$nginx_port/caseload.html"
run "caseflow GET /situations/3" "http://127.0.0.1:$port/situations/3" "$cookie"
run "nginx    GET /situation.html (same bytes)" "http://127.0.0.1:$nginx_port/situation.html"
