#!/usr/bin/env bash
# The write path's database cost before and after the report_spans
# migration, in one run: pgbench records a one-to-one activity with one
# service user (the statements of a create that fire the rollup triggers),
# alternately with the trigger functions of before (the migration's
# down.sql) and after (its up.sql), ROUNDS times at 1 and 16 clients.
# The HTTP side of a create is unchanged by the migration.
#
#   bench/write_path_compare.sh DB_URL      # a database with the demo data
set -euo pipefail
cd "$(dirname "$0")/.."
url="$1"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10}"
mig=migrations/2026-12-04-300000_report_spans
work="$(mktemp -d /tmp/peerlog-writes.XXXXXX)"
trap 'rm -rf "$work"' EXIT
# The trigger functions alone, as each side defines them.
python3 - "$mig" "$work" <<'PY'
import re, sys
mig, work = sys.argv[1], sys.argv[2]
for side, f in (("before", "down.sql"), ("after", "up.sql")):
    text = open(f"{mig}/{f}").read()
    fns = re.findall(r"CREATE OR REPLACE FUNCTION report_roll_activity(?:_change)?\(.*?\$\$;", text, re.S)
    assert len(fns) == 2, (side, len(fns))
    open(f"{work}/{side}.sql", "w").write("\n".join(fns) + "\n")
PY
cat >"$work/create.sql" <<'SQL'
SELECT gen_random_uuid() AS id \gset
BEGIN;
INSERT INTO activities (id, ward_id, kind, recorded_by, started_at, ended_at, duration_minutes, details, content_hash)
SELECT :id, w.id, 'one_to_one', u.id, now() - interval '3 hours', now() - interval '2 hours', 60,
       '{"topics": ["listening"]}', 'bench'
FROM wards w, users u WHERE w.code = 'ADULT-ASH' AND u.username = 'psw';
INSERT INTO activity_service_users (activity_id, service_user_id)
SELECT :id, s.id FROM service_users s
WHERE s.ward_id = (SELECT id FROM wards WHERE code = 'ADULT-ASH') ORDER BY s.reference LIMIT 1;
COMMIT;
SQL
results="$work/results"
for round in $(seq 1 "$ROUNDS"); do
    for side in before after; do
        psql "$url" -q -f "$work/$side.sql"
        for c in 1 16; do
            tps="$(pgbench -n -M prepared -c "$c" -j "$(( c < 2 ? 1 : 2 ))" -T "$DURATION" -f "$work/create.sql" "$url" 2>&1 \
                | awk '/^tps/ {printf "%.0f", $3}')"
            echo "$side $c $tps" | tee -a "$results" >&2
        done
    done
done
psql "$url" -q -f "$work/after.sql"
python3 - "$results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = lambda side, c: statistics.median(float(r[2]) for r in rows if r[0] == side and r[1] == c)
for c in ("1", "16"):
    b, a = med("before", c), med("after", c)
    print(f"creates (database side) at {c} clients: before {b:.0f} tps, after {a:.0f} tps, after/before x{a / b:.3f}")
PY
