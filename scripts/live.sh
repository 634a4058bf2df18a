# shellcheck shell=bash
# A live peerlog for the scripts that test it from outside (schemathesis,
# the generated-client stories, the browser tests): sourced, not run.
#
#   live_start NAME   a fresh database NAME_<stamp> on $DATABASE_URL's server,
#                     demo data, the debug binary on a free port (or on
#                     $LIVE_PORT when set); sets LIVE_URL, LIVE_PID, LIVE_DB,
#                     LIVE_LOG
#   live_stop         stops it and drops its database
#
# Extra environment for the server can be passed as PEERLOG_* variables.

live_start() {
    local name="$1"
    : "${DATABASE_URL:?DATABASE_URL must name a PostgreSQL server (scripts/test sets it)}"
    local base="${DATABASE_URL%%\?*}"
    local server="${base%/*}"
    LIVE_DB="peerlog_${name}_$(date +%s)_$$"
    psql "$DATABASE_URL" -qc "CREATE DATABASE $LIVE_DB" >/dev/null
    local port
    port="${LIVE_PORT:-$(pg_free_port)}"
    LIVE_LOG="$(mktemp "/tmp/peerlog-$name.XXXXXX.log")"
    LIVE_URL="http://127.0.0.1:$port"
    DATABASE_URL="$server/$LIVE_DB" PEERLOG_DEMO=1 PEERLOG_BIND="127.0.0.1:$port" \
        RUST_LOG="${LIVE_RUST_LOG:-warn,actix_web_prom=error}" \
        "${CARGO_TARGET_DIR:-target}/debug/peerlog" serve >"$LIVE_LOG" 2>&1 &
    LIVE_PID=$!
    for _ in $(seq 1 240); do
        curl -fsS "$LIVE_URL/ready" >/dev/null 2>&1 && return 0
        kill -0 "$LIVE_PID" 2>/dev/null || { cat "$LIVE_LOG" >&2; return 1; }
        sleep 0.25
    done
    echo "[live] $name did not become ready" >&2
    cat "$LIVE_LOG" >&2
    return 1
}

live_stop() {
    if [ -n "${LIVE_PID:-}" ]; then
        kill "$LIVE_PID" 2>/dev/null || true
        wait "$LIVE_PID" 2>/dev/null || true
        LIVE_PID=""
    fi
    if [ -n "${LIVE_DB:-}" ]; then
        psql "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS $LIVE_DB WITH (FORCE)" >/dev/null 2>&1 || true
        LIVE_DB=""
    fi
    [ -n "${LIVE_LOG:-}" ] && rm -f "$LIVE_LOG"
    return 0
}
