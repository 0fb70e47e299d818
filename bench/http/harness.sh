# The scaffolding both HTTP benchmarks share (sourced, not run): settings from the
# environment, wrk and nginx installed when missing, a temporary work directory removed with
# everything started when the script ends, caseflow serve and nginx on free loopback ports,
# and one wrk run printed as a table row. What must stay true: a benchmark compares caseflow
# with nginx serving the same bytes on the same machine in the same run, so the ratio means
# something on any machine.
# Sets: caseflow, duration, connections, wrk_threads, server_threads, work, port (caseflow),
# nginx_port (after start_nginx).
set -euo pipefail
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

work=$(mktemp -d /tmp/caseflow-bench.XXXXXX)
server_pid="" nginx_pid="" bench_failed=0
bench_cleanup() {
  [[ -n $server_pid ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [[ -n $nginx_pid ]] && kill -QUIT "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
  ((bench_failed == 0)) || exit 1
}
trap bench_cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_for() { # url: up to 5 s for it to answer
  for _ in $(seq 50); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done
  echo "bench: $1 did not answer" >&2
  return 1
}

start_caseflow() { # on the database $CASEFLOW_DB; sets port
  port=$(free_port)
  "$caseflow" serve --bind "127.0.0.1:$port" --threads "$server_threads" --access-log "$work/access.log" \
    >"$work/serve.out" 2>"$work/serve.err" &
  server_pid=$!
  wait_for "http://127.0.0.1:$port/health"
}

# The static twins live in $work/www. nginx's workers run as an unprivileged user: they need
# to traverse the work directory and read the files.
twin_folder() {
  chmod 755 "$work"
  mkdir -p -m 755 "$work/www"
}

start_nginx() { # first twin file name, to wait for; sets nginx_port
  chmod 644 "$work"/www/*
  nginx_port=$(free_port)
  sed -e "s|@WORK@|$work|g" -e "s|@PORT@|$nginx_port|g" -e "s|@WORKERS@|$(nproc)|g" bench/http/nginx.conf.in >"$work/nginx.conf"
  nginx -c "$work/nginx.conf" -p "$work" 2>"$work/nginx.out" &
  nginx_pid=$!
  wait_for "http://127.0.0.1:$nginx_port/$1"
}

run() { # label, url, [header]
  local label=$1 url=$2 header=${3:-} line
  local headers=()
  [[ -n $header ]] && headers=(-H "$header")
  line=$(wrk -t"$wrk_threads" -c"$connections" -d"$duration" --timeout 10s -s bench/http/report.lua "${headers[@]}" "$url" |
    grep '^RESULT')
  printf '%-44s %s\n' "$label" "${line#RESULT }"
  # The figures of the last run, for ratio (below).
  last_rps=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$line")
  last_p99=$(sed -E 's/.* p99_ms=([0-9.]+).*/\1/' <<<"$line")
  # A run answered with errors measures the error path, not the page: say so loudly.
  if [[ $line != *" errors=0 non2xx=0"* ]]; then
    echo "bench: $label answered errors or non-2xx statuses: these figures do not measure the page" >&2
    bench_failed=1
  fi
}

# With BENCH_PERF set, samples the server (call graphs) for as long as the next wrk run lasts.
profile() { # name
  [[ -n ${BENCH_PERF:-} ]] || return 0
  mkdir -p "$BENCH_PERF"
  perf record ${BENCH_PERF_CALLGRAPH:--g} -F 499 -p "$server_pid" -o "$BENCH_PERF/$1.perf.data" -- sleep "${duration%s}" >/dev/null 2>&1 &
}

# One line comparing two runs of the same bytes: caseflow's throughput as a fraction of the
# reference's, and both p99s (the figures issue 19 sets its targets on).
ratio() { # label, caseflow rps, caseflow p99, reference rps, reference p99
  printf '   ratio %-36s %.3fx (caseflow %s req/s p99 %s ms; nginx %s req/s p99 %s ms)\n' "$1" \
    "$(python3 -c "print($2 / $4)")" "$2" "$3" "$4" "$5"
}

print_setup() {
  echo "== $(nproc) CPUs; wrk -t$wrk_threads -c$connections -d$duration; caseflow $server_threads threads; nginx $(nproc) workers"
}
