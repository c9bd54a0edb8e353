#!/usr/bin/env bash
# Profiles dash4j's RESP command path under redis-benchmark, for docs/profile-server.md:
#   bench/profile-server.sh            (builds the jar unless SKIP_BUILD=1)
# For each pipeline depth P (16, then 1), a fresh server (--threads 2, no memcached port):
#  1. warm-up: redis-benchmark -t set,get -c 50 -d 64 -r 100000 -P P -n WARM_N;
#  2. JFR (settings=profile) started with jcmd, the same redis-benchmark with -n N, JFR stopped;
#     bench/profile/JfrTop.java prints the shard threads' top CPU frames (leaf, and leaf with
#     two callers) and allocation (by class, by first dash4j frame, in bytes per command);
#     the server's CPU time per command is read from /proc/PID/stat around the run;
#  3. strace -c on the shard threads only, over a shorter run (-n STRACE_N): syscalls per command.
# Output goes to OUT_DIR (default /tmp/dash4j-profile), one directory per P. Timings on a shared
# machine are noise: read the proportions, the bytes and the syscall counts.
# Environment (defaults): PORT=17479 N16=2000000 N1=200000 WARM16=400000 WARM1=40000
#   STRACE_N16=200000 STRACE_N1=20000 JAVA=java JAVA_OPTS=-Xmx2g THREADS=2 SKIP_BUILD=0
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PORT=${PORT:-17479}
THREADS=${THREADS:-2}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:--Xmx2g}
OUT_DIR=${OUT_DIR:-/tmp/dash4j-profile}
JFR_TOOL=${JFR_TOOL:-$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jfr}
JAR=server-lite/target/dash-server.jar
CLK_TCK=$(getconf CLK_TCK)

log() { printf '[profile-server %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building $JAR"
  mvn -B -q -o -pl server-lite -am package -DskipTests
fi
mkdir -p "$OUT_DIR"

cpu_seconds() { awk -v hz="$CLK_TCK" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
commands() { redis-cli -p "$PORT" info stats | tr -d '\r' | awk -F: '$1 == "total_commands_processed" { print $2 }'; }
bench() { # P n
  timeout 600 redis-benchmark -h 127.0.0.1 -p "$PORT" -t set,get -c 50 -d 64 -r 100000 -P "$1" -n "$2" -q
}
shard_tids() { for t in /proc/"$1"/task/*; do grep -q '^dash4j-shard' "$t/comm" && basename "$t"; done; }

SERVER_PID=
stop_server() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null; SERVER_PID=; }
trap stop_server EXIT

for P in 16 1; do
  dir="$OUT_DIR/P$P"; mkdir -p "$dir"
  if [ "$P" = 16 ]; then n=${N16:-2000000}; warm=${WARM16:-400000}; sn=${STRACE_N16:-200000}
  else n=${N1:-200000}; warm=${WARM1:-40000}; sn=${STRACE_N1:-20000}; fi
  log "P$P: starting the server on port $PORT"
  # shellcheck disable=SC2086
  timeout 1800 "$JAVA" $JAVA_OPTS -jar "$JAR" --port "$PORT" --memcached-port 0 --threads "$THREADS" \
    --maxmemory 900mb >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  sleep 0.5
  JPID=$(pgrep -P "$SERVER_PID" java || echo "$SERVER_PID")   # the JVM under timeout
  for _ in $(seq 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.2; done
  log "P$P: warm-up (-n $warm)"
  bench "$P" "$warm" >"$dir/warm.txt"
  log "P$P: JFR run (-n $n)"
  jcmd "$JPID" JFR.start name=hp settings=profile filename="$dir/rec.jfr" >/dev/null
  c0=$(commands); t0=$(cpu_seconds "$JPID")
  bench "$P" "$n" >"$dir/bench.txt"
  t1=$(cpu_seconds "$JPID"); c1=$(commands)
  jcmd "$JPID" JFR.stop name=hp >/dev/null
  ops=$((c1 - c0 - 1))
  awk -v a="$t0" -v b="$t1" -v n="$ops" 'BEGIN { printf "server CPU %.2f s over %d commands: %.2f us per command (includes the JFR run)\n", b - a, n, (b - a) * 1e6 / n }' \
    | tee "$dir/cpu.txt"
  "$JAVA" "$ROOT/bench/profile/JfrTop.java" "$dir/rec.jfr" 25 "$ops" >"$dir/top.txt"
  "$JFR_TOOL" summary "$dir/rec.jfr" >"$dir/summary.txt" 2>&1 || true
  if command -v strace >/dev/null 2>&1; then
    log "P$P: strace -c on the shard threads (-n $sn)"
    args=(); for t in $(shard_tids "$JPID"); do args+=(-p "$t"); done
    c0=$(commands)
    strace -c -o "$dir/strace.txt" "${args[@]}" &
    spid=$!
    sleep 1
    bench "$P" "$sn" >"$dir/strace-bench.txt"
    c1=$(commands)
    kill -INT "$spid"; wait "$spid" || true
    echo "commands=$((c1 - c0 - 1))" >>"$dir/strace.txt"
  fi
  stop_server
done
log "done: $OUT_DIR/P16 and $OUT_DIR/P1 (top.txt, cpu.txt, strace.txt)"
