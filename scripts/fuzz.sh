#!/usr/bin/env bash
# The sanitizer build and the fuzz targets (docs/fuzzing.md).
#   scripts/fuzz.sh build            configures and builds build-fuzz/: clang, ASan+UBSan, libFuzzer
#                                    coverage in every object; the test suite, the CLI and the fuzz
#                                    targets, all from the same objects
#   scripts/fuzz.sh TARGET SECONDS   builds, then fuzzes TARGET (situation_xml, event_data, json_body,
#                                    http_head, template, scxml) for SECONDS, and says how it went
#   scripts/fuzz.sh all SECONDS      each target in turn
# New interesting inputs are kept in build-fuzz/fuzz/corpus/TARGET (the seeds in fuzz/corpus/
# are not touched); a crash is written to build-fuzz/fuzz/artifacts/TARGET/ and the script fails.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(situation_xml event_data json_body http_head template scxml)
BUILD_DIR=${CASEFLOW_FUZZ_BUILD_DIR:-build-fuzz}

build() {
  CASEFLOW_BUILD_DIR=$BUILD_DIR CASEFLOW_BUILD_TYPE=Sanitize \
    CASEFLOW_CMAKE_ARGS="-DCMAKE_CXX_COMPILER=clang++ -DCASEFLOW_FUZZ=ON -DCASEFLOW_BENCH=OFF ${CASEFLOW_CMAKE_ARGS:-}" \
    bash scripts/setup.sh "$@"
}

fuzz() {
  local target=$1 seconds=$2
  local work=$BUILD_DIR/fuzz/corpus/$target artifacts=$BUILD_DIR/fuzz/artifacts/$target
  local log=$BUILD_DIR/fuzz/$target.log
  local inputs=(fuzz/corpus/"$target")
  [[ -d fuzz/regressions/$target ]] && inputs+=(fuzz/regressions/"$target")
  local seed_target seed_dir
  while read -r seed_target seed_dir; do
    [[ $seed_target == "$target" ]] && inputs+=("$seed_dir")
  done < <(grep -E '^[a-z_]+ ' fuzz/live-seeds.txt)
  local dictionary=()
  [[ -f fuzz/dict/$target.dict ]] && dictionary=(-dict=fuzz/dict/"$target".dict)
  mkdir -p "$work" "$artifacts"
  echo "== fuzzing $target for ${seconds}s"
  local status=0
  "$BUILD_DIR/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "${dictionary[@]}" "$work" "${inputs[@]}" >"$log" 2>&1 || status=$?
  local done_line runs speed
  done_line=$(grep -E '^#[0-9]+.*(DONE|cov:)' "$log" | tail -1 || true)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  echo "$target: ${runs:-?} executions, ${speed:-?}/s; coverage: $(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[^ ]+' <<<"$done_line" || echo '?')"
  if ((status != 0)); then
    echo "$target: FAILED (exit $status); the log is $log, the input in $artifacts/:" >&2
    grep -E 'ERROR|SUMMARY|property broken|Test unit written' "$log" | head -20 >&2 || true
    return "$status"
  fi
}

case "${1:-}" in
  build)
    build
    ;;
  all | situation_xml | event_data | json_body | http_head | template | scxml)
    [[ $# -eq 2 && $2 =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz.sh TARGET|all SECONDS" >&2; exit 2; }
    if [[ $1 == all ]]; then chosen=("${TARGETS[@]}"); else chosen=("$1"); fi
    build "${chosen[@]/#/fuzz_}"
    failed=0
    for target in "${chosen[@]}"; do fuzz "$target" "$2" || failed=1; done
    exit "$failed"
    ;;
  *)
    echo "usage: scripts/fuzz.sh build | scripts/fuzz.sh TARGET|all SECONDS" >&2
    echo "targets: ${TARGETS[*]}" >&2
    exit 2
    ;;
esac
