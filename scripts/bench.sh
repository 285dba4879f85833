#!/usr/bin/env bash
# AsyncRedis against redis-benchmark, workload by workload, on a throwaway redis-server.
#
#   bash scripts/bench.sh [--json FILE] [--requests N] [--rounds R] [--executor default|connection] [--malloc]
#                         [--workloads W,...]
#
#   --requests N  base request count (default 200000). seq runs N/10, conc-*/pool/pubsub/cluster N, pipe-100 2N,
#                 pipe-10000 5N, set-100k/get-100k N/40 (at least 100 each).
#   --json FILE   also write [{"workload","asyncredis_ops","redis_benchmark_ops","ratio","p50_us","p99_us",
#                 "p999_us","rb_p50_us","rb_p99_us","rb_p999_us"}, ...] (microseconds; p999 null where unmeasured).
#   --rounds R    run every workload pair R times, alternating, and report for each workload the round with the
#                 median ratio (default 3): on a shared machine one run's ratio can be off by a third.
#   --executor E  where redis-bench's tasks run: `default` (Swift's cooperative pool: every reply hops from the
#                 event loop to a pool thread) or `connection` (the connection's event loop, through
#                 RedisEventLoopExecutor: no hop; the pool workload is unaffected). Default: default.
#   --workloads W only these workloads (comma-separated, e.g. conc-100,pipe-100); --only is the same.
#   --malloc      afterwards run the package-benchmark suite in Benchmarks/ (mallocs and instructions per
#                 encode, decode and GET round trip) against the same server, with REDIS_URL exported.
#
# The server is pinned to CPU 0 and both clients (redis-bench and redis-benchmark) to CPU 1, so each side
# has one core; the ratio AsyncRedis/redis-benchmark is the figure to read, absolute numbers vary by machine.
# Needs bash, awk, taskset; installs redis-server/redis-tools when missing. Python is not needed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib.sh
source "$ROOT/scripts/lib.sh"

JSON_FILE= BASE=200000 MALLOC=0 EXECUTOR=default ROUNDS=3 ONLY_WORKLOADS=
while [ $# -gt 0 ]; do
  case $1 in
    --json) [ $# -ge 2 ] || die "--json needs a file"; JSON_FILE=$2; shift 2 ;;
    --requests) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--requests needs a positive integer"; BASE=$2; shift 2 ;;
    --malloc) MALLOC=1; shift ;;
    --workloads|--only) [ $# -ge 2 ] || die "$1 needs a comma-separated list"; ONLY_WORKLOADS=$2; shift 2 ;;
    --rounds) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--rounds needs a positive integer"; ROUNDS=$2; shift 2 ;;
    --executor)
      case ${2:-} in default|connection) EXECUTOR=$2 ;; *) die "--executor takes default or connection" ;; esac
      shift 2 ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
