#!/usr/bin/env bash
# Benchmarks the managers' reports on a generated year of the ten demo
# wards (about a million activities), through the real HTTP endpoints of
# the release binary, with EXPLAIN ANALYZE of the activity summary's SQL.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres bench/reports.sh
#   DATABASE_URL=... bench/reports.sh ca197bc .     # before and after, one run
#   N=3000000 DAYS=1096 DATABASE_URL=... bench/reports.sh ca197bc .   # three years
#
# Each revision given (`.`, the default, is the working tree; another is
# built in a worktree under target/bench, sharing the target dir) is built
# in release and served on the same generated database (the last one
# migrates it and loads the demo data; the others find their migrations
# applied), and every report is timed on each in turn, revisions
# interleaved per report, so a neighbour's load on this shared machine
# weighs on all alike. Creates the database peerlog_bench_<pid> on that
# server and drops it at the end (KEEP=1 keeps it). N sets the number of
# activities, DAYS the days they spread over, RUNS the timed runs per report
# and revision (medians are printed); EXPORT=1 also times the warehouse
# export; EXPLAIN=0 skips the query plans. DB=name reuses a database already generated (migrated with the
# working tree's migrations, demo data and bench/generate.sql with the
# same N and DAYS) and keeps it. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
source scripts/pg.sh

