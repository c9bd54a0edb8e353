#!/usr/bin/env bash
# dash4j, Redis and memcached side by side on loopback, in one command:
#   bench/compare-servers.sh
# 1. installs Debian's redis-server, redis-tools, memcached and libmemcached-tools when missing
#    (as root, with apt-get), and builds server-lite/target/dash-server.jar;
# 2. throughput: redis-benchmark -t set,get -c 50 -d 64 -r 100000 at -P 1 and -P 16 against dash4j
#    and Redis (plus Redis with its default single I/O thread, as a reference row), -n chosen so
#    each test runs ~RUN_SECONDS; memcaslap -c 50 -X 64, 90 % gets (-F), -t 10s against dash4j's
#    memcached port and memcached;
# 3. memory: 1M distinct 12-byte keys with 16-byte values loaded into a fresh instance of each
#    server (redis-cli --pipe for RESP, bench/.../servers/KeyLoad.java for memcached); INFO
#    used_memory / stats bytes and VmRSS from /proc, per key;
# 4. writes docs/results-servers.md and docs/img/servers-*.png (ServersReport.java, XChart).
# Same settings everywhere: loopback only, no persistence (redis --save '' --appendonly no), the
# same thread count (redis --io-threads / memcached -t / dash4j --threads = THREADS).
# Every server runs under `timeout` and is stopped on exit; the whole run takes ~8 minutes.
#
# Environment (defaults): THREADS=2 REPEAT=3 RUN_SECONDS=6 MEMASLAP_TIME=10s KEYS=1000000
#   BASE_PORT=17300 DASH4J_JAVA_OPTS=-Xmx2g DASH4J_MAXMEMORY=900mb MEMCACHED_MB=1024
#   SKIP_BUILD=1 (reuse the jar)  REDIS_REFERENCE=0 (skip the io-threads 1 row)
#   OUT=docs/results-servers.md IMG=docs/img
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

THREADS=${THREADS:-2}
REPEAT=${REPEAT:-3}
RUN_SECONDS=${RUN_SECONDS:-6}
MEMASLAP_TIME=${MEMASLAP_TIME:-10s}
KEYS=${KEYS:-1000000}
BASE_PORT=${BASE_PORT:-17300}
DASH4J_JAVA_OPTS=${DASH4J_JAVA_OPTS:--Xmx2g}
DASH4J_MAXMEMORY=${DASH4J_MAXMEMORY:-900mb}
MEMCACHED_MB=${MEMCACHED_MB:-1024}
REDIS_REFERENCE=${REDIS_REFERENCE:-1}
OUT=${OUT:-docs/results-servers.md}
IMG=${IMG:-docs/img}
LIFETIME=${LIFETIME:-1800}   # no server outlives this many seconds, whatever happens to this script

D4J_PORT=$((BASE_PORT + 79)); D4J_MC_PORT=$((BASE_PORT + 11))
REDIS_PORT=$((BASE_PORT + 80)); REDIS1_PORT=$((BASE_PORT + 81)); MC_PORT=$((BASE_PORT + 12))

log() { printf '[compare-servers %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

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
WORK=$(mktemp -d /tmp/dash4j-compare.XXXXXX)
mkdir -p "$WORK/raw"
log "work directory $WORK"
# Run a private copy of the jar: a rebuild in the tree during the run must not change the server.
cp "$JAR" "$WORK/dash-server.jar"
JAR_USED=$WORK/dash-server.jar

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
  for i in $(seq 1 200); do
    port_busy "$1" && return 0
    kill -0 "${WRAPPER[$2]}" 2>/dev/null || die "$2 exited before listening on $1 (see $WORK/$2.log)"
    sleep 0.1
  done
  die "$2 does not listen on 127.0.0.1:$1 (see $WORK/$2.log)"
}

# start NAME PORT [PORT2] -- command...
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

pid_of() { pgrep -P "${WRAPPER[$1]}" | head -1; }

stop() {
  local name=$1
  [ -n "${WRAPPER[$name]:-}" ] || return 0
  kill "${WRAPPER[$name]}" 2>/dev/null || true
  wait "${WRAPPER[$name]}" 2>/dev/null || true
  unset "WRAPPER[$name]"
}

