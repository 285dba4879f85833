#!/usr/bin/env bash
# Throwaway Redis servers for the AsyncRedis tests: plain (TCP, unix socket, IPv6),
# password/ACL auth, TLS, a Sentinel group and a 6-node Cluster.
# Usage: servers.sh start [SERVER] | stop | env | install [SERVER]
#   SERVER   redis (default: Debian's Redis 7.0), redis6 (Redis 6.2) or valkey (Valkey 8.1); see lib.sh
#   start    prints export lines; use: eval "$(scripts/servers.sh start)"
#   env      prints the export lines of the running set again
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Fixed location, so that `stop` and `env` find the set that `start` made.
STATE_DIR=${ASYNCREDIS_STATE:-/tmp/asyncredis-test-servers}
STATE_FILE=$STATE_DIR/state

ENV_VARS=(REDIS_SERVER_FLAVOUR REDIS_SERVER_VERSION REDIS_SERVER_BIN
  REDIS_HOST REDIS_PORT REDIS_UNIX_SOCKET REDIS_IPV6
  REDIS_AUTH_PORT REDIS_AUTH_PASSWORD REDIS_ACL_USER REDIS_ACL_PASSWORD
  REDIS_TLS_PORT REDIS_TLS_CA REDIS_TLS_CLIENT_CERT REDIS_TLS_CLIENT_KEY
  REDIS_SENTINEL_PORTS REDIS_SENTINEL_TLS_PORT REDIS_SENTINEL_MASTER REDIS_SENTINEL_MASTER_PORT
  REDIS_SENTINEL_REPLICA_PORT REDIS_CLUSTER_PORTS REDIS_TEST_TMP)

# The temp folder of the running set, or nothing.
running_tmp() {
  [ -f "$STATE_FILE" ] && cat "$STATE_FILE"
  return 0
}

# new_server NAME PORT [BIND]: make TMP/NAME with the common config; caller appends to it.
new_server() {
  local dir=$TMP/$1
  mkdir "$dir"
  server_conf "$dir" "$2" "${3:-127.0.0.1}" >"$dir/redis.conf"
}

# run_logged LOG CMD...: keep noisy tool output in LOG, show it only on failure.
run_logged() {
  local logfile=$1
  shift
  "$@" </dev/null >>"$logfile" 2>&1 && return 0
  log "error: '$*' failed; end of $logfile:"
  tail -n 20 "$logfile" >&2
  exit 1
}

# make_certs DIR: test CA, server cert (localhost, 127.0.0.1) and client cert, all signed by the CA.
# EC P-256 keys: as widely supported as RSA, and generated in milliseconds instead of seconds.
make_certs() {
  local d=$1 ssl=(run_logged "$1/openssl.log" openssl)
  mkdir "$d"
  "${ssl[@]}" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -sha256 \
    -subj "/CN=AsyncRedis Test CA" -keyout "$d/ca.key" -out "$d/ca.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
  printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1" >"$d/server.ext"
  printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=clientAuth" >"$d/client.ext"
  local who cn
  for who in server client; do
    cn=localhost
    [ "$who" = client ] && cn=asyncredis-client
    "${ssl[@]}" req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$cn" \
      -keyout "$d/$who.key" -out "$d/$who.csr"
    "${ssl[@]}" x509 -req -in "$d/$who.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
      -days 3650 -sha256 -extfile "$d/$who.ext" -out "$d/$who.crt"
  done
}

# wait_for SECONDS WHAT CMD...: retry CMD every 0.2 s until it succeeds.
wait_for() {
  local tries=$(($1 * 5)) what=$2 i
  shift 2
  for i in $(seq 1 "$tries"); do
    "$@" && return 0
    sleep 0.2
  done
  die "$what (waited $((tries / 5)) s)"
}

replica_synced() { "$CLI_BIN" -p "$1" info replication 2>/dev/null | grep -q '^master_link_status:up'; }

# Every node must see the whole cluster as ok, not just the first one, and list each slot range with its master
# and its replica in CLUSTER SLOTS (six node IDs): Redis leaves a replica out until it has synced and gossiped
# its replication offset, some seconds after cluster_state:ok.
cluster_ok() {
  local p
  for p in "${CLUSTER_PORTS[@]}"; do
    "$CLI_BIN" -p "$p" cluster info 2>/dev/null | grep -q '^cluster_state:ok' || return 1
    [ "$("$CLI_BIN" -p "$p" cluster slots 2>/dev/null | grep -cE '^[0-9a-f]{40}$')" -eq 6 ] || return 1
  done
}

