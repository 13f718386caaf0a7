#!/usr/bin/env bash
# The main job on a fresh machine: build everything, then train BN-Inception with the paper's BN-x30 recipe on the
# default data set (Fashion-MNIST: Debian's dataset-fashion-mnist package when installed, else the bundled sample)
# and print its validation accuracy. Extra arguments are passed to `train` and win over these defaults (e.g. --epochs 2
# --lr-decay-epochs 2; --fashion-mnist-dir /nonexistent --epochs 8 --lr-decay-epochs 8 trains on the bundled sample as
# when the package is absent).
set -euo pipefail
cd "$(dirname "$0")/.."
# Where Debian's dataset-fashion-mnist puts the IDX files (the default of train --fashion-mnist-dir).
DEBIAN_DIR=/usr/share/datasets/fashion-mnist

if [ ! -d "$DEBIAN_DIR" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  # Optional: the full 70,000-image data set. Without it the bundled sample is used.
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist) \
    || echo "note: could not install dataset-fashion-mnist; using the bundled sample"
fi

# Build the application and the modules it needs (not the benchmarks, whose jar alone takes about a minute to shade),
# and only when a source or pom is newer than the jar.
JAR=inception-example/target/inception-example.jar
if [ ! -f "$JAR" ] || [ -n "$(find pom.xml ./*/pom.xml bn-layer/src bn-conv/src bn-arbiter/src bn-spark/src \
    inception-example/src -newer "$JAR" -print -quit)" ]; then
  # (the libraries' -sources/-javadoc jars are for releases, not for this run)
  mvn -B -ntp -q package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -pl inception-example -am
fi
# One OpenMP thread per op unless the caller sets it: every training step runs one replica of the network per core
# (ParallelTrainer, `train --replicas`, docs/parallel.md), each with one thread; more threads per op measured slower
# than replicas (docs/parallel.md, "Measured").
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
# The paper's BN-x30 recipe (section 4.2.1: initial learning rate x30, no dropout, L2/5, no LRN) with its "decay
# faster" taken to the length of this short run: the learning rate falls exponentially, every iteration, to 0.15x
# over the run. Mini-batches of 128 with twice the recipe's rate (0.09): per image, a step of 128 costs ~20 % less
# than two steps of 64. All 60,000 training images once, validation on all 10,000 test images: 90.56 % in 6.7 minutes
# on 2 cores (docs/inception.md, "Measured: the default run"). The bundled sample (4,000 /
# 1,000 images, used when the Debian package is absent) gets 8 passes with the same schedule: 88.8 %.
if [ -d "$DEBIAN_DIR" ]; then EPOCHS=1; else EPOCHS=8; fi
# JVM options (docs/inception.md, "JVM options"): transparent huge pages for the Java heap, so that a young
# collection's fresh pages cost one page fault per 2 MiB instead of per 4 KiB (~1,500 faults per step otherwise);
# no /proc/self/statm read by JavaCPP on every native allocation (~2,000 pread calls per step otherwise); and the
# JDK's Vector API, which FastConvolution's kernel for few input channels (the stem's first layer) needs.
exec java --add-modules jdk.incubator.vector -XX:+UseTransparentHugePages -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 \
  -jar inception-example/target/inception-example.jar train --recipe bn-x30 --batch-size 128 --lr 0.09 \
  --lr-decay-rate 0.15 --lr-decay-epochs "$EPOCHS" --epochs "$EPOCHS" --out runs/default "$@"
