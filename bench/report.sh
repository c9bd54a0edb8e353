#!/usr/bin/env bash
# Builds the bench jar, then regenerates docs/results.md and docs/img/*.png.
#   bench/report.sh             everything: JOL memory, simulator, jmh full (~30 min)
#   bench/report.sh --quick     a few minutes: jmh quick, fewer P3 sizes
#   bench/report.sh --skip-jmh  reuse bench/target/jmh.json (no benchmark run)
# Other options: java -jar bench/target/dash-bench.jar report --help
# The run uses a private copy of the jar, so a rebuild meanwhile cannot break its child JVMs.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn -B -q -pl bench -am package -DskipTests
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp bench/target/dash-bench.jar "$tmp/dash-bench.jar"
java -jar "$tmp/dash-bench.jar" report "$@"
