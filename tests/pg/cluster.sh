#!/usr/bin/env bash
# tests/pg/cluster.sh start|stop HANDLE
#
# A throwaway PostgreSQL cluster for the tests (issue 17), started and stopped
# by CTest's pg_cluster fixture (tests/CMakeLists.txt).
#
# HANDLE is a folder in the build tree ($BUILD/pg). start writes into it:
#   HANDLE/dir       the cluster's own folder, /tmp/trialcal-pg.XXXXXX
#   HANDLE/conninfo  one line: host=<dir>/sock port=N user=postgres dbname=postgres
# The cluster itself (data/, sock/, log) lives outside the build tree: as root,
# initdb and the server run as the postgres OS user, who cannot traverse /root
# where build trees often are; and a unix socket's path is limited to 107 bytes,
# which a deep build tree would exceed.
#
# Trust on the unix socket only (listen_addresses = ''): nothing listens on
# TCP. fsync stays on: the crash tests stop the server with -m immediate.
set -euo pipefail

usage() { echo "usage: $0 start|stop|crash|restart HANDLE" >&2; exit 64; }
[ $# -eq 2 ] || usage
action=$1
handle=$2

# The newest PostgreSQL installed from Debian (/usr/lib/postgresql/<major>/bin),
# or $TRIALCAL_PG_BIN.
pg_bin() {
  local bin=${TRIALCAL_PG_BIN:-}
  [ -n "$bin" ] || bin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  if [ ! -x "$bin/initdb" ]; then
    echo "cluster.sh: no PostgreSQL server in ${TRIALCAL_PG_BIN:-/usr/lib/postgresql/*/bin};" \
         "install the Debian package postgresql (tools/lib.sh TRIALCAL_TEST_PACKAGES)" >&2
    exit 69
  fi
  echo "$bin"
}

# initdb, pg_ctl and the server refuse to run as root: as root they run as the
# postgres OS user, otherwise as whoever runs the tests.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# A port no one listens on: neither a unix socket named .s.PGSQL.<port>
# anywhere (/proc/net/unix) nor a TCP listener (/proc/net/tcp, tcp6; state 0A).
free_port() {
  local port hex
  for port in $(seq 54320 54419); do
    grep -q "\.s\.PGSQL\.$port\$" /proc/net/unix 2>/dev/null && continue
    hex=$(printf '%04X' "$port")
    awk -v p=":$hex\$" '$4 == "0A" && $2 ~ p {f = 1} END {exit !f}' /proc/net/tcp /proc/net/tcp6 2>/dev/null && continue
    echo "$port"
    return
  done
  echo "cluster.sh: no free port in 54320-54419" >&2
  exit 69
}

# The cluster folder recorded in HANDLE/dir, only when it is one of ours:
# stop removes it whole.
recorded_dir() {
  [ -f "$handle/dir" ] || return 0
  local dir
  dir=$(cat "$handle/dir")
  case "$dir" in
    /tmp/trialcal-pg.*) [ -d "$dir" ] && echo "$dir" ;;
    *) echo "cluster.sh: $handle/dir names $dir, not a trialcal-pg folder; left alone" >&2 ;;
  esac
  return 0
}

stop_cluster() {
  local dir bin
  dir=$(recorded_dir)
  if [ -n "$dir" ]; then
    if [ -f "$dir/data/postmaster.pid" ]; then
      bin=$(pg_bin)
      # -m fast ends the sessions and checkpoints; a server that will not go
      # is killed with -m immediate. Already down is not an error.
      as_owner "$bin/pg_ctl" stop -D "$dir/data" -m fast -t 60 >/dev/null 2>&1 ||
        as_owner "$bin/pg_ctl" stop -D "$dir/data" -m immediate -t 30 >/dev/null 2>&1 || true
      if [ -f "$dir/data/postmaster.pid" ]; then
        local pid
        pid=$(head -n 1 "$dir/data/postmaster.pid")
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
          echo "cluster.sh: server $pid in $dir would not stop" >&2
          exit 1
        fi
      fi
    fi
    rm -rf "$dir"
  fi
  rm -f "$handle/dir" "$handle/conninfo"
}

