#!/usr/bin/env bash
# The plans of one ward's page of activities at scale: EXPLAIN (ANALYZE,
# BUFFERS) of the very statement the service sends for
# `GET /api/v1/activities?ward_id=…&limit=50` (printed by the report_sql
# example from the service's own code), on generated data with skewed wards.
#
#   bench/explain.sh                    # 1 M, then 10 M activities
#   bench/explain.sh 1000000            # 1 M only
#
# For each size N: a private cluster (PG_PORT, a free port by default), a
# fresh database with the demo data and N generated activities
# (bench/generate.sql with skew=1: the first ward by code holds 55% of them,
# the last 0.1%, the eight others 5.6% each). The pages are EXPLAINed
# twice: first with the table only ANALYZEd, its visibility map empty, as
# after a bulk load or restore before autovacuum has run (index-only scans
# must then visit the heap, and global indexes look cheaper); then after
# VACUUM, as autovacuum keeps it. Each time, for the largest and the
# smallest ward, their first page and a page deep in the cursor (after the
# ward's last activity more than 300 days old), the statement is prepared
# as the service prepares it and run 6 times (from then on PostgreSQL may
# keep a generic plan, and for one ward's page it does), then EXPLAINed as
# PostgreSQL plans it (plan_cache_mode=auto, as the service runs it).
# Each must read activities_ward_started_idx and finish, planning
# included, in under 5 ms; a summary line says so, and whether the plan was
# the kept generic one. For comparison, the same pages with the statement
# the service sent before (revision e6f8962: the ward with `=` and the page
# size a parameter, so planned for every page) are EXPLAINed too, marked
# "before" (BEFORE=0 leaves them out). 10 M activities take about 12 GB of
# disk and tens of minutes; the cluster is deleted at the end (KEEP=1 keeps
# it). The output is kept in bench/explain-last-run.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
source scripts/pg.sh

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000)
say() { printf '[explain] %s\n' "$*" >&2; }

target="${CARGO_TARGET_DIR:-$root/target}"
cargo build -q --bin peerlog --example report_sql
work="$(mktemp -d /tmp/peerlog-explain.XXXXXX)"
port="${PG_PORT:-$(pg_free_port)}"
cleanup() {
    pg_stop "$work/pg"
    if [ -z "${KEEP:-}" ]; then rm -rf "$work"; else say "kept the cluster in $work/pg"; fi
}
trap cleanup EXIT
pg_start "$work/pg" "$port" fast   # fast: only the load is quicker; plans and reads are the same
url="postgres://postgres@127.0.0.1:$port/explain"
q() { psql "$url" -qAtX "$@"; }

# One ward's page as the service sent it before (e6f8962): the ward with
# `=`, the page size a parameter ($2, or $4 after the cursor).
before_sql() {
    local cursor="" limit='$2'
    if [ "$1" = deep ]; then cursor=' AND (p.started_at, p.id) < ($2, $3)'; limit='$4'; fi
    echo "SELECT a.id, a.ward_id, a.kind, a.recorded_by, a.started_at, a.ended_at, a.duration_minutes, a.note, page.status, a.version, a.details, a.content_hash, a.void_reason, a.created_at, a.updated_at, a.leave_confirmed_by, a.leave_confirmed_at, ARRAY(SELECT c.user_id FROM activity_co_workers c WHERE c.activity_id = a.id ORDER BY c.user_id) AS co_worker_ids, ARRAY(SELECT s.service_user_id FROM activity_service_users s WHERE s.activity_id = a.id ORDER BY s.service_user_id) AS service_user_ids FROM (SELECT p.id, p.status FROM activities p WHERE p.status <> 'entered_in_error' AND p.ward_id = \$1$cursor ORDER BY p.ward_id DESC, p.started_at DESC, p.id DESC LIMIT $limit) page JOIN activities a ON a.id = page.id ORDER BY a.started_at DESC, a.id DESC"
}

