#!/usr/bin/env bash
# The AVX2 case on an AVX-512 machine: HotSpot limited to AVX2 (-XX:UseAVX=2, so the Vector API's preferred species
# is 256 bits and C2 emits no AVX-512) and oneDNN limited to AVX2 (ONEDNN_MAX_CPU_ISA=AVX2); the network's own fit on
# one thread against ParallelTrainer with 2 replicas, default network. An emulation of an AVX2-only CPU's code paths,
# not of its caches or clocks.   bash bn-benchmarks/parallel_avx2.sh > docs/benchmarks/parallel-avx2-DATE.txt
set -uo pipefail
cd "$(dirname "$0")/.."
J=(java -XX:UseAVX=2 --add-modules jdk.incubator.vector -XX:+UseTransparentHugePages
   -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Xmx6g -cp bn-benchmarks/target/benchmarks.jar)
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), $(lscpu | grep 'Model name' | sed 's/  */ /g'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "JVM: $("${J[@]}" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -E ' UseAVX ' | sed 's/  */ /g')"
for mode in fit replicas=2; do
  echo "--- ONEDNN_MAX_CPU_ISA=AVX2 OMP_NUM_THREADS=1 -XX:UseAVX=2 TrainingThroughput $mode 28 1 0.25 64 40 5"
  ONEDNN_MAX_CPU_ISA=AVX2 DNNL_MAX_CPU_ISA=AVX2 OMP_NUM_THREADS=1 "${J[@]}" \
    org.bn4j.benchmarks.endtoend.TrainingThroughput "$mode" 28 1 0.25 64 40 5 2>&1 | grep -E '^(network|training|inference)'
done