start_dash4j() {
  # shellcheck disable=SC2086
  start dash4j "$D4J_PORT" "$D4J_MC_PORT" -- java $DASH4J_JAVA_OPTS -jar "$JAR_USED" --bind 127.0.0.1 \
    --port "$D4J_PORT" --memcached-port "$D4J_MC_PORT" --threads "$THREADS" --maxmemory "$DASH4J_MAXMEMORY"
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

rss_bytes() { awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$1/status"; }
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
  echo "os=$(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "jdk=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.vm.name/ { n = $2 } /java.runtime.version/ { v = $2 } END { print n " " v }')"
  echo "redis=$(redis-server --version | sed 's/ sha=.*//')"
  echo "memcached=$("$MEMCACHED" -V)"
  echo "memaslap=$(basename "$MEMASLAP") ($(dpkg-query -W -f='libmemcached-tools ${Version}' libmemcached-tools 2>/dev/null || echo unknown))"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- server-lite/src 2>/dev/null || echo ' (server-lite has uncommitted changes)')"
  echo "threads=$THREADS"
  echo "repeat=$REPEAT"
  echo "run_seconds=$RUN_SECONDS"
  echo "memaslap_time=$MEMASLAP_TIME"
  echo "keys=$KEYS"
  echo "dash4j_cmd=java $DASH4J_JAVA_OPTS -jar $JAR --threads $THREADS --maxmemory $DASH4J_MAXMEMORY"
  echo "redis_cmd=redis-server --save '' --appendonly no$([ "$THREADS" -gt 1 ] && echo " --io-threads $THREADS --io-threads-do-reads yes")"
  echo "memcached_cmd=memcached -t $THREADS -m $MEMCACHED_MB -c 4096"
  echo "load_start=$(load_avg)"
} >"$WORK/meta.txt"

# ------------------------------------------------------------------ redis-benchmark
CLK_TCK=$(getconf CLK_TCK)
cpu_seconds() { awk -v hz="$CLK_TCK" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
# Runs a load generator ("$@") against server NAME, recording in FILE.cpu its wall time, its own CPU
# time and the server's CPU time over the run (the machine may be shared: CPU per op is robust).
measured() { # name file -- command...
  local name=$1 file=$2 pid c0 c1 t; shift 3
  pid=$(pid_of "$name"); c0=$(cpu_seconds "$pid")
  t=$( { TIMEFORMAT='%R %U %S'; time "$@" >"$file" 2>&1; } 2>&1 ) || return 1
  c1=$(cpu_seconds "$pid")
  read -r real user sys <<<"$t"
  printf 'real=%s\nclient_user=%s\nclient_sys=%s\nserver_cpu=%s\n' "$real" "$user" "$sys" \
    "$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", b - a }')" >"$file.cpu"
}
bench_resp() { # server port pipeline n rep -> raw/resp-SERVER-PP-rREP.csv (+ .cpu)
  local f="$WORK/raw/resp-$1-P$3-r$5.csv"
  measured "$1" "$f" -- timeout 300 redis-benchmark -h 127.0.0.1 -p "$2" -t set,get -c 50 -d 64 -r 100000 \
    -P "$3" -n "$4" --csv || die "redis-benchmark against $1 failed (see $f)"
  echo "n=$4" >>"$f.cpu"
}
# The slower test's ops/s in a CSV (for choosing -n).
min_rps() { awk -F'","' 'NR > 1 { gsub(/"/, "", $2); if (min == "" || $2 + 0 < min) min = $2 + 0 } END { printf "%d", min }' "$1"; }

RESP_SERVERS=(dash4j redis)
declare -A RESP_PORT=([dash4j]=$D4J_PORT [redis]=$REDIS_PORT [redis-1t]=$REDIS1_PORT)
log "throughput: starting dash4j, redis (io-threads $THREADS)$([ "$REDIS_REFERENCE" = 1 ] && echo ", redis (io-threads 1)")"
start_dash4j
start_redis redis "$REDIS_PORT" "$THREADS"
if [ "$REDIS_REFERENCE" = 1 ] && [ "$THREADS" -gt 1 ]; then
  start_redis redis-1t "$REDIS1_PORT" 1
  RESP_SERVERS+=(redis-1t)
fi
declare -A N=()
for P in 1 16; do
  calib=$([ "$P" = 1 ] && echo 20000 || echo 200000)
  for s in "${RESP_SERVERS[@]}"; do
    # Calibration (and JIT warm-up for dash4j): every server gets the same run first.
    bench_resp "$s" "${RESP_PORT[$s]}" "$P" "$calib" warm
    rps=$(min_rps "$WORK/raw/resp-$s-P$P-rwarm.csv")
    n=$(( (rps * RUN_SECONDS + 9999) / 10000 * 10000 ))
    [ "$n" -ge 10000 ] || n=10000
    N[$s-$P]=$n
    echo "n_${s}_$P=$n" >>"$WORK/meta.txt"
    log "  P$P $s: calibration $rps ops/s -> -n $n"
  done
done
for rep in $(seq 1 "$REPEAT"); do
  for P in 1 16; do
    for s in "${RESP_SERVERS[@]}"; do   # interleaved, so a busy moment hits every server alike
      log "redis-benchmark P$P $s (run $rep/$REPEAT, -n ${N[$s-$P]})"
      bench_resp "$s" "${RESP_PORT[$s]}" "$P" "${N[$s-$P]}" "$rep"
    done
  done
done
stop dash4j; stop redis; stop redis-1t

