#!/usr/bin/env bash
# A throw-away PostgreSQL server for the store tests, on loopback, in a temporary folder.
#
#   scripts/test-postgres.sh start        # prints: export NEWSEVENTS_TEST_PG=postgresql://...
#                                         #         export NEWSEVENTS_TEST_PG_DIR=/tmp/...
#   eval "$(scripts/test-postgres.sh start)"
#   pytest tests/store
#   scripts/test-postgres.sh stop "$NEWSEVENTS_TEST_PG_DIR"
#
# Installs the server with apt-get when initdb is not found. Runs as user postgres when started
# by root (PostgreSQL refuses to run as root). Trust authentication, loopback only, a free port.
set -euo pipefail

find_bin() {
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    local candidate
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        if [ -x "$candidate/initdb" ]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

as_owner() {
    # run a command as the server's owner: postgres when we are root, else ourselves
    if [ "$(id -u)" = "0" ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 - <<'EOF'
import socket
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
EOF
}

start() {
    local bin
    if ! bin="$(find_bin)"; then
        echo "initdb not found; installing postgresql with apt-get" >&2
        apt-get install -y --no-install-recommends postgresql >&2
        bin="$(find_bin)"
    fi
    local dir port
    dir="$(mktemp -d "${TMPDIR:-/tmp}/newsevents-pg.XXXXXX")"
    if [ "$(id -u)" = "0" ]; then
        chown postgres "$dir"
    fi
    port="$(free_port)"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
    }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50 -c shared_buffers=32MB" \
        start >&2 || {
        cat "$dir/server.log" >&2
        exit 1
    }
    echo "$bin" >"$dir/bin"
    echo "export NEWSEVENTS_TEST_PG=postgresql://postgres@127.0.0.1:$port/postgres"
    echo "export NEWSEVENTS_TEST_PG_DIR=$dir"
}

stop() {
    local dir="${1:-${NEWSEVENTS_TEST_PG_DIR:-}}"
    if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then
        echo "usage: $0 stop DIR (the NEWSEVENTS_TEST_PG_DIR that start printed)" >&2
        exit 2
    fi
    local bin
    bin="$(cat "$dir/bin" 2>/dev/null || find_bin)"
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    *)
        echo "usage: $0 start | stop DIR" >&2
        exit 2
        ;;
esac
