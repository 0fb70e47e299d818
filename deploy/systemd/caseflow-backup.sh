#!/usr/bin/env bash
# One backup of caseflow's database and its proof, run by caseflow-backup.service (and by
# tests/deploy/nginx-test.sh). SQLite: `caseflow backup` (online, consistent while the service
# writes), then `caseflow verify --expect-head` on the copy itself. PostgreSQL: `pg_dump
# --format=custom` (one consistent snapshot while the servers write), then, when
# CASEFLOW_BACKUP_RESTORE_DB names a scratch database, the dump restored into it and `caseflow
# verify --expect-head` on that copy (the dump itself is proven); without it, `caseflow verify
# --expect-head` on the live database. The heads each run proves (the event log's, and the
# read log's: `--expect-read-head`) are appended to $CASEFLOW_BACKUP_DIR/heads and printed (the
# journal); copy it off this machine too (docs/deployment.md): only a head kept elsewhere shows
# a log cut after its newest events, or read records removed after the newest ones.
# What must stay true: a failed copy or verify exits non-zero and leaves no file that looks
# like a good backup; only backups that passed verify count towards the ones kept.
set -euo pipefail

caseflow=${CASEFLOW_BIN:-caseflow}
db=${CASEFLOW_DB:?CASEFLOW_DB names the database (a file, or postgresql://...)}
# PostgreSQL only: a database the backup may empty and fill with each dump (its owner's address).
restore_db=${CASEFLOW_BACKUP_RESTORE_DB:-}
dir=${CASEFLOW_BACKUP_DIR:?CASEFLOW_BACKUP_DIR names the backup directory}
keep=${CASEFLOW_BACKUP_KEEP:-14}
heads=$dir/heads
mkdir -p "$dir"
# Named by the second; a second run within the same second (by hand, right after the timer's)
# waits for the next one rather than failing on the existing name.
stamp=$(date -u +%Y%m%dT%H%M%SZ)
while compgen -G "$dir/caseflow-$stamp.*" >/dev/null; do
  sleep 1
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
done

# The heads the previous run proved: every event and every read record up to them must still
# be there, unchanged. A line is "STAMP FILE EVENT-HEAD READ-HEAD"; the read head is "-" while
# the read log is empty, and absent from lines written before it was noted.
expect=()
if [[ -s $heads ]]; then
  read -r _ _ event_head read_head _ < <(tail -n 1 "$heads")
  expect=(--expect-head "$event_head")
  if [[ -n ${read_head:-} && $read_head != - ]]; then expect+=(--expect-read-head "$read_head"); fi
fi

verify() { # DATABASE -> prints "POSITION:HASH ID:HASH" (its heads), or fails naming every problem
  local report
  if ! report=$("$caseflow" verify --db "$1" "${expect[@]}" --json --lang en); then
    echo "caseflow-backup: verify failed on $1:" >&2
    echo "$report" >&2
    return 1
  fi
  python3 -c 'import json,sys
r = json.load(sys.stdin)
read = str(r["readHeadId"]) + ":" + r["readHeadHash"] if r["readHeadId"] else "-"
print(str(r["headPosition"]) + ":" + r["headHash"] + " " + read)' <<<"$report"
}

case $db in
  postgresql://* | postgres://*)
    # The address of a role that may read every table (the owner's, or a backup role's); the
    # password, if any, comes from ~/.pgpass or PGPASSFILE, never from the address.
    file=$dir/caseflow-$stamp.dump
    if ! pg_dump --format=custom --file="$file.partial" "$db"; then
      rm -f "$file.partial"
      echo "caseflow-backup: pg_dump of the database failed" >&2
      exit 1
    fi
    if [[ -n $restore_db ]]; then
      # The copy replaces whatever the scratch database held; no owner or grants are restored
      # (they name the live roles), so the scratch database's owner owns the copy. Triggers and
      # constraints come after the rows in a custom dump, so the append-only triggers do not
      # refuse the restore, and the copy refuses changes afterwards like the original.
      if ! pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --single-transaction \
        --dbname="$restore_db" "$file.partial"; then
        mv "$file.partial" "$file.failed"
        echo "caseflow-backup: the dump does not restore into the scratch database" >&2
        exit 1
      fi
      proven=$restore_db
    else
      # The dump is the data as of its snapshot; what verify proves here is that the live log
      # still holds every event of the previous head. Restore a dump now and then by hand.
      proven=$db
    fi
    if ! head=$(verify "$proven"); then
      mv "$file.partial" "$file.failed"
      exit 1
    fi
    mv "$file.partial" "$file"
    ;;
  *)
    file=$dir/caseflow-$stamp.db
    "$caseflow" backup "$file" --db "$db"
    if ! head=$(verify "$file"); then
      mv "$file" "$file.failed"
      exit 1
    fi
    ;;
esac

echo "$stamp $(basename "$file") $head" >>"$heads"
echo "caseflow-backup: $file verified, heads (events, reads) $head"

# Keep the newest $keep verified backups (failed ones stay, named .failed, for a look).
mapfile -t old < <(ls -1 "$dir" | grep -E '^caseflow-[0-9TZ]+\.(db|dump)$' | sort -r | tail -n +$((keep + 1)))
for name in "${old[@]}"; do rm -f -- "$dir/$name"; done
