#!/usr/bin/env bash
# The database stays behind store/: no file of the engine outside engine/store/ may hold SQL
# (a string literal with SELECT, INSERT INTO, UPDATE ... SET, DELETE FROM, CREATE/DROP/ALTER
# TABLE..., PRAGMA, BEGIN), name sqlite3 (its header, its functions, its handle), use
# store::Statement, or prepare/exec SQL on a database. Each finding is printed as
# file:line: what, then the line; the exit status is 1 when there is any.
#
# Usage: scripts/check-layers.sh [ENGINE_DIR]   (default: engine/ next to this script)
# Tests are not checked: they open the database themselves to forge the corruption that
# verify must find. ctest runs this (label fast), and once over tests/layering/sql-outside-store,
# a tree built to break every rule, to prove that the check can fail.
set -euo pipefail

engine=${1:-$(cd "$(dirname "$0")/.." && pwd)/engine}
[[ -d $engine ]] || { echo "check-layers: no directory $engine" >&2; exit 2; }

# Each rule: a label and an extended regular expression (grep -E), matched line by line.
rules=(
  'SQL in a string literal|"[^"]*\b(SELECT|INSERT[[:space:]]+(OR[[:space:]]+[A-Z]+[[:space:]]+)?INTO|UPDATE[[:space:]]+[A-Za-z_]+[[:space:]]+SET|DELETE[[:space:]]+FROM|(CREATE|DROP|ALTER)[[:space:]]+(TABLE|INDEX|TRIGGER|VIEW)|PRAGMA[[:space:]]+[a-z_]+[[:space:]]*(=|"|;|\()|BEGIN([[:space:]]+(IMMEDIATE|EXCLUSIVE|DEFERRED))?[[:space:]]*"|COMMIT[[:space:]]*"|ROLLBACK)\b'
  'SQL parameter in a string literal|"[^"]*[ (,=]\?[1-9]'
  'sqlite3 used directly|sqlite3'
  'store::Statement used|store::Statement\b|#include[[:space:]]+"store/Statement\.h"'
  'SQL prepared or run on a database|(\.|->)(prepare|exec)[[:space:]]*\('
)

found=0
while IFS= read -r -d '' file; do
  relative=${file#"$engine"/}
  [[ $relative == store/* ]] && continue
  for rule in "${rules[@]}"; do
    label=${rule%%|*}
    pattern=${rule#*|}
    while IFS= read -r hit; do
      [[ -z $hit ]] && continue
      line=${hit%%:*}
      text=${hit#*:}
      echo "$file:$line: $label: ${text#"${text%%[![:space:]]*}"}"
      found=1
    done < <(grep -nE -- "$pattern" "$file" || true)
  done
done < <(find "$engine" -type f \( -name '*.cpp' -o -name '*.h' \) -print0 | sort -z)

if (( found )); then
  echo "check-layers: the database must stay behind engine/store/ (docs/architecture.md, \"The database behind store/\")" >&2
  exit 1
fi
echo "check-layers: no SQL and no sqlite3 outside engine/store/"
