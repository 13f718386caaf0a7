#!/usr/bin/env bash
# Candidates for dead code in one module's main sources, found as text (no compiler): classes that no other main file
# names outside comments and imports, and methods whose name appears only once (its declaration) in all main sources
# of the project. A row is a place to look, not a verdict: DL4J/DataVec/Arbiter interface methods that the framework
# calls, and Jackson setters, are listed too and stay. The usage count in tests is shown beside each method.
#
#   scripts/unused-members.sh inception-example
set -euo pipefail
cd "$(dirname "$0")/.."
MODULE="${1:?module folder, e.g. inception-example}"
MAIN="$MODULE/src/main/java"

echo "# classes no other main file uses"
find "$MAIN" -name '*.java' | sort | while read -r file; do
  class="$(basename "$file" .java)"
  uses="$(grep -rw "$class" --include='*.java' "$MAIN" | grep -v "^$file:" | grep -vE ':\s*(\*|//|import )' | wc -l || true)"
  if [ "$uses" = 0 ]; then echo "$class ($file)"; fi
done

echo "# methods named only once in all main sources (name, main occurrences, test occurrences)"
grep -rhoE '^ +(public|protected|private|static|default|final|abstract|synchronized)[^=;(]* [a-z][A-Za-z0-9]*\(' \
    --include='*.java' "$MAIN" | grep -oE '[a-z][A-Za-z0-9]*\($' | tr -d '(' | sort -u | while read -r method; do
  case "$method" in main|call|run|toString|equals|hashCode|close|get|apply|accept|iterator|next|hasNext|compare) continue;; esac
  in_main="$(grep -rhoE "(\b|::)$method\b" --include='*.java' */src/main 2>/dev/null | wc -l || true)"
  in_test="$(grep -rhoE "(\b|::)$method\b" --include='*.java' */src/test 2>/dev/null | wc -l || true)"
  if [ "$in_main" -le 1 ]; then echo "$method main=$in_main test=$in_test"; fi
done
