#!/usr/bin/env bash
# Files and lines of main (or test) Java per package at two commits, side by side, from scripts/package-sizes.sh:
#
#   scripts/package-sizes-diff.sh 94f8cfb            # that commit against the working tree, main sources
#   scripts/package-sizes-diff.sh 94f8cfb HEAD test  # two commits, test sources
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE="${1:?commit before}"
AFTER="${2:-}"
SOURCE="${3:-main}"

rows() { # module, package, files, lines as tab-separated fields of one source set
  bash scripts/package-sizes.sh "$1" | awk -F' \\| ' -v s="$SOURCE" '$2 == s { gsub(/^\| /, "", $1); gsub(/ \|$/, "", $5); print $1 "\t" $3 "\t" $4 "\t" $5 }'
}

echo "| module | package | files before | files after | lines before | lines after | lines change |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
join -t$'\t' -a1 -a2 -e0 -o 0,1.2,2.2,1.3,2.3 \
    <(rows "$BEFORE" | awk -F'\t' '{ print $1 " " $2 "\t" $3 "\t" $4 }' | sort -t$'\t' -k1,1) \
    <(rows "$AFTER" | awk -F'\t' '{ print $1 " " $2 "\t" $3 "\t" $4 }' | sort -t$'\t' -k1,1) \
  | awk -F'\t' '{ split($1, k, " "); printf "| %s | %s | %d | %d | %d | %d | %+d |\n", k[1], k[2], $2, $3, $4, $5, $5 - $4 }'
