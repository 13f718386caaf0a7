#!/usr/bin/env bash
# CPU time of the main job's training step by thread, and of the data pipeline (docs/inception.md, "Where the time
# goes"). Needs the built jar (mvn -B -ntp -q package -DskipTests) and the default data set exported once by
# scripts/run-default.sh. Arguments: batch size, measured steps, warm-up steps (default 64 60 60).
# Example: OMP_NUM_THREADS=1 scripts/profile-training-step.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=inception-example/target/inception-example.jar
CLASSES=$(mktemp -d)
trap 'rm -rf "$CLASSES"' EXIT
javac -nowarn -cp "$JAR" -d "$CLASSES" scripts/profile/StepCpuTime.java
java --add-modules jdk.incubator.vector -cp "$CLASSES:$JAR" StepCpuTime "${1:-64}" "${2:-60}" "${3:-60}" 2>&1 \
  | grep -v " INFO \|^\[main\] INFO\|incubator"
