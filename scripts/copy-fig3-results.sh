#!/usr/bin/env bash
# Copies an `experiment fig3` folder into the repository without models and checkpoints (what docs/results.md
# commits): settings, the accuracy CSV, the plots, the report when the experiment has finished, and per finished run
# its fig3-run.json, metrics.csv and run.json.
#
#   scripts/copy-fig3-results.sh /work/runs/fig3-plateau docs/results/fig3-plateau
set -euo pipefail
SRC="${1:?experiment folder}"
DST="${2:?destination}"
mkdir -p "$DST/runs"
for f in fig3-settings.json fig3-accuracy.csv fig2-accuracy.png fig2-accuracy-logx.png fig3-report.md; do
  if [ -f "$SRC/$f" ]; then cp "$SRC/$f" "$DST/"; fi
done
for run in "$SRC"/runs/*/; do
  id="$(basename "$run")"
  if [ -f "$run/fig3-run.json" ]; then
    mkdir -p "$DST/runs/$id"
    cp "$run/fig3-run.json" "$run/metrics.csv" "$run/run.json" "$DST/runs/$id/"
  fi
done