# An absolute path: the script changes directory.
[ -z "$JSON_FILE" ] || case $JSON_FILE in /*) ;; *) JSON_FILE=$PWD/$JSON_FILE ;; esac

export REDIS_BENCH_EXECUTOR=$EXECUTOR
use_flavour redis
for tool in awk taskset swift; do command -v "$tool" >/dev/null 2>&1 || die "$tool is required"; done

# Pinning needs two CPUs; with one, everything shares it (and the figures say little).
SERVER_CPU=(taskset -c 0) CLIENT_CPU=(taskset -c 1)
if [ "$(nproc)" -lt 2 ]; then
  log "warning: fewer than 2 CPUs, running unpinned"
  SERVER_CPU=() CLIENT_CPU=()
fi

cd "$ROOT"
# REDIS_BENCH_BIN=path runs a redis-bench built elsewhere instead of building the release one.
if [ -n "${REDIS_BENCH_BIN:-}" ]; then
  BENCH_BIN=$REDIS_BENCH_BIN
else
  log "building redis-bench (release)"
  swift build -c release --product redis-bench >&2
  BENCH_BIN=$(swift build -c release --show-bin-path)/redis-bench
fi
[ -x "$BENCH_BIN" ] || die "no $BENCH_BIN after the build"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/asyncredis-bench.XXXXXX")
SUBSCRIBER_PID=
cleanup() {
  [ -z "$SUBSCRIBER_PID" ] || kill "$SUBSCRIBER_PID" 2>/dev/null || true
  stop_servers "$TMP"
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pick_port PORT
mkdir -p "$TMP/server"
{ server_conf "$TMP/server" "$PORT" 127.0.0.1; echo 'save ""'; echo 'appendonly no'; } >"$TMP/server/redis.conf"
start_redis "$TMP/server"
wait_ping "$TMP/server" -p "$PORT"
# All threads of the server (main, bio, io) onto CPU 0.
[ ${#SERVER_CPU[@]} -eq 0 ] || taskset -apc 0 "$(<"$TMP/server/redis.pid")" >/dev/null
log "redis-server $(redis-server --version | awk '{sub(/^v=/, "", $3); print $3}') on port $PORT (pid $(<"$TMP/server/redis.pid"))"
URI=redis://127.0.0.1:$PORT
CLI=(redis-cli -h 127.0.0.1 -p "$PORT")

# The cluster workload's servers: three masters without replicas, also on CPU 0.
CLUSTER_PORTS=()
for i in 1 2 3; do
  pick_port p cluster
  CLUSTER_PORTS+=("$p")
  mkdir -p "$TMP/cluster-$i"
  { server_conf "$TMP/cluster-$i" "$p" 127.0.0.1; echo 'save ""'; echo 'appendonly no'; echo 'cluster-enabled yes'
    echo "cluster-config-file $TMP/cluster-$i/nodes.conf"; } >"$TMP/cluster-$i/redis.conf"
  start_redis "$TMP/cluster-$i"
  wait_ping "$TMP/cluster-$i" -p "$p"
  [ ${#SERVER_CPU[@]} -eq 0 ] || taskset -apc 0 "$(<"$TMP/cluster-$i/redis.pid")" >/dev/null
done
redis-cli --cluster create "${CLUSTER_PORTS[@]/#/127.0.0.1:}" --cluster-yes >"$TMP/cluster-create.log" 2>&1 ||
  die "redis-cli --cluster create failed: $(tail -5 "$TMP/cluster-create.log")"
for _ in $(seq 1 100); do
  redis-cli -p "${CLUSTER_PORTS[2]}" cluster info | grep -q '^cluster_state:ok' && break
  sleep 0.1
done
CLUSTER_URI=redis://127.0.0.1:${CLUSTER_PORTS[0]}

atleast() { local n=$1; [ "$n" -ge 100 ] || n=100; echo "$n"; }
declare -A COUNT=(
  [seq]=$(atleast $((BASE / 10)))
  [conc-10]=$(atleast "$BASE") [conc-100]=$(atleast "$BASE") [conc-1000]=$(atleast "$BASE")
  [pipe-100]=$(atleast $((BASE * 2))) [pipe-10000]=$(atleast $((BASE * 5)))
  [pool]=$(atleast "$BASE")
  [pubsub]=$(atleast "$BASE")
  [set-100k]=$(atleast $((BASE / 40))) [get-100k]=$(atleast $((BASE / 40)))
  [cluster]=$(atleast "$BASE")
  [cached-get]=$(atleast $((BASE * 10)))
)
WORKLOADS=(seq conc-10 conc-100 conc-1000 pipe-100 pipe-10000 pool pubsub set-100k get-100k cluster cached-get)
if [ -n "$ONLY_WORKLOADS" ]; then
  IFS=, read -r -a WORKLOADS <<<"$ONLY_WORKLOADS"
  for w in "${WORKLOADS[@]}"; do [ -n "${COUNT[$w]:-}" ] || die "unknown workload $w"; done
fi

# Results, by workload.
declare -A AR_OPS AR_P50 AR_P99 AR_P999 RB_OPS RB_P50 RB_P99 RB_P999

# json_field JSON KEY: a number from redis-bench's one-line JSON.
json_field() { sed -n "s/.*\"$2\":\([-0-9.eE+]*\).*/\1/p" <<<"$1"; }

# asyncredis WORKLOAD [URI]: run redis-bench, record its figures.
asyncredis() {
  local out
  out=$("${CLIENT_CPU[@]}" "$BENCH_BIN" --uri "${2:-$URI}" --workload "$1" --requests "${COUNT[$1]}") ||
    die "redis-bench --workload $1 failed"
  record_asyncredis "$1" "$out"
}
record_asyncredis() {
  LAST_ASYNCREDIS_JSON=$2
  AR_OPS[$1]=$(json_field "$2" ops) AR_P50[$1]=$(json_field "$2" p50_us) AR_P99[$1]=$(json_field "$2" p99_us)
  AR_P999[$1]=$(json_field "$2" p999_us)
  [ -n "${AR_OPS[$1]}" ] || die "redis-bench printed no figures for $1: $2"
  log "  asyncredis       $1: ${AR_OPS[$1]} ops/s"
}

