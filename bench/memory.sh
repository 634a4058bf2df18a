#!/usr/bin/env bash
# Memory under hostile input (issue 13), on the release build: the resting
# RSS; then 32 concurrent maximum-size bodies (4 MiB of `[0,0,0,…]`, some
# with a NUL) to each write endpoint as the demo worker `psw` (batch,
# create, amend, service-user upsert, buddy writes); then 32 concurrent
# valid 500-item batches. Prints each phase's answers, peak RSS, and RSS
# 10 s after, against the targets (peak ≤ baseline + 64 MiB; 10 s after,
# within 16 MiB of the baseline).
#
#   bench/memory.sh                  # jemalloc (the default build)
#   ALLOCATOR=glibc bench/memory.sh  # glibc's malloc, to compare
#
# See bench/serve.sh for DATABASE_URL and PEERLOG_BIN. The last run's
# output is kept in bench/memory-last-run.txt. Not part of the test suite.
set -euo pipefail
source "$(dirname "$0")/serve.sh"
bench_start
echo "peerlog memory bench — $(date -u +%Y-%m-%dT%H:%M:%SZ), allocator: ${ALLOCATOR:-jemalloc}${PEERLOG_BIN:+ ($PEERLOG_BIN)}, $(nproc) CPUs"
status=0
python3 bench/load.py abuse --port "$PORT" --pid "$PID" --concurrency "${CONCURRENCY:-32}" --rounds "${ROUNDS:-2}" || status=$?

# Throughput on an ordinary read, so an allocator that saves memory is not
# bought with speed: a worker's activity list, 16 connections for 15 s.
if command -v wrk >/dev/null; then
    token="$(curl -fs -H 'content-type: application/json' \
        -d '{"username":"psw","password":"peerlog-demo"}' \
        "http://127.0.0.1:$PORT/api/v1/auth/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')"
    echo
    echo "throughput: GET /api/v1/activities?limit=50 as psw, 16 connections, 15 s (wrk)"
    wrk -t2 -c16 -d15s --latency -H "authorization: Bearer $token" \
        "http://127.0.0.1:$PORT/api/v1/activities?limit=50" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx"
    echo "  RSS after: $(awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' "/proc/$PID/status")"
fi
exit "$status"
