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
exec java -jar inception-example/target/inception-example.jar train --recipe bn-x5 --epochs 2 --out runs/default "$@"