# A start that fails half-way leaves no server and no folder behind.
stop_unless_started() {
  local rc=$?
  [ $rc -eq 0 ] || stop_cluster
  exit $rc
}

start_cluster() {
  local bin dir port user
  bin=$(pg_bin)
  mkdir -p "$handle"
  handle=$(cd "$handle" && pwd)
  stop_cluster # a server left by a run that did not reach its cleanup

  dir=$(mktemp -d /tmp/trialcal-pg.XXXXXX)
  echo "$dir" >"$handle/dir"
  trap stop_unless_started EXIT
  mkdir "$dir/sock"
  if [ "$(id -u)" -eq 0 ]; then
    getent passwd postgres >/dev/null ||
      { echo "cluster.sh: running as root needs the postgres OS user (Debian's postgresql package creates it)" >&2; exit 69; }
    chown -R postgres: "$dir"
  fi
  user=postgres # the superuser's name, whoever runs the server

  # C locale and UTF8: byte order for text, as the engine's COLLATE "C" does.
  # --no-sync: a throwaway cluster need not survive the machine crashing.
  if ! as_owner "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust -E UTF8 --locale=C --no-sync \
      >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    echo "cluster.sh: initdb failed" >&2
    exit 1
  fi
  port=$(free_port)
  as_owner tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF

# tests/pg/cluster.sh
listen_addresses = ''
unix_socket_directories = '$dir/sock'
port = $port
fsync = on
EOF
  # The unix socket only, trusted: the folder is the server owner's alone.
  as_owner tee "$dir/data/pg_hba.conf" >/dev/null <<EOF
# tests/pg/cluster.sh: the unix socket only, trusted; nothing on TCP.
local all all trust
EOF

  if ! as_owner "$bin/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 60 >/dev/null; then
    cat "$dir/server.log" >&2 || true
    echo "cluster.sh: the server did not start" >&2
    exit 1
  fi
  local tries=0
  until "$bin/pg_isready" -q -h "$dir/sock" -p "$port" -U "$user" -d postgres; do
    tries=$((tries + 1))
    if [ $tries -ge 60 ]; then
      cat "$dir/server.log" >&2 || true
      echo "cluster.sh: the server never said ready" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "host=$dir/sock port=$port user=$user dbname=postgres" >"$handle/conninfo"
  echo "cluster.sh: PostgreSQL $("$bin/pg_ctl" --version | awk '{print $3}') ready: $(cat "$handle/conninfo")"
}

# A power cut at the server: stopped without a checkpoint (tests of what a
# write left behind), then started again on the same folder and port.
crash_cluster() {
  local dir bin
  dir=$(recorded_dir)
  [ -n "$dir" ] || { echo "cluster.sh: no cluster to crash in $handle" >&2; exit 1; }
  bin=$(pg_bin)
  as_owner "$bin/pg_ctl" stop -D "$dir/data" -m immediate -t 30 >/dev/null
}

restart_cluster() {
  local dir bin
  dir=$(recorded_dir)
  [ -n "$dir" ] || { echo "cluster.sh: no cluster to restart in $handle" >&2; exit 1; }
  bin=$(pg_bin)
  as_owner "$bin/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 60 >/dev/null
}

case "$action" in
  start) start_cluster ;;
  crash) handle=$(cd "$handle" && pwd); crash_cluster ;;
  restart) handle=$(cd "$handle" && pwd); restart_cluster ;;
  stop)
    [ -d "$handle" ] || exit 0
    handle=$(cd "$handle" && pwd)
    stop_cluster
    echo "cluster.sh: stopped"
    ;;
  *) usage ;;
esac
