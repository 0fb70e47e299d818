# Sourced by bench/bench_http.sh and bench/bench_web.sh: a pilot database (the Namur samples,
# driven through their scenarios, signatures included) in $work/bench.db, as $CASEFLOW_DB.
# Needs $caseflow and $work.
echo "== a pilot database (the Namur samples, driven through their scenarios)"
export CASEFLOW_DB="$work/bench.db"
"$caseflow" init --network samples/namur/network.xml >/dev/null
keys="$work/keys"
mkdir -m 700 "$keys"
(umask 077 && openssl rand -base64 24 >"$keys/ca.password" && openssl rand -base64 24 >"$keys/signers.password")
"$caseflow" ca init --ca-key "$keys/network-ca.key" --ca-password-file "$keys/ca.password" >/dev/null
export CASEFLOW_SIGNING_KEYS="$keys" CASEFLOW_KEY_PASSWORD_FILE="$keys/signers.password"
export CASEFLOW_CA_KEY="$keys/network-ca.key" CASEFLOW_CA_PASSWORD_FILE="$keys/ca.password"
for situation in samples/namur/situations/*.xml; do "$caseflow" situation new "$situation" --as partner:bench >/dev/null; done
scripts/drive-scenarios.sh "$caseflow" "$CASEFLOW_DB" | tail -1
"$caseflow" user add "Bench Finance" --role finance >/dev/null
"$caseflow" user add "Bench Coordinator" --role coordinator >/dev/null
