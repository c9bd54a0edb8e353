#!/usr/bin/env bash
# dash4j's forkless BGSAVE against Redis 7's fork()-based one, on loopback, in one command:
#   bench/persist-bench.sh
# For each key count in KEYS_LIST (12-byte keys key:00000000.., 64-byte values of random hex):
#   1. load the keys into dash4j (store mode, --save "") and into redis-server (--save "") with
#      redis-cli --pipe;
#   2. BGSAVE duration (after one unmeasured save that warms dash4j's JIT): dash4j's INFO
#      rdb_last_bgsave_time_ms; Redis's wall time from BGSAVE until rdb_bgsave_in_progress:0;
#   3. extra memory during BGSAVE: dash4j's INFO jvm_heap_used sampled every 20 ms during the save,
#      max minus the median of the samples before it, against used_memory_dataset (the data's
#      heap); Redis: rdb_last_cow_size against used_memory_dataset;
#   4. redis-benchmark -t set,get -c 50 -P 16 -d 64 -r KEYS for BENCH_SECONDS, without and while
#      BGSAVE runs back to back, on each server;
#   5. dump size (ls, after a SAVE that includes the benchmark's keys) and load time (dash4j: rdb_last_load_time_ms; Redis: from exec until it
#      answers PING without -LOADING).
# Writes the "Persistence" section of OUT (docs/results-servers.md), replacing an older one.
# Not a test: run it on a quiet machine. ~10 minutes with the defaults.
#
# Options: --keys "N ..." (KEYS_LIST), --seconds S (BENCH_SECONDS), --out FILE|- (OUT).
# Environment (defaults): KEYS_LIST="1000000 5000000" THREADS=2 BENCH_SECONDS=10
#   BASE_PORT=17400 DASH4J_JAVA_OPTS=-Xmx6g DASH4J_MAXMEMORY=4gb SKIP_BUILD=1 (reuse the jar)
#   OUT=docs/results-servers.md  (OUT=- prints the section instead)  KEEP=1 keeps the dumps and logs
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

while [ $# -gt 0 ]; do
  case "$1" in
    --keys) KEYS_LIST=$2; shift 2 ;;           # e.g. --keys 20000 for a quick check, --keys "1000000 5000000"
    --seconds) BENCH_SECONDS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "unknown option $1 (--keys N..., --seconds S, --out FILE|-)" >&2; exit 2 ;;
  esac
done
KEYS_LIST=${KEYS_LIST:-"1000000 5000000"}
THREADS=${THREADS:-2}
BENCH_SECONDS=${BENCH_SECONDS:-10}
BASE_PORT=${BASE_PORT:-17400}
DASH4J_JAVA_OPTS=${DASH4J_JAVA_OPTS:--Xmx6g}
DASH4J_MAXMEMORY=${DASH4J_MAXMEMORY:-4gb}
OUT=${OUT:-docs/results-servers.md}
LIFETIME=${LIFETIME:-3600}
D4J_PORT=$((BASE_PORT + 1)); REDIS_PORT=$((BASE_PORT + 2))

log() { printf '[persist-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

for t in redis-server redis-cli redis-benchmark; do
  command -v "$t" >/dev/null 2>&1 || die "$t is missing (Debian: apt-get install redis-server redis-tools)"
done
JAR=server-lite/target/dash-server.jar
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f "$JAR" ]; then
  log "building $JAR"
  mvn -B -q -pl server-lite -am package -DskipTests >/dev/null
fi

WORK=$(mktemp -d /tmp/dash4j-persist-bench.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT

info() { redis-cli -p "$1" info "${3:-persistence}" | tr -d '\r' | sed -n "s/^$2://p"; }
wait_ready() { # port pid
  for _ in $(seq 1 6000); do
    kill -0 "$2" 2>/dev/null || die "server on port $1 exited (see $WORK)"
    r=$(redis-cli -p "$1" ping 2>/dev/null || true)
    [ "$r" = PONG ] && return 0
    sleep 0.01
  done
  die "server on port $1 not ready"
}
wait_save() { while [ "$(info "$1" rdb_bgsave_in_progress)" = 1 ]; do sleep 0.02; done; }

gen_resp() { # n -> RESP SET commands: key:%08d, 64 hex chars from an LCG
  awk -v n="$1" 'BEGIN { s = 12345; h = "0123456789abcdef";
    for (i = 0; i < n; i++) { v = "";
      for (j = 0; j < 64; j++) { s = (s * 1103515245 + 12345) % 2147483648; v = v substr(h, int(s / 65536) % 16 + 1, 1) }
      printf "*3\r\n$3\r\nSET\r\n$12\r\nkey:%08d\r\n$64\r\n%s\r\n", i, v } }'
}

