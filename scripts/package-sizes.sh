#!/usr/bin/env bash
# Files and lines of Java per module, source set (main/test) and package, as a Markdown table: the size tables of
# docs/package-sizes.md come from this script, never from hand counts.
#
#   scripts/package-sizes.sh              # the working tree
#   scripts/package-sizes.sh 94f8cfb      # any commit (counted from git, the working tree is not touched)
#   scripts/package-sizes.sh HEAD inception-example   # one module
#
# Lines are `wc -l` lines (comments and blank lines included); package-info.java counts as a file like any other.
set -euo pipefail
cd "$(dirname "$0")/.."
REV="${1:-}"
ONLY="${2:-}"

list_files() {
  if [ -z "$REV" ]; then
    git ls-files --cached --others --exclude-standard -- '*.java'
  else
    git ls-tree -r --name-only "$REV" -- . | grep '\.java$'
  fi
}

count_lines() {
  if [ -z "$REV" ]; then wc -l < "$1"; else git show "$REV:$1" | wc -l; fi
}

echo "| module | source | package | files | lines |"
echo "| --- | --- | --- | ---: | ---: |"
list_files | grep -E '^[^/]+/src/(main|test)/java/' | while read -r path; do
  module="${path%%/*}"
  if [ -n "$ONLY" ] && [ "$module" != "$ONLY" ]; then continue; fi
  rest="${path#*/src/}"
  source="${rest%%/*}"
  dir="$(dirname "${rest#*/java/}")"
  printf '%s\t%s\t%s\t%s\n' "$module" "$source" "${dir//\//.}" "$(count_lines "$path")"
done | awk -F'\t' '
  { k = $1 "|" $2 "|" $3; files[k]++; lines[k] += $4; t = $1 "|" $2; tfiles[t]++; tlines[t] += $4 }
  END {
    for (k in files) { split(k, p, "|"); printf "%s\t%s\t1%s\t| %s | %s | `%s` | %d | %d |\n", p[1], p[2], p[3], p[1], p[2], p[3], files[k], lines[k] }
    for (t in tfiles) { split(t, p, "|"); printf "%s\t%s\t2\t| %s | %s | **total** | %d | %d |\n", p[1], p[2], p[1], p[2], tfiles[t], tlines[t] }
  }' | sort -t$'\t' -k1,1 -k2,2 -k3,3 | cut -f4
