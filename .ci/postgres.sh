#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on 127.0.0.1 for the tests (source this file).
# Installs Debian's server if it is missing; prints nothing else on success.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PG_PORT=${PG_PORT:-55432}
PG_DIR=$(mktemp -d /tmp/localplan-pg.XXXXXX)
PG_PASSWORD=localplan-ci-$RANDOM$RANDOM
chown postgres:postgres "$PG_DIR"
printf '%s\n' "$PG_PASSWORD" > "$PG_DIR/pwfile"
chown postgres:postgres "$PG_DIR/pwfile"
runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=scram-sha-256 \
    --pwfile="$PG_DIR/pwfile" --encoding=UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c max_connections=200" \
    start >/dev/null
export LOCALPLAN_TEST_POSTGRES_URL="postgresql+psycopg://postgres:$PG_PASSWORD@127.0.0.1:$PG_PORT/postgres"
export LOCALPLAN_CI_PG_STOP="runuser -u postgres -- $PG_BIN/pg_ctl -D $PG_DIR/data -m fast stop"
