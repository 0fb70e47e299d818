#!/usr/bin/env bash
# Installs every Debian 12 package caseflow needs to build, test and run, then builds it.
# Idempotent: packages already present are not fetched again, a configured build is reused.
# Usage: scripts/setup.sh [TARGET...]   (default: everything; the main job builds `caseflow`)
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config ninja-build
  libxml2-dev libxml2-utils libxslt1-dev xsltproc
  libpoco-dev libssl-dev
  libsqlite3-dev sqlite3
  # the allocator every executable links (CMakeLists.txt, CASEFLOW_MIMALLOC)
  libmimalloc-dev
  libboost-locale-dev libicu-dev tzdata
  catch2 gettext
  xmlsec1 libxmlsec1-dev openssl
  weasyprint hyphen-fr hyphen-nl poppler-utils fonts-dejavu-core
  # LibreOffice headless, for the check that every document's ODT converts (label libreoffice):
  # Writer without the GUI is the smallest set that runs `soffice --headless --convert-to pdf`
  # (46 packages, 83 MB to fetch, 253 MB installed, about 20 s with --no-install-recommends)
  libreoffice-writer-nogui
  graphviz unzip python3-jinja2
  ccache
  # the sanitizer build and the fuzz targets (scripts/fuzz.sh): clang, its ASan, UBSan and libFuzzer runtimes
  clang libclang-rt-14-dev
  # the web application: Argon2id passwords (libsodium); its browser tests (label browser):
  # Debian's Chromium driven by npm's playwright-core (tests/web/package-lock.json)
  libsodium-dev chromium
  # the PostgreSQL backend (docs/postgresql.md): libpq to build, the server for the postgres tests'
  # throwaway cluster (scripts/pg-cluster.sh)
  postgresql libpq-dev
)
# Node.js and npm: Debian's nodejs and npm, unless a Node.js that brings its own npm is there
# already (NodeSource's nodejs conflicts with Debian's npm package).
command -v node >/dev/null || PACKAGES+=(nodejs)
command -v npm >/dev/null || PACKAGES+=(npm)

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "caseflow setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi

# The browser tests' npm packages, exactly as the lock file pins them (nothing else is fetched).
if [[ ! -d tests/web/node_modules ]]; then
  (cd tests/web && npm ci --no-audit --no-fund)
fi

BUILD_DIR=${CASEFLOW_BUILD_DIR:-build}
BUILD_TYPE=${CASEFLOW_BUILD_TYPE:-RelWithDebInfo}
# A compiler cache shared by every checkout on this machine: a second clone (CI, a worktree)
# recompiles only what differs. Paths are hashed relative to the checkout.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
  ${CASEFLOW_CMAKE_ARGS:-} >/dev/null
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build "$BUILD_DIR" -j "$(nproc)" "${targets[@]}"
