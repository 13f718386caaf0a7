#!/usr/bin/env bash
# The part of a training step that does not shrink with the batch (issue 21): the example's default network trained
# by its own fit on one thread at batches of 32, 64 and 128 (images/s), and by ParallelTrainer at batch 128 with the
# replicas on threads and in processes. Fresh process per figure; raw output to stdout. Extra JVM options in JOPTS
# (e.g. JOPTS=-Dbn4j.shapeCache=off for the figures before ShapeInfoCache).
#   bash bn-benchmarks/batch_fixed_cost.sh > docs/benchmarks/batch-fixed-cost-DATE.txt
set -uo pipefail
cd "$(dirname "$0")/.."
JAR=bn-benchmarks/target/benchmarks.jar
J=(java --add-modules jdk.incubator.vector -XX:+UseTransparentHugePages -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Xmx6g)
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
lscpu | grep -E 'Model name|^CPU\(s\)|^CPU family|^Model:'
echo "vector flags: $(grep -o -w -E 'avx2|avx512f|avx512bw|avx512vl|avx512_vnni|avx512_bf16|fma' /proc/cpuinfo | sort -u | tr '\n' ' ')"
for spec in "fit 32" "fit 64" "fit 128" "processes=2 128" "replicas=2 128"; do
  set -- $spec
  echo "--- $1 batch $2 ${JOPTS:-} $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)"
  # shellcheck disable=SC2086
  OMP_NUM_THREADS=1 "${J[@]}" ${JOPTS:-} -cp "$JAR" org.bn4j.benchmarks.endtoend.TrainingThroughput "$1" 28 1 0.25 "$2" \
    $((2560 / $2)) 3 2>&1 | grep -E '^(training|network)'
done
