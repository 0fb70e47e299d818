#!/usr/bin/env bash
# deploy/systemd/caseflow-backup.sh on PostgreSQL, for real (labels deploy and postgres,
# docs/deployment.md): on a database of the throwaway cluster (ctest fixture caseflow_postgres,
# CASEFLOW_TEST_POSTGRES_OWNER), the script dumps the database with pg_dump, restores the dump into
# a scratch database and verifies that copy against the head the previous run noted. Proven here:
# two good runs (the second against the first one's head, after more writes), the restored copy
# holding every event and refusing to change one like the original; a noted head the log lacks
# fails the run and leaves the dump named .failed; the live database verified when no scratch
# database is named; a pg_dump that fails leaves no file that looks like a backup.
# Usage: pg-backup-test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$(cd "$1" && pwd) build=$(cd "$2" && pwd)
caseflow=$build/caseflow
owner_url=${CASEFLOW_TEST_POSTGRES_OWNER:?run through ctest -L postgres: its fixture starts the throwaway cluster}
app_url=${CASEFLOW_TEST_POSTGRES:?run through ctest -L postgres: its fixture starts the throwaway cluster}
export CASEFLOW_DATA_DIR=$source_dir
work=$(mktemp -d /tmp/caseflow-pg-backup.XXXXXX)
live=cf_backup_$$ scratch=cf_restore_$$
# postgresql:///caseflow?host=...&user=... with another database name.
on() { sed -e "s|^postgresql:///[A-Za-z0-9_]*?|postgresql:///$2?|" <<<"$1"; }
cleanup() {
  psql -q -X "$owner_url" -c "DROP DATABASE IF EXISTS $live WITH (FORCE)" \
    -c "DROP DATABASE IF EXISTS $scratch WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAILED: $*" >&2
  for out in "$work"/*.out; do [[ -f $out ]] && { echo "--- $out" >&2; tail -n 20 "$out" >&2; }; done
  exit 1
}
check() { # DESCRIPTION COMMAND...
  local what=$1
  shift
  "$@" || fail "$what"
  echo "ok: $what"
}
sql() { psql -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }

# The live database, migrated by its owner and written by the application role as a server
# would; the scratch database, owned by the same owner, empty.
app_role=$(sed -e 's/.*[?&]user=\([A-Za-z0-9_]*\).*/\1/' <<<"$app_url")
sql "$owner_url" -c "CREATE DATABASE $live TEMPLATE template0 ENCODING 'UTF8'" \
  -c "GRANT CONNECT ON DATABASE $live TO $app_role" -c "CREATE DATABASE $scratch TEMPLATE template0 ENCODING 'UTF8'"
sql "$(on "$owner_url" "$live")" -c "GRANT USAGE ON SCHEMA public TO $app_role"
"$caseflow" init --network "$source_dir/samples/namur/network.xml" --db "$(on "$owner_url" "$live")" >/dev/null
register() { # STEM
  "$caseflow" situation new "$source_dir/samples/namur/situations/$1.xml" --as partner:backup-test \
    --db "$(on "$app_url" "$live")" >/dev/null
}
check "the application role writes to the live database" register 01-namur-early-childhood
read_first() { "$caseflow" situation show 1 --as coordinator:backup-test --db "$(on "$app_url" "$live")" >/dev/null; }
check "a coordinator's read of it is recorded in the read log" read_first

backup() { # [RESTORE_DB]
  CASEFLOW_BIN=$caseflow CASEFLOW_DB=$(on "$owner_url" "$live") CASEFLOW_BACKUP_DIR=$work/backups \
    CASEFLOW_BACKUP_KEEP=1 CASEFLOW_BACKUP_RESTORE_DB=${1:-} bash "$source_dir/deploy/systemd/caseflow-backup.sh"
}
# DATABASE -> how many events it holds and its head, as COUNT POSITION:HASH.
events() {
  sql "$(on "$owner_url" "$1")" -c "SELECT (SELECT count(*) FROM events) || ' ' || position || ':' || hash
    FROM events ORDER BY position DESC LIMIT 1"
}
# DATABASE -> the read log's head as ID:HASH, or - while it is empty (as the backup notes it).
reads() {
  sql "$(on "$owner_url" "$1")" -c "SELECT COALESCE((SELECT id || ':' || hash FROM read_log ORDER BY id DESC LIMIT 1), '-')"
}
# OUTPUT_FILE [RESTORE_DB]: a backup whose output goes to the file, for `check`.
backup_to() {
  local out=$1
  shift
  backup "$@" >"$out" 2>&1
}

check "the first backup dumps, restores into the scratch database and verifies the copy" \
  backup_to "$work/first.out" "$(on "$owner_url" "$scratch")"
check "the dump is kept under its final name" test "$(ls "$work/backups" | grep -c '\.dump$')" -eq 1
check "no partial or failed file is left" test "$(ls "$work/backups" | grep -c 'partial\|failed')" -eq 0
check "the restored copy holds the same events as the live database" test "$(events "$scratch")" = "$(events "$live")"
check "the head noted is the live database's head" \
  test "$(tail -n 1 "$work/backups/heads" | cut -d ' ' -f 3)" = "$(events "$live" | cut -d ' ' -f 2)"
check "the read log's head noted is the live database's" \
  test "$(tail -n 1 "$work/backups/heads" | cut -d ' ' -f 4)" = "$(reads "$live")"
if sql "$(on "$owner_url" "$scratch")" -c "UPDATE events SET actor = 'someone else'" >"$work/update.out" 2>&1; then
  fail "the restored copy let its owner change an event"
fi
check "the restored copy refuses to change an event, like the original" grep -q 'append-only' "$work/update.out"

check "the application role writes more" register 02-dinant-five-before-six
check "the second backup verifies its restored copy against the first one's head" \
  backup_to "$work/second.out" "$(on "$owner_url" "$scratch")"
check "both heads are noted" test "$(wc -l <"$work/backups/heads")" -eq 2
check "only the newest dump is kept (CASEFLOW_BACKUP_KEEP=1)" test "$(ls "$work/backups" | grep -c '\.dump$')" -eq 1
check "the restored copy has the new events" test "$(events "$scratch")" = "$(events "$live")"

# A head that is not in the log (another database's, or one cut off) fails the run.
echo "19700101T000000Z forged.dump 999999:$(printf '%064d' 0)" >>"$work/backups/heads"
if backup_to "$work/forged.out" "$(on "$owner_url" "$scratch")"; then
  fail "a backup whose dump lacks the noted head passed"
fi
check "a backup whose dump lacks the noted head fails, saying why" grep -q 'events were removed' "$work/forged.out"
check "its dump is named .failed" test "$(ls "$work/backups" | grep -c '\.dump\.failed$')" -eq 1
sed -i '$d' "$work/backups/heads"

check "without a scratch database, the live database is verified against the last head" backup_to "$work/live.out"
check "three heads are noted" test "$(wc -l <"$work/backups/heads")" -eq 3

if CASEFLOW_BIN=$caseflow CASEFLOW_DB=$(on "$owner_url" cf_no_such_database_$$) CASEFLOW_BACKUP_DIR=$work/backups \
  bash "$source_dir/deploy/systemd/caseflow-backup.sh" >"$work/missing.out" 2>&1; then
  fail "a backup of a database that does not exist passed"
fi
check "a failed pg_dump says so" grep -q 'pg_dump of the database failed' "$work/missing.out"
check "a failed pg_dump leaves no dump behind" test "$(ls "$work/backups" | grep -c 'partial\|\.dump$')" -eq 1
check "a failed pg_dump notes no head" test "$(wc -l <"$work/backups/heads")" -eq 3