# Each sentinel must know the replica and the two other sentinels, or failover tests would flake.
sentinels_ready() {
  local p info
  for p in "${SENTINEL_PORTS[@]}"; do
    info=$("$CLI_BIN" -p "$p" sentinel master mymaster 2>/dev/null | paste -sd' ') || return 1
    [[ " $info " == *" num-slaves 1 "* && " $info " == *" num-other-sentinels 2 "* ]] || return 1
  done
}

cmd_start() {
  cmd_stop # never leak a previous set
  use_flavour "${1:-redis}"
  mkdir -p "$STATE_DIR"
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/asyncredis.XXXXXX")
  echo "$TMP" >"$STATE_FILE"
  # A half-started set is useless: tear it down if anything below fails.
  trap 'rc=$?; if [ $rc -ne 0 ]; then log "start failed, stopping servers"; cmd_stop; fi' EXIT

  local p i
  make_certs "$TMP/tls-certs"

  # Plain server: TCP on 127.0.0.1 and, if available, ::1 ("-" = skip if missing), plus a unix socket.
  pick_port REDIS_PORT
  new_server plain "$REDIS_PORT" "127.0.0.1 -::1"
  printf '%s\n' "unixsocket $TMP/plain/redis.sock" "unixsocketperm 700" >>"$TMP/plain/redis.conf"

  # Auth server: password for the default user plus an ACL user.
  REDIS_AUTH_PASSWORD=$(openssl rand -hex 16)
  REDIS_ACL_USER=asyncredis
  REDIS_ACL_PASSWORD=$(openssl rand -hex 16)
  pick_port REDIS_AUTH_PORT
  new_server auth "$REDIS_AUTH_PORT"
  printf '%s\n' "requirepass $REDIS_AUTH_PASSWORD" \
    "user $REDIS_ACL_USER on >$REDIS_ACL_PASSWORD ~* &* +@all" >>"$TMP/auth/redis.conf"

  # TLS server: TLS only, client certificates optional. A build without TLS gets none: REDIS_TLS_PORT stays
  # empty and the TLS tests skip.
  REDIS_TLS_PORT=
  local servers=(plain auth sentinel-master sentinel-replica cluster-{1..6})
  if [ "$SERVER_HAS_TLS" = 1 ]; then
    pick_port REDIS_TLS_PORT
    new_server tls 0
    printf '%s\n' "tls-port $REDIS_TLS_PORT" "tls-cert-file $TMP/tls-certs/server.crt" \
      "tls-key-file $TMP/tls-certs/server.key" "tls-ca-cert-file $TMP/tls-certs/ca.crt" \
      "tls-auth-clients no" >>"$TMP/tls/redis.conf"
    servers+=(tls)
  fi

  # Sentinel group data nodes: master and one replica.
  pick_port REDIS_SENTINEL_MASTER_PORT
  new_server sentinel-master "$REDIS_SENTINEL_MASTER_PORT"
  pick_port REDIS_SENTINEL_REPLICA_PORT
  new_server sentinel-replica "$REDIS_SENTINEL_REPLICA_PORT"
  echo "replicaof 127.0.0.1 $REDIS_SENTINEL_MASTER_PORT" >>"$TMP/sentinel-replica/redis.conf"

  CLUSTER_PORTS=()
  for i in 1 2 3 4 5 6; do
    pick_port p cluster
    CLUSTER_PORTS+=("$p")
    new_server "cluster-$i" "$p"
    printf '%s\n' "cluster-enabled yes" "cluster-config-file $TMP/cluster-$i/nodes.conf" \
      "cluster-node-timeout 2000" >>"$TMP/cluster-$i/redis.conf"
  done

  # Start everything first and wait afterwards: the servers boot in parallel.
  for i in "${servers[@]}"; do start_redis "$TMP/$i"; done
  wait_ping "$TMP/plain" -p "$REDIS_PORT"
  wait_ping "$TMP/plain" -s "$TMP/plain/redis.sock"
  wait_ping "$TMP/auth" -p "$REDIS_AUTH_PORT" --no-auth-warning -a "$REDIS_AUTH_PASSWORD"
  [ -z "$REDIS_TLS_PORT" ] || wait_ping "$TMP/tls" -p "$REDIS_TLS_PORT" --tls --cacert "$TMP/tls-certs/ca.crt"
  for i in sentinel-master sentinel-replica cluster-{1..6}; do
    wait_ping "$TMP/$i" -p "$(awk '$1 == "port" {print $2}' "$TMP/$i/redis.conf")"
  done

  # Sentinels read the replica list from the master's INFO only every 10 s: start them once
  # the replica is attached, so that their first INFO already shows it.
  wait_for 10 "replica on port $REDIS_SENTINEL_REPLICA_PORT did not sync with its master" \
    replica_synced "$REDIS_SENTINEL_REPLICA_PORT"
  SENTINEL_PORTS=() REDIS_SENTINEL_TLS_PORT=
  for i in 1 2 3; do
    pick_port p
    SENTINEL_PORTS+=("$p")
    new_server "sentinel-$i" "$p"
    # Sentinel rewrites this file at runtime, which is why it lives in the temp folder.
    printf '%s\n' "sentinel monitor mymaster 127.0.0.1 $REDIS_SENTINEL_MASTER_PORT 2" \
      "sentinel down-after-milliseconds mymaster 2000" \
      "sentinel failover-timeout mymaster 10000" >>"$TMP/sentinel-$i/redis.conf"
    # The first sentinel also takes TLS clients (it still talks to the data nodes in the clear).
    if [ "$i" = 1 ] && [ "$SERVER_HAS_TLS" = 1 ]; then
      pick_port REDIS_SENTINEL_TLS_PORT
      printf '%s\n' "tls-port $REDIS_SENTINEL_TLS_PORT" "tls-cert-file $TMP/tls-certs/server.crt" \
        "tls-key-file $TMP/tls-certs/server.key" "tls-ca-cert-file $TMP/tls-certs/ca.crt" \
        "tls-auth-clients no" >>"$TMP/sentinel-$i/redis.conf"
    fi
    start_redis "$TMP/sentinel-$i" --sentinel
  done
  for i in 1 2 3; do wait_ping "$TMP/sentinel-$i" -p "${SENTINEL_PORTS[i - 1]}"; done

  # Sentinel discovery (hello messages every 2 s) runs meanwhile.
  run_logged "$TMP/cluster-create.log" "$CLI_BIN" --cluster create \
    "${CLUSTER_PORTS[@]/#/127.0.0.1:}" --cluster-replicas 1 --cluster-yes
  wait_for 30 "cluster did not reach cluster_state:ok, see $TMP/cluster-*/redis.log" cluster_ok
  wait_for 15 "sentinels did not discover each other and the replica" sentinels_ready

  REDIS_SERVER_FLAVOUR=$SERVER_FLAVOUR
  REDIS_SERVER_VERSION=$SERVER_VERSION
  REDIS_SERVER_BIN=$SERVER_BIN
  REDIS_HOST=127.0.0.1
  REDIS_UNIX_SOCKET=$TMP/plain/redis.sock
  REDIS_IPV6=0
  [ "$("$CLI_BIN" -h ::1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && REDIS_IPV6=1
  REDIS_TLS_CA=$TMP/tls-certs/ca.crt
  REDIS_TLS_CLIENT_CERT=$TMP/tls-certs/client.crt
  REDIS_TLS_CLIENT_KEY=$TMP/tls-certs/client.key
  REDIS_SENTINEL_PORTS=$(IFS=,; echo "${SENTINEL_PORTS[*]}")
  REDIS_SENTINEL_MASTER=mymaster
  REDIS_CLUSTER_PORTS=$(IFS=,; echo "${CLUSTER_PORTS[*]}")
  REDIS_TEST_TMP=$TMP
  local name value
  for name in "${ENV_VARS[@]}"; do
    value=${!name}
    # Plain values stay readable; anything unusual (e.g. a space in TMPDIR) gets shell-quoted.
    [[ $value =~ ^[A-Za-z0-9_./:,@+-]*$ ]] || value=$(printf '%q' "$value")
    echo "export $name=$value"
  done >"$TMP/env"
  trap - EXIT
  log "$SERVER_FLAVOUR $SERVER_VERSION servers are up in $TMP"
  cat "$TMP/env"
}

cmd_stop() {
  local tmp
  tmp=$(running_tmp)
  if [ -n "$tmp" ]; then
    # The state file names the folder we rm -rf: refuse anything that is not ours.
    case $tmp in
      */asyncredis.*) ;;
      *) die "unexpected temp folder '$tmp' in $STATE_FILE" ;;
    esac
    if [ -d "$tmp" ]; then
      stop_servers "$tmp"
      rm -rf "$tmp"
    fi
  fi
  rm -f "$STATE_FILE"
}

cmd_env() {
  local tmp
  tmp=$(running_tmp)
  [ -n "$tmp" ] && [ -f "$tmp/env" ] || die "no test servers are running (run: $0 start)"
  cat "$tmp/env"
}

case ${1:-} in
  start) cmd_start "${2:-}" ;;
  stop) cmd_stop ;;
  env) cmd_env ;;
  install) use_flavour "${2:-redis}" ;;
  *) echo "usage: $0 start [SERVER] | stop | env | install [SERVER]   (SERVER: ${SERVER_FLAVOURS[*]})" >&2; exit 2 ;;
esac
