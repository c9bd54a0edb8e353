#!/usr/bin/env bash
# dash4j, Redis and memcached side by side on loopback, in one command:
#   bench/compare-servers.sh            the full run for docs/results-servers.md (~10 minutes on a quiet 2-core machine)
#   bench/compare-servers.sh --quick    a short run to check the script (~4 minutes); writes its
#                                       report into the work directory, not into docs/
# 1. installs Debian's redis-server, redis-tools, memcached and libmemcached-tools when missing
#    (as root, with apt-get), and builds server-lite/target/dash-server.jar;
# 2. throughput: redis-benchmark -t set and -t get (one test per run, so each has its own CPU
#    figure) -c 50 -d 64 -r 100000 at -P 1 and -P 16, -n chosen so each run takes ~RUN_SECONDS,
#    against dash4j (--threads THREADS, and --threads 1 for the scaling section), Redis at its
#    default (io-threads 1: THE reference for the verdicts) and Redis with --io-threads THREADS (an
#    extra column); runs interleaved, REPEAT rounds. Each run records the server's CPU time, user
#    and kernel (/proc/PID/stat), dash4j's GC pauses (its JVM logs them: -Xlog:gc through
#    JAVA_TOOL_OPTIONS), redis-benchmark's own CPU and the load average;
# 3. memcaslap -c 50 -X 64, 90 % gets (-F), -t MEMASLAP_TIME against dash4j's memcached port and
#    memcached -t THREADS;
# 4. memory: for each count in MEMORY_KEYS, distinct 12-byte keys with 16-byte values loaded into a
#    fresh instance of each server (redis-cli --pipe for RESP, bench/.../servers/KeyLoad.java for
#    memcached); INFO used_memory / stats bytes, VmRSS and VmHWM from /proc, SETTLE_SECONDS after
#    the load. No manual GC: the RSS is what `top` shows;
# 5. writes OUT (docs/results-servers.md) and IMG/servers-*.png (ServersReport.java, XChart),
#    keeping the Persistence section bench/persist-bench.sh wrote there.
# dash4j runs through bin/dash4j-server with --maxmemory, as a user would start it: the launcher
# chooses the JVM's heap and collector from it (DASH4J_JAVA_OPTS replaces those flags).
# Same settings everywhere: loopback only, no persistence (redis --save '' --appendonly no).
# Every server runs under `timeout` and is stopped on exit.
#
# Environment (defaults): THREADS=2 REPEAT=3 RUN_SECONDS=6 MEMASLAP_TIME=10s
#   MEMORY_KEYS="1000000 5000000" SETTLE_SECONDS=5 BASE_PORT=17300 DASH4J_MAXMEMORY=1gb
#   DASH4J_JAVA_OPTS= (empty: the launcher's flags) MEMCACHED_MB=1024 SCALING=1 (dash4j --threads 1)
#   REDIS_IOTHREADS=1 (the io-threads THREADS column) SKIP_BUILD=1 (reuse the jar)
#   OUT=docs/results-servers.md IMG=docs/img
# --quick sets REPEAT=1 RUN_SECONDS=2 MEMASLAP_TIME=3s MEMORY_KEYS=200000, OUT and IMG in the work
# directory (each unless set in the environment).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

QUICK=0
for a in "$@"; do
  case $a in
    --quick) QUICK=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument '$a' (usage: bench/compare-servers.sh [--quick])" >&2; exit 2 ;;
  esac
done
WORK=$(mktemp -d /tmp/dash4j-compare.XXXXXX)
mkdir -p "$WORK/raw"
if [ "$QUICK" = 1 ]; then
  REPEAT=${REPEAT:-1}; RUN_SECONDS=${RUN_SECONDS:-2}; MEMASLAP_TIME=${MEMASLAP_TIME:-3s}
  MEMORY_KEYS=${MEMORY_KEYS:-200000}; OUT=${OUT:-$WORK/results-servers.md}; IMG=${IMG:-$WORK/img}
