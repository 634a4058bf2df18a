#!/usr/bin/env bash
# Could every mental-health trust in England run on one node? Generates a
# national estate, then plays England's peak hour against the release
# binary at rising multiples until the tablets' p99 passes 100 ms
# (bench/capacity.py; the arithmetic of England's load is in
# bench/README.md, "Capacity").
#
#   bench/capacity.sh                       # scaled down: 1 M activities (see below)
#   N=10000000 bench/capacity.sh            # the full estate: 10 M activities, 3 years
#   MULTIPLES=1,2,4,8,16,32 SECS=20 bench/capacity.sh
#
# The estate: TRUSTS (50) trusts of 20–40 wards, WARDS (1,500) wards,
# WORKERS (5,000) peer workers, 20 service users a ward, N activities over
# DAYS (1,096) days. N defaults to 1,000,000, not the 10,000,000 of a full
# national history, so that a run fits in a quarter of an hour on this
# 2-core machine: what one node sustains on the tablet paths does not
# depend on the history's length (every tablet path reads one ward
# through an index: bench/explain.sh shows the same plans at 1 M and 10 M),
# and the reports read rollups whose size grows with wards × days, which
# the estate has in full. Each stage lasts SECS seconds (20). Everything
# runs on a private durable PostgreSQL cluster (fsync on) on 127.0.0.1,
# created and removed here (PG_PORT, APP_PORT choose ports; BIN a release
# binary already built, e.g. target/bench/peerlog-<sha>). Output: this
# run's figures on stdout; keep them in bench/capacity-last-run.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
source scripts/pg.sh

TRUSTS="${TRUSTS:-50}"
WARDS="${WARDS:-1500}"
WORKERS="${WORKERS:-5000}"
N="${N:-1000000}"
DAYS="${DAYS:-1096}"
PER_TABLET="${PER_TABLET:-100}"
MULTIPLES="${MULTIPLES:-1,2,4,8,16,32,64}"
SECS="${SECS:-20}"
say() { printf '[capacity %s] %s\n' "$(date +%T)" "$*" >&2; }

target="${CARGO_TARGET_DIR:-$root/target}"
work="$(mktemp -d /tmp/peerlog-capacity.XXXXXX)"
pg_port="${PG_PORT:-$(pg_free_port)}"
app_port="${APP_PORT:-$(pg_free_port)}"
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
    pg_stop "$work/pg"
    rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${BIN:-}" ]; then
    cp "$BIN" "$work/peerlog"   # a release binary built already (BIN=target/bench/peerlog-<sha>)
else
    say "building the release binary"
    rm -rf "$target"/release/.fingerprint/peerlog-*   # another tree's build is not this one
    cargo build --release -q --bin peerlog
    cp "$target/release/peerlog" "$work/peerlog"
fi
pg_start "$work/pg" "$pg_port"   # durable: fsync on, synchronous_commit on
url="postgres://postgres@127.0.0.1:$pg_port/postgres"
echo "cluster: $(psql "$url" -Atc "SELECT 'fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit') || ', shared_buffers=' || current_setting('shared_buffers')")"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB; load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"

DATABASE_URL="$url" PEERLOG_DEMO=1 PEERLOG_BIND="127.0.0.1:$app_port" RUST_LOG=warn \
    "$work/peerlog" serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$app_port/ready" >/dev/null 2>&1 && break
    sleep 0.5
done

say "generating the estate: $TRUSTS trusts, $WARDS wards, $WORKERS workers, $N activities over $DAYS days"
start=$(date +%s)
psql "$url" -q -v trusts="$TRUSTS" -v wards="$WARDS" -v workers="$WORKERS" -v n="$N" \
    -v days="$DAYS" -v per_tablet="$PER_TABLET" -f bench/capacity.sql
psql "$url" -qc "VACUUM ANALYZE"
echo "estate: $(psql "$url" -Atc "SELECT (SELECT count(*) FROM wards WHERE code LIKE 'T%-W%') || ' wards, ' || (SELECT count(*) FROM users WHERE username LIKE 'nat-psw-%') || ' workers, ' || (SELECT count(*) FROM service_users WHERE reference LIKE 'NAT-%') || ' service users, ' || (SELECT count(*) FROM activities) || ' activities; database ' || pg_size_pretty(pg_database_size('postgres'))"), generated in $(( $(date +%s) - start )) s"

psql "$url" -AtF $'\t' -c "SELECT w.id, u.username, string_agg(p.id::text, ',')
    FROM wards w
    JOIN ward_assignments a ON a.ward_id = w.id
    JOIN users u ON u.id = a.user_id AND u.username LIKE 'nat-tablet-%'
    JOIN service_users p ON p.ward_id = w.id
    GROUP BY 1, 2" >"$work/estate.tsv"
pg_pid="$(head -1 "$work/pg/data/postmaster.pid")"
echo "simulation: stages of $SECS s at multiples $MULTIPLES of England's peak hour; open loop, 127.0.0.1"
python3 bench/capacity.py --port "$app_port" --estate "$work/estate.tsv" --server-pid "$server_pid" \
    --pg-pid "$pg_pid" --multiples "$MULTIPLES" --secs "$SECS"
echo "after the run: $(psql "$url" -Atc "SELECT count(*) || ' activities, outbox ' || (SELECT count(*) FROM activity_events) || ' events' FROM activities"); load average $(cut -d' ' -f1-3 /proc/loadavg)"
