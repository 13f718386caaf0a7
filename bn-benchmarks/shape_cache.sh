#!/usr/bin/env bash
# ND4J's shape buffers and the training step (issue 21): the example's default network (28x28x1, width 0.25,
# batch 64) trained by the network's own fit on one thread and by ParallelTrainer with 2 replicas, each with bn4j's
# ShapeInfoCache installed from the JVM's start (-Dshapeinfoprovider=...) and without it (-Dbn4j.shapeCache=off),
# with the young collections' count and pause total. Then the network's own fit with ND4J's array tracking switched off
# (-Dorg.nd4j.noarraygc=true: what the tracking costs; not usable for training, native memory is then never freed),
# with the process's resident memory every 20 s. Fresh process per figure; raw output to stdout.
#   bash bn-benchmarks/shape_cache.sh > docs/benchmarks/shape-cache-DATE.txt
# Needs: mvn -B -ntp package -DskipTests -pl bn-benchmarks -am.
set -uo pipefail
cd "$(dirname "$0")/.."
JAR=bn-benchmarks/target/benchmarks.jar
J=(java --add-modules jdk.incubator.vector -XX:+UseTransparentHugePages -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Xmx3g
   -Dbn4j.shapeCache=off)
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
lscpu | grep -E 'Model name|^CPU\(s\)|^CPU family|^Model:'
echo "vector flags: $(grep -o -w -E 'avx2|avx512f|avx512bw|avx512vl|avx512_vnni|avx512_bf16|fma' /proc/cpuinfo | sort -u | tr '\n' ' ')"
CACHE=-Dshapeinfoprovider=org.bn4j.internal.CachingShapeInfoProvider
for spec in "fit $CACHE" "fit -Dnothing=1" "replicas=2 $CACHE" "replicas=2 -Dnothing=1"; do
  set -- $spec
  echo "--- $1 $2 $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)"
  OMP_NUM_THREADS=1 "${J[@]}" "$2" -Xlog:gc:file=/tmp/shape-cache-gc.log -cp "$JAR" \
    org.bn4j.benchmarks.endtoend.TrainingThroughput "$1" 28 1 0.25 64 40 3 2>&1 | grep -E '^(network|training)'
  echo "young: $(grep -c 'Pause Young' /tmp/shape-cache-gc.log) pause ms: $(grep -oE '[0-9.]+ms$' \
    /tmp/shape-cache-gc.log | awk '{s+=$1} END {printf "%.0f", s}') over $(tail -1 /tmp/shape-cache-gc.log | cut -d']' -f1 | tr -d '[')"
done
echo "--- fit -Dorg.nd4j.noarraygc=true, resident memory"
OMP_NUM_THREADS=1 "${J[@]}" -Dorg.nd4j.noarraygc=true -cp "$JAR" org.bn4j.benchmarks.endtoend.TrainingThroughput fit \
  28 1 0.25 64 60 4 > /tmp/shape-cache-run.txt 2>&1 &
pid=$!
while kill -0 $pid 2>/dev/null; do echo "$(date +%T) $(grep VmRSS /proc/$pid/status 2>/dev/null)"; sleep 20; done
grep -E '^training' /tmp/shape-cache-run.txt