fi
THREADS=${THREADS:-2}
REPEAT=${REPEAT:-3}
RUN_SECONDS=${RUN_SECONDS:-6}
MEMASLAP_TIME=${MEMASLAP_TIME:-10s}
MEMORY_KEYS=${MEMORY_KEYS:-"1000000 5000000"}
SETTLE_SECONDS=${SETTLE_SECONDS:-5}
BASE_PORT=${BASE_PORT:-17300}
DASH4J_JAVA_OPTS=${DASH4J_JAVA_OPTS:-}
DASH4J_MAXMEMORY=${DASH4J_MAXMEMORY:-1gb}
MEMCACHED_MB=${MEMCACHED_MB:-1024}
SCALING=${SCALING:-1}
REDIS_IOTHREADS=${REDIS_IOTHREADS:-1}
OUT=${OUT:-docs/results-servers.md}
IMG=${IMG:-docs/img}
LIFETIME=${LIFETIME:-3600}   # no server outlives this many seconds, whatever happens to this script

D4J_PORT=$((BASE_PORT + 79)); D4J_MC_PORT=$((BASE_PORT + 11)); D4J1_PORT=$((BASE_PORT + 78))
REDIS_PORT=$((BASE_PORT + 80)); REDIS_IO_PORT=$((BASE_PORT + 81)); MC_PORT=$((BASE_PORT + 12))

