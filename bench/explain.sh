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
# the last 0.1%, the eight others 5.6% each), VACUUM ANALYZE; then for the
# largest and the smallest ward, their first page and a page deep in the
# cursor (after the ward's last activity more than 300 days old), the
# statement is prepared as the service prepares it and run 6 times (from
# then on PostgreSQL may keep a generic plan: with the page size a
# parameter it never does here, as a generic plan assumes a tenth of the
# table is wanted), then EXPLAINed as PostgreSQL plans it
# (plan_cache_mode=auto, as the service runs it). Each must read activities_ward_started_idx and finish
# in under 5 ms; a summary line says so. For comparison, the same pages
# with the statement the service sent before (revision 1fc81df: the rows
# of `ward_id = ANY(<scope>) AND ward_id = $2 … LIMIT $4` from the heap,
# their co-workers and service users in two more statements) are EXPLAINed
# too, marked "before" (BEFORE=0 leaves them out). 10 M activities take about 12 GB of
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

# The page's rows as the service read them before (1fc81df), for a worker
# of the ward; its links came in two more statements.
before_sql='SELECT "activities"."id", "activities"."ward_id", "activities"."kind", "activities"."recorded_by", "activities"."started_at", "activities"."ended_at", "activities"."duration_minutes", "activities"."note", "activities"."status", "activities"."version", "activities"."details", "activities"."content_hash", "activities"."void_reason", "activities"."created_at", "activities"."updated_at", "activities"."leave_confirmed_by", "activities"."leave_confirmed_at" FROM "activities" WHERE ((("activities"."ward_id" = ANY($1)) AND ("activities"."ward_id" = $2)) AND ("activities"."status" != $3)) ORDER BY "activities"."ward_id" DESC, "activities"."started_at" DESC, "activities"."id" DESC LIMIT $4'

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
    # Twice: the first pass sets the rows' hint bits (the load committed
    # asynchronously), the second marks their pages all-visible, as
    # autovacuum's later passes would.
    q -c "VACUUM ANALYZE" -c "VACUUM"
    psql "postgres://postgres@127.0.0.1:$port/postgres" -qc "ALTER SYSTEM RESET autovacuum" -c "SELECT pg_reload_conf()" >/dev/null
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
    local ward which cursor at id sql params mode
    for ward in "$big" "$small"; do
        which="largest"; [ "$ward" = "$small" ] && which="smallest"
        local code
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
                sql="$before_sql"
                params="'{$ward}'::uuid[], '$ward'::uuid, 'entered_in_error', 51"
                if [ "$page" = deep ]; then
                    sql="${before_sql/\"status\" != \$3)) ORDER BY/\"status\" != \$3)) AND \"activities\".\"started_at\" <= \$5 AND (\"activities\".\"started_at\" < \$6 OR (\"activities\".\"started_at\" = \$7 AND \"activities\".\"id\" < \$8)) ORDER BY}"
                    params="$params, '$at'::timestamptz, '$at'::timestamptz, '$at'::timestamptz, '$id'::uuid"
                fi
            fi
            for mode in auto; do
                echo "### $n activities, $which ward ($code), $page page$([ "$page" = deep ] && echo " (after $at)"), plan_cache_mode=$mode$([ "$variant" = before ] && echo ", BEFORE (1fc81df's statement)")"
                echo
                local out
                out="$(psql "$url" -qAtX <<SQL
SET plan_cache_mode = $mode;
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
                local exec_ms plan_ms verdict="ok"
                exec_ms="$(sed -nE 's/.*Execution Time: ([0-9.]+) ms.*/\1/p' <<<"$out")"
                plan_ms="$(sed -nE 's/.*Planning Time: ([0-9.]+) ms.*/\1/p' <<<"$out")"
                grep -q "activities_ward_started_idx" <<<"$out" || verdict="WRONG INDEX"
                python3 -c "import sys; sys.exit(0 if float('$exec_ms') + float('${plan_ms:-0}') < 5 else 1)" || verdict="$verdict, OVER 5 ms"
                printf '%s|%s|%s|%s|%s|%s|%s\n' "$n" "$which ($code)" "$page$([ "$variant" = before ] && echo ", before")" "$mode" "${plan_ms:-0}" "$exec_ms" "$verdict" >>"$work/summary"
            done
            done
        done
    done
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
    echo "| activities | ward | page | plan_cache_mode | planning ms | execution ms | index and < 5 ms |"
    echo "|---|---|---|---|---|---|---|"
    awk -F'|' '{printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7}' "$work/summary"
} | tee bench/explain-last-run.txt
