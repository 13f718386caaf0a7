#!/usr/bin/env bash
# The main job on a fresh machine: build everything, then train BN-Inception with the paper's bn-x5 recipe on the
# default data set (Fashion-MNIST: Debian's dataset-fashion-mnist package when installed, else the bundled sample)
# and print its validation accuracy. Extra arguments are passed to `train` and win over these defaults (e.g. --epochs 3;
# --fashion-mnist-dir /nonexistent trains on the bundled sample even when the package is installed).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d /usr/share/datasets/fashion-mnist ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  # Optional: the full 70,000-image data set. Without it the bundled sample is used.
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist) \
    || echo "note: could not install dataset-fashion-mnist; using the bundled sample"
fi

mvn -B -ntp -q package -DskipTests
# One OpenMP thread unless the caller sets it: the training step is serial apart from oneDNN's small kernels, and on
# two idle cores two OpenMP threads trained about a third slower (docs/inception.md, "OpenMP threads").
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
# All 60,000 training images, 2 epochs, validation on all 10,000 test images (the sample: 4,000 / 1,000).
# The paper's BN-x30 recipe (section 4.2.1: initial learning rate x30, no dropout, L2/5, no LRN) with its
# "decay faster" taken to the length of this short run: the learning rate falls exponentially, every iteration,
# to 0.02x over the 2 epochs (0.045 -> 0.0009). Same seed: 91.21 % against 89.52 % for bn-x5 (whose decay, 0.96
# every 1.33 epochs, is nearly constant over 2 epochs) and 89.13 % for bn-x5 annealed the same way
# (docs/inception.md, "Learning-rate schedule").
exec java -jar inception-example/target/inception-example.jar train --recipe bn-x30 --lr-decay-rate 0.02 \
  --lr-decay-epochs 2 --epochs 2 --out runs/default "$@"