: "${DATABASE_URL:?DATABASE_URL must name a PostgreSQL server}"
N="${N:-1000000}"
# How many days before now the activities are spread over: 365 (a year), or
# 1096 for the three-year trend (N=3000000 DAYS=1096 bench/reports.sh).
DAYS="${DAYS:-365}"
RUNS="${RUNS:-5}"
revs=("$@")
[ ${#revs[@]} -gt 0 ] || revs=(.)
base="${DATABASE_URL%%\?*}"
server="${base%/*}"
db="${DB:-peerlog_bench_$$}"
[ -z "${DB:-}" ] || KEEP=1
url="$server/$db"
target="${CARGO_TARGET_DIR:-$root/target}"
work="$(mktemp -d /tmp/peerlog-bench.XXXXXX)"

say() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

# The release binary of a revision (as bench/api.sh builds it): cargo's
# fingerprint of the peerlog crate is forgotten before each build, or a
# build of another tree would be handed back as fresh.
binary_of() {
    local rev="$1" sha src out
    if [ "$rev" = "." ]; then
        rm -rf "$target"/release/.fingerprint/peerlog-*
        cargo build --release -q --bin peerlog >&2
        cp "$target/release/peerlog" "$work/peerlog-working-tree"
        echo "$work/peerlog-working-tree"
        return
    fi
    sha="$(git rev-parse --short "$rev")"
    src="$root/target/bench/src-$sha"
    out="$root/target/bench/peerlog-$sha"
    if [ ! -x "$out" ]; then
        [ -d "$src" ] || git worktree add --detach "$src" "$sha" >/dev/null
        rm -rf "$target"/release/.fingerprint/peerlog-*
        (cd "$src" && CARGO_TARGET_DIR="$target" cargo build --release -q --bin peerlog >&2)
        cp "$target/release/peerlog" "$out"
    fi
    echo "$out"
}

bins=()
for rev in "${revs[@]}"; do
    say "building $rev (release)"
    bins+=("$(binary_of "$rev")")
done
[ "${EXPLAIN:-1}" = 0 ] || cargo build -q --example report_sql
[ -n "${DB:-}" ] || psql "$DATABASE_URL" -qc "CREATE DATABASE $db" >/dev/null
pids=()
ports=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    if [ -z "${KEEP:-}" ]; then
        psql "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    else
        say "kept database $db"
    fi
    rm -rf "$work"
}
trap cleanup EXIT
# Serves revision $1 (index) on a free port; the demo data with $2.
serve() {
    local i="$1" port
    port="$(pg_free_port)"
    env DATABASE_URL="$url" ${2:+PEERLOG_DEMO=1} PEERLOG_BIND="127.0.0.1:$port" RUST_LOG=warn \
        "${bins[$i]}" serve >"$work/server-$i.log" 2>&1 &
    pids[i]=$!
    ports[i]=$port
    for _ in $(seq 1 120); do
        curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    cat "$work/server-$i.log" >&2
    return 1
}
last=$((${#revs[@]} - 1))
if [ -n "${DB:-}" ]; then serve "$last"; else serve "$last" demo; fi
for i in $(seq 0 $((last - 1))); do serve "$i"; done
pid="${pids[$last]}"
port="${ports[$last]}"

if [ -z "${DB:-}" ]; then
    say "generating $N activities"
    start=$(date +%s.%N)
    psql "$url" -q -v n="$N" -v days="$DAYS" -f bench/generate.sql
    psql "$url" -qc "VACUUM ANALYZE"
    say "loaded in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"
fi
psql "$url" -Atc "SELECT 'activities: ' || count(*) || ', counted: ' || count(*) FILTER (WHERE status <> 'entered_in_error') FROM activities"
psql "$url" -Atc "SELECT 'service-user links: ' || (SELECT count(*) FROM activity_service_users) || ', co-worker links: ' || (SELECT count(*) FROM activity_co_workers)"
psql "$url" -Atc "SELECT 'activities table: ' || pg_size_pretty(pg_table_size('activities')) || ', period index: ' || pg_size_pretty(pg_relation_size('activities_period_idx'))"
psql "$url" -Atc "SELECT 'rollup rows: activities ' || (SELECT count(*) FROM report_day_activities) || ', workers ' || (SELECT count(*) FROM report_day_workers) || ', people ' || (SELECT count(*) FROM report_day_people) || ', worker-people ' || (SELECT count(*) FROM report_day_worker_people)"
psql "$url" -Atc "SELECT 'span rows (weeks and months): activities ' || (SELECT count(*) FROM report_span_activities) || ', workers ' || (SELECT count(*) FROM report_span_workers) || ', people ' || (SELECT count(*) FROM report_span_people) || ', worker-people ' || (SELECT count(*) FROM report_span_worker_people) || '; kind rollup rows: ' || (SELECT count(*) FROM report_day_kinds)" 2>/dev/null || true

token="$(curl -fs -H 'content-type: application/json' \
    -d '{"username":"manager","password":"peerlog-demo"}' \
    "http://127.0.0.1:$port/api/v1/auth/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')"
from="$(psql "$url" -Atc "SELECT (now() AT TIME ZONE 'Europe/London')::date - 365")"
to="$(psql "$url" -Atc "SELECT (now() AT TIME ZONE 'Europe/London')::date + 1")"
period="from=$from&to=$to"

# Median wall time (ms) of RUNS requests to server $2, after one warm-up:
# on loopback, the server's time plus well under a millisecond.
median_ms() {
    local path="$1" p="$2" times=() code
    # A report that fails is not timed: the run stops (see time_all).
    code="$(curl -s -o /dev/null -w '%{http_code}' -H "authorization: Bearer $token" "http://127.0.0.1:$p$path")"
    if [ "$code" != 200 ]; then
        echo "failed: HTTP $code"
        return
    fi
    for _ in $(seq 1 "$RUNS"); do
        times+=("$(curl -fs -o /dev/null -w '%{time_total}' -H "authorization: Bearer $token" \
            "http://127.0.0.1:$p$path")")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*1000}'
}

# One line per report: its median on each revision, then the ratio of the
# first to the last.
header() {
    printf '  '
    for rev in "${revs[@]}"; do printf '%12s' "$(if [ "$rev" = . ]; then echo now; else git rev-parse --short "$rev"; fi)"; done
    [ "$last" -gt 0 ] && printf '%9s' "ratio"
    printf '  (ms)\n'
}
time_all() {
    local q="$1" ms=()
    for i in $(seq 0 "$last"); do
        ms+=("$(median_ms "/api/v1/reports/$q" "${ports[$i]}")")
        case "${ms[$i]}" in failed*) echo "GET /api/v1/reports/$q on ${revs[$i]}: ${ms[$i]}" >&2; exit 1 ;; esac
    done
    printf '  '
    for m in "${ms[@]}"; do printf '%12s' "$m"; done
    [ "$last" -gt 0 ] && printf '%9s' "$(python3 -c "print(f'x{${ms[0]} / max(${ms[$last]}, 0.1):.1f}')")"
    printf '  GET /api/v1/reports/%s\n' "$q"
}

echo
echo "HTTP, whole year ($period), median of $RUNS runs per revision, interleaved:"
header
for q in \
    "activity-summary?$period" \
    "activity-summary?$period&group_by=ward" \
    "activity-summary?$period&group_by=ward,month" \
    "activity-summary?$period&group_by=service_line,kind" \
    "activity-summary?$period&group_by=worker" \
    "activity-summary?$period&group_by=ward,week" \
    "activity-summary?$period&group_by=service_line,kind,month" \
    "activity-summary?$period&group_by=ward,kind&format=csv" \
    "escorted-leave?$period" \
    "de-escalation?$period" \
    "groups?$period" \
    "activity-summary?from=$(psql "$url" -Atc "SELECT date_trunc('month', now() AT TIME ZONE 'Europe/London')::date - 31")&to=$to&group_by=ward"; do
    time_all "$q"
done

# Trends since the pilot began: the whole generated span, by month (up to
# ten years are allowed when grouped by month).
trend="from=$(psql "$url" -Atc "SELECT (now() AT TIME ZONE 'Europe/London')::date - $DAYS")&to=$to"
echo
echo "HTTP, trend over the $DAYS days generated ($trend), median of $RUNS runs per revision:"
header
for q in \
    "activity-summary?$trend&group_by=month" \
    "activity-summary?$trend&group_by=ward,month" \
    "activity-summary?$trend&group_by=service_line,kind,month" \
    "activity-summary?$trend&group_by=worker,month"; do
    time_all "$q"
done

# The same answers from every revision (CSV, byte for byte).
if [ "$last" -gt 0 ]; then
    for q in "activity-summary?$period&group_by=ward,kind&format=csv" \
             "activity-summary?$trend&group_by=service_line,kind,month&format=csv" \
             "activity-summary?$period&group_by=worker,week&format=csv" \
             "escorted-leave?$period&format=csv" "de-escalation?$period&format=csv" "groups?$period&format=csv"; do
        sums="$(for i in $(seq 0 "$last"); do
            curl -fs -H "authorization: Bearer $token" "http://127.0.0.1:${ports[$i]}/api/v1/reports/$q" | sha256sum | cut -c1-16
        done | sort -u)" || { echo "CSV of $q failed" >&2; exit 1; }
        if [ "$(echo "$sums" | wc -l)" -eq 1 ]; then same="same bytes"; else same="DIFFERENT"; fi
        echo "  CSV $same on every revision: $q"
    done
fi

if [ -n "${EXPORT:-}" ]; then
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

fi

explain() {
    local name="$1" groups="${2:-}"
    echo
    echo "EXPLAIN ANALYZE $name ${groups:+group_by=$groups}:"
    psql "$url" -q <<SQL
SET max_parallel_workers_per_gather = ${PARALLEL:-2};
PREPARE report(date, date, uuid[]) AS $("$target/debug/examples/report_sql" "$name" "$groups");
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) EXECUTE report('$from', '$to', NULL);
SQL
}
if [ "${EXPLAIN:-1}" != 0 ]; then
    explain activity-summary ward,month
    explain activity-summary
    explain escorted-leave
fi
