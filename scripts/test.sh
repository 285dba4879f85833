#!/usr/bin/env bash
# Run the AsyncRedis test suite against throwaway servers (scripts/servers.sh).
#   bash scripts/test.sh [SWIFT-TEST-ARGS...]
#       what CI runs: the whole suite against the default server (Debian's Redis 7.0), then, on the same build,
#       the integration target (Tests/AsyncRedisIntegrationTests) against Redis 6.2 (redis6) and Valkey 8.1
#       (valkey), then the fuzz targets (scripts/fuzz.sh) for ASYNCREDIS_FUZZ_SECONDS each (60 by default, 0 to
#       skip); with no SWIFT-TEST-ARGS also the sample service's smoke test (scripts/example-smoke.sh, against the
#       default server) and the documentation check (scripts/docs.sh)
#   bash scripts/test.sh --server redis|redis6|valkey [SWIFT-TEST-ARGS...]
#       the whole suite against one server
# SWIFT-TEST-ARGS go to `swift test`, e.g. scripts/test.sh --server valkey --filter PubSubTests
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

# The target whose tests never talk to a server: the extra servers of the matrix run only the integration target.
UNIT_TARGET=AsyncRedisUnitTests
# A run against an extra server that takes longer than this is stopped: a hang must not eat CI's time.
EXTRA_SERVER_LIMIT=${ASYNCREDIS_EXTRA_SERVER_LIMIT:-900}
FUZZ_SECONDS=${ASYNCREDIS_FUZZ_SECONDS:-60}

# Fail before spending time on servers if there is no toolchain.
if ! command -v swift >/dev/null 2>&1; then
  echo "test.sh: error: 'swift' not found in PATH; install a Swift toolchain (https://www.swift.org/install/)" >&2
  exit 127
fi

server=
case ${1:-} in
  --server) [ $# -ge 2 ] || die "--server needs a name (${SERVER_FLAVOURS[*]})"; server=$2; shift 2 ;;
  --server=*) server=${1#--server=}; shift ;;
esac
if [ -n "$server" ]; then
  [[ " ${SERVER_FLAVOURS[*]} " == *" $server "* ]] || die "unknown server '$server' (one of: ${SERVER_FLAVOURS[*]})"
fi

# Stop the servers whatever happens; a signal must also go through the EXIT trap.
trap 'bash scripts/servers.sh stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# run_on SERVER CMD...: start SERVER's set, run CMD with its variables, stop the set; CMD's exit status.
run_on() {
  local env_lines status=0
  env_lines=$(bash scripts/servers.sh start "$1") || return
  shift
  (eval "$env_lines" && "$@") || status=$?
  bash scripts/servers.sh stop
  return "$status"
}

if [ -n "$server" ]; then
  status=0
  run_on "$server" swift test "$@" || status=$?
  exit "$status"
fi

outcome() {
  case $1 in
    0) echo passed ;;
    124) echo "FAILED: stopped at the time limit" ;;
    *) echo "FAILED (exit $1)" ;;
  esac
}

# The matrix: every server runs even if one fails, and a summary says which did.
summary=() status=0 rc=0
# The suites that kill, fail over or start whole clusters of servers run after the others, on their own: run
# alongside the rest of the suite on two cores, their failovers missed their time bounds now and then.
HEAVY_SUITES='ClusterFailureTests|ClusterClientCacheTests|ClusterSubscriptionFailoverTests|ClusterTransactionRedirectionTests|ClusterEndpointTests|ClusterSecurityTests|SentinelTests|SentinelServiceTests'
if [ $# -eq 0 ]; then
  run_on redis bash -c 'swift test --skip "$1" && swift test --skip-build --filter "$1"' _ "$HEAVY_SUITES" || rc=$?
else
  run_on redis swift test "$@" || rc=$?
fi
summary+=("redis: $(outcome $rc)")
[ $rc -eq 0 ] || status=$rc
# The sample service in Examples/ against the same kind of server, and the DocC build, on whole-suite runs only.
if [ $# -eq 0 ]; then
  rc=0
  run_on redis bash scripts/example-smoke.sh || rc=$?
  summary+=("example: $(outcome $rc)")
  [ $rc -eq 0 ] || status=$rc
  rc=0
  bash scripts/docs.sh || rc=$?
  summary+=("docs: $(outcome $rc)")
  [ $rc -eq 0 ] || status=$rc
fi
for server in redis6 valkey; do
  log "the tests that need a server, against $server (same build, at most $EXTRA_SERVER_LIMIT s)"
  rc=0
  run_on "$server" timeout -k 30 "$EXTRA_SERVER_LIMIT" \
    swift test --skip-build --skip "$UNIT_TARGET" "$@" || rc=$?
  summary+=("$server: $(outcome $rc)")
  [ $rc -eq 0 ] || status=$rc
done
# Fuzzing runs on CI's whole-suite run only, not on a run narrowed by arguments. Bounded like the extra servers:
# about a minute of compiling, then each target for FUZZ_SECONDS.
if [ $# -eq 0 ] && [ "$FUZZ_SECONDS" -gt 0 ]; then
  rc=0
  timeout -k 30 $((FUZZ_SECONDS * 2 + 600)) bash scripts/fuzz.sh "$FUZZ_SECONDS" || rc=$?
  summary+=("fuzz: $(outcome $rc)")
  [ $rc -eq 0 ] || status=$rc
fi
for line in "${summary[@]}"; do log "$line"; done
exit "$status"