start_dash4j() { # dir
  timeout "$LIFETIME" java $DASH4J_JAVA_OPTS -jar "$JAR" --port "$D4J_PORT" --memcached-port 0 \
    --threads "$THREADS" --cache-mode false --maxmemory "$DASH4J_MAXMEMORY" --save "" --dir "$1" \
    >"$1/server.log" 2>&1 &
  D4J_PID=$!; PIDS+=("$D4J_PID")
  wait_ready "$D4J_PORT" "$D4J_PID"
}
start_redis() { # dir
  timeout "$LIFETIME" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --dir "$1" --dbfilename dump.rdb --io-threads "$THREADS" >"$1/server.log" 2>&1 &
  REDIS_PID=$!; PIDS+=("$REDIS_PID")
  wait_ready "$REDIS_PORT" "$REDIS_PID"
}
stop() { redis-cli -p "$1" shutdown nosave >/dev/null 2>&1 || true; wait "$2" 2>/dev/null || true; }

bench_ops() { # port label -> "set get" ops/s
  local n=$((BENCH_SECONDS * 100000))
  redis-benchmark -p "$1" -t set,get -c 50 -P 16 -d 64 -r "$KEYS" -n "$n" -q --csv 2>/dev/null \
    | tr -d '"' | awk -F, '$1=="SET"{s=$2} $1=="GET"{g=$2} END{printf "%d %d\n", s, g}'
}
bench_during_saves() { # port -> ops while BGSAVE runs back to back (written to $WORK/during.txt)
  # Run it in the foreground, not in <(...): `read` returns at the first line, and the script
  # used to go on while the last BGSAVE of the loop was still running, so the SAVE that follows
  # answered "Background save already in progress" and left an older, smaller dump on disk
  # (the 5M run's "redis loaded 5906479 keys, not the 6648836 it saved").
  rm -f "$WORK/stop-saves"; : >"$WORK/saves-during"
  ( while [ ! -f "$WORK/stop-saves" ]; do
      [ "$(redis-cli -p "$1" bgsave 2>&1)" = "Background saving started" ] && echo started >>"$WORK/saves-during"
      sleep 0.01; wait_save "$1"
    done ) &
  local looper=$!
  bench_ops "$1" >"$WORK/during.txt"
  touch "$WORK/stop-saves"; wait "$looper" 2>/dev/null || true; rm -f "$WORK/stop-saves"
  wait_save "$1"
}

