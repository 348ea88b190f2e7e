#!/usr/bin/env bash
# Run a command against a private PostgreSQL cluster: initdb into a temp dir, start it on
# a free loopback port, export DATABASE_URL, run the command, stop and remove the cluster.
# A private Redis beside it (REDIS_URL): production settings count per-client limits there.
#   scripts/with-postgres.sh .venv/bin/python -m pytest -m postgres
set -euo pipefail

pg_bin=""
for dir in /usr/lib/postgresql/*/bin; do
  [ -x "$dir/initdb" ] && pg_bin="$dir"
done
if [ -z "$pg_bin" ]; then
  echo "with-postgres: no PostgreSQL server binaries (initdb) found; install postgresql-15" >&2
  exit 1
fi

workdir=$(mktemp -d /tmp/portal-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

# initdb refuses to run as root: the cluster belongs to an unprivileged user.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  owner=postgres
  id "$owner" >/dev/null 2>&1 || owner=nobody
  chown "$owner" "$workdir"
  as_owner=(runuser -u "$owner" --)
fi

cleanup() {
  [ -f "$workdir/redis.pid" ] && kill "$(cat "$workdir/redis.pid")" >/dev/null 2>&1 || true
  "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT

"${as_owner[@]}" "$pg_bin/initdb" -D "$workdir/data" -U portal -A trust -E UTF8 --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 \
  || { cat "$workdir/initdb.log" >&2; exit 1; }
"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$workdir/server.log" >&2; exit 1; }

echo "with-postgres: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
export DATABASE_URL="postgres://portal@127.0.0.1:$port/postgres"

if command -v redis-server >/dev/null; then
  redis_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --daemonize yes \
    --pidfile "$workdir/redis.pid" --logfile "$workdir/redis.log" --dir "$workdir" >/dev/null
  for _ in $(seq 50); do [ -f "$workdir/redis.pid" ] && break; sleep 0.1; done
  export REDIS_URL="redis://127.0.0.1:$redis_port/0"
  echo "with-postgres: Redis on 127.0.0.1:$redis_port"
fi
export PORTAL_REQUIRE_POSTGRES=1  # postgres-marked tests fail, not skip, if this is ignored
"$@"
