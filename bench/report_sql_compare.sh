#!/usr/bin/env bash
# The reports' SQL of two revisions on one database, server-side time only
# (planning + execution, EXPLAIN ANALYZE without per-node timing), median
# of RUNS, the two interleaved per report; without parallel workers, as
# the service runs them. For when building a second
# release binary for bench/reports.sh does not fit the time at hand.
#
#   bench/report_sql_compare.sh DB_URL OLD_REPORT_SQL NEW_REPORT_SQL [DAYS]
#
# OLD_REPORT_SQL and NEW_REPORT_SQL are the `report_sql` example binaries
# (bench/explain.rs) of each revision; DAYS (365) is the trend's span.
set -euo pipefail
url="$1" old="$2" new="$3" days="${4:-365}"
RUNS="${RUNS:-5}"
q() { psql "$url" -Atc "$1"; }
to="$(q "SELECT (now() AT TIME ZONE 'Europe/London')::date + 1")"
year="$(q "SELECT (now() AT TIME ZONE 'Europe/London')::date - 365")"
trend="$(q "SELECT (now() AT TIME ZONE 'Europe/London')::date - $days")"

# Median planning + execution ms of one report's SQL from one binary.
ms() {
    local bin="$1" name="$2" groups="$3" from="$4"
    psql "$url" -q <<SQL | python3 -c '
import re, statistics, sys
t = sys.stdin.read()
p = [float(x) for x in re.findall(r"Planning Time: ([\d.]+)", t)]
e = [float(x) for x in re.findall(r"Execution Time: ([\d.]+)", t)]
print(f"{statistics.median(a + b for a, b in zip(p, e)):.1f}")'
SET max_parallel_workers_per_gather = 0;
$(for _ in $(seq 0 "$RUNS"); do
    echo "EXPLAIN (ANALYZE, TIMING OFF) $("$bin" "$name" "$groups" | sed "s/\\\$1/'$from'::date/g; s/\\\$2/'$to'::date/g; s/\\\$3/NULL::uuid[]/g");"
done)
SQL
}

# The rows one binary's SQL answers, as a digest.
rows() {
    local bin="$1" name="$2" groups="$3" from="$4"
    "$bin" "$name" "$groups" | sed "s/\\\$1/'$from'::date/g; s/\\\$2/'$to'::date/g; s/\\\$3/NULL::uuid[]/g" \
        | psql "$url" -At | sha256sum | cut -c1-12
}

printf '%10s %10s %8s  %-10s %s\n' before after ratio rows report
row() {
    local name="$1" groups="$2" from="$3" label="$4" a b same=same
    a="$(ms "$old" "$name" "$groups" "$from")"
    b="$(ms "$new" "$name" "$groups" "$from")"
    [ "$(rows "$old" "$name" "$groups" "$from")" = "$(rows "$new" "$name" "$groups" "$from")" ] || same=DIFFERENT
    printf '%10s %10s %8s  %-10s %s\n' "$a" "$b" "x$(python3 -c "print(f'{$a / max($b, 0.01):.1f}')")" "$same" "$label"
}
for g in "" ward ward,month service_line,kind worker ward,week service_line,kind,month ward,kind,month; do
    row activity-summary "$g" "$year" "year: activity-summary ${g:+group_by=$g}"
done
for k in escorted-leave de-escalation groups; do row "$k" "" "$year" "year: $k"; done
for g in month ward,month service_line,kind,month worker,month; do
    row activity-summary "$g" "$trend" "trend ($days days): activity-summary group_by=$g"
done