# record_csv WORKLOAD CSV [ROW]: take redis-benchmark's row ROW (a test name, default the first row) from its
# --csv output: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms",
# "p99_latency_ms","max_latency_ms". Latencies become microseconds.
record_csv() {
  local row
  row=$(awk -F'","' -v want="${3:-}" '
    NR == 1 { next }                                   # the header
    { gsub(/^"|"\r?$/, "") }
    $1 ~ /^test/ { next }
    want == "" || $1 == want { printf "%s %.1f %.1f\n", $2, $5 * 1000, $7 * 1000; exit }
  ' <<<"$2")
  [ -n "$row" ] || die "no ${3:-} row in redis-benchmark's output for $1: $2"
  read -r RB_OPS[$1] RB_P50[$1] RB_P99[$1] <<<"$row"
  RB_P999[$1]=-
  log "  redis-benchmark  $1: ${RB_OPS[$1]} ops/s"
}

# record_histogram WORKLOAD OUTPUT: the same figures from redis-benchmark's full (non-CSV) report, plus p99.9,
# which --csv lacks. Its "Latency by percentile distribution" lists percentiles at halving steps (..., 99.805 %,
# 99.902 %, ...): pN is the latency of the first listed percentile at or above N, an upper bound off by at most
# one step.
record_histogram() {
  local row
  row=$(tr '\r' '\n' <<<"$2" | awk '
    /throughput summary:/ { rps = $3 }
    /^ *[0-9.]+% <= [0-9.]+ milliseconds/ {
      p = $1; sub(/%/, "", p); ms = $3
      if (p50 == "" && p + 0 >= 50) p50 = ms * 1000
      if (p99 == "" && p + 0 >= 99) p99 = ms * 1000
      if (p999 == "" && p + 0 >= 99.9) p999 = ms * 1000
    }
    END { if (rps != "" && p999 != "") printf "%s %.1f %.1f %.1f\n", rps, p50, p99, p999 }')
  [ -n "$row" ] || die "no throughput or percentiles in redis-benchmark's report for $1: $2"
  read -r RB_OPS[$1] RB_P50[$1] RB_P99[$1] RB_P999[$1] <<<"$row"
  log "  redis-benchmark  $1: ${RB_OPS[$1]} ops/s"
}

# redisbench_report ARGS...: run redis-benchmark with ARGS and its full report (percentile distribution).
redisbench_report() {
  "${CLIENT_CPU[@]}" redis-benchmark -h 127.0.0.1 -p "$PORT" "$@" 2>"$TMP/rb.err" ||
    die "redis-benchmark $* failed: $(cat "$TMP/rb.err")"
}

# redisbench WORKLOAD ARGS...: run redis-benchmark --csv with ARGS, return its output.
redisbench() {
  local workload=$1 out
  shift
  out=$("${CLIENT_CPU[@]}" redis-benchmark -h 127.0.0.1 -p "$PORT" --csv "$@" 2>"$TMP/rb.err") ||
    die "redis-benchmark $* failed: $(cat "$TMP/rb.err")"
  printf '%s\n' "$out"
}

declare -A ROUND_FIGURES  # "workload round" -> "ratio ar_ops rb_ops ar_p50 ar_p99 rb_p50 rb_p99 ar_p999 rb_p999"
for round in $(seq 1 "$ROUNDS"); do
# redis-benchmark's GET reads key:__rand_int__ (no -r): give it the same 3-byte value redis-bench reads (the
# previous round's set-100k left 100 KB there).
"${CLI[@]}" set key:__rand_int__ xyz >/dev/null
for workload in "${WORKLOADS[@]}"; do
  n=${COUNT[$workload]}
  log "$workload ($n requests, round $round of $ROUNDS)"
  case $workload in
    seq)
      asyncredis seq
      record_histogram seq "$(redisbench_report -n "$n" -c 1 -P 1 -t get)" ;;
    conc-*|pipe-*)
      asyncredis "$workload"
      record_csv "$workload" "$(redisbench "$workload" -n "$n" -c 1 -P "${workload#*-}" -t get)" ;;
    pool)
      asyncredis pool
      record_histogram pool "$(redisbench_report -n "$n" -c 50 -P 1 -t get)" ;;
    pubsub)
      # redis-bench subscribes; once the server counts the subscriber, redis-benchmark publishes.
      channel=asyncredis-bench-$$
      "${CLIENT_CPU[@]}" "$BENCH_BIN" --uri "$URI" --workload pubsub --requests "$n" --channel "$channel" \
        >"$TMP/pubsub.out" 2>"$TMP/pubsub.err" &
      SUBSCRIBER_PID=$!
      for _ in $(seq 1 100); do
        [ "$("${CLI[@]}" pubsub numsub "$channel" | sed -n 2p)" = 1 ] && break
        alive "$SUBSCRIBER_PID" || break
        sleep 0.1
      done
      [ "$("${CLI[@]}" pubsub numsub "$channel" | sed -n 2p)" = 1 ] ||
        die "redis-bench did not subscribe: $(cat "$TMP/pubsub.err")"
      csv=$(redisbench pubsub -n "$n" -c 1 -P 100 PUBLISH "$channel" xyz)
      wait "$SUBSCRIBER_PID" || die "redis-bench --workload pubsub failed: $(cat "$TMP/pubsub.err")"
      SUBSCRIBER_PID=
      record_asyncredis pubsub "$(cat "$TMP/pubsub.out")"
      record_csv pubsub "$csv" ;;
    set-100k)
      asyncredis set-100k
      # One run gives both rows: its SET fills key:__rand_int__ with 100 KB for its GET.
      csv=$(redisbench set-100k -n "$n" -c 1 -P 10 -d 102400 -t set,get)
      record_csv set-100k "$csv" SET
      record_csv get-100k "$csv" GET ;;
    get-100k)
      asyncredis get-100k ;;
    cached-get)
      # 100 tasks reading a hot set of 1 000 keys through a client-side cache, against redis-benchmark's GET
      # from 100 clients over 1 000 keys (-r 1000), the same callers without a cache. conc-100 is the same
      # shape uncached. The goal is 10 times redis-benchmark's rate.
      asyncredis cached-get
      log "  memory per cached entry: $(json_field "$LAST_ASYNCREDIS_JSON" rss_bytes_per_entry) bytes resident," \
        "$(json_field "$LAST_ASYNCREDIS_JSON" estimated_bytes_per_entry) bytes as the cache estimates it"
      record_csv cached-get "$(redisbench cached-get -n "${COUNT[conc-100]}" -c 100 -P 1 -r 1000 -t get)" ;;
    cluster)
      # The same shape from redis-benchmark: 100 clients, random keys over every slot, SET then GET; its figure
      # for a half-SET, half-GET mix is the harmonic mean of the two rates (and the mean of their latencies).
      asyncredis cluster "$CLUSTER_URI"
      csv=$("${CLIENT_CPU[@]}" redis-benchmark --cluster -h 127.0.0.1 -p "${CLUSTER_PORTS[0]}" --csv -n "$n" \
        -c 100 -P 1 -d 3 -r 100000 -t set,get 2>"$TMP/rb.err") || die "redis-benchmark --cluster failed: $(cat "$TMP/rb.err")"
      record_csv cluster-set "$csv" SET
      record_csv cluster-get "$csv" GET
      read -r RB_OPS[cluster] RB_P50[cluster] RB_P99[cluster] < <(awk -v s="${RB_OPS[cluster-set]}" \
        -v g="${RB_OPS[cluster-get]}" -v s50="${RB_P50[cluster-set]}" -v g50="${RB_P50[cluster-get]}" \
        -v s99="${RB_P99[cluster-set]}" -v g99="${RB_P99[cluster-get]}" \
        'BEGIN { printf "%.1f %.1f %.1f\n", 2 / (1 / s + 1 / g), (s50 + g50) / 2, (s99 + g99) / 2 }')
      log "  redis-benchmark  cluster (SET/GET mix): ${RB_OPS[cluster]} ops/s" ;;
  esac