ROWS=()
for KEYS in $KEYS_LIST; do
  log "$KEYS keys: generating the load"
  gen_resp "$KEYS" >"$WORK/load.resp"
  for server in dash4j redis; do
    dir="$WORK/$server-$KEYS"; mkdir -p "$dir"
    if [ $server = dash4j ]; then start_dash4j "$dir"; port=$D4J_PORT; pid=$D4J_PID
    else start_redis "$dir"; port=$REDIS_PORT; pid=$REDIS_PID; fi
    log "$server: loading $KEYS keys"
    redis-cli -p "$port" --pipe <"$WORK/load.resp" >"$dir/load.txt" 2>&1 || die "loading into $server failed"
    dataset=$(info "$port" used_memory_dataset memory)
    # one save first, not measured: dash4j's first save runs cold (interpreted) code
    redis-cli -p "$port" bgsave >/dev/null; sleep 0.05; wait_save "$port"
    # BGSAVE duration and extra memory
    if [ $server = dash4j ]; then
      base=$(for _ in 1 2 3 4 5; do info "$port" jvm_heap_used memory; sleep 0.05; done | sort -n | sed -n 3p)
      redis-cli -p "$port" bgsave >/dev/null
      peak=$base
      while [ "$(info "$port" rdb_bgsave_in_progress)" = 1 ]; do
        h=$(info "$port" jvm_heap_used memory); [ "$h" -gt "$peak" ] && peak=$h; sleep 0.02
      done
      save_ms=$(info "$port" rdb_last_bgsave_time_ms)
      extra=$((peak - base))
    else
      t0=$(date +%s%N); redis-cli -p "$port" bgsave >/dev/null; sleep 0.01; wait_save "$port"
      save_ms=$((($(date +%s%N) - t0) / 1000000))
      extra=$(info "$port" rdb_last_cow_size)
    fi
    [ "$(info "$port" rdb_last_bgsave_status)" = ok ] || die "$server: BGSAVE failed"
    log "$server: benchmark without and during BGSAVE"
    bench_ops "$port" >"$WORK/without.txt"; read -r set0 get0 <"$WORK/without.txt"
    bench_during_saves "$port"; read -r set1 get1 <"$WORK/during.txt"
    saves=$(wc -l <"$WORK/saves-during")
    # the dump to load: the keys plus the benchmark's own (no save runs now: SAVE must answer OK)
    reply=$(redis-cli -p "$port" save 2>&1)
    [ "$reply" = OK ] || die "$server: SAVE answered '$reply'"
    held=$(redis-cli -p "$port" dbsize)
    size=$(stat -c %s "$dir/dump.rdb")
    stop "$port" "$pid"
    # load time
    t0=$(date +%s%N)
    if [ $server = dash4j ]; then start_dash4j "$dir"; port=$D4J_PORT; pid=$D4J_PID
      load_ms=$(info "$port" rdb_last_load_time_ms)
    else start_redis "$dir"; port=$REDIS_PORT; pid=$REDIS_PID
      load_ms=$((($(date +%s%N) - t0) / 1000000))
    fi
    loaded=$(redis-cli -p "$port" dbsize)
    [ "$loaded" = "$held" ] || die "$server loaded $loaded keys, not the $held it saved"
    stop "$port" "$pid"
    ROWS+=("$KEYS|$server|$save_ms|$extra|$dataset|$set0|$set1|$get0|$get1|$size|$load_ms|$saves")
    log "$server $KEYS: save ${save_ms} ms, extra $extra B of $dataset B, SET $set0->$set1, GET $get0->$get1 ($saves BGSAVEs during), dump $size B, load ${load_ms} ms"
  done
done

section() {
  echo "## Persistence: BGSAVE and load, 12-byte keys with 64-byte values"
  echo
  echo "\`bench/persist-bench.sh\` ($(date -u +%Y-%m-%d), $THREADS threads each, loopback; dash4j in store mode,"
  echo "$DASH4J_JAVA_OPTS). dash4j snapshots without fork() (docs/persistence.md); Redis forks."
  echo "Extra memory: dash4j's peak JVM heap during BGSAVE minus before (sampled every 20 ms; includes"
  echo "garbage not yet collected), Redis's copy-on-write (rdb_last_cow_size); both against used_memory_dataset."
  echo "Targets: extra <= 10 % of the data, ops/s during BGSAVE >= 0.8x without. \"During\": BGSAVE back to back"
  echo "for the whole benchmark; dash4j's save writer works at most 20 % of the time while the server is busy"
  echo "unless 256K entries wait for it (docs/persistence.md §2), so its saves under load take longer than the BGSAVE column."
  echo
  echo "| keys | server | BGSAVE ms | extra MB (% of data) | SET ops/s without / during | GET ops/s without / during | BGSAVEs during | dump MB | load ms |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
  for r in "${ROWS[@]}"; do
    IFS='|' read -r k s ms ex ds s0 s1 g0 g1 sz lm sv <<<"$r"
    awk -v k="$k" -v s="$s" -v ms="$ms" -v ex="$ex" -v ds="$ds" -v s0="$s0" -v s1="$s1" -v g0="$g0" -v g1="$g1" \
        -v sz="$sz" -v lm="$lm" -v sv="$sv" 'BEGIN { printf "| %d | %s | %d | %.1f (%.1f %%) | %d / %d (%.2fx) | %d / %d (%.2fx) | %d | %.1f | %d |\n",
        k, s, ms, ex / 1048576, (ds > 0 ? 100 * ex / ds : 0), s0, s1, (s0 > 0 ? s1 / s0 : 0), g0, g1, (g0 > 0 ? g1 / g0 : 0),
        sv, sz / 1048576, lm }'
  done
}
if [ "$OUT" = - ]; then section; exit 0; fi
touch "$OUT"
awk '/^## Persistence: BGSAVE and load/ { skip = 1; next } skip && /^## / { skip = 0 } !skip' "$OUT" >"$WORK/out.md"
{ cat "$WORK/out.md"; echo; section; } >"$OUT"
log "wrote the Persistence section of $OUT"
