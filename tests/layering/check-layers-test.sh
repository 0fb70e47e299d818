#!/usr/bin/env bash
# Proves that scripts/check-layers.sh can fail: over sql-outside-store/, a tree whose
# service/Leaky.cpp breaks each rule once per line, it must exit 1 and name every one of those
# lines as file:line, and say nothing about store/ (where SQL belongs) or the prose line.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=$here/sql-outside-store
output=$("$here/../../scripts/check-layers.sh" "$tree" 2>&1)
status=$?
fail() { echo "check-layers-test: $1"; echo "--- output:"; echo "$output"; exit 1; }
(( status == 1 )) || fail "expected exit status 1, got $status"
leaky=$tree/service/Leaky.cpp
for expected in "3: store::Statement used" "4: sqlite3 used directly" "7: SQL in a string literal" \
                "7: SQL prepared or run on a database" "8: SQL in a string literal" \
                "8: SQL prepared or run on a database" "9: SQL parameter in a string literal" \
                "10: store::Statement used" "11: SQL in a string literal"; do
  grep -qF "$leaky:$expected" <<<"$output" || fail "no finding '$leaky:$expected'"
done
grep -q "Leaky.cpp:12:" <<<"$output" && fail "the prose line 12 was reported"
grep -q "store/Allowed.cpp" <<<"$output" && fail "store/ was reported"
echo "check-layers-test: every planted violation was named, store/ was left alone"
