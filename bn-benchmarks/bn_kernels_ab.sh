#!/usr/bin/env bash
# Before/after of a change to bn4j's CPU BN kernels in the example's network, side by side, one after the other:
# two benchmark jars (BEFORE, AFTER: bn-benchmarks/target/benchmarks.jar built at the two commits) alternate, fresh
# process per figure, the network's own fit on 1 thread and ParallelTrainer with 2 replicas, then PyTorch 1.13 on 2
# threads on the same exported network.
#   BEFORE=/tmp/before.jar AFTER=/tmp/after.jar bash bn-benchmarks/bn_kernels_ab.sh > docs/benchmarks/bn-kernels-ab-DATE.txt
# NET: size channels width batch steps repeats (default "28 1 0.25 64 40 5"); ROUNDS (default 2).
set -uo pipefail
cd "$(dirname "$0")/.."
NET=${NET:-28 1 0.25 64 40 5}
ROUNDS=${ROUNDS:-2}
J=(java --add-modules jdk.incubator.vector -XX:+UseTransparentHugePages -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Xmx6g)
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
lscpu | grep -E 'Model name|^CPU\(s\)'
echo "vector flags: $(grep -o -w -E 'avx2|avx512f|avx512bw|avx512vl|avx512_vnni|avx512_bf16|fma' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); before: $BEFORE; after: $AFTER; network: $NET"
EXPORT=$(mktemp -d)
# shellcheck disable=SC2086
"${J[@]}" -cp "$AFTER" org.bn4j.benchmarks.endtoend.ExportDefaultNetwork "$EXPORT/net" $(echo $NET | cut -d' ' -f1-4) 2>&1 | tail -1
for round in $(seq 1 "$ROUNDS"); do
  for mode in fit replicas=2; do
    for which in BEFORE AFTER; do
      echo "--- round $round, $which, OMP_NUM_THREADS=1 TrainingThroughput $mode $NET"
      # shellcheck disable=SC2086
      OMP_NUM_THREADS=1 "${J[@]}" -cp "${!which}" org.bn4j.benchmarks.endtoend.TrainingThroughput $mode $NET 2>&1 \
        | grep -E '^(network|training|inference)'
    done
  done
  echo "--- round $round, PyTorch: pytorch_e2e.py --threads 2"
  /usr/bin/python3 bn-benchmarks/pytorch_e2e.py "$EXPORT/net" --threads 2 2>&1 | tail -4
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