log() { printf '[compare-servers %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
log "work directory $WORK$([ "$QUICK" = 1 ] && echo " (quick mode: the report goes to $OUT)")"

# ------------------------------------------------------------------ tools
MEMASLAP=$(command -v memcaslap || command -v memaslap || true)
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
{ command -v redis-benchmark >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; } || need+=(redis-tools)
command -v memcached >/dev/null 2>&1 || [ -x /usr/bin/memcached ] || need+=(memcached)
[ -n "$MEMASLAP" ] || need+=(libmemcached-tools)
if [ "${#need[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    log "installing ${need[*]} (Debian packages)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    die "missing ${need[*]}: install them (Debian: apt-get install ${need[*]}) or run as root"
  fi
  MEMASLAP=$(command -v memcaslap || command -v memaslap || true)
fi
[ -n "$MEMASLAP" ] || die "libmemcached-tools has no memcaslap/memaslap binary here"
MEMCACHED=$(command -v memcached || echo /usr/bin/memcached)
command -v java >/dev/null 2>&1 || die "java not found"

JAR=server-lite/target/dash-server.jar
if [ "${SKIP_BUILD:-}" != 1 ]; then
  log "building $JAR"
  mvn -B -q -pl server-lite -am package -Dmaven.test.skip=true
fi
[ -f "$JAR" ] || die "$JAR missing (build: mvn -B -q -pl server-lite -am package -DskipTests)"

XCHART_VERSION=$(sed -n 's:.*<xchart.version>\(.*\)</xchart.version>.*:\1:p' pom.xml)
XCHART_JAR=$HOME/.m2/repository/org/knowm/xchart/xchart/$XCHART_VERSION/xchart-$XCHART_VERSION.jar
if [ ! -f "$XCHART_JAR" ]; then
  mvn -B -q dependency:get -Dartifact="org.knowm.xchart:xchart:$XCHART_VERSION" -Dtransitive=false
fi

SRC=bench/src/main/java/io/dash4j/bench/servers
# Run a private copy of the jar: a rebuild in the tree during the run must not change the server.
cp "$JAR" "$WORK/dash-server.jar"
export DASH4J_JAR=$WORK/dash-server.jar
export DASH4J_JAVA_OPTS

# ------------------------------------------------------------------ processes
declare -A WRAPPER=()   # name -> pid of its `timeout` wrapper
cleanup() {
  local name
  for name in "${!WRAPPER[@]}"; do
    kill "${WRAPPER[$name]}" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

await_port() { # port name
  local i
  for i in $(seq 1 300); do
    port_busy "$1" && return 0
    kill -0 "${WRAPPER[$2]}" 2>/dev/null || die "$2 exited before listening on $1 (see $WORK/$2.log)"
    sleep 0.1
  done
  die "$2 does not listen on 127.0.0.1:$1 (see $WORK/$2.log)"
}

# start NAME PORT PORT2 -- command...   (PORT2 = 0: none)
start() {
  local name=$1 port=$2 port2=$3; shift 4
  for p in $port $port2; do
    [ "$p" = 0 ] && continue
    ! port_busy "$p" || die "127.0.0.1:$p is already in use (set BASE_PORT)"
  done
  timeout "$LIFETIME" "$@" >"$WORK/$name.log" 2>&1 &
  WRAPPER[$name]=$!
  await_port "$port" "$name"
  [ "$port2" = 0 ] || await_port "$port2" "$name"
}

# The server's process: the wrapper's child (bin/dash4j-server execs java, so it is the JVM).
pid_of() { pgrep -P "${WRAPPER[$1]}" | head -1; }

stop() {
  local name=$1
  [ -n "${WRAPPER[$name]:-}" ] || return 0
  kill "${WRAPPER[$name]}" 2>/dev/null || true
  wait "${WRAPPER[$name]}" 2>/dev/null || true
  unset "WRAPPER[$name]"
}

dash4j_args() { # port memcached-port threads
  echo --bind 127.0.0.1 --port "$1" --memcached-port "$2" --threads "$3" --maxmemory "$DASH4J_MAXMEMORY"
}
declare -A GCLOG=()
start_dash4j() { # name port memcached-port threads
  # The JVM logs each collection's pause (JAVA_TOOL_OPTIONS adds to the launcher's flags, it does
  # not replace them): measured() reports the pauses that fell inside each run.
  GCLOG[$1]="$WORK/gc-$1-$2-$RANDOM.log"
  # shellcheck disable=SC2046
  JAVA_TOOL_OPTIONS="-Xlog:gc:file=${GCLOG[$1]}::filecount=0" \
    start "$1" "$2" "$3" -- bin/dash4j-server $(dash4j_args "$2" "$3" "$4")
}
start_redis() { # name port io-threads
  local extra=()
  if [ "$3" -gt 1 ]; then extra=(--io-threads "$3" --io-threads-do-reads yes); fi
  start "$1" "$2" 0 -- redis-server --bind 127.0.0.1 --port "$2" --save '' --appendonly no \
    --protected-mode no --daemonize no --dir "$WORK" "${extra[@]}"
}
start_memcached() {
  start memcached "$MC_PORT" 0 -- "$MEMCACHED" -l 127.0.0.1 -p "$MC_PORT" -U 0 -t "$THREADS" \
    -m "$MEMCACHED_MB" -c 4096 -u "$(id -un)"
}

proc_kib() { awk -v k="$2:" '$1 == k { print $2 * 1024 }' "/proc/$1/status"; }   # pid VmRSS|VmHWM -> bytes
info_field() { redis-cli -p "$1" info "$2" | tr -d '\r' | awk -F: -v k="$3" '$1 == k { print $2 }'; }
mc_stat() { # port name
  local out
  exec 3<>"/dev/tcp/127.0.0.1/$1"
  printf 'stats\r\nquit\r\n' >&3
  out=$(timeout 5 cat <&3 | tr -d '\r')
  exec 3>&-
  awk -v k="$2" '$1 == "STAT" && $2 == k { print $3 }' <<<"$out"
}
load_avg() { cut -d' ' -f1-3 /proc/loadavg; }

# ------------------------------------------------------------------ metadata
{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr)"
  echo "cpus=$(nproc)"
  echo "os=$(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "jdk=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.vm.name/ { n = $2 } /java.runtime.version/ { v = $2 } END { print n " " v }')"
  echo "redis=$(redis-server --version | sed 's/ sha=.*//')"
  echo "memcached=$("$MEMCACHED" -V)"
  echo "memaslap=$(basename "$MEMASLAP") ($(dpkg-query -W -f='libmemcached-tools ${Version}' libmemcached-tools 2>/dev/null || echo unknown))"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- server-lite/src bin 2>/dev/null || echo ' (uncommitted changes in server-lite or bin)')"
  echo "quick=$QUICK"
  echo "threads=$THREADS"
  echo "repeat=$REPEAT"
  echo "run_seconds=$RUN_SECONDS"
  echo "memaslap_time=$MEMASLAP_TIME"
  echo "memory_keys=$MEMORY_KEYS"
  echo "settle_seconds=$SETTLE_SECONDS"
  echo "dash4j_maxmemory=$DASH4J_MAXMEMORY"
  # shellcheck disable=SC2046
  echo "dash4j_cmd=bin/dash4j-server $(dash4j_args PORT MCPORT "$THREADS" | sed 's/--bind 127.0.0.1 --port PORT --memcached-port MCPORT //')"
  # shellcheck disable=SC2046
  echo "dash4j_jvm=$(DASH4J_JAR=server-lite/target/dash-server.jar bin/dash4j-server --print-jvm-flags --threads "$THREADS" --maxmemory "$DASH4J_MAXMEMORY")"
  echo "redis_cmd=redis-server --save '' --appendonly no"
  echo "redis_io_cmd=redis-server --save '' --appendonly no --io-threads $THREADS --io-threads-do-reads yes"
  echo "memcached_cmd=memcached -t $THREADS -m $MEMCACHED_MB -c 4096"
  echo "load_start=$(load_avg)"
} >"$WORK/meta.txt"

# ------------------------------------------------------------------ redis-benchmark
CLK_TCK=$(getconf CLK_TCK)
cpu_seconds() { awk -v hz="$CLK_TCK" '{ printf "%.2f %.2f", $14 / hz, $15 / hz }' "/proc/$1/stat"; }   # user sys
gc_lines() { if [ -n "${GCLOG[$1]:-}" ] && [ -f "${GCLOG[$1]}" ]; then wc -l <"${GCLOG[$1]}"; else echo 0; fi; }
# Runs a load generator ("$@") against server NAME, recording in FILE.cpu its wall time, its own CPU
# time, the server's CPU time over the run (user and kernel: /proc/PID/stat's utime and stime), the
# load average before it (the machine may be shared: CPU per op is robust), the server's RSS after
# it and, for dash4j, the garbage-collection pauses logged during it (count, total and longest ms).
measured() { # name file -- command...
  local name=$1 file=$2 pid u0 s0 u1 s1 g0 g1 t load; shift 3
  pid=$(pid_of "$name"); read -r u0 s0 <<<"$(cpu_seconds "$pid")"; g0=$(gc_lines "$name"); load=$(load_avg)
  t=$( { TIMEFORMAT='%R %U %S'; time "$@" >"$file" 2>&1; } 2>&1 ) || return 1
  read -r u1 s1 <<<"$(cpu_seconds "$pid")"; g1=$(gc_lines "$name")
  read -r real user sys <<<"$t"
  {
    printf 'real=%s\nclient_user=%s\nclient_sys=%s\n' "$real" "$user" "$sys"
    awk -v u0="$u0" -v s0="$s0" -v u1="$u1" -v s1="$s1" \
      'BEGIN { printf "server_cpu=%.2f\nserver_user=%.2f\nserver_sys=%.2f\n", u1 + s1 - u0 - s0, u1 - u0, s1 - s0 }'
    printf 'load=%s\nrss=%s\n' "$load" "$(proc_kib "$pid" VmRSS)"
    if [ -n "${GCLOG[$name]:-}" ]; then   # lines like "[3.5s][info][gc] GC(16) Pause Young (...) 68M->18M(71M) 27.860ms"
      sed -n "$((g0 + 1)),${g1}p" "${GCLOG[$name]}" | awk '/ Pause / { ms = $NF; sub(/ms$/, "", ms); n++; t += ms; if (ms > m) m = ms }
        END { printf "gc_pauses=%d\ngc_pause_ms=%.1f\ngc_pause_max_ms=%.1f\n", n, t, m }'
    fi
  } >"$file.cpu"
}
bench_resp() { # server port pipeline test n rep -> raw/resp-SERVER-PP-TEST-rREP.csv (+ .cpu)
  local f="$WORK/raw/resp-$1-P$3-$4-r$6.csv"
  measured "$1" "$f" -- timeout 300 redis-benchmark -h 127.0.0.1 -p "$2" -t "$4" -c 50 -d 64 -r 100000 \
    -P "$3" -n "$5" --csv || die "redis-benchmark against $1 failed (see $f)"
  echo "n=$5" >>"$f.cpu"
}
rps_of() { awk -F'","' 'NR > 1 { gsub(/"/, "", $2); print int($2) }' "$1" | head -1; }

RESP_SERVERS=(dash4j redis)
declare -A RESP_PORT=([dash4j]=$D4J_PORT [dash4j-t1]=$D4J1_PORT [redis]=$REDIS_PORT [redis-io]=$REDIS_IO_PORT)
log "throughput: starting dash4j (--threads $THREADS), redis (default, io-threads 1)"
start_dash4j dash4j "$D4J_PORT" "$D4J_MC_PORT" "$THREADS"
start_redis redis "$REDIS_PORT" 1
if [ "$REDIS_IOTHREADS" = 1 ] && [ "$THREADS" -gt 1 ]; then
  log "  and redis --io-threads $THREADS (extra column)"
  start_redis redis-io "$REDIS_IO_PORT" "$THREADS"
  RESP_SERVERS+=(redis-io)
fi
if [ "$SCALING" = 1 ] && [ "$THREADS" -gt 1 ]; then
  log "  and dash4j --threads 1 (scaling section)"
  start_dash4j dash4j-t1 "$D4J1_PORT" 0 1
  RESP_SERVERS+=(dash4j-t1)
fi
# JIT warm-up for the JVMs before any calibration (the launcher runs C2 only, which compiles later
# than tiered compilation would): not measured.
for s in "${RESP_SERVERS[@]}"; do
  case $s in dash4j*)
    log "  warming up $s"
    for P in 16 1; do
      timeout 300 redis-benchmark -h 127.0.0.1 -p "${RESP_PORT[$s]}" -t set,get -c 50 -d 64 -r 100000 -P "$P" \
        -n $([ "$P" = 1 ] && echo 50000 || echo 500000) -q >"$WORK/raw/warmup-$s-P$P.txt" 2>&1 \
        || die "warm-up against $s failed (see $WORK/raw/warmup-$s-P$P.txt)"
    done ;;
  esac
