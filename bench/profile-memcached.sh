#!/usr/bin/env bash
# Profiles a memcached-protocol server under memcaslap, for the memcached section of docs/profile-server.md:
#   bench/profile-memcached.sh [dash4j|memcached] [extra memcaslap args, e.g. -B for the binary protocol]
# 1. starts the server (dash4j: server-lite/target/dash-server.jar --threads THREADS; memcached -t THREADS)
#    on PORT, warms it up with memcaslap for WARM seconds;
# 2. runs memcaslap (-c 64 -T 2, 16-byte keys, 64-byte values, 90 % gets, as bench/compare-servers.sh)
#    for RUN seconds under `perf stat` on the server's pid: server CPU time and syscalls (read, writev,
#    sendmsg, epoll_wait, write = eventfd wake-ups, futex) per command, the commands counted by the
#    server's own `stats` (cmd_get + cmd_set);
# 3. with PERF_RECORD=1 (dash4j only), records the server's CPU samples (perf record -g, cpu-clock) for
#    6 s of a second run and prints the top frames by DSO and by symbol (JIT frames named through
#    jcmd Compiler.perfmap; the JVM runs with -XX:+PreserveFramePointer).
# Timings on a shared machine are noise: read the counts per command and the proportions.
# Environment (defaults): THREADS=2 PORT=17611 WARM=4 RUN=10 JAVA=java JAVA_OPTS=-Xmx1g PERF_RECORD=0
#   OUT_DIR=/tmp/dash4j-mcprofile
set -euo pipefail
cd "$(dirname "$0")/.."
WORKLOAD=$PWD/bench/memaslap-90get.cfg  # 16-byte keys, 64-byte values, 90 % gets (compare-servers.sh uses it too)
SERVER=${1:-dash4j}
shift || true
THREADS=${THREADS:-2}
PORT=${PORT:-17611}
WARM=${WARM:-4}
RUN=${RUN:-10}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:--Xmx1g}
OUT_DIR=${OUT_DIR:-/tmp/dash4j-mcprofile}
JAR=server-lite/target/dash-server.jar
MEMASLAP=$(command -v memcaslap || command -v memaslap || true)
[ -n "$MEMASLAP" ] || { echo "memcaslap missing (Debian: libmemcached-tools)" >&2; exit 1; }
command -v perf >/dev/null || { echo "perf missing (Debian: linux-perf)" >&2; exit 1; }
mkdir -p "$OUT_DIR"

if [ "$SERVER" = dash4j ]; then
  [ -f "$JAR" ] || { echo "$JAR missing: mvn -B -q -pl server-lite -am package -DskipTests" >&2; exit 1; }
  # shellcheck disable=SC2086
  timeout 300 "$JAVA" $JAVA_OPTS -XX:+PreserveFramePointer -jar "$JAR" --port $((PORT + 1)) --memcached-port "$PORT" \
    --threads "$THREADS" --maxmemory 512mb >"$OUT_DIR/server.log" 2>&1 &
else
  timeout 300 memcached -t "$THREADS" -p "$PORT" -U 0 -l 127.0.0.1 -m 1024 -u nobody >"$OUT_DIR/server.log" 2>&1 &
fi
WRAPPER=$!
trap 'kill "$WRAPPER" 2>/dev/null || true' EXIT
for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.2; done
PID=$(pgrep -P "$WRAPPER" | head -1)
slap() { timeout $(($1 + 30)) "$MEMASLAP" -s "127.0.0.1:$PORT" -c 64 -X 64 -F "$WORKLOAD" -T 2 -t "${1}s" "${@:2}"; }
commands() { printf 'stats\r\nquit\r\n' | timeout 5 nc -q1 127.0.0.1 "$PORT" | awk '/STAT cmd_get |STAT cmd_set /{s+=$3} END{print s}'; }

slap "$WARM" "$@" >/dev/null 2>&1
C0=$(commands)
perf stat -x, -o "$OUT_DIR/perf-stat.txt" -p "$PID" -e task-clock,context-switches,syscalls:sys_enter_read,syscalls:sys_enter_writev,syscalls:sys_enter_sendmsg,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_write,syscalls:sys_enter_futex -- \
  timeout $((RUN + 30)) "$MEMASLAP" -s "127.0.0.1:$PORT" -c 64 -X 64 -F "$WORKLOAD" -T 2 -t "${RUN}s" "$@" \
  >"$OUT_DIR/memaslap.txt" 2>&1
C1=$(commands)
N=$((C1 - C0))
echo "$SERVER (threads $THREADS, memcaslap $*): $N commands; $(grep TPS "$OUT_DIR/memaslap.txt" | tail -1)"
awk -F, -v n="$N" '/^[0-9]/ { if ($3 == "task-clock") printf "  server CPU per command   %.2f us\n", $1 * 1000 / n;
  else printf "  %-24s %.3f per command\n", $3, $1 / n }' "$OUT_DIR/perf-stat.txt"

if [ "${PERF_RECORD:-0}" = 1 ] && [ "$SERVER" = dash4j ]; then
  slap $((RUN + 4)) "$@" >/dev/null 2>&1 &
  LOAD=$!
  sleep 2
  perf record -q -e cpu-clock -F 1999 -g -p "$PID" -o "$OUT_DIR/perf.data" -- sleep 6 >/dev/null 2>&1
  jcmd "$PID" Compiler.perfmap >/dev/null
  wait "$LOAD" || true
  perf report -i "$OUT_DIR/perf.data" --no-children --sort dso -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -6
  perf report -i "$OUT_DIR/perf.data" --comm dash4j-shard-0,dash4j-shard-1 --children --sort sym -g none 2>/dev/null \
    | grep -v '^#' | grep '\[\.\]' | grep -E 'dash4j|writev|read0|epoll_wait|EventFD' | head -25
fi
