# shellcheck shell=bash
# Backups, WAL archiving and a streaming standby for the private clusters
# of scripts/pg.sh: sourced after it, not run.
#
#   backup_ensure                          find pgbackrest, or apt-get install pgbackrest
#   backup_configure DIR PORT REPO         WAL archiving from the cluster in DIR to the
#                                          pgBackRest repository REPO (from its next start)
#   backup_stanza_create DIR               the stanza in the repository (cluster running)
#   backup_take DIR [full|incr|diff]       a backup now
#   backup_newest_age DIR                  seconds since the newest backup ended ("" if none)
#   standby_create PRIMARY_DIR PRIMARY_PORT DIR PORT [sync]
#                                          a streaming standby of the primary, started
#   wal_stream_start PRIMARY_DIR PRIMARY_PORT DIR
#                                          pg_receivewal into DIR as the primary's
#                                          synchronous standby: the repository host keeps
#                                          every acknowledged commit (RPO 0 when the disk dies)
#
# Each cluster's settings for these live in DIR/continuity.conf, outside the
# data directory (postgresql.conf includes it if present), so that a standby
# copied from the primary keeps its own, and a restore does not lose them.
# The stanza is `peerlog` (PEERLOG_STANZA); with PEERLOG_BACKUP_CIPHER_PASS
# set the repository is encrypted (aes-256-cbc) from its creation on.

STANZA="${PEERLOG_STANZA:-peerlog}"

backup_ensure() {
    command -v pgbackrest >/dev/null 2>&1 && return 0
    pg_log "pgbackrest not found; installing the pgbackrest package"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq pgbackrest >/dev/null
    command -v pgbackrest >/dev/null 2>&1 || { pg_log "pgbackrest still missing"; return 1; }
}

# Runs pgbackrest as the cluster's owner with the cluster's configuration.
backup_cmd() {
    local dir
    dir="$(cd "$1" && pwd)"
    shift
    pg_as_owner pgbackrest --config="$dir/pgbackrest.conf" --stanza="$STANZA" "$@"
}

# Points the server in DIR at its continuity.conf (once, after initdb).
continuity_include() {
    local dir="$1"
    grep -q "continuity.conf" "$dir/data/postgresql.conf" 2>/dev/null \
        || echo "include_if_exists = '../continuity.conf'" | pg_as_owner tee -a "$dir/data/postgresql.conf" >/dev/null
}

# Writes DIR/continuity.conf (archive settings, plus any extra lines given).
continuity_write() {
    local dir="$1"
    shift
    {
        echo "# Written by scripts/continuity.sh: WAL archiving and replication."
        if [ -f "$dir/pgbackrest.conf" ]; then
            echo "archive_mode = on"
            echo "archive_command = 'pgbackrest --config=$dir/pgbackrest.conf --stanza=$STANZA archive-push %p'"
            # A quiet primary still closes a segment for the archive this
            # often: the bound on what is lost with the disk when no
            # synchronous standby or WAL stream holds the rest.
            echo "archive_timeout = ${PEERLOG_ARCHIVE_TIMEOUT:-60}"
        fi
        echo "wal_level = replica"
        echo "hot_standby_feedback = on"
        printf '%s\n' "$@"
    } | pg_as_owner tee "$dir/continuity.conf" >/dev/null
}

