#!/usr/bin/env bash
# Starts (or stops) throwaway PostgreSQL and Redis servers on loopback for the production-store
# tests, and writes the URLs they listen on to $DIR/env for the test run to source.
#
#   scripts/services.sh start [DIR]   start both, print the env file
#   scripts/services.sh stop  [DIR]   stop both and remove DIR
#
# DIR defaults to $NW_SERVICES_DIR or /tmp/northwind-services. PostgreSQL refuses to run as
# root, so as root the cluster is owned by the `postgres` system user that Debian's package creates.
set -euo pipefail

cmd=${1:-}
dir=${2:-${NW_SERVICES_DIR:-/tmp/northwind-services}}

die() { echo "services.sh: $*" >&2; exit 1; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return; }
  die "PostgreSQL is not installed (Debian: apt-get install postgresql)"
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  command -v redis-server >/dev/null 2>&1 || die "redis-server is not installed (Debian: apt-get install redis-server)"
  local bin pg_port redis_port
  bin=$(pg_bin)
  if [ -f "$dir/env" ]; then stop; fi
  mkdir -p "$dir"
  pg_port=$(free_port)
  redis_port=$(free_port)

  mkdir -p "$dir/pg"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir" "$dir/pg"
  as_pg "$bin/initdb" -D "$dir/pg/data" -U postgres --auth=trust -E UTF8 >"$dir/pg-initdb.log" 2>&1 \
    || { cat "$dir/pg-initdb.log" >&2; die "initdb failed"; }
  as_pg "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $dir/pg -c fsync=off" start >/dev/null \
    || { cat "$dir/pg/server.log" >&2; die "PostgreSQL did not start"; }

  redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir"
  for _ in $(seq 50); do
    redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1 || die "Redis did not start"

  cat >"$dir/env" <<ENV
export NW_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:$pg_port/postgres
export HANDOFF_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:$pg_port/postgres
export NW_TEST_REDIS_URL=redis://127.0.0.1:$redis_port/0
ENV
  cat "$dir/env"
}

stop() {
  [ -d "$dir" ] || return 0
  if [ -f "$dir/pg/data/postmaster.pid" ]; then
    as_pg "$(pg_bin)/pg_ctl" -D "$dir/pg/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [ -f "$dir/redis.pid" ]; then
    kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) die "usage: scripts/services.sh start|stop [DIR]" ;;
esac
