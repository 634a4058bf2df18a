# shellcheck shell=bash
# Private PostgreSQL clusters for peerlog's scripts: sourced, not run.
#
#   pg_ensure_binaries        find initdb/pg_ctl, or apt-get install postgresql
#   pg_start DIR PORT [fast]  initdb DIR if new, start it on 127.0.0.1:PORT
#   pg_stop DIR               stop the cluster in DIR (keeps the data)
#   pg_free_port              print a free TCP port on 127.0.0.1
#
# As root, the server runs as the `postgres` user (PostgreSQL refuses root).

pg_log() { printf '[pg] %s\n' "$*" >&2; }

pg_ensure_binaries() {
    if ! command -v pg_ctl >/dev/null 2>&1 || ! command -v initdb >/dev/null 2>&1; then
        for dir in /usr/lib/postgresql/*/bin; do
            [ -x "$dir/pg_ctl" ] && PATH="$dir:$PATH"
        done
    fi
    if ! command -v pg_ctl >/dev/null 2>&1 || ! command -v initdb >/dev/null 2>&1 || ! command -v psql >/dev/null 2>&1; then
        pg_log "PostgreSQL server binaries not found; installing the postgresql package"
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
        for dir in /usr/lib/postgresql/*/bin; do
            [ -x "$dir/pg_ctl" ] && PATH="$dir:$PATH"
        done
    fi
    command -v pg_ctl >/dev/null 2>&1 || { pg_log "pg_ctl still missing"; return 1; }
    export PATH
}

# Runs a PostgreSQL server command as the right user.
pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

pg_start() {
    local dir="$1" port="$2" mode="${3:-durable}"
    pg_ensure_binaries || return 1
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
        chown postgres: "$dir"
        # The server must be able to reach its folder.
        local parent="$dir"
        while parent="$(dirname "$parent")" && [ "$parent" != "/" ]; do
            chmod o+x "$parent" 2>/dev/null || true
        done
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        pg_log "creating a private cluster in $dir/data"
        pg_as_owner mkdir -p "$dir/data" "$dir/run"
        pg_as_owner initdb -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; return 1; }
        # Archiving and standby settings (scripts/continuity.sh) live beside
        # the data directory, so that copies and restores keep their own.
        echo "include_if_exists = '../continuity.conf'" | pg_as_owner tee -a "$dir/data/postgresql.conf" >/dev/null
    fi
    pg_as_owner mkdir -p "$dir/run"
    if pg_as_owner pg_ctl -D "$dir/data" status >/dev/null 2>&1; then
        pg_log "cluster in $dir already running"
        return 0
    fi
    local opts="-c listen_addresses=127.0.0.1 -p $port -k $dir/run -c max_connections=300 -c shared_buffers=256MB"
    if [ "$mode" = "fast" ]; then
        # A throwaway cluster for tests: durability buys nothing here.
        opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    pg_as_owner pg_ctl -D "$dir/data" -l "$dir/server.log" -o "$opts" -w -t 60 start >/dev/null \
        || { tail -20 "$dir/server.log" >&2; return 1; }
    pg_log "PostgreSQL listening on 127.0.0.1:$port"
}

pg_stop() {
    local dir="$1"
    [ -f "$dir/data/PG_VERSION" ] || return 0
    pg_as_owner pg_ctl -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# Creates database $2 on the server at port $1 when it does not exist.
pg_create_db() {
    local port="$1" name="$2"
    if ! psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$name'" | grep -q 1; then
        psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE \"$name\"" >/dev/null
    fi
}
