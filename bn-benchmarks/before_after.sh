#!/usr/bin/env bash
# The example's default network (28x28x1, width 0.25, batch 64), training images/s, with an earlier build of the
# benchmarks jar and with the current one, interleaved (before, after, before, after) so that both see the same
# machine. The earlier jar: check out the commit, `mvn -B -ntp package -DskipTests -pl bn-benchmarks -am`, copy
# bn-benchmarks/target/benchmarks.jar away.
#   [ROUNDS=2] bash bn-benchmarks/before_after.sh /path/to/before.jar [commit-of-before] > docs/benchmarks/before-after-DATE.txt
set -uo pipefail
cd "$(dirname "$0")/.."
BEFORE=$1
AFTER=bn-benchmarks/target/benchmarks.jar
J=(java --add-modules jdk.incubator.vector -XX:+UseTransparentHugePages -Dorg.bytedeco.javacpp.maxPhysicalBytes=0
   -Xmx6g)
NET=(28 1 0.25 64 40 3)
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
lscpu | grep -E 'Model name|^CPU\(s\)|^CPU family|^Model:'
echo "vector flags: $(grep -o -w -E 'avx2|avx512f|avx512bw|avx512vl|avx512_vnni|avx512_bf16|fma' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "before: $BEFORE ${2:-}; after: $AFTER at $(git rev-parse --short HEAD)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "${ROUNDS:-1}"); do
  for mode in fit replicas=2; do
    for which in before after; do
      jar=$BEFORE; [ "$which" = after ] && jar=$AFTER
      echo "--- round $round, $which: OMP_NUM_THREADS=1 TrainingThroughput $mode ${NET[*]}"
      OMP_NUM_THREADS=1 "${J[@]}" -cp "$jar" org.bn4j.benchmarks.endtoend.TrainingThroughput "$mode" "${NET[@]}" \
        2>&1 | grep -E '^training'
    done
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
