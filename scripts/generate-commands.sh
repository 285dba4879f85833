#!/usr/bin/env bash
# Regenerates the command table (Sources/AsyncRedis/Commands/Generated/) from the specification of a throwaway
# server of the default flavour (Debian's Redis 7.0):
#   bash scripts/generate-commands.sh [redis|redis6|valkey]
# The server listens on a Unix socket only (port 0), so it can neither take nor clash with anyone's port.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

use_flavour "${1:-redis}"
command -v python3 >/dev/null 2>&1 || die "python3 is needed to run scripts/generate-commands.py"

dir=$(mktemp -d "${TMPDIR:-/tmp}/asyncredis-generate.XXXXXX")
cleanup() {
  [ -f "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

"$SERVER_BIN" --port 0 --unixsocket "$dir/redis.sock" --unixsocketperm 700 --daemonize yes \
  --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir" --save '' --appendonly no
for _ in $(seq 1 100); do
  [ -S "$dir/redis.sock" ] && break
  sleep 0.1
done
[ -S "$dir/redis.sock" ] || die "$SERVER_BIN did not start: $(cat "$dir/redis.log" 2>/dev/null)"

python3 scripts/generate-commands.py --socket "$dir/redis.sock" Sources/AsyncRedis/Commands/Generated
