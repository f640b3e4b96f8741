#!/usr/bin/env bash
# Drill: the portal behind PgBouncer in transaction pooling (docs/operations.md "Behind PgBouncer").
#
#   benchmarks/pgbouncer.sh DATABASE_URL [PGBOUNCER_BINARY]
#
# DATABASE_URL: a seeded PostgreSQL database (`seed_demo --scale 10000` gives ~2,800 credit
# rows, more than one 2,000-row cursor fetch). Starts PgBouncer (pool_mode = transaction, 3
# server connections) on a free port in a temporary folder, then runs `export_credits` 4 at a
# time, 3 rounds, through it: with server-side cursors (Django's default) and with
# DISABLE_SERVER_SIDE_CURSORS=1. Prints how many exports succeeded and failed each way, then
# stops its PgBouncer. Debian's package `pgbouncer` provides the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { sed -n '2,11p' "$0" >&2; exit 2; }
database_url=$1
pgbouncer=$(command -v "${2:-pgbouncer}") || { echo "pgbouncer not found" >&2; exit 2; }

work=$(mktemp -d)
port=$(.venv/bin/python -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
rest=${database_url#postgres*://}
userinfo=${rest%%@*}
hostpart=${rest#*@}
cat > "$work/pgbouncer.ini" <<EOF
[databases]
portal = host=$(echo "${hostpart%%/*}" | cut -d: -f1) port=$(echo "${hostpart%%/*}:5432" | cut -d: -f2) dbname=${hostpart#*/} user=${userinfo%%:*}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $work/users.txt
pool_mode = transaction
default_pool_size = 3
logfile = $work/pgbouncer.log
pidfile = $work/pgbouncer.pid
EOF
echo "\"${userinfo%%:*}\" \"\"" > "$work/users.txt"
as_owner=()
if [ "$(id -u)" = 0 ]; then  # PgBouncer refuses to run as root
  chown -R nobody:nogroup "$work"
  as_owner=(runuser -u nobody --)
fi
"${as_owner[@]}" "$pgbouncer" -d "$work/pgbouncer.ini"
trap 'kill "$(cat "$work/pgbouncer.pid")"; rm -rf "$work"' EXIT
sleep 1

drill() {
  local ok=0 failed=0 pids=() round n
  for round in 1 2 3; do
    pids=()
    for n in 1 2 3 4; do
      DATABASE_URL="postgres://${userinfo%%:*}@127.0.0.1:$port/portal" \
        .venv/bin/python manage.py export_credits --output "$work/credits-$n.xlsx" \
        >"$work/export-$n.log" 2>&1 &
      pids+=($!)
    done
    for n in "${pids[@]}"; do
      if wait "$n"; then ok=$((ok + 1)); else failed=$((failed + 1)); fi
    done
  done
  echo "DISABLE_SERVER_SIDE_CURSORS=$DISABLE_SERVER_SIDE_CURSORS: $ok exports succeeded, $failed failed"
  grep -h -m1 "InvalidCursorName" "$work"/export-*.log | head -1 || true
}
DISABLE_SERVER_SIDE_CURSORS=0 drill
DISABLE_SERVER_SIDE_CURSORS=1 drill