# ------------------------------------------------------------------ memcaslap
cat >"$WORK/memaslap.cfg" <<'EOF'
# memcaslap workload: 16-byte keys (its minimum), 64-byte values (-X 64), 10 % sets, 90 % gets
key
16 16 1
value
64 64 1
cmd
0 0.1
1 0.9
EOF
log "memcaslap: starting dash4j (memcached port) and memcached -t $THREADS"
start_dash4j
start_memcached
declare -A MC_SERVER_PORT=([dash4j]=$D4J_MC_PORT [memcached]=$MC_PORT)
for s in dash4j memcached; do
  timeout 60 "$MEMASLAP" -s "127.0.0.1:${MC_SERVER_PORT[$s]}" -c 50 -X 64 -F "$WORK/memaslap.cfg" -t 3s -T "$THREADS" \
    >"$WORK/raw/memaslap-$s-rwarm.txt" 2>&1 || die "memcaslap warm-up against $s failed"
done
secs=${MEMASLAP_TIME%s}
for rep in $(seq 1 "$REPEAT"); do
  for s in dash4j memcached; do
    log "memcaslap $s (run $rep/$REPEAT, -t $MEMASLAP_TIME)"
    measured "$s" "$WORK/raw/memaslap-$s-r$rep.txt" -- timeout $((secs + 60)) "$MEMASLAP" \
      -s "127.0.0.1:${MC_SERVER_PORT[$s]}" -c 50 -X 64 -F "$WORK/memaslap.cfg" -t "$MEMASLAP_TIME" \
      -S "$MEMASLAP_TIME" -T "$THREADS" || die "memcaslap against $s failed (see $WORK/raw/memaslap-$s-r$rep.txt)"
  done
done
stop dash4j; stop memcached

# ------------------------------------------------------------------ memory
log "memory: generating $KEYS SET commands (12-byte keys, 16-byte values)"
java "$SRC/KeyLoad.java" resp "$KEYS" >"$WORK/load.resp"

mem_resp() { # name port
  local pid before rss0 after rss1 keys
  pid=$(pid_of "$1")
  sleep 2
  before=$(info_field "$2" memory used_memory); rss0=$(rss_bytes "$pid")
  redis-cli -p "$2" --pipe <"$WORK/load.resp" >"$WORK/raw/load-$1.txt" 2>&1 || die "loading $1 failed"
  sleep 3
  keys=$(redis-cli -p "$2" dbsize | tr -d '\r')
  after=$(info_field "$2" memory used_memory); rss1=$(rss_bytes "$pid")
  [ "$keys" = "$KEYS" ] || die "$1 holds $keys keys after loading $KEYS"
  printf 'server=%s\nkeys=%s\nused_before=%s\nused_after=%s\nrss_before=%s\nrss_after=%s\n' \
    "$1" "$keys" "$before" "$after" "$rss0" "$rss1" >"$WORK/raw/mem-$1.txt"
}

log "memory: dash4j"
start_dash4j
mem_resp dash4j "$D4J_PORT"
pid=$(pid_of dash4j)
# The JVM's footprint at rest: after a full GC, G1 gives unused heap back to the OS.
if command -v jcmd >/dev/null 2>&1 && jcmd "$pid" GC.run >/dev/null 2>&1; then
  sleep 2
  echo "rss_after_gc=$(rss_bytes "$pid")" >>"$WORK/raw/mem-dash4j.txt"
  echo "heap_after_gc=$(info_field "$D4J_PORT" memory jvm_heap_used)" >>"$WORK/raw/mem-dash4j.txt"
fi
stop dash4j

log "memory: redis"
start_redis redis "$REDIS_PORT" "$THREADS"
mem_resp redis "$REDIS_PORT"
stop redis

log "memory: memcached"
start_memcached
pid=$(pid_of memcached)
sleep 2
before=$(mc_stat "$MC_PORT" bytes); rss0=$(rss_bytes "$pid")
java "$SRC/KeyLoad.java" memcached 127.0.0.1 "$MC_PORT" "$KEYS" >"$WORK/raw/load-memcached.txt" 2>&1 \
  || die "loading memcached failed (see $WORK/raw/load-memcached.txt)"
sleep 3
items=$(mc_stat "$MC_PORT" curr_items)
[ "$items" = "$KEYS" ] || die "memcached holds $items items after loading $KEYS (raise MEMCACHED_MB?)"
printf 'server=memcached\nkeys=%s\nused_before=%s\nused_after=%s\nrss_before=%s\nrss_after=%s\n' \
  "$items" "$before" "$(mc_stat "$MC_PORT" bytes)" "$rss0" "$(rss_bytes "$pid")" >"$WORK/raw/mem-memcached.txt"
stop memcached

echo "load_end=$(load_avg)" >>"$WORK/meta.txt"
rm -f "$WORK/load.resp" "$WORK/dash-server.jar"   # large and reproducible; raw/ stays

# ------------------------------------------------------------------ report
log "writing $OUT and $IMG/servers-*.png"
java -cp "$XCHART_JAR" "$SRC/ServersReport.java" --work "$WORK" --out "$OUT" --img "$IMG"
log "done (raw outputs kept in $WORK)"
