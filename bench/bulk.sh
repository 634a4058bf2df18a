#!/usr/bin/env bash
# FHIR Bulk Data export of N generated activities (default 1,000,000) with
# the release build: the time and lines per second of the export (its
# Encounter, Procedure and Group files), the server's RSS before, at peak
# and after, and the same lines per second for the REST NDJSON warehouse
# export (GET /api/v1/exports/activities) read right before, on the same
# data in the same run. Target (issue 20): RSS growth at most 32 MiB.
#
#   bench/bulk.sh                       a private throwaway cluster
#   DATABASE_URL=… N=200000 bench/bulk.sh
#
# Not part of the test suite. The machine is shared: compare within a run.
set -euo pipefail
source "$(dirname "$0")/serve.sh"
N="${N:-1000000}"
export PEERLOG_BULK_EXPORT_DIR
PEERLOG_BULK_EXPORT_DIR="$(mktemp -d /tmp/peerlog-bulk-bench.XXXXXX)"
bench_start
url="$SERVER_URL/$DB"
say "generating $N activities and their outbox rows"
psql "$url" -q -v n="$N" -v days=365 -f bench/generate.sql
psql "$url" -q -f bench/bulk-outbox.sql
psql "$url" -qc "VACUUM ANALYZE"
psql "$url" -Atc "SELECT 'outbox rows: ' || count(*) FROM activity_events"

base="http://127.0.0.1:$PORT"
token="$(curl -fs -H 'content-type: application/json' -d '{"username":"integration","password":"peerlog-demo"}' \
    "$base/api/v1/auth/token" | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')"
rss() { awk '/VmRSS/ {print $2}' "/proc/$PID/status"; }

say "REST NDJSON export (GET /api/v1/exports/activities)"
t0=$(date +%s.%N)
lines=$(curl -fsS -H "authorization: Bearer $token" "$base/api/v1/exports/activities" | wc -l)
t1=$(date +%s.%N)
rest_secs=$(python3 -c "print(round($t1 - $t0, 2))")
rest_rate=$(python3 -c "print(round(($lines - 1) / ($t1 - $t0)))")

sleep 2
before=$(rss)
say "FHIR Bulk Data export (Encounter, Procedure, Group); RSS before: $((before / 1024)) MiB"
t0=$(date +%s.%N)
status="$(curl -fsS -o /dev/null -D - -H "authorization: Bearer $token" -H 'prefer: respond-async' \
    "$base/fhir/R4/\$export?_type=Encounter,Procedure,Group" | awk -F': ' 'tolower($1)=="content-location" {print $2}' | tr -d '\r')"
peak=$before
while :; do
    code=$(curl -s -o "$WORK/manifest.json" -w '%{http_code}' -H "authorization: Bearer $token" "$status")
    r=$(rss); [ "$r" -gt "$peak" ] && peak=$r
    [ "$code" = 200 ] && break
    [ "$code" = 202 ] || { say "status $code"; cat "$WORK/manifest.json"; exit 1; }
    sleep 0.5
done
t1=$(date +%s.%N)
sleep 2
after=$(rss)
total=$(python3 -c "import json;print(sum(o['count'] for o in json.load(open('$WORK/manifest.json'))['output']))")
activities=$(python3 -c "import json;print(next(o['count'] for o in json.load(open('$WORK/manifest.json'))['output'] if o['type']=='Encounter'))")
bulk_secs=$(python3 -c "print(round($t1 - $t0, 2))")
bulk_rate=$(python3 -c "print(round($total / ($t1 - $t0)))")
du -sh "$PEERLOG_BULK_EXPORT_DIR" | awk '{print "files on disk: " $1}'

echo
echo "N=$N activities; $(nproc) cores shared with other work (noisy: compare within this run)"
printf '%-44s %10s %10s %12s\n' "export" "lines" "seconds" "lines/s"
printf '%-44s %10s %10s %12s\n' "REST NDJSON (/api/v1/exports/activities)" "$((lines - 1))" "$rest_secs" "$rest_rate"
printf '%-44s %10s %10s %12s\n' "FHIR Bulk (Encounter+Procedure+Group)" "$total" "$bulk_secs" "$bulk_rate"
echo "FHIR Bulk: $activities Encounters; lines/s ratio to REST: $(python3 -c "print(round($bulk_rate / $rest_rate, 2))")"
echo "server RSS: before $((before / 1024)) MiB, peak $((peak / 1024)) MiB (growth $(((peak - before) / 1024)) MiB; target <= 32), after $((after / 1024)) MiB"
rm -rf "$PEERLOG_BULK_EXPORT_DIR"
