#!/usr/bin/env bash
# A throwaway Postgres for the relay's store tests (test/relay/store.test.ts, crash.test.ts).
#   url=$(bash relay/ci-postgres.sh start [--install])   # prints postgres://postgres@127.0.0.1:<port>/postgres
#   bash relay/ci-postgres.sh stop
# --install: apt-get install postgresql (Debian) when no server binaries are found. Exits non-zero
# (and prints why on stderr) when no server can be started; the tests then skip with a message.
set -euo pipefail
cmd=${1:-start}
port=${RELAY_CI_PG_PORT:-55433}
dir=${TMPDIR:-/tmp}/relay-ci-postgres

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

case "$cmd" in
  start)
    bin=$(bindir || true)
    if [ -z "$bin" ] && [ "${2:-}" = "--install" ]; then
      SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo "sudo")
      ($SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null) >&2 || true
      bin=$(bindir || true)
    fi
    if [ -z "$bin" ]; then echo "relay/ci-postgres.sh: no Postgres server binaries found" >&2; exit 1; fi
    rm -rf "$dir" && mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "'$bin/initdb' -D '$dir/data' -A trust -U postgres" >"$dir/initdb.log" 2>&1 || {
      echo "relay/ci-postgres.sh: initdb failed (see $dir/initdb.log)" >&2
      exit 1
    }
    as_owner "'$bin/pg_ctl' -D '$dir/data' -w -l '$dir/server.log' -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1\" start" >&2 || {
      echo "relay/ci-postgres.sh: the server did not start (see $dir/server.log)" >&2
      exit 1
    }
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    bin=$(bindir || true)
    if [ -n "$bin" ] && [ -d "$dir/data" ]; then as_owner "'$bin/pg_ctl' -D '$dir/data' -m fast stop" >&2 || true; fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start [--install] | stop" >&2
    exit 2
    ;;
esac
