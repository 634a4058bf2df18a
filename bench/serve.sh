# Shared by bench/memory.sh and bench/soak.sh (sourced, not run): builds
# the release binary, starts it with the demo data on a database of its
# own, and cleans up on exit.
#
#   ALLOCATOR=glibc   build with glibc's malloc instead of jemalloc
#   PEERLOG_BIN=path  use this binary instead of building one
#   DATABASE_URL=…    a server where a database may be created; without it
#                     a private throwaway cluster is started

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/pg.sh

say() { printf '[bench] %s\n' "$*" >&2; }

bench_tools() {
    local missing=()
    command -v python3 >/dev/null || missing+=(python3)
    command -v curl >/dev/null || missing+=(curl)
    command -v psql >/dev/null || missing+=(postgresql-client)
    if [ "${#missing[@]}" -gt 0 ]; then
        say "installing ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

bench_build() {
    if [ -n "${PEERLOG_BIN:-}" ]; then
        BIN="$PEERLOG_BIN"
        say "using $BIN"
        return
    fi
    local flags=()
    [ "${ALLOCATOR:-jemalloc}" = glibc ] && flags=(--no-default-features)
    say "building the release binary (${ALLOCATOR:-jemalloc})"
    cargo build -q --release --bin peerlog "${flags[@]}"
    BIN="$WORK/peerlog"
    cp "${CARGO_TARGET_DIR:-target}/release/peerlog" "$BIN"
}

# Starts the service; sets PORT, PID.
bench_start() {
    WORK="$(mktemp -d /tmp/peerlog-bench.XXXXXX)"
    trap bench_cleanup EXIT
    bench_tools
    bench_build
    if [ -z "${DATABASE_URL:-}" ]; then
        PG_DIR="$WORK/pg"
        local pg_port
        pg_port="$(pg_free_port)"
        pg_start "$PG_DIR" "$pg_port" fast
        SERVER_URL="postgres://postgres@127.0.0.1:$pg_port"
    else
        local base="${DATABASE_URL%%\?*}"
        SERVER_URL="${base%/*}"
    fi
    DB="peerlog_bench_$$"
    psql "$SERVER_URL/postgres" -qc "CREATE DATABASE $DB" >/dev/null
    PORT="$(pg_free_port)"
    DATABASE_URL="$SERVER_URL/$DB" PEERLOG_DEMO=1 PEERLOG_BIND="127.0.0.1:$PORT" RUST_LOG=warn \
        PEERLOG_ACCESS_TOKEN_TTL_SECS=7200 "$BIN" serve >"$WORK/server.log" 2>&1 &
    PID=$!
    for _ in $(seq 1 240); do
        curl -fs "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1 && break
        kill -0 "$PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
        sleep 0.5
    done
    say "serving on 127.0.0.1:$PORT (pid $PID)"
}

bench_cleanup() {
    [ -n "${PID:-}" ] && { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
    if [ -n "${SERVER_URL:-}" ] && [ -n "${DB:-}" ]; then
        psql "$SERVER_URL/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    [ -n "${PG_DIR:-}" ] && pg_stop "$PG_DIR"
    [ -n "${WORK:-}" ] && rm -rf "$WORK"
}
