#!/usr/bin/env bash
# A soak (issue 13): mixed traffic at a steady rate against the release
# build — creates and amendments by the demo worker, activity lists, the
# manager's activity summary, the tablet changes feed, the event feed and
# the warehouse export. Prints per minute the requests, errors, p50/p99
# latency and the server's RSS, against the targets (0 errors, p99 in the
# last minute ≤ 1.5× the first, RSS in the last minute ≤ first + 8 MiB).
#
#   bench/soak.sh                      # ten minutes at 20 requests/s
#   SOAK_SECS=180 RATE=30 bench/soak.sh
#
# See bench/serve.sh for ALLOCATOR, DATABASE_URL and PEERLOG_BIN. The last
# run's output is kept in bench/soak-last-run.txt. Not part of the test suite.
set -euo pipefail
source "$(dirname "$0")/serve.sh"
bench_start
echo "peerlog soak — $(date -u +%Y-%m-%dT%H:%M:%SZ), allocator: ${ALLOCATOR:-jemalloc}, $(nproc) CPUs"
python3 bench/load.py soak --port "$PORT" --pid "$PID" --secs "${SOAK_SECS:-600}" --rate "${RATE:-20}"