done
declare -A N=()
for P in 1 16; do
  calib=$([ "$P" = 1 ] && echo 20000 || echo 200000)
  for test in set get; do
    for s in "${RESP_SERVERS[@]}"; do
      # Calibration (and JIT warm-up for dash4j): every server gets the same run first.
      bench_resp "$s" "${RESP_PORT[$s]}" "$P" "$test" "$calib" warm
      rps=$(rps_of "$WORK/raw/resp-$s-P$P-$test-rwarm.csv")
      n=$(( (rps * RUN_SECONDS + 9999) / 10000 * 10000 ))
      [ "$n" -ge 10000 ] || n=10000
      N[$s-$P-$test]=$n
      echo "n_${s}_${P}_$test=$n" >>"$WORK/meta.txt"
      log "  P$P $test $s: calibration $rps ops/s -> -n $n"
    done
  done
done
for rep in $(seq 1 "$REPEAT"); do
  for P in 1 16; do
    for test in set get; do
      for s in "${RESP_SERVERS[@]}"; do   # interleaved, so a busy moment hits every server alike
        log "redis-benchmark -P $P -t $test $s (run $rep/$REPEAT, -n ${N[$s-$P-$test]})"
        bench_resp "$s" "${RESP_PORT[$s]}" "$P" "$test" "${N[$s-$P-$test]}" "$rep"
      done
    done
  done
