#!/usr/bin/env bash
# The README's main job (scripts/run-default.sh) at an earlier commit and now, one after the other on this machine,
# each timed whole (its jar built beforehand, so the time is the script's own incremental build check plus `train`).
#   git worktree add /tmp/before 22e3377          # 22e3377: the code when issue 21 was filed
#   (cd /tmp/before && mvn -B -ntp -q package -DskipTests -pl inception-example -am)
#   bash scripts/main-job-side-by-side.sh /tmp/before > docs/benchmarks/e2e/main-job-side-by-side-DATE.txt
# Each run writes runs/default of its own checkout: move an existing one aside first (train refuses to overwrite it).
set -uo pipefail
BEFORE=${1:?usage: main-job-side-by-side.sh BEFORE_CHECKOUT [AFTER_CHECKOUT]}
AFTER=${2:-$(cd "$(dirname "$0")/.." && pwd)}
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"; lscpu | grep -E 'Model name|^CPU\(s\)'
echo "vector flags: $(grep -o -w -E 'avx2|avx512f|avx512bw|avx512vl|avx512_vnni|avx512_bf16|fma' /proc/cpuinfo | sort -u | tr '\n' ' ')"
for dir in "$BEFORE" "$AFTER"; do
  echo "=== $dir at $(git -C "$dir" log -1 --format='%h %s' | cut -c1-90): bash scripts/run-default.sh (jar already built)"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); start $(date -u '+%H:%M:%S')"
  s=$(date +%s)
  (cd "$dir" && bash scripts/run-default.sh 2>&1 | grep -v -E 'WARN|^\s*$' | tail -25)
  e=$(date +%s)
  echo "end $(date -u '+%H:%M:%S'); whole script: $((e - s)) s"
done