backup_configure() {
    local dir="$1" port="$2" repo="$3"
    mkdir -p "$dir" "$repo"
    dir="$(cd "$dir" && pwd)"
    repo="$(cd "$repo" && pwd)"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir" "$repo" && chmod 750 "$repo"
    {
        echo "[global]"
        echo "repo1-path=$repo"
        echo "repo1-retention-full=${PEERLOG_BACKUP_RETENTION_FULL:-2}"
        if [ -n "${PEERLOG_BACKUP_CIPHER_PASS:-}" ]; then
            echo "repo1-cipher-type=aes-256-cbc"
            echo "repo1-cipher-pass=$PEERLOG_BACKUP_CIPHER_PASS"
        fi
        echo "start-fast=y"
        echo "compress-type=lz4"
        echo "log-level-console=warn"
        echo "log-level-stderr=error"
        echo "log-level-file=off"
        echo "lock-path=$dir/pgbackrest-lock"
        echo
        echo "[$STANZA]"
        echo "pg1-path=$dir/data"
        echo "pg1-port=$port"
        echo "pg1-socket-path=$dir/run"
        echo "pg1-user=postgres"
    } | pg_as_owner tee "$dir/pgbackrest.conf" >/dev/null
    pg_as_owner chmod 640 "$dir/pgbackrest.conf"
    [ -f "$dir/continuity.conf" ] || continuity_write "$dir"
    [ -f "$dir/data/PG_VERSION" ] && continuity_include "$dir"
    return 0
}

backup_stanza_create() {
    local dir="$1"
    continuity_include "$dir"
    backup_cmd "$dir" stanza-create >/dev/null
}

backup_take() {
    local dir="$1" type="${2:-incr}"
    backup_cmd "$dir" --type="$type" backup
}

backup_newest_age() {
    local dir="$1"
    backup_cmd "$dir" --output=json info 2>/dev/null | python3 -c '
import json, sys, time
stops = [b["timestamp"]["stop"] for s in json.load(sys.stdin) for b in s.get("backup", [])]
print(int(time.time()) - max(stops) if stops else "")'
}

standby_create() {
    local primary="$1" primary_port="$2" dir="$3" port="$4" sync="${5:-}"
    local name="peerlog_standby"
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    pg_as_owner mkdir -p "$dir/run"
    # A copy of the primary with its WAL streamed alongside, and a slot so
    # the primary keeps what the standby has not yet received.
    pg_as_owner pg_basebackup -h 127.0.0.1 -p "$primary_port" -U postgres -D "$dir/data" \
        -X stream -R -c fast -C -S "standby_$port" >"$dir/basebackup.log" 2>&1 \
        || { cat "$dir/basebackup.log" >&2; return 1; }
    # The standby archives to the same repository once promoted.
    if [ -f "$primary/pgbackrest.conf" ]; then
        sed -e "s#^pg1-path=.*#pg1-path=$dir/data#" -e "s#^pg1-port=.*#pg1-port=$port#" \
            -e "s#^pg1-socket-path=.*#pg1-socket-path=$dir/run#" -e "s#^lock-path=.*#lock-path=$dir/pgbackrest-lock#" \
            "$primary/pgbackrest.conf" | pg_as_owner tee "$dir/pgbackrest.conf" >/dev/null
    fi
    continuity_write "$dir" "cluster_name = '$name'"
    continuity_include "$dir"
    if [ -n "$sync" ]; then
        # A commit is acknowledged only once the standby has it on disk.
        standby_names_set "$primary" "$primary_port" "$name"
    fi
    pg_start "$dir" "$port"
}

# Sets the primary's synchronous standbys (FIRST 1 of the names given).
standby_names_set() {
    local primary="$1" port="$2"
    shift 2
    local names
    names="$(IFS=,; echo "$*")"
    pg_as_owner touch "$primary/continuity.conf"
    pg_as_owner sed -i '/^synchronous_standby_names/d' "$primary/continuity.conf"
    echo "synchronous_standby_names = 'FIRST 1 ($names)'" | pg_as_owner tee -a "$primary/continuity.conf" >/dev/null
    psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAtc "SELECT pg_reload_conf()" >/dev/null
}

wal_stream_start() {
    local primary="$1" port="$2" dir="$3"
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    pg_as_owner pg_receivewal -h 127.0.0.1 -p "$port" -U postgres -S peerlog_walstream \
        --create-slot --if-not-exists >/dev/null 2>&1
    pg_as_owner pg_receivewal -h 127.0.0.1 -p "$port" -U postgres -S peerlog_walstream \
        -D "$dir" --synchronous -n >"$dir/../wal-stream.log" 2>&1 &
    WAL_STREAM_PID=$!
    standby_names_set "$primary" "$port" pg_receivewal
}
