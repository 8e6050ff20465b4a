#!/usr/bin/env bash
# Sourced by scripts/test.sh: installs PostgreSQL if missing, starts a private cluster on
# 127.0.0.1:$GPUVMSIM_PG_PORT (data folder of its own, owned by the postgres user: PostgreSQL
# refuses to run as root) and exports GPUVMSIM_PG, the connection string the tests use.
set -euo pipefail

GPUVMSIM_PG_PORT="${GPUVMSIM_PG_PORT:-55432}"
pg_bin=""
for dir in /usr/lib/postgresql/*/bin; do [ -x "$dir/initdb" ] && pg_bin="$dir"; done
if [ -z "$pg_bin" ]; then
  echo "postgres.sh: installing PostgreSQL"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
  for dir in /usr/lib/postgresql/*/bin; do [ -x "$dir/initdb" ] && pg_bin="$dir"; done
fi
[ -n "$pg_bin" ] || { echo "postgres.sh: no PostgreSQL server binaries found" >&2; exit 1; }

pg_data="${GPUVMSIM_PG_DATA:-/tmp/gpuvmsim-pg-$GPUVMSIM_PG_PORT}"
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }

if ! as_postgres "$pg_bin/pg_ctl -D '$pg_data' status" >/dev/null 2>&1; then
  rm -rf "$pg_data"; mkdir -p "$pg_data"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$pg_data"
  as_postgres "$pg_bin/initdb -D '$pg_data' -U postgres --auth=trust -E UTF8" >/dev/null
  as_postgres "$pg_bin/pg_ctl -D '$pg_data' -l '$pg_data/server.log' -w -o \"-p $GPUVMSIM_PG_PORT -k '$pg_data' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start" >/dev/null
fi
export GPUVMSIM_PG="Host=127.0.0.1;Port=$GPUVMSIM_PG_PORT;Username=postgres;Database=postgres;Pooling=true"
echo "postgres.sh: PostgreSQL ready on 127.0.0.1:$GPUVMSIM_PG_PORT"
