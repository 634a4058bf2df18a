#!/usr/bin/env bash
# Benchmarks the managers' reports on a generated year of the ten demo
# wards (about a million activities), through the real HTTP endpoints and
# with EXPLAIN ANALYZE of the activity summary's own SQL.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres bench/reports.sh
#
# Creates the database peerlog_bench_<pid> on that server and drops it at
# the end (KEEP=1 keeps it). N sets the number of activities, RUNS the
# timed runs per report (medians are printed). Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pg.sh

: "${DATABASE_URL:?DATABASE_URL must name a PostgreSQL server}"
N="${N:-1000000}"
# How many days before now the activities are spread over: 365 (a year), or
# 1096 for the three-year trend (N=3000000 DAYS=1096 bench/reports.sh).
DAYS="${DAYS:-365}"
RUNS="${RUNS:-5}"
base="${DATABASE_URL%%\?*}"
server="${base%/*}"
db="peerlog_bench_$$"
url="$server/$db"
port="$(pg_free_port)"
log="$(mktemp /tmp/peerlog-bench.XXXXXX.log)"

say() { printf '[bench] %s\n' "$*" >&2; }

cargo build -q --bin peerlog --example report_sql
psql "$DATABASE_URL" -qc "CREATE DATABASE $db" >/dev/null
DATABASE_URL="$url" PEERLOG_DEMO=1 PEERLOG_BIND="127.0.0.1:$port" RUST_LOG=warn \
    target/debug/peerlog serve >"$log" 2>&1 &
