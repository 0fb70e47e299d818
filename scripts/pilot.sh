#!/usr/bin/env bash
# The main job: installs and builds caseflow, then runs the Namur pilot on the bundled
# samples in a fresh SQLite database under out/: creates the network's signature authority,
# registers the 14 sample situations (two of them are redirected), drives the 12 pilot
# situations through their scenario steps (refusals included; care plans signed by their
# pedopsychiatrists, budget decisions by the coordinator, with keys issued under out/keys/),
# prints where each one stands and the envelope, and checks exported signatures the way an
# outsider would (xmlsec1 and the network's CA certificate).
# Then it renders every document, writes the committee report, gives the sample users their
# web logins and serves the API and the web application on $CASEFLOW_PILOT_BIND (default
# 127.0.0.1:8080) until Ctrl-C, printing the address and the logins; CASEFLOW_PILOT_SERVE=0
# stops before serving. Re-running starts from a clean out/ and gives the same result.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh caseflow
BUILD_DIR=${CASEFLOW_BUILD_DIR:-build}
caseflow="$BUILD_DIR/caseflow"
out=${CASEFLOW_OUT:-out}

rm -rf "$out"
mkdir -p "$out"
export CASEFLOW_DB="$out/pilot.db"

echo "== 1. a database for the Namur network"
"$caseflow" init --network samples/namur/network.xml

echo "== 2. the network's signature authority (R11: signed care plans, R16: signed decisions)"
keys="$out/keys"
mkdir -m 700 "$keys"
(umask 077 && openssl rand -base64 24 >"$keys/ca.password" && openssl rand -base64 24 >"$keys/signers.password")
"$caseflow" ca init --ca-key "$keys/network-ca.key" --ca-password-file "$keys/ca.password"
# drive-scenarios.sh issues each signer's key file here on first use.
export CASEFLOW_SIGNING_KEYS="$keys" CASEFLOW_KEY_PASSWORD_FILE="$keys/signers.password"
export CASEFLOW_CA_KEY="$keys/network-ca.key" CASEFLOW_CA_PASSWORD_FILE="$keys/ca.password"

echo "== 3. registering the sample situations (phase 1: eligibility, R1 and R3)"
for situation in samples/namur/situations/*.xml; do
  # The id on the first line, then the outcome (never silent: a redirection says why and where).
  output=$("$caseflow" situation new "$situation" --as partner:pilot)
  id=${output%%$'\n'*}
  printf '  %-3s %-40s %s\n' "$id" "$(basename "$situation")" "$(tail -n +2 <<<"$output" | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n/ — /g')"
done

echo "== 4. driving the pilot situations through their phases"
scripts/drive-scenarios.sh "$caseflow" "$CASEFLOW_DB"

echo "== 5. where each situation stands, and the money asked for, granted and paid"
"$caseflow" situation list
echo
"$caseflow" envelope --year 2026

echo "== 6. the audit trail is intact"
"$caseflow" verify
echo

echo "== 7. signatures, checked as an outsider would (xmlsec1 and the network's CA certificate)"
"$caseflow" signer list
mkdir -p "$out/signed"
"$caseflow" ca export -o "$out/network-ca.pem"
"$caseflow" plan export-signed 1 -o "$out/signed/plan-1.xml"
"$caseflow" decision export-signed 1 -o "$out/signed/decision-1.xml"
for file in "$out/signed/plan-1.xml" "$out/signed/decision-1.xml"; do
  xmlsec1 --verify --trusted-pem "$out/network-ca.pem" "$file" >/dev/null 2>&1 ||
    { echo "xmlsec1 refused $file" >&2; exit 1; }
  echo "  xmlsec1: $file OK"
done
"$caseflow" verify-signature "$out/signed/plan-1.xml"
echo

echo "== 8. every document of every situation, in fr, nl and fr+nl, as HTML, PDF/A and ODT"
"$caseflow" render --all --out "$out/documents"

echo "== 9. the steering committee's report (anonymised)"
for format in html pdf odt csv; do
  "$caseflow" report committee --year 2026 --as committee:pilot --lang fr+nl --format "$format" \
    --output "$out/committee-report-2026.$format"
done

echo
echo "database: $CASEFLOW_DB  (try: $caseflow events 4 --db $CASEFLOW_DB)"
echo "documents: $out/documents   report: $out/committee-report-2026.pdf"

# The sample users sign in to the web application with these passwords (a demonstration
# database: on a real one each person chooses theirs, `caseflow user password NAME`).
# name|role|situations|language|password
sample_users='Marc Lambert|coordinator||fr|pilot-coordinator
Élodie Massart|case_manager|12|fr|pilot-case-manager
Jeroen Goossens|case_manager|4|nl|pilot-casemanager-nl
Nathalie Piron|finance||fr|pilot-finance
Comité d'"'"'accompagnement|committee||fr|pilot-committee'
while IFS='|' read -r name role situations language password; do
  if [[ -n $situations ]]; then
    "$caseflow" user add "$name" --role "$role" --situations "$situations" >/dev/null
  else
    "$caseflow" user add "$name" --role "$role" >/dev/null
  fi
  printf '%s\n' "$password" | "$caseflow" user password "$name" --lang "$language" >/dev/null
done <<<"$sample_users"

if [[ ${CASEFLOW_PILOT_SERVE:-1} == 1 ]]; then
  bind=${CASEFLOW_PILOT_BIND:-127.0.0.1:8080}
  echo "== 10. the HTTP API on $bind (Ctrl-C to stop); the sample users' tokens:"
  for user in "coordinator:Marc Lambert" "finance:Nathalie Piron" "committee:Comité d'accompagnement"; do
    role=${user%%:*} name=${user#*:}
    printf '  %-12s %s  %s\n' "$role" "$("$caseflow" token issue "$name" 2>/dev/null)" "$name"
  done
  echo "  try: curl -H 'Authorization: Bearer TOKEN' http://$bind/api/v1/envelopes/2026"
  echo "       curl -H 'Authorization: Bearer TOKEN' 'http://$bind/api/v1/funding-requests?state=budget-check'"
  echo "       curl -H 'Authorization: Bearer TOKEN' 'http://$bind/api/v1/reports/committee?year=2026&format=csv'"
  echo "  (the committee's token reads the report, the finance token the funding requests; docs/api.md)"
  echo
  echo "== 11. the web application: open http://$bind/ in a browser (docs/web.md) and sign in as"
  while IFS='|' read -r name role situations language password; do
    printf '  %-26s password %-22s (%s, %s)\n' "$name" "$password" "$role" "$language"
  done <<<"$sample_users"
  exec "$caseflow" serve --bind "$bind"
fi
