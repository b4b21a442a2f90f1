#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster: initdb into a temporary
# folder, a server on a free loopback port, CASELEDGER_POSTGRES_URL pointing
# at it; the cluster is stopped and removed afterwards. If the server cannot
# start, this fails: PostgreSQL tests never skip.
set -euo pipefail

PGBIN=""
for v in 17 16 15 14 13; do
  if [ -x "/usr/lib/postgresql/$v/bin/initdb" ]; then PGBIN="/usr/lib/postgresql/$v/bin"; break; fi
done
if [ -z "$PGBIN" ] && command -v initdb >/dev/null 2>&1; then PGBIN="$(dirname "$(command -v initdb)")"; fi
if [ -z "$PGBIN" ]; then
  echo "with-postgres: no PostgreSQL server binaries (install the postgresql package)" >&2
  exit 1
fi

DIR="$(mktemp -d /tmp/caseledger-pg.XXXXXX)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
AS=()
if [ "$(id -u)" = "0" ]; then
  # initdb refuses to run as root: run the cluster as the postgres user.
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$DIR"
  AS=(runuser -u postgres --)
fi
USER_NAME="$( [ "$(id -u)" = "0" ] && echo postgres || id -un )"

cleanup() {
  "${AS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT

"${AS[@]}" "$PGBIN/initdb" -D "$DIR/data" -U "$USER_NAME" --auth=trust --no-sync -E UTF8 >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
"${AS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
  -o "-k $DIR -p $PORT -c listen_addresses=127.0.0.1 -c fsync=${CASELEDGER_PG_FSYNC:-off} -c max_connections=200" start >/dev/null \
  || { cat "$DIR/server.log" >&2; exit 1; }

export CASELEDGER_POSTGRES_URL="postgres://$USER_NAME@127.0.0.1:$PORT/postgres"
echo "with-postgres: server on 127.0.0.1:$PORT" >&2
"$@"
