#!/usr/bin/env bash
# Run the AsyncRedis test suite against throwaway Redis servers.
# Arguments go to `swift test`, e.g. scripts/test.sh --filter ClusterTests
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Fail before spending time on servers if there is no toolchain.
if ! command -v swift >/dev/null 2>&1; then
  echo "test.sh: error: 'swift' not found in PATH; install a Swift toolchain (https://www.swift.org/install/)" >&2
  exit 127
fi

# Stop the servers whatever happens; a signal must also go through the EXIT trap.
trap 'bash scripts/servers.sh stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
env_lines=$(bash scripts/servers.sh start)
eval "$env_lines"

status=0
swift test "$@" || status=$?
exit "$status"
