#!/usr/bin/env bash
# Builds the bench jar, then regenerates docs/results.md and docs/img/*.png.
#   bench/report.sh             everything: JOL memory, simulator, jmh full (over an hour)
#   bench/report.sh --quick     a few minutes: jmh quick, fewer P3 sizes
#   bench/report.sh --skip-jmh  reuse bench/target/jmh.json (no benchmark run)
# Other options: java -jar bench/target/dash-bench.jar report --help
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn -B -q -pl bench -am package -DskipTests
fi
exec java -jar bench/target/dash-bench.jar report "$@"
