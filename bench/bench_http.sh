#!/usr/bin/env bash
# HTTP benchmark of `caseflow serve` (not a test, not run in CI): requests per second and p99
# latency with wrk on loopback for GET /api/v1/envelopes/2026 and GET /api/v1/situations/3,
# next to nginx serving a static file of exactly the same size, on the same machine in the
# same run. Installs wrk and nginx-light with apt when they are missing (needs root), works
# in a temporary directory, and stops everything it started when it ends.
# Usage: bench/bench_http.sh   (env: CASEFLOW_BUILD_DIR=build, BENCH_DURATION=10s,
#        BENCH_CONNECTIONS=16, BENCH_WRK_THREADS=2, BENCH_SERVER_THREADS=16)
set -euo pipefail
cd "$(dirname "$0")/.."
caseflow=${CASEFLOW_BUILD_DIR:-build}/caseflow
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

work=$(mktemp -d /tmp/caseflow-bench.XXXXXX)
server_pid="" nginx_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [[ -n $nginx_pid ]] && kill -QUIT "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

source bench/http/pilot-db.sh
finance=$("$caseflow" token issue "Bench Finance" 2>/dev/null)
coordinator=$("$caseflow" token issue "Bench Coordinator" 2>/dev/null)

api_port=$(free_port)
"$caseflow" serve --bind "127.0.0.1:$api_port" --threads "$server_threads" --access-log "$work/access.log" \
  >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$api_port/health" >/dev/null && break; sleep 0.1; done

# The static twins: the API's own response bodies, byte for byte. nginx's workers run as an
# unprivileged user: they need to traverse the work directory and read the files.
chmod 755 "$work"
mkdir -m 755 "$work/www"
curl -sf -H "Authorization: Bearer $finance" "http://127.0.0.1:$api_port/api/v1/envelopes/2026" >"$work/www/envelope.json"
curl -sf -H "Authorization: Bearer $coordinator" "http://127.0.0.1:$api_port/api/v1/situations/3" >"$work/www/situation.json"
chmod 644 "$work"/www/*.json
nginx_port=$(free_port)
sed -e "s|@WORK@|$work|g" -e "s|@PORT@|$nginx_port|g" -e "s|@WORKERS@|$(nproc)|g" bench/http/nginx.conf.in >"$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" 2>"$work/nginx.out" &
nginx_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nginx_port/envelope.json" >/dev/null && break; sleep 0.1; done

run() { # label, url, [token]
  local label=$1 url=$2 token=${3:-} line
  local auth=()
  [[ -n $token ]] && auth=(-H "Authorization: Bearer $token")
  line=$(wrk -t"$wrk_threads" -c"$connections" -d"$duration" --timeout 10s -s bench/http/report.lua "${auth[@]}" "$url" |
    grep '^RESULT')
  printf '%-40s %s\n' "$label" "${line#RESULT }"
}

echo "== $(nproc) CPUs; wrk -t$wrk_threads -c$connections -d$duration; caseflow $server_threads threads; nginx $(nproc) workers"
echo "   envelope body $(stat -c %s "$work/www/envelope.json") bytes, situation body $(stat -c %s "$work/www/situation.json") bytes"
run "caseflow GET /api/v1/envelopes/2026" "http://127.0.0.1:$api_port/api/v1/envelopes/2026" "$finance"
run "nginx    GET /envelope.json (same size)" "http://127.0.0.1:$nginx_port/envelope.json"
run "caseflow GET /api/v1/situations/3" "http://127.0.0.1:$api_port/api/v1/situations/3" "$coordinator"
run "nginx    GET /situation.json (same size)" "http://127.0.0.1:$nginx_port/situation.json"
echo "   read log: $(sqlite3 "$CASEFLOW_DB" 'SELECT count(*) FROM read_log') situation reads recorded"
echo "   (every situation read is recorded in the read log: one durable write per request)"
"$caseflow" verify | sed 's/^/   /'
