#!/usr/bin/env bash
# Smoke test of the sample service in Examples/: builds it (scratch path .build/examples, kept between runs so
# that only the first build compiles Hummingbird), starts it against the test server ($REDIS_HOST/$REDIS_PORT,
# exported by scripts/servers.sh) and calls every endpoint with curl; then SIGTERM must shut it down cleanly.
#   bash scripts/example-smoke.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib.sh
source "$ROOT/scripts/lib.sh"
for tool in curl swift; do command -v "$tool" >/dev/null 2>&1 || die "$tool is required"; done
[ -n "${REDIS_PORT:-}" ] || die "REDIS_PORT is not set: run it under scripts/servers.sh (scripts/test.sh does)"

SCRATCH=$ROOT/.build/examples
log "building the sample service (Examples/, scratch path $SCRATCH)"
swift build --package-path "$ROOT/Examples" --scratch-path "$SCRATCH" --product SampleService >&2
BIN=$(swift build --package-path "$ROOT/Examples" --scratch-path "$SCRATCH" --show-bin-path)/SampleService

TMP=$(mktemp -d "${TMPDIR:-/tmp}/asyncredis-example.XXXXXX")
SERVICE_PID=
cleanup() {
  [ -z "$SERVICE_PID" ] || kill -9 "$SERVICE_PID" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

pick_port PORT
CLIENT="smoke-$$-$RANDOM"
REDIS_URL="redis://${REDIS_HOST:-127.0.0.1}:$REDIS_PORT" PORT=$PORT RATE_LIMIT=6 LOG_LEVEL=info \
  "$BIN" >"$TMP/service.log" 2>&1 &
SERVICE_PID=$!
BASE=http://127.0.0.1:$PORT

fail() {
  log "error: $*; the service's log:"
  tail -n 30 "$TMP/service.log" >&2
  exit 1
}
# call ARGS...: curl with the smoke test's client id, failing on no answer within 10 s.
call() { curl -sS --max-time 10 -H "X-Client-ID: $CLIENT" "$@"; }

for _ in $(seq 1 100); do
  [ "$(curl -s --max-time 1 "$BASE/health" 2>/dev/null)" = ok ] && break
  alive "$SERVICE_PID" || fail "the service exited at startup"
  sleep 0.1
done
[ "$(curl -s --max-time 1 "$BASE/health")" = ok ] || fail "no answer on /health within 10 s"

# The cache: computed once, then served from Redis.
key="k-$CLIENT"
call -D "$TMP/h1" -o "$TMP/b1" "$BASE/cache/$key"
call -D "$TMP/h2" -o "$TMP/b2" "$BASE/cache/$key"
grep -qi '^x-cache: miss' "$TMP/h1" || fail "first cache read was not a miss"
grep -qi '^x-cache: hit' "$TMP/h2" || fail "second cache read was not a hit"
[ "$(cat "$TMP/b2")" = "value of $key" ] || fail "cached value is '$(cat "$TMP/b2")'"

# Pub/Sub fan-out: two waiting clients both get the event published once (it is published again until both
# answered, since a client may register after a publish).
event="event-$CLIENT"
call "$BASE/events?count=1&timeout=10" >"$TMP/e1" &
w1=$!
call "$BASE/events?count=1&timeout=10" >"$TMP/e2" &
w2=$!
for _ in $(seq 1 50); do
  call -o /dev/null -X POST --data "$event" "$BASE/events"
  ! kill -0 "$w1" 2>/dev/null && ! kill -0 "$w2" 2>/dev/null && break
  sleep 0.2
done
wait "$w1" "$w2" || fail "a waiting client failed"
grep -qx "$event" "$TMP/e1" && grep -qx "$event" "$TMP/e2" || fail "the event did not reach both clients"

# The rate limit (6 a minute for this client: 2 cache reads, 2 waits and at least one publish made so far).
status=
for _ in $(seq 1 8); do
  status=$(call -o /dev/null -w '%{http_code}' "$BASE/cache/$key")
  [ "$status" = 429 ] && break
done
[ "$status" = 429 ] || fail "no 429 after the limit (last status $status)"

# Prometheus metrics, AsyncRedis's among them.
call "$BASE/metrics" >"$TMP/metrics"
for name in db_client_operation_duration db_client_connection_count redis_client_pubsub_backlog; do
  grep -q "^$name" "$TMP/metrics" || fail "/metrics has no $name"
done

# Graceful shutdown: SIGTERM, then a clean exit.
kill -TERM "$SERVICE_PID"
for _ in $(seq 1 100); do
  alive "$SERVICE_PID" || break
  sleep 0.1
done
alive "$SERVICE_PID" && fail "still running 10 s after SIGTERM"
rc=0
wait "$SERVICE_PID" || rc=$?
SERVICE_PID=
[ "$rc" -eq 0 ] || fail "exited with status $rc after SIGTERM"
log "the sample service passed its smoke test"
