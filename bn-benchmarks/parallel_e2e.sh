#!/usr/bin/env bash
# Side by side, one after the other on the same machine: the example's network trained by bn4j (the network's own
# fit with 1 thread without and with bn4j's ShapeInfoCache, with 2 libnd4j threads, ParallelTrainer with one replica
# per core on threads and in processes, and two independent networks in one JVM as the in-process ceiling) and by PyTorch 1.13 (1 and 2 threads), at 28x28x1 (width 0.25, batch 64) and at
# 112x112x3 (width 0.5, batch 32). Fresh process per figure. Prints the CPU first; raw output to stdout.
#   bash bn-benchmarks/parallel_e2e.sh > docs/benchmarks/parallel-e2e-DATE.txt
# Needs: mvn -B -ntp package -DskipTests -pl bn-benchmarks -am; Debian's python3-torch.
set -uo pipefail
cd "$(dirname "$0")/.."
JAR=bn-benchmarks/target/benchmarks.jar
J=(java --add-modules jdk.incubator.vector -XX:+UseTransparentHugePages -Dorg.bytedeco.javacpp.maxPhysicalBytes=0
   -Xmx6g -cp "$JAR")
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
lscpu | grep -E 'Model name|^CPU\(s\)'
echo "vector flags: $(grep -o -w -E 'avx2|avx512f|avx512bw|avx512vl|avx512_vnni|avx512_bf16|fma' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
run() {   # OMP threads, then TrainingThroughput arguments (EXTRA: more JVM options)
  local omp=$1; shift
  echo "--- bn4j: OMP_NUM_THREADS=$omp ${EXTRA:-}TrainingThroughput $*"
  # shellcheck disable=SC2086
  OMP_NUM_THREADS=$omp "${J[@]}" ${EXTRA:-} org.bn4j.benchmarks.endtoend.TrainingThroughput "$@" 2>&1 \
    | grep -E '^(network|training|inference)'
}
torch() {  # export folder, threads
  echo "--- PyTorch: pytorch_e2e.py $1 --threads $2"
  /usr/bin/python3 bn-benchmarks/pytorch_e2e.py "$1" --threads "$2" 2>&1 | tail -4
}
EXPORT=$(mktemp -d)
IFS=',' read -r -a NETS <<< "${NETS:-28 1 0.25 64 40 5,112 3 0.5 32 10 3}"   # NETS="28 1 0.25 64 40 5": one size
for net in "${NETS[@]}"; do
  set -- $net
  "${J[@]}" org.bn4j.benchmarks.endtoend.ExportDefaultNetwork "$EXPORT/$1" "$1" "$2" "$3" "$4" 2>&1 | tail -1
  EXTRA="-Dbn4j.shapeCache=off " run 1 fit $net      # before ShapeInfoCache
  run 1 fit $net
  run 2 fit $net
  run 1 replicas=2 $net
  run 1 processes=2 $net
  torch "$EXPORT/$1" 1
  torch "$EXPORT/$1" 2
  [ "$1" = 28 ] && run 1 independent=2 $net
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
