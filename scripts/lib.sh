#!/usr/bin/env bash
# Helpers shared by scripts/servers.sh and scripts/demo.sh. Source this file, don't run it.
set -euo pipefail

# All chatter goes to stderr: callers capture only the env lines from stdout.
log() { echo "${0##*/}: $*" >&2; }
die() { log "error: $*"; exit 1; }

# Binaries the test servers need, and the Debian packages that provide them.
REDIS_TOOLS=(redis-server redis-cli redis-benchmark redis-sentinel openssl)
REDIS_PACKAGES=(redis-server redis-tools redis-sentinel openssl)

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
enable-debug-command yes
protected-mode no
repl-diskless-sync-delay 0
EOF
}

fail_server() {
  log "error: server in $1 $2; end of its log:"
  tail -n 20 "$1/redis.log" "$1/stdout.log" >&2 2>/dev/null || true
  exit 1
}

# start_redis DIR BINARY [HINT]: start BINARY with DIR/redis.conf and wait for its pid file.
# Its stdio goes to a file so that $(servers.sh start) never waits on an inherited pipe.
start_redis() {
  local i
  "$2" "$1/redis.conf" </dev/null >"$1/stdout.log" 2>&1 || fail_server "$1" "failed to start${3:+ ($3)}"
  for i in $(seq 1 50); do
    [ -s "$1/redis.pid" ] && return 0
    sleep 0.1
  done
  fail_server "$1" "wrote no pid file"
}

# wait_ping DIR REDIS-CLI-ARGS...: wait up to 10 s for the server to answer PONG.
wait_ping() {
  local dir=$1 i
  shift
  for i in $(seq 1 100); do
    [ "$(redis-cli "$@" ping 2>/dev/null </dev/null)" = PONG ] && return 0
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
    # Pids get reused: only signal a process that still is a redis one.
    grep -qa redis "/proc/$pid/cmdline" 2>/dev/null && pids+=("$pid")
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
