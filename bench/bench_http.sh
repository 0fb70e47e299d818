#!/usr/bin/env bash
# HTTP benchmark of `caseflow serve` (not a test, not run in CI): requests per second and p99
# latency with wrk on loopback for GET /api/v1/envelopes/2026 and GET /api/v1/situations/3,
# next to nginx serving a static file of exactly the same size, on the same machine in the
# same run. Installs wrk and nginx-light with apt when they are missing (needs root), works
# in a temporary directory, and stops everything it started when it ends.
# Usage: bench/bench_http.sh   (env: CASEFLOW_BUILD_DIR=build, BENCH_DURATION=10s,
#        BENCH_CONNECTIONS=16, BENCH_WRK_THREADS=2, BENCH_SERVER_THREADS=16,
#        BENCH_PERF=DIR: also profile the server with `perf record -g` during each caseflow run,
#        writing DIR/envelope.perf.data and DIR/situation.perf.data; BENCH_PERF_CALLGRAPH="--call-graph
#        dwarf,16384" instead of -g follows the stacks through libraries built without frame pointers)
cd "$(dirname "$0")/.."
source bench/http/harness.sh

source bench/http/pilot-db.sh
finance=$("$caseflow" token issue "Bench Finance" 2>/dev/null)
coordinator=$("$caseflow" token issue "Bench Coordinator" 2>/dev/null)

start_caseflow

# The static twins: the API's own response bodies, byte for byte.
twin_folder
curl -sf -H "Authorization: Bearer $finance" "http://127.0.0.1:$port/api/v1/envelopes/2026" >"$work/www/envelope.json"
curl -sf -H "Authorization: Bearer $coordinator" "http://127.0.0.1:$port/api/v1/situations/3" >"$work/www/situation.json"
start_nginx envelope.json

print_setup
echo "   envelope body $(stat -c %s "$work/www/envelope.json") bytes, situation body $(stat -c %s "$work/www/situation.json") bytes"
profile envelope
run "caseflow GET /api/v1/envelopes/2026" "http://127.0.0.1:$port/api/v1/envelopes/2026" "Authorization: Bearer $finance"
envelope_rps=$last_rps envelope_p99=$last_p99
run "nginx    GET /envelope.json (same size)" "http://127.0.0.1:$nginx_port/envelope.json"
ratio "envelope" "$envelope_rps" "$envelope_p99" "$last_rps" "$last_p99"
profile situation
run "caseflow GET /api/v1/situations/3" "http://127.0.0.1:$port/api/v1/situations/3" "Authorization: Bearer $coordinator"
situation_rps=$last_rps situation_p99=$last_p99
run "nginx    GET /situation.json (same size)" "http://127.0.0.1:$nginx_port/situation.json"
ratio "situation (read logged)" "$situation_rps" "$situation_p99" "$last_rps" "$last_p99"
metrics=$(curl -sf -H "Authorization: Bearer $finance" "http://127.0.0.1:$port/metrics")
metric() { grep -F "$1} " <<<"$metrics" | sed "s/.*} //"; }
echo "   read log group commit: $(metric 'caseflow_read_log_total{count="reads"') reads in $(metric 'caseflow_read_log_total{count="commits"') commits, largest batch $(metric 'caseflow_read_log_largest_batch{since="start"')"
echo "   view cache: $(metric 'caseflow_view_cache_total{outcome="hit"') hits, $(metric 'caseflow_view_cache_total{outcome="miss"') misses"
echo "   read log: $(sqlite3 "$CASEFLOW_DB" 'SELECT count(*) FROM read_log') situation reads recorded"
echo "   (every situation read is recorded in the read log before its answer leaves: durable, group-committed)"
"$caseflow" verify | sed 's/^/   /'
