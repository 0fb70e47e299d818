#!/usr/bin/env bash
# Drives the sample situations through their pilot paths with plain `caseflow event` calls,
# one per scenario step (samples/namur/scenarios/*.xml). A step marked expect="refused"
# must be refused (exit 3) with exactly the rules it names; any other outcome stops the run.
# After each step the situation must be in the workflow state the step's state="..." names
# (read back with `caseflow state --json`), so a path that drifts stops at the first step
# where it leaves the scenario.
# A step with signedBy="role:Name" is signed (issue 6): `caseflow plan sign` for plan.signed,
# `caseflow decision sign` for a budget decision, with that person's key file from
# $CASEFLOW_SIGNING_KEYS (a directory) and the password in $CASEFLOW_KEY_PASSWORD_FILE. A
# missing key file is issued on first use (`caseflow signer add`) when $CASEFLOW_CA_KEY and
# $CASEFLOW_CA_PASSWORD_FILE name the network's CA key and its password file.
# Usage: scripts/drive-scenarios.sh CASEFLOW_BINARY DATABASE [SAMPLES_DIR]
set -euo pipefail
caseflow=${1:?caseflow binary}
db=${2:?database file}
samples=${3:-"$(dirname "$0")/../samples/namur"}

# The key file of a signer: pedopsychiatrist:Dr Hélène Marchal -> pedopsychiatrist-dr-helene-marchal.p12
key_file() {
  python3 -c 'import re, sys, unicodedata
name = unicodedata.normalize("NFKD", sys.argv[1]).encode("ascii", "ignore").decode().lower()
print(re.sub(r"[^a-z0-9]+", "-", name).strip("-") + ".p12")' "$1"
}

signing_key() { # prints the key file of signer $1, issuing it first if needed
  local signer=$1 keys=${CASEFLOW_SIGNING_KEYS:?"signed steps need CASEFLOW_SIGNING_KEYS (see scripts/pilot.sh)"}
  local file
  file="$keys/$(key_file "$signer")"
  if [[ ! -f $file ]]; then
    : "${CASEFLOW_CA_KEY:?"no key file $file and no CASEFLOW_CA_KEY to issue it"}"
    "$caseflow" signer add "${signer#*:}" --role "${signer%%:*}" --db "$db" -o "$file" \
      --ca-key "$CASEFLOW_CA_KEY" --ca-password-file "${CASEFLOW_CA_PASSWORD_FILE:?}" \
      --password-file "${CASEFLOW_KEY_PASSWORD_FILE:?}" >/dev/null
  fi
  printf '%s' "$file"
}

state_of() { # the workflow state situation $1 is in
  "$caseflow" state "$1" --db "$db" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["state"])'
}

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
    signed_by=$(xmllint --xpath "string($step/@signedBy)" "$scenario")
    want_state=$(xmllint --xpath "string($step/@state)" "$scenario")
    data=$(xmllint --xpath "$step/*" "$scenario" 2>/dev/null || true)
    key=""
    [[ -n $signed_by ]] && key=$(signing_key "$signed_by")
    set +e
    if [[ -n $signed_by && $event == plan.signed ]]; then
      output=$(CASEFLOW_TODAY=$date "$caseflow" plan sign "$id" --db "$db" --as "$actor" --key "$key" \
        --password-file "$CASEFLOW_KEY_PASSWORD_FILE" 2>&1)
    elif [[ -n $signed_by ]]; then
      output=$(printf '%s' "$data" | CASEFLOW_TODAY=$date "$caseflow" decision sign "$id" --db "$db" --as "$actor" \
        --key "$key" --password-file "$CASEFLOW_KEY_PASSWORD_FILE" --data - 2>&1)
    elif [[ -n $data ]]; then
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
    if [[ -n $want_state ]]; then
      got_state=$(state_of "$id")
      if [[ $got_state != "$want_state" ]]; then
        echo "$(basename "$scenario") step $n ($event): situation $id should be in '$want_state', is in '$got_state'" >&2
        exit 1
      fi
    fi
  done
  printf '  %-4s %-12s %3d steps, now %s\n' "$id" "$reference" "$steps" "$(state_of "$id")"
done
echo "scenarios driven: $accepted events accepted, $refused refused as expected"
