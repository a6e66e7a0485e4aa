#!/usr/bin/env bash
# A throwaway Postgres for the relay's store tests (test/relay/store.test.ts, crash.test.ts), one per
# checkout: its own folder (named after this checkout's path) and a free port, so two checkouts'
# CI runs on one machine never share or delete each other's database.
#   url=$(bash relay/ci-postgres.sh start [--install])   # prints postgres://postgres@127.0.0.1:<port>/postgres
#   bash relay/ci-postgres.sh stop
#   bash relay/ci-postgres.sh down | up    # stop / start the same server, data and port kept (outage tests)
# RELAY_CI_PG_NAME=<name>: a second, separate server of this checkout (e.g. the outage test's own).
# --install: apt-get install postgresql (Debian) when no server binaries are found. Exits non-zero
# (and prints why on stderr) when no server can be started; the tests then skip with a message.
# RELAY_CI_PG_PORT forces the port (else the first free one from a per-checkout starting point).
set -euo pipefail
cmd=${1:-start}
root=$(cd "$(dirname "$0")/.." && pwd)
id=$(printf '%s' "$root" | cksum | cut -d' ' -f1)
dir=${TMPDIR:-/tmp}/relay-ci-postgres-$id${RELAY_CI_PG_NAME:+-$RELAY_CI_PG_NAME}
[ -n "${RELAY_CI_PG_NAME:-}" ] && id=$((id + $(printf '%s' "$RELAY_CI_PG_NAME" | cksum | cut -d' ' -f1) % 997 + 1))

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  if [ -z "$d" ] && command -v pg_config >/dev/null; then d=$(pg_config --bindir); fi
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

# initdb refuses to run as root: run the server as the postgres user then.
as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop_server() {
  local bin=$1
  if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then as_owner "'$bin/pg_ctl' -D '$dir/data' -m fast stop" >&2 || true; fi
}

case "$cmd" in
  start)
    bin=$(bindir || true)
    if [ -z "$bin" ] && [ "${2:-}" = "--install" ]; then
      SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo "sudo")
      ($SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null) >&2 || true
      bin=$(bindir || true)
    fi
    if [ -z "$bin" ]; then echo "relay/ci-postgres.sh: no Postgres server binaries found" >&2; exit 1; fi
    # This checkout's own leftover (a run that was killed) only.
    stop_server "$bin"
    rm -rf "$dir" && mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "'$bin/initdb' -D '$dir/data' -A trust -U postgres" >"$dir/initdb.log" 2>&1 || {
      echo "relay/ci-postgres.sh: initdb failed (see $dir/initdb.log)" >&2
      exit 1
    }
    # A free port, tried from a per-checkout starting point; if another process takes it between the
    # check and the server's bind, the start fails and the next port is tried.
    port=${RELAY_CI_PG_PORT:-$((20000 + id % 20000))}
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      while ! port_free "$port"; do port=$((port + 1)); done
      if as_owner "'$bin/pg_ctl' -D '$dir/data' -w -l '$dir/server.log' -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1\" start" >&2; then
        echo "$port" >"$dir/port"
        echo "postgres://postgres@127.0.0.1:$port/postgres"
        exit 0
      fi
      [ -n "${RELAY_CI_PG_PORT:-}" ] && break
      port=$((port + 1))
    done
    echo "relay/ci-postgres.sh: the server did not start (see $dir/server.log)" >&2
    exit 1
    ;;
  stop)
    stop_server "$(bindir || true)"
    rm -rf "$dir"
    ;;
  down)
    bin=$(bindir)
    as_owner "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop" >&2
    ;;
  up)
    bin=$(bindir)
    port=$(cat "$dir/port")
    as_owner "'$bin/pg_ctl' -D '$dir/data' -w -l '$dir/server.log' -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1\" start" >&2
    ;;
  *)
    echo "usage: $0 start [--install] | stop | down | up" >&2
    exit 2
    ;;
esac
