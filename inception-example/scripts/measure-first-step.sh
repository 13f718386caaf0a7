#!/usr/bin/env bash
# Time to the first training step and peak memory of `train` on an image folder (issue 24):
#   CP=<classpath of inception-example> measure-first-step.sh DATA_DIR OUT_DIR [extra train options]
# Starts `train` (112 px, batch 32, a checkpoint after every step), waits for the first checkpoint (= the first step
# done and saved), prints the seconds since the start and the JVM's peak resident memory (VmHWM), then kills it.
set -euo pipefail
DATA=${1:?data folder}
OUT=${2:?output folder (must not exist)}
shift 2
start=$(date +%s.%N)
java -Xmx2g -cp "${CP:?set CP to the classpath}" org.bn4j.inception.InceptionApp train --data "$DATA" \
  --image-size 112 --epochs 1 --batch-size 32 --width 0.25 --checkpoint-every 1 --no-progress --out "$OUT" "$@" \
  > "$OUT.log" 2>&1 &
pid=$!
peak=0
while kill -0 "$pid" 2>/dev/null && [ ! -f "$OUT/checkpoint.zip" ]; do
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  [ "${hwm:-0}" -gt "$peak" ] && peak=$hwm
  sleep 0.2
done
end=$(date +%s.%N)
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
[ "${hwm:-0}" -gt "$peak" ] && peak=$hwm
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
printf '%s: first step after %.1f s, peak RSS %d MB, load %s\n' "$DATA $*" "$(echo "$end - $start" | bc)" \
  $(( peak / 1024 )) "$(cut -d' ' -f1-3 /proc/loadavg)"