# EXPLAINs the pages of the largest ($3) and smallest ($4) ward of the
# N ($1) activities, in the table's state named $2.
pages() {
    local n="$1" state="$2" big="$3" small="$4"
    local ward which code page cursor at id sql params variant
    for ward in "$big" "$small"; do
        which="largest"; [ "$ward" = "$small" ] && which="smallest"
        code="$(q -c "SELECT code FROM wards WHERE id = '$ward'")"
        for page in first deep; do
            cursor=()
            if [ "$page" = deep ]; then
                read -r at id <<<"$(q -F ' ' -c "SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), id
                    FROM activities WHERE ward_id = '$ward' AND started_at < now() - interval '300 days'
                    ORDER BY started_at DESC, id DESC LIMIT 1")"
                cursor=("$at" "$id")
            fi
            local variants=(now)
            [ "${BEFORE:-1}" = 0 ] || variants+=(before)
            for variant in "${variants[@]}"; do
                if [ "$variant" = now ]; then
                    { read -r sql; read -r params; } < <("$target/debug/examples/report_sql" activity-page "$ward" "${cursor[@]}")
                else
                    sql="$(before_sql "$page")"
                    params="'$ward'::uuid, 51"
                    [ "$page" = deep ] && params="'$ward'::uuid, '$at'::timestamptz, '$id'::uuid, 51"
                fi
                echo "### $n activities, $state, $which ward ($code), $page page$([ "$page" = deep ] && echo " (after $at)")$([ "$variant" = before ] && echo ", BEFORE (e6f8962's statement)")"
                echo
                local out
                out="$(psql "$url" -qAtX <<SQL
SET plan_cache_mode = auto;
PREPARE page AS $sql;
EXECUTE page($params) \\g /dev/null
EXECUTE page($params) \\g /dev/null
EXECUTE page($params) \\g /dev/null
EXECUTE page($params) \\g /dev/null
EXECUTE page($params) \\g /dev/null
EXECUTE page($params) \\g /dev/null
EXPLAIN (ANALYZE, BUFFERS) EXECUTE page($params);
SQL
)"
                echo "$out" | sed 's/^/    /'
                echo
                local exec_ms plan_ms verdict="ok" kind="custom"
                exec_ms="$(sed -nE 's/.*Execution Time: ([0-9.]+) ms.*/\1/p' <<<"$out")"
                plan_ms="$(sed -nE 's/.*Planning Time: ([0-9.]+) ms.*/\1/p' <<<"$out")"
                # A kept generic plan shows its parameters as $1, $2, …
                grep -q '\$1' <<<"$out" && kind="generic"
                grep -q "activities_ward_started_idx" <<<"$out" || verdict="WRONG INDEX"
                python3 -c "import sys; sys.exit(0 if float('$exec_ms') + float('${plan_ms:-0}') < 5 else 1)" || verdict="$verdict, OVER 5 ms"
                printf '%s|%s|%s|%s|%s|%s|%s|%s\n' "$n" "$state" "$which ($code)" "$page$([ "$variant" = before ] && echo ", before")" \
                    "$kind" "${plan_ms:-0}" "$exec_ms" "$verdict" >>"$work/summary"
            done
        done
    done
}

run() {
    local n="$1"
    echo "## $n activities"
    echo
    psql "postgres://postgres@127.0.0.1:$port/postgres" -qc "DROP DATABASE IF EXISTS explain" -c "CREATE DATABASE explain" >/dev/null
    DATABASE_URL="$url" RUST_LOG=warn "$target/debug/peerlog" demo >/dev/null
    say "generating $n activities (skewed wards)"
    local start
    start=$(date +%s)
    # Autovacuum paused while loading: an automatic ANALYZE running during
    # the load holds a snapshot that keeps the VACUUM below from marking the
    # new rows all-visible, as autovacuum would later.
    psql "postgres://postgres@127.0.0.1:$port/postgres" -qc "ALTER SYSTEM SET autovacuum = off" -c "SELECT pg_reload_conf()" >/dev/null
    psql "$url" -q -v n="$n" -v days=365 -v skew=1 -v rollups=0 -f bench/generate.sql
    q -c "ANALYZE"
    say "loaded in $(( $(date +%s) - start )) s"
    echo "PostgreSQL $(q -c 'SHOW server_version'); activities table $(q -c "SELECT pg_size_pretty(pg_table_size('activities'))"), \
activities_ward_started_idx $(q -c "SELECT pg_size_pretty(pg_relation_size('activities_ward_started_idx'))")"
    echo
    echo "Activities per ward:"
    echo
    q -F ' ' -c "SELECT w.code, count(a.id) FROM wards w LEFT JOIN activities a ON a.ward_id = w.id GROUP BY w.code ORDER BY count(a.id) DESC" \
        | awk '{printf "    %-14s %9d\n", $1, $2}'
    echo
    local big small
    big="$(q -c "SELECT ward_id FROM activities GROUP BY ward_id ORDER BY count(*) DESC LIMIT 1")"
    small="$(q -c "SELECT ward_id FROM activities GROUP BY ward_id ORDER BY count(*) ASC LIMIT 1")"
    pages "$n" "not vacuumed" "$big" "$small"
    # Twice: the first pass sets the rows' hint bits (the load committed
    # asynchronously), the second marks their pages all-visible, as
    # autovacuum's later passes would.
    q -c "VACUUM ANALYZE" -c "VACUUM"
    psql "postgres://postgres@127.0.0.1:$port/postgres" -qc "ALTER SYSTEM RESET autovacuum" -c "SELECT pg_reload_conf()" >/dev/null
    pages "$n" "vacuumed" "$big" "$small"
    psql "postgres://postgres@127.0.0.1:$port/postgres" -qc "DROP DATABASE explain" >/dev/null
}

: >"$work/summary"
{
    echo "bench/explain.sh: EXPLAIN (ANALYZE, BUFFERS) of one ward's page of 50 (the service's own statement)"
    echo
    echo "Statement (a worker's page of one ward; the cursor adds the started_at/id bounds):"
    echo
    shown="$("$target/debug/examples/report_sql" activity-page 00000000-0000-0000-0000-000000000000 \
        2026-01-01T00:00:00Z 00000000-0000-0000-0000-000000000000)"
    printf '%s\n' "${shown%%$'\n'*}" | fold -s -w 100 | sed 's/^/    /'
    echo
    for n in "${sizes[@]}"; do run "$n"; done
    echo "## Summary"
    echo
    echo "| activities | table | ward | page | plan | planning ms | execution ms | ward index and < 5 ms |"
    echo "|---|---|---|---|---|---|---|---|"
    awk -F'|' '{printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8}' "$work/summary"
} | tee bench/explain-last-run.txt