done
for s in "${RESP_SERVERS[@]}"; do stop "$s"; done

# ------------------------------------------------------------------ memcaslap
log "memcaslap: starting dash4j (memcached port) and memcached -t $THREADS"
start_dash4j dash4j "$D4J_PORT" "$D4J_MC_PORT" "$THREADS"
start_memcached
declare -A MC_SERVER_PORT=([dash4j]=$D4J_MC_PORT [memcached]=$MC_PORT)
for s in dash4j memcached; do
  timeout 60 "$MEMASLAP" -s "127.0.0.1:${MC_SERVER_PORT[$s]}" -c 50 -X 64 -F "$ROOT/bench/memaslap-90get.cfg" -t 3s -T "$THREADS" \
    >"$WORK/raw/memaslap-$s-rwarm.txt" 2>&1 || die "memcaslap warm-up against $s failed"
done
secs=${MEMASLAP_TIME%s}
for rep in $(seq 1 "$REPEAT"); do
  for s in dash4j memcached; do
    log "memcaslap $s (run $rep/$REPEAT, -t $MEMASLAP_TIME)"
    measured "$s" "$WORK/raw/memaslap-$s-r$rep.txt" -- timeout $((secs + 60)) "$MEMASLAP" \
      -s "127.0.0.1:${MC_SERVER_PORT[$s]}" -c 50 -X 64 -F "$ROOT/bench/memaslap-90get.cfg" -t "$MEMASLAP_TIME" \
      -S "$MEMASLAP_TIME" -T "$THREADS" || die "memcaslap against $s failed (see $WORK/raw/memaslap-$s-r$rep.txt)"
  done
