#!/usr/bin/env bash
# Ends the browser tests' server (see start-server.sh): SIGTERM, which lets it finish requests.
# Usage: stop-server.sh STATE_DIR
set -euo pipefail
state=$1
[[ -f $state/pid ]] || exit 0
pid=$(cat "$state/pid")
kill -TERM "$pid" 2>/dev/null || exit 0
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done
kill -KILL "$pid" 2>/dev/null || true
