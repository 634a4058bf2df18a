#!/usr/bin/env bash
# The continuity drills of scripts/drill at full length (issue 25): a
# minute of writing in each phase (DRILL_SECS), against the release build
# (PEERLOG_BIN to choose another), the standby promoted after a 10 s
# detection delay (DRILL_PROMOTE_AFTER), then the same failover decided by
# Patroni and etcd (scripts/drill patroni). Figures are written to
# bench/drills-last-run.txt (kept) and printed. About a quarter of an hour;
# `bench/drills.sh failover` runs one. Not part of the test suite:
# scripts/test runs the same drills with 3 s phases.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PEERLOG_BIN:-}" ]; then
    cargo build --release --bin peerlog
    export PEERLOG_BIN=target/release/peerlog
fi
out=bench/drills-last-run.txt
{
    echo "peerlog continuity drills — $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs shared with other work," \
        "binary $PEERLOG_BIN, phases of ${DRILL_SECS:-60} s, standby promoted ${DRILL_PROMOTE_AFTER:-10} s after the kill"
} >"$out"
for drill in ${1:-restore mistake failover patroni}; do
    DRILL_SECS="${DRILL_SECS:-60}" DRILL_PROMOTE_AFTER="${DRILL_PROMOTE_AFTER:-10}" DRILL_REPORT="$out" \
        scripts/drill "$drill"
done
cat "$out"
