#!/usr/bin/env bash
# Prepares a situation for the later phases' browser tests (tests/web/later.test.mjs) on the
# browser server's database, with the same `caseflow` commands a coordinator would type:
#   later-prepare.sh held REFERENCE USER [PEDOPSYCHIATRIST]
#                                          registers a copy of sample 04 (Ciney) under REFERENCE
#                                          (its partner pedopsychiatrist renamed PEDOPSYCHIATRIST
#                                          when given), drives its scenario until the concertation
#                                          is held, assigns it to USER and prints its id;
#   later-prepare.sh adhesion ID           records the youth's adhesion to the agreed plan (the
#                                          consent form belongs to the first phases' pages).
# Needs CASEFLOW_CLI and CASEFLOW_WEB_STATE (the fixture's folder, whose web.db the server uses).
set -euo pipefail
caseflow=${CASEFLOW_CLI:?}
export CASEFLOW_DB="${CASEFLOW_WEB_STATE:?}/web.db"
samples="$(cd "$(dirname "$0")/../../samples/namur" && pwd)"
scenario="$samples/scenarios/04-ciney-twelve-returned.xml"

case ${1:?mode} in
held)
  reference=${2:?reference} user=${3:?user} doctor=${4:-Dr Els Vandenberghe}
  id=$(sed -e "s/KIR-26-004/$reference/" -e "s/Dr Els Vandenberghe/$doctor/" \
    "$samples/situations/04-ciney-twelve-returned.xml" |
    "$caseflow" situation new - --as partner:fixture | head -1)
  steps=$(xmllint --xpath 'count(/scenario/step)' "$scenario")
  for ((n = 1; n <= steps; n++)); do
    step="/scenario/step[$n]"
    [[ $(xmllint --xpath "string($step/@expect)" "$scenario") == refused ]] && continue
    event=$(xmllint --xpath "string($step/@event)" "$scenario")
    actor=$(xmllint --xpath "string($step/@actor)" "$scenario")
    date=$(xmllint --xpath "string($step/@date)" "$scenario")
    data=$(xmllint --xpath "$step/*" "$scenario" 2>/dev/null || true)
    if [[ -n $data ]]; then
      printf '%s' "$data" | CASEFLOW_TODAY=$date "$caseflow" event "$id" "$event" --as "$actor" --data - >/dev/null
    else
      CASEFLOW_TODAY=$date "$caseflow" event "$id" "$event" --as "$actor" >/dev/null
    fi
    [[ $(xmllint --xpath "string($step/@state)" "$scenario") == concertation-held ]] && break
  done
  "$caseflow" user assign "$user" --situations "$id" >/dev/null
  echo "$id"
  ;;
adhesion)
  id=${2:?id}
  step='/scenario/step[@event = "consent.recorded"][consent/@type = "plan-adhesion"][1]'
  xmllint --xpath "$step/*" "$scenario" |
    CASEFLOW_TODAY=$(xmllint --xpath "string($step/@date)" "$scenario") \
      "$caseflow" event "$id" consent.recorded --as "case_manager:Jeroen Goossens" --data - >/dev/null
  ;;
*)
  echo "usage: later-prepare.sh held REFERENCE USER [PEDOPSYCHIATRIST] | adhesion ID" >&2
  exit 2
  ;;
esac
