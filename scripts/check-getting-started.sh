#!/usr/bin/env bash
# Builds and runs the README's "Use it in your own project" example against freshly installed bn4j artifacts:
#   1. the README's pom is exactly docs/getting-started/pom.xml;
#   2. bn-layer and bn-conv (and the parent pom) are installed (mvn install -pl bn-layer,bn-conv -am, which also
#      builds and checks their -sources and -javadoc jars);
#   3. the example builds with the CPU platform backend and runs (it must print "bn4j getting-started: OK");
#   4. the same pom without its backend dependency still resolves and compiles (the libraries need nd4j-api only).
# .ci/run calls it after the test command. Extra Maven arguments come from MVN_ARGS, e.g. to keep the installed
# snapshots out of ~/.m2:  MVN_ARGS="-o -Dmaven.repo.local=/tmp/m2-copy" scripts/check-getting-started.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MVN="mvn -B -ntp ${MVN_ARGS:-}"
# only this OS's native jars of the platform backend (as README advises)
PLATFORM="-Djavacpp.platform=linux-x86_64"
example=docs/getting-started
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== 1. README's pom = $example/pom.xml"
awk '/<!-- getting-started pom: begin -->/{on=1; next} /<!-- getting-started pom: end -->/{on=0} on' README.md \
  | sed '/^```/d' > "$work/readme-pom.xml"
diff -u "$example/pom.xml" "$work/readme-pom.xml"

echo "== 2. install bn-layer, bn-conv"
$MVN -q install -pl bn-layer,bn-conv -am -DskipTests

echo "== 3. build and run the example (CPU platform backend)"
cp -r "$example" "$work/with-backend"
(cd "$work/with-backend" && $MVN -q $PLATFORM compile exec:exec) | tee "$work/out.txt"
grep -q "bn4j getting-started: OK" "$work/out.txt"

echo "== 4. the example without a backend dependency compiles"
cp -r "$example" "$work/no-backend"
sed -i '/<!-- BACKEND/,/<!-- \/BACKEND -->/d' "$work/no-backend/pom.xml"
! grep -q "nd4j-native" "$work/no-backend/pom.xml"
(cd "$work/no-backend" && $MVN -q compile)
echo "getting-started check: OK"
