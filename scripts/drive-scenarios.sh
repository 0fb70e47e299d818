#!/usr/bin/env bash
# Drives the sample situations through their pilot paths with plain `caseflow event` calls,
# one per scenario step (samples/namur/scenarios/*.xml). A step marked expect="refused"
# must be refused (exit 3) with exactly the rules it names; any other outcome stops the run.
# Usage: scripts/drive-scenarios.sh CASEFLOW_BINARY DATABASE [SAMPLES_DIR]
set -euo pipefail
caseflow=${1:?caseflow binary}
db=${2:?database file}
samples=${3:-"$(dirname "$0")/../samples/namur"}

declare -A ids=()
while read -r id reference; do ids[$reference]=$id; done < <(
  "$caseflow" situation list --db "$db" --json | python3 -c '
import json, sys
for s in json.load(sys.stdin): print(s["id"], s["reference"])')

accepted=0 refused=0
for scenario in "$samples"/scenarios/*.xml; do
  situation_file=$(xmllint --xpath 'string(/scenario/@situation)' "$scenario")
  reference=$(xmllint --xpath 'string(/situation/youth/reference)' "$samples/situations/$situation_file")
  id=${ids[$reference]:?"situation $reference of $scenario is not registered"}
  steps=$(xmllint --xpath 'count(/scenario/step)' "$scenario")
  for ((n = 1; n <= steps; n++)); do
    step="/scenario/step[$n]"
    event=$(xmllint --xpath "string($step/@event)" "$scenario")
    actor=$(xmllint --xpath "string($step/@actor)" "$scenario")
    date=$(xmllint --xpath "string($step/@date)" "$scenario")
    expect=$(xmllint --xpath "string($step/@expect)" "$scenario")
    rules=$(xmllint --xpath "string($step/@rules)" "$scenario")
    data=$(xmllint --xpath "$step/*" "$scenario" 2>/dev/null || true)
    set +e
    if [[ -n $data ]]; then
      output=$(printf '%s' "$data" | CASEFLOW_TODAY=$date "$caseflow" event "$id" "$event" --db "$db" --as "$actor" --data - 2>&1)
    else
      output=$(CASEFLOW_TODAY=$date "$caseflow" event "$id" "$event" --db "$db" --as "$actor" 2>&1)
    fi
    status=$?
    set -e
    if [[ $expect == refused ]]; then
      got=$(grep -oE '^  R[0-9]+' <<<"$output" | tr -d ' ' | sort -u | tr '\n' ' ' | sed 's/ $//')
      want=$(tr ' ' '\n' <<<"$rules" | sort -u | tr '\n' ' ' | sed 's/ $//')
      if [[ $status -ne 3 || $got != "$want" ]]; then
        echo "$(basename "$scenario") step $n ($event): expected refusal with $want, got exit $status:" >&2
        echo "$output" >&2
        exit 1
      fi
      printf '  %-4s %-12s %-24s refused as expected: %s\n' "$id" "$reference" "$event" "$got"
      refused=$((refused + 1))
    elif [[ $status -ne 0 ]]; then
      echo "$(basename "$scenario") step $n ($event) on $date failed (exit $status):" >&2
      echo "$output" >&2
      exit 1
    else
      accepted=$((accepted + 1))
    fi
  done
done
echo "scenarios driven: $accepted events accepted, $refused refused as expected"