done
stop dash4j; stop memcached

# ------------------------------------------------------------------ memory
# mem_record NAME KEYS PID used_before used_after rss_before keys_held
mem_record() {
  printf 'server=%s\nkeys=%s\nused_before=%s\nused_after=%s\nrss_before=%s\nrss_after=%s\nrss_peak=%s\nload=%s\n' \
    "$1" "$7" "$4" "$5" "$6" "$(proc_kib "$3" VmRSS)" "$(proc_kib "$3" VmHWM)" "$(load_avg)" >"$WORK/raw/mem-$1-$2.txt"
}
mem_resp() { # name port keys
  local pid before rss0 after keys
  pid=$(pid_of "$1")
  sleep 2
  before=$(info_field "$2" memory used_memory); rss0=$(proc_kib "$pid" VmRSS)
  redis-cli -p "$2" --pipe <"$WORK/load.resp" >"$WORK/raw/load-$1-$3.txt" 2>&1 || die "loading $1 failed"
  sleep "$SETTLE_SECONDS"
  keys=$(redis-cli -p "$2" dbsize | tr -d '\r')
  after=$(info_field "$2" memory used_memory)
  [ "$keys" = "$3" ] || die "$1 holds $keys keys after loading $3 (raise DASH4J_MAXMEMORY?)"
  mem_record "$1" "$3" "$pid" "$before" "$after" "$rss0" "$keys"
}

for K in $MEMORY_KEYS; do
  log "memory: generating $K SET commands (12-byte keys, 16-byte values)"
  java "$SRC/KeyLoad.java" resp "$K" >"$WORK/load.resp"
  log "memory: dash4j, $K keys"
  start_dash4j dash4j "$D4J_PORT" "$D4J_MC_PORT" "$THREADS"
  mem_resp dash4j "$D4J_PORT" "$K"
  stop dash4j
  log "memory: redis, $K keys"
  start_redis redis "$REDIS_PORT" 1
  mem_resp redis "$REDIS_PORT" "$K"
  stop redis
  log "memory: memcached, $K keys"
  start_memcached
  pid=$(pid_of memcached)
  sleep 2
  before=$(mc_stat "$MC_PORT" bytes); rss0=$(proc_kib "$pid" VmRSS)
  java "$SRC/KeyLoad.java" memcached 127.0.0.1 "$MC_PORT" "$K" >"$WORK/raw/load-memcached-$K.txt" 2>&1 \
    || die "loading memcached failed (see $WORK/raw/load-memcached-$K.txt)"
  sleep "$SETTLE_SECONDS"
  items=$(mc_stat "$MC_PORT" curr_items)
  [ "$items" = "$K" ] || die "memcached holds $items items after loading $K (raise MEMCACHED_MB?)"
  mem_record memcached "$K" "$pid" "$before" "$(mc_stat "$MC_PORT" bytes)" "$rss0" "$items"
  stop memcached
done

echo "load_end=$(load_avg)" >>"$WORK/meta.txt"
rm -f "$WORK/load.resp" "$WORK/dash-server.jar"   # large and reproducible; raw/ stays

# ------------------------------------------------------------------ report
log "writing $OUT and $IMG/servers-*.png"
java -cp "$XCHART_JAR" "$SRC/ServersReport.java" --work "$WORK" --out "$OUT" --img "$IMG"
log "done (raw outputs kept in $WORK)"