done
for w in "${WORKLOADS[@]}"; do
  [ -n "${RB_OPS[$w]:-}" ] || continue  # get-100k's redis-benchmark figure comes with set-100k's run
  ROUND_FIGURES["$w $round"]="$(awk -v a="${AR_OPS[$w]}" -v b="${RB_OPS[$w]}" 'BEGIN { printf "%.4f", (b > 0 ? a / b : 0) }') \
${AR_OPS[$w]} ${RB_OPS[$w]} ${AR_P50[$w]} ${AR_P99[$w]} ${RB_P50[$w]} ${RB_P99[$w]} ${AR_P999[$w]:--} ${RB_P999[$w]:--}"
done
done

# Each workload's figures are those of its median-ratio round.
for w in "${WORKLOADS[@]}"; do
  median=$(for r in $(seq 1 "$ROUNDS"); do echo "${ROUND_FIGURES["$w $r"]}"; done | sort -n |
    sed -n "$(((ROUNDS + 1) / 2))p")
  read -r _ AR_OPS[$w] RB_OPS[$w] AR_P50[$w] AR_P99[$w] RB_P50[$w] RB_P99[$w] AR_P999[$w] RB_P999[$w] <<<"$median"
done

# The table, and the JSON list.
null_if_dash() { if [ "${1:--}" = - ]; then echo null; else echo "$1"; fi; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "0" }'; }
{
  printf '%-11s %14s %17s %6s %12s %12s %10s %10s\n' workload "AsyncRedis/s" "redis-benchmark/s" ratio \
    "AR p50 µs" "AR p99 µs" "rb p50 µs" "rb p99 µs"
  for w in "${WORKLOADS[@]}"; do
    printf '%-11s %14.0f %17.0f %6s %12s %12s %10s %10s\n' "$w" "${AR_OPS[$w]}" "${RB_OPS[$w]}" \
      "$(ratio "${AR_OPS[$w]}" "${RB_OPS[$w]}")" "${AR_P50[$w]}" "${AR_P99[$w]}" "${RB_P50[$w]}" "${RB_P99[$w]}"
  done
}
echo "(ops/s; ratio = AsyncRedis / redis-benchmark; pipe-N p50/p99 of AsyncRedis are per command, batch/N;" \
  "pubsub: subscriber msg/s vs publisher rate, AsyncRedis p50/p99 = gaps between messages)"

