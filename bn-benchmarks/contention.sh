#!/usr/bin/env bash
# Where the second core goes: the example's default network (28x28x1, width 0.25, batch 64) trained by
#   - the network's own fit on one thread (one process, then two such processes at once),
#   - two independent networks in one JVM (no synchronization),
#   - ParallelTrainer with 2 replicas,
# each of the in-JVM cases with the JVM's default young generation and with a large one (-Xmn3g, fewer young
# collections). Fresh process per figure; prints the CPU first; raw output to stdout.
#   bash bn-benchmarks/contention.sh > docs/benchmarks/contention-DATE.txt
# Needs: mvn -B -ntp package -DskipTests -pl bn-benchmarks -am.
set -uo pipefail
cd "$(dirname "$0")/.."
JAR=bn-benchmarks/target/benchmarks.jar
J=(java --add-modules jdk.incubator.vector -XX:+UseTransparentHugePages -Dorg.bytedeco.javacpp.maxPhysicalBytes=0
   -Xmx6g)
NET=(28 1 0.25 64 40 3)
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
lscpu | grep -E 'Model name|^CPU\(s\)|^CPU family|^Model:'
echo "vector flags: $(grep -o -w -E 'avx2|avx512f|avx512bw|avx512vl|avx512_vnni|avx512_bf16|fma' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
run() {   # extra JVM flags (quoted, may be empty), then TrainingThroughput mode
  local flags=$1 mode=$2
  echo "--- OMP_NUM_THREADS=1 java $flags TrainingThroughput $mode ${NET[*]}"
  # shellcheck disable=SC2086
  OMP_NUM_THREADS=1 "${J[@]}" $flags -Xlog:gc:file=/tmp/contention-gc.log -cp "$JAR" \
    org.bn4j.benchmarks.endtoend.TrainingThroughput "$mode" "${NET[@]}" 2>&1 | grep -E '^training'
  echo "young collections: $(grep -c 'Pause Young' /tmp/contention-gc.log), pause total ms: $(grep -oE '[0-9.]+ms$' \
    /tmp/contention-gc.log | awk '{s+=$1} END {printf "%.0f", s}') over $(tail -1 /tmp/contention-gc.log | cut -d']' -f1 | tr -d '[')"
}
run "" fit
echo "--- two processes at once, each: OMP_NUM_THREADS=1 java TrainingThroughput fit ${NET[*]}"
for i in 1 2; do
  OMP_NUM_THREADS=1 "${J[@]}" -cp "$JAR" org.bn4j.benchmarks.endtoend.TrainingThroughput fit "${NET[@]}" \
    > "/tmp/contention-process-$i.txt" 2>&1 &
done
wait
for i in 1 2; do echo "process $i: $(grep -E '^training images' "/tmp/contention-process-$i.txt")"; done
for flags in "" "-Xmn3g"; do
  run "$flags" independent=2
  run "$flags" replicas=2
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
