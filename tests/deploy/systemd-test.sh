#!/usr/bin/env bash
# The shipped systemd units pass `systemd-analyze verify` with nothing to say (an unknown or
# misspelt directive is only a warning there, so any output fails this test), and the service's
# hardening keeps systemd's exposure score at most 2.0 ("OK"). Both run offline, in a throwaway
# root holding the units where they are installed, systemd's own units, and the files the
# units execute (label deploy, docs/deployment.md).
# Usage: systemd-test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$(cd "$1" && pwd) build=$(cd "$2" && pwd)
root=$(mktemp -d /tmp/caseflow-systemd.XXXXXX)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/etc/systemd/system" "$root/usr/lib/systemd" "$root/opt/caseflow/bin" "$root/opt/caseflow/deploy/systemd"
cp -r /lib/systemd/system "$root/usr/lib/systemd/"
cp "$source_dir"/deploy/systemd/caseflow*.service "$source_dir"/deploy/systemd/caseflow*.timer "$root/etc/systemd/system/"
ln "$build/caseflow" "$root/opt/caseflow/bin/caseflow" 2>/dev/null || cp "$build/caseflow" "$root/opt/caseflow/bin/caseflow"
cp "$source_dir/deploy/systemd/caseflow-backup.sh" "$root/opt/caseflow/deploy/systemd/"

units=(/etc/systemd/system/caseflow.service /etc/systemd/system/caseflow-backup.service
  /etc/systemd/system/caseflow-backup.timer)
said=$(systemd-analyze verify --root="$root" "${units[@]}" 2>&1) || { echo "$said" >&2; exit 1; }
if [[ -n $said ]]; then
  echo "systemd-analyze verify has something to say about the shipped units:" >&2
  echo "$said" >&2
  exit 1
fi
echo "ok: systemd-analyze verify accepts the three units silently"
for unit in caseflow.service caseflow-backup.service; do
  systemd-analyze security --offline=true --root="$root" --threshold=20 "/etc/systemd/system/$unit" | tail -n 1
done
