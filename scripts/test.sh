#!/usr/bin/env bash
# Installs what is needed, builds, and runs the whole test suite under ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BUILD_DIR=${CASEFLOW_BUILD_DIR:-build}
# Each test has its label's timeout (docs/testing.md); --timeout only bounds what has none.
# CASEFLOW_CTEST_ARGS adds ctest options, e.g. "-L ^fast$" or "-LE ^libreoffice$".
# shellcheck disable=SC2086 # the options are words on purpose
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" --timeout 600 ${CASEFLOW_CTEST_ARGS:-}
