#!/usr/bin/env bash
# Regenerates docs/cli.md from the binary's own help, so the reference cannot drift.
# Usage: scripts/generate-cli-doc.sh [CASEFLOW_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
"${1:-build/caseflow}" help --markdown > docs/cli.md
echo "wrote docs/cli.md"