pid=$!
cleanup() {
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [ -z "${KEEP:-}" ]; then
        psql "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    else
        say "kept database $db"
    fi
    rm -f "$log"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
    sleep 0.5
done

say "generating $N activities"
start=$(date +%s.%N)
psql "$url" -q -v n="$N" -v days="$DAYS" -f bench/generate.sql
psql "$url" -qc "VACUUM ANALYZE"
say "loaded in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"
psql "$url" -Atc "SELECT 'activities: ' || count(*) || ', counted: ' || count(*) FILTER (WHERE status <> 'entered_in_error') FROM activities"
psql "$url" -Atc "SELECT 'service-user links: ' || (SELECT count(*) FROM activity_service_users) || ', co-worker links: ' || (SELECT count(*) FROM activity_co_workers)"
psql "$url" -Atc "SELECT 'activities table: ' || pg_size_pretty(pg_table_size('activities')) || ', period index: ' || pg_size_pretty(pg_relation_size('activities_period_idx'))"
psql "$url" -Atc "SELECT 'rollup rows: activities ' || (SELECT count(*) FROM report_day_activities) || ', workers ' || (SELECT count(*) FROM report_day_workers) || ', people ' || (SELECT count(*) FROM report_day_people) || ', worker-people ' || (SELECT count(*) FROM report_day_worker_people)"

token="$(curl -fs -H 'content-type: application/json' \
    -d '{"username":"manager","password":"peerlog-demo"}' \
    "http://127.0.0.1:$port/api/v1/auth/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')"
from="$(psql "$url" -Atc "SELECT (now() AT TIME ZONE 'Europe/London')::date - 365")"
to="$(psql "$url" -Atc "SELECT (now() AT TIME ZONE 'Europe/London')::date + 1")"
period="from=$from&to=$to"

# Median wall time (ms) of RUNS requests, after one warm-up.
median_ms() {
    local path="$1" times=()
    curl -fs -o /dev/null -H "authorization: Bearer $token" "http://127.0.0.1:$port$path"
    for _ in $(seq 1 "$RUNS"); do
        times+=("$(curl -fs -o /dev/null -w '%{time_total}' -H "authorization: Bearer $token" \
            "http://127.0.0.1:$port$path")")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)]*1000}'
}

echo
echo "HTTP, whole year ($period), median of $RUNS runs:"
for q in \
    "activity-summary?$period" \
    "activity-summary?$period&group_by=ward" \
    "activity-summary?$period&group_by=ward,month" \
    "activity-summary?$period&group_by=service_line,kind" \
    "activity-summary?$period&group_by=worker" \
    "activity-summary?$period&group_by=ward,week" \
    "activity-summary?$period&group_by=ward,kind&format=csv" \
    "escorted-leave?$period" \
    "de-escalation?$period" \
    "groups?$period" \
    "activity-summary?from=$(psql "$url" -Atc "SELECT date_trunc('month', now() AT TIME ZONE 'Europe/London')::date - 31")&to=$to&group_by=ward"; do
    printf '  %6s ms  GET /api/v1/reports/%s\n' "$(median_ms "/api/v1/reports/$q")" "$q"
done

# Trends since the pilot began: the whole generated span, by month (up to
# ten years are allowed when grouped by month).
trend="from=$(psql "$url" -Atc "SELECT (now() AT TIME ZONE 'Europe/London')::date - $DAYS")&to=$to"
echo
echo "HTTP, trend over the $DAYS days generated ($trend), median of $RUNS runs:"
for q in \
    "activity-summary?$trend&group_by=month" \
    "activity-summary?$trend&group_by=ward,month" \
    "activity-summary?$trend&group_by=service_line,kind,month"; do
    printf '  %6s ms  GET /api/v1/reports/%s\n' "$(median_ms "/api/v1/reports/$q")" "$q"
done

# The warehouse export streams: the server's peak resident memory should
# not grow with the number of rows exported. Exports a small slice, then
# everything, and prints the server's peak RSS (VmHWM) after each.
peak_kib() { awk '/VmHWM/ {print $2}' "/proc/$pid/status"; }
integration="$(curl -fs -H 'content-type: application/json' \
    -d '{"username":"integration","password":"peerlog-demo"}' \
    "http://127.0.0.1:$port/api/v1/auth/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')"
# The generator writes activities straight into the table; give each one
# the outbox event a real create writes, so the export has them to stream.
say "adding outbox events for the generated activities"
psql "$url" -q <<'SQL'
INSERT INTO activity_events (activity_id, ward_id, event_type, version, payload)
SELECT a.id, a.ward_id, 'created', a.version,
       jsonb_build_object('id', a.id, 'ward_id', a.ward_id, 'recorded_by', a.recorded_by,
                          'started_at', a.started_at, 'ended_at', a.ended_at,
                          'duration_minutes', a.duration_minutes, 'note', a.note,
                          'status', a.status, 'version', a.version, 'kind', a.kind,
                          'details', a.details)
FROM activities a
WHERE NOT EXISTS (SELECT 1 FROM activity_events e WHERE e.activity_id = a.id)
ORDER BY a.started_at;
VACUUM ANALYZE activity_events;
SQL
echo
echo "Warehouse export (NDJSON, streamed):"
before="$(peak_kib)"
small="$(curl -fs -H "authorization: Bearer $integration" "http://127.0.0.1:$port/api/v1/exports/activities?limit=10000" | wc -l)"
after_small="$(peak_kib)"
start=$(date +%s.%N)
lines="$(curl -fs -H "authorization: Bearer $integration" "http://127.0.0.1:$port/api/v1/exports/activities" | wc -l)"
secs="$(python3 -c "print(round($(date +%s.%N) - $start, 1))")"
after_all="$(peak_kib)"
echo "  server peak RSS: ${before} KiB at start, ${after_small} KiB after $small lines, ${after_all} KiB after $lines lines"
echo "  full export: $lines lines in $secs s ($(python3 -c "print(round($lines / max($secs, 0.1)))") lines/s)"

explain() {
    local name="$1" groups="${2:-}"
    echo
    echo "EXPLAIN ANALYZE $name ${groups:+group_by=$groups}:"
    psql "$url" -q <<SQL
SET max_parallel_workers_per_gather = ${PARALLEL:-2};
PREPARE report(date, date, uuid[]) AS $(target/debug/examples/report_sql "$name" "$groups");
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) EXECUTE report('$from', '$to', NULL);
SQL
}
explain activity-summary ward,month
explain activity-summary
explain escorted-leave