# Tail latency of the two workloads where one call waits for one reply: seq (one caller) and pool (50 callers).
latency_rows=()
for w in seq pool; do [ -n "${RB_P999[$w]:-}" ] && [ "${RB_P999[$w]}" != - ] && latency_rows+=("$w"); done
if [ ${#latency_rows[@]} -gt 0 ]; then
  echo
  echo "latency (µs, the median-ratio round):"
  printf '%-11s %8s %8s %8s   %8s %8s %8s\n' workload "AR p50" "AR p99" "AR p99.9" "rb p50" "rb p99" "rb p99.9"
  for w in "${latency_rows[@]}"; do
    printf '%-11s %8s %8s %8s   %8s %8s %8s\n' "$w" "${AR_P50[$w]}" "${AR_P99[$w]}" "${AR_P999[$w]}" \
      "${RB_P50[$w]}" "${RB_P99[$w]}" "${RB_P999[$w]}"
  done
  echo "(redis-benchmark's p99/p99.9: its first listed percentile at or above, an upper bound; AsyncRedis's pool" \
    "figures sample every 8th call)"
fi

if [ -n "$JSON_FILE" ]; then
  {
    echo "["
    sep=
    for w in "${WORKLOADS[@]}"; do
      printf '%s  {"workload": "%s", "asyncredis_ops": %s, "redis_benchmark_ops": %s, "ratio": %s, "p50_us": %s, "p99_us": %s, "p999_us": %s, "rb_p50_us": %s, "rb_p99_us": %s, "rb_p999_us": %s}' \
        "$sep" "$w" "${AR_OPS[$w]}" "${RB_OPS[$w]}" "$(ratio "${AR_OPS[$w]}" "${RB_OPS[$w]}")" "${AR_P50[$w]}" \
        "${AR_P99[$w]}" "$(null_if_dash "${AR_P999[$w]}")" "${RB_P50[$w]}" "${RB_P99[$w]}" "$(null_if_dash "${RB_P999[$w]}")"
      sep=$',\n'
    done
    printf '\n]\n'
  } >"$JSON_FILE"
  log "wrote $JSON_FILE"
fi

if [ "$MALLOC" = 1 ]; then
  log "package-benchmark suite in Benchmarks/ (REDIS_URL=$URI); the first build takes several minutes"
  REDIS_URL=$URI swift package --package-path "$ROOT/Benchmarks" --scratch-path "$ROOT/Benchmarks/.build" \
    benchmark --no-progress
fi
