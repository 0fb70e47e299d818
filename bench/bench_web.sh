#!/usr/bin/env bash
# Web application benchmark (not a test, not run in CI): the caseload page and a situation page
# of `caseflow serve` under wrk (16 connections) on the pilot database, signed in as the
# coordinator (the caseload holds every situation), next to nginx serving the same bytes as
# static files in the same run. Issue 15 asks p99 under 50 ms. Installs wrk and nginx-light
# with apt when they are missing (needs root), works in a temporary directory, stops
# everything it started when it ends.
# Usage: bench/bench_web.sh   (env: CASEFLOW_BUILD_DIR=build, BENCH_DURATION=10s,
#        BENCH_CONNECTIONS=16, BENCH_WRK_THREADS=2, BENCH_SERVER_THREADS=16)
set -euo pipefail
cd "$(dirname "$0")/.."
caseflow=$(realpath "${CASEFLOW_BUILD_DIR:-build}/caseflow")
duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-16}
wrk_threads=${BENCH_WRK_THREADS:-2}
server_threads=${BENCH_SERVER_THREADS:-16}
[[ -x $caseflow ]] || { echo "build caseflow first (scripts/setup.sh), or set CASEFLOW_BUILD_DIR" >&2; exit 1; }

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx-light)
if ((${#missing[@]})); then
  echo "bench: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi

work=$(mktemp -d /tmp/caseflow-bench-web.XXXXXX)
server_pid="" nginx_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [[ -n $nginx_pid ]] && kill -QUIT "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

source bench/http/pilot-db.sh
password="bench: a long passphrase for the coordinator"
printf '%s\n' "$password" | "$caseflow" user password "Bench Coordinator" >/dev/null

port=$(free_port)
"$caseflow" serve --bind "127.0.0.1:$port" --threads "$server_threads" --access-log "$work/access.log" \
  >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done

# Signs in as a person does: the sign-in page's token, then the form; keeps the session cookie.
jar="$work/cookies"
token=$(curl -sf -c "$jar" "http://127.0.0.1:$port/sign-in" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -sf -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "name=Bench Coordinator" \
  --data-urlencode "password=$password" --data-urlencode "next=/caseload" "http://127.0.0.1:$port/sign-in"
session=$(awk '$6 == "caseflow_session" { print $7 }' "$jar")
[[ -n $session ]] || { echo "bench: could not sign in" >&2; cat "$work/serve.err" >&2; exit 1; }
cookie="Cookie: caseflow_session=$session"

chmod 755 "$work"
mkdir -m 755 "$work/www"
curl -sf -H "$cookie" "http://127.0.0.1:$port/caseload" >"$work/www/caseload.html"
curl -sf -H "$cookie" "http://127.0.0.1:$port/situations/3" >"$work/www/situation.html"
chmod 644 "$work"/www/*.html
nginx_port=$(free_port)
sed -e "s|@WORK@|$work|g" -e "s|@PORT@|$nginx_port|g" -e "s|@WORKERS@|$(nproc)|g" bench/http/nginx.conf.in >"$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" 2>"$work/nginx.out" &
nginx_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nginx_port/caseload.html" >/dev/null && break; sleep 0.1; done

run() { # label, url, [header]
  local label=$1 url=$2 header=${3:-} line
  local headers=()
  [[ -n $header ]] && headers=(-H "$header")
  line=$(wrk -t"$wrk_threads" -c"$connections" -d"$duration" --timeout 10s -s bench/http/report.lua "${headers[@]}" "$url" |
    grep '^RESULT')
  printf '%-44s %s\n' "$label" "${line#RESULT }"
}

echo "== $(nproc) CPUs; wrk -t$wrk_threads -c$connections -d$duration; caseflow $server_threads threads; nginx $(nproc) workers"
echo "   caseload $(stat -c %s "$work/www/caseload.html") bytes, situation page $(stat -c %s "$work/www/situation.html") bytes"
run "caseflow GET /caseload (coordinator)" "http://127.0.0.1:$port/caseload" "$cookie"
run "nginx    GET /caseload.html (same bytes)" "http://127.0.0.1:$nginx_port/caseload.html"
run "caseflow GET /situations/3" "http://127.0.0.1:$port/situations/3" "$cookie"
run "nginx    GET /situation.html (same bytes)" "http://127.0.0.1:$nginx_port/situation.html"
