#!/usr/bin/env bash
# bn4j's BN layer (training: forward with batch statistics + backward, float32) against PyTorch's BatchNorm2d on the
# shapes of issue 21, with 1 and 2 threads, side by side. JMH JSON goes to docs/benchmarks/; the tables come from
#   python3 bn-benchmarks/jmh_table.py docs/benchmarks/bn-layer-omp<N>-DATE.json
#   bash bn-benchmarks/bn_layer_threads.sh DATE > docs/benchmarks/bn-layer-threads-DATE.txt
# JOPTS: JVM options for the forked benchmark JVMs (e.g. the shape cache:
#   JOPTS=-Dshapeinfoprovider=org.bn4j.internal.CachingShapeInfoProvider bash bn-benchmarks/bn_layer_threads.sh DATE-cache),
# which also go into the JSON file's name.
set -uo pipefail
cd "$(dirname "$0")/.."
DATE=${1:-$(date -u +%Y-%m-%d)}
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"; lscpu | grep -E 'Model name'
echo "vector flags: $(grep -o -w -E 'avx2|avx512f|avx512bw|fma' /proc/cpuinfo | sort -u | tr '\n' ' ')"
for threads in 1 2; do
  echo "--- bn4j, OMP_NUM_THREADS=$threads (libnd4j's thread count caps bn4j's kernels) ${JOPTS:-}"
  # shellcheck disable=SC2086
  OMP_NUM_THREADS=$threads java -jar bn-benchmarks/target/benchmarks.jar 'BatchNormBenchmark.trainBn4jLayer' \
    ${JOPTS:+-jvmArgsAppend "$JOPTS"} \
    -p shape=NCHW:32x64x56x56,NCHW:128x32x28x28,NHWC:32x64x56x56,NHWC:128x32x28x28 \
    -rf json -rff "docs/benchmarks/bn-layer-omp$threads-$DATE.json" 2>&1 | grep -E '^(Benchmark|BatchNormBenchmark)'
  echo "--- PyTorch, $threads thread(s)"
  /usr/bin/python3 bn-benchmarks/pytorch_bench.py --threads "$threads"
done
