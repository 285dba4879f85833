#!/usr/bin/env bash
# Run the redis-demo executable against a throwaway local redis-server.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

use_flavour redis
command -v swift >/dev/null 2>&1 || die "'swift' not found in PATH; install a Swift toolchain"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/asyncredis-demo.XXXXXX")
# Stop the server and drop its folder however the demo ends.
trap 'stop_servers "$TMP"; rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pick_port PORT
mkdir "$TMP/redis"
server_conf "$TMP/redis" "$PORT" 127.0.0.1 >"$TMP/redis/redis.conf"
start_redis "$TMP/redis"
wait_ping "$TMP/redis" -p "$PORT"

swift run redis-demo "redis://127.0.0.1:$PORT/0"
