#!/usr/bin/env bash
# Benchmarks the API's hot paths against the database doing the same
# work directly: recording a one-to-one activity, one ward's first page
# of 50 activities, and a manager's year of the activity summary by ward
# and month.
#
#   bench/api.sh                 # the working tree
#   bench/api.sh 36eacb3 .       # a revision, then the working tree, same session
#
# For each revision: builds the release binary (a revision other than `.`
# in a worktree under target/bench, in the same target dir as the working
# tree so the dependencies are built once), starts it with demo data on a
# private, durable PostgreSQL cluster (fsync on, synchronous_commit on) and
# captures the statements the service sends for one create, one page and
# one report (from the server's own log with log_statement=all) as pgbench
# scripts: the yardsticks follow whatever SQL the service sends today.
#
# Then ROUNDS rounds (default 3), the revisions interleaved (A B, B A, …,
# so a neighbour's compile on this shared machine weighs on both alike):
# for each revision, its server is started on its database, and wrk runs
# for DURATION seconds (default 10) at 1 and 16 connections (creates with a
# fresh client id each; ward ADULT-ASH's first page as its worker; the
# manager's report), each
# followed by pgbench with the captured statements at the same number of
# clients. Between the creates and the pages the database is settled
# (rollup deltas compacted, VACUUM ANALYZE, CHECKPOINT): otherwise the
# pages are measured against the autovacuum, compaction and checkpoint work
# that the previous 20 s of writes left behind (SETTLE=0 to see it).
#
# Prints, per revision, path and connections, the median over the rounds of
# requests/s, p50, p99 and pgbench's tps (with each figure's range when
# ROUNDS > 1: the noise), the ratio to pgbench and the server's peak RSS;
# then the ratios of the last revision to the first. Installs wrk and
# pgbench with apt-get when missing. Load goes to 127.0.0.1 only; PG_PORT
# and APP_PORT choose the ports (free ones by default). The last output is
# kept in bench/api.out; with PG_DIAG=1 the cluster's log of statements
# over 20 ms, autovacuum runs and checkpoints in bench/api-pg.log (not kept
# in git: megabytes).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
source scripts/pg.sh

DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-3}"
SETTLE="${SETTLE:-1}"
revs=("$@")
[ ${#revs[@]} -gt 0 ] || revs=(.)
say() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

need() {
    command -v "$1" >/dev/null 2>&1 && return 0
    say "installing $2"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq "$2" >/dev/null
}
need wrk wrk
need pgbench postgresql-contrib
command -v pgbench >/dev/null || need pgbench postgresql-client

target="${CARGO_TARGET_DIR:-$root/target}"
work="$(mktemp -d /tmp/peerlog-apibench.XXXXXX)"
pg_port="${PG_PORT:-$(pg_free_port)}"
app_port="${APP_PORT:-$(pg_free_port)}"
server_pid=""
stop_server() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
    server_pid=""
}
cleanup() {
    stop_server
    if [ -n "${PG_DIAG:-}" ] && [ -f "$work/pg/server.log" ]; then
        grep -E 'duration: |automatic (vacuum|analyze)|checkpoint (starting|complete)' "$work/pg/server.log" \
            | cut -c1-300 >"$root/bench/api-pg.log" || true
    fi
    pg_stop "$work/pg"
    rm -rf "$work"
}
trap cleanup EXIT
pg_start "$work/pg" "$pg_port"   # durable: fsync on, synchronous_commit on
db_url_of() { echo "postgres://postgres@127.0.0.1:$pg_port/$1"; }
psql "$(db_url_of postgres)" -Atc "SELECT 'cluster: fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit')" >&2
if [ -n "${PG_DIAG:-}" ]; then
    # What happens in the database while the tails form.
    psql "$(db_url_of postgres)" -q -c "ALTER SYSTEM SET log_checkpoints = on" \
        -c "ALTER SYSTEM SET log_autovacuum_min_duration = 0" \
        -c "ALTER SYSTEM SET log_min_duration_statement = 20" -c "SELECT pg_reload_conf()" >/dev/null
fi

# Revisions with the same dependencies share cargo's fingerprint of the
# peerlog crate, which names the source files of whichever tree built it
# last: cargo would find another tree's build fresh and hand back its
# binary. Forgetting that fingerprint makes the next build compile this
# tree's peerlog crate (the dependencies stay built).
forget_peerlog_build() {
    rm -rf "$target"/release/.fingerprint/peerlog-*
}

# The binary of a revision (`.`: the working tree).
binary_of() {
    local rev="$1"
    if [ "$rev" = "." ]; then
        forget_peerlog_build
        cargo build --release -q --bin peerlog >&2
        cp "$target/release/peerlog" "$work/peerlog-working-tree"
        echo "$work/peerlog-working-tree"
        return
    fi
    local sha src out
    sha="$(git rev-parse --short "$rev")"
    src="$root/target/bench/src-$sha"
    out="$root/target/bench/peerlog-$sha"
    if [ ! -x "$out" ]; then
        [ -d "$src" ] || git worktree add --detach "$src" "$sha" >/dev/null
        forget_peerlog_build
        (cd "$src" && CARGO_TARGET_DIR="$target" cargo build --release -q --bin peerlog >&2)
        cp "$target/release/peerlog" "$out"
    fi
    echo "$out"
}

# Starts revision $1's server on its database (demo data when $2 is set).
start_server() {
    local i="$1" demo="${2:-}"
    # shellcheck disable=SC1090
    source "$work/rev-$i.env"
    env DATABASE_URL="$url" PEERLOG_BIND="127.0.0.1:$app_port" RUST_LOG=warn \
        PEERLOG_ACCESS_TOKEN_TTL_SECS=7200 ${demo:+PEERLOG_DEMO=1} \
        "$bin" serve >"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 480); do
        curl -fs "http://127.0.0.1:$app_port/ready" >/dev/null 2>&1 && return 0
        sleep 0.25
    done
    say "server did not start: $(tail -5 "$work/server.log")"
    exit 1
}

token_of() {
    curl -fs -H 'content-type: application/json' -d "{\"username\":\"$1\",\"password\":\"peerlog-demo\"}" \
        "http://127.0.0.1:$app_port/api/v1/auth/token" | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])'
}

# wrk: "rps p50_ms p99_ms non2xx" for a Lua script at C connections.
run_wrk() {
    local lua="$1" path="$2" conns="$3"
    wrk -t "$(( conns < 2 ? 1 : 2 ))" -c "$conns" -d "${DURATION}s" --latency -s "$lua" \
        "http://127.0.0.1:$app_port$path" >"$work/wrk.txt" 2>&1 || true
    python3 - "$work/wrk.txt" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r'^\s*' + label + r'%\s+([\d.]+)(us|ms|s)\s*$', t, re.M)
    if not m: return float('nan')
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == 'us' else v * 1000 if u == 's' else v
rps = re.search(r'Requests/sec:\s+([\d.]+)', t)
bad = re.search(r'Non-2xx or 3xx responses:\s+(\d+)', t)
print(f"{float(rps.group(1)) if rps else 0:.0f} {ms('50'):.1f} {ms('99'):.1f} {bad.group(1) if bad else 0}")
PY
}

# pgbench: tps of a script at C clients.
run_pgbench() {
    local script="$1" conns="$2" db="$3"
    pgbench -n -M prepared -c "$conns" -j "$(( conns < 2 ? 1 : 2 ))" -T "$DURATION" -f "$script" "$(db_url_of "$db")" 2>&1 \
        | awk '/^tps/ {printf "%.0f", $3}'
}

# Lets the database catch up with the writes just measured: the pending
# rollup deltas compacted, dead rows vacuumed, statistics fresh, dirty
# pages written.
settle() {
    psql "$url" -qAt -c "DO \$\$ BEGIN IF to_regproc('report_rollups_compact') IS NOT NULL THEN
            PERFORM report_rollups_compact(); END IF; END \$\$" -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null
}

# Set-up: binaries, databases with demo data, tokens, wrk and pgbench scripts.
labels=()
for i in "${!revs[@]}"; do
    rev="${revs[$i]}"
    label="$rev"
    [ "$rev" = "." ] && label="working tree ($(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src migrations || echo '+'))"
    labels+=("$label")
    say "== $label: build"
    bin="$(binary_of "$rev")"
    db="apibench_$i"
    url="$(db_url_of "$db")"
    psql "$(db_url_of postgres)" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
    printf 'bin=%q\ndb=%q\nurl=%q\n' "$bin" "$db" "$url" >"$work/rev-$i.env"
    start_server "$i" demo
    ward="$(psql "$url" -Atc "SELECT id FROM wards WHERE code = 'ADULT-ASH'")"
    person="$(psql "$url" -Atc "SELECT id FROM service_users WHERE ward_id = '$ward' ORDER BY reference LIMIT 1")"
    token="$(token_of psw)"
    started="$(python3 -c 'import datetime;print((datetime.datetime.now(datetime.timezone.utc)-datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ"))')"
    body="{\"ward_id\":\"$ward\",\"kind\":\"one_to_one\",\"started_at\":\"$started\",\"duration_minutes\":30,\"service_user_ids\":[\"$person\"],\"details\":{\"topics\":[\"listening\"]}}"
    page="/api/v1/activities?ward_id=$ward&limit=50"
    manager="$(token_of manager)"
    year="from=$(date -u -d '365 days ago' +%F)&to=$(date -u -d tomorrow +%F)"
    report="/api/v1/reports/activity-summary?$year&group_by=ward,month"
    printf 'page=%q\nreport=%q\n' "$page" "$report" >>"$work/rev-$i.env"
    cat >"$work/create-$i.lua" <<LUA
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
local function uuid()
  return (string.gsub('xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx', '[xy]', function (c)
    local v = (c == 'x') and math.random(0, 15) or math.random(8, 11)
    return string.format('%x', v)
  end))
end
local body = [[$body]]
request = function()
  local b = '{"id":"' .. uuid() .. '",' .. string.sub(body, 2)
  return wrk.format("POST", "/api/v1/activities",
    { ["content-type"] = "application/json", ["authorization"] = "Bearer $token" }, b)
end
LUA
    cat >"$work/list-$i.lua" <<LUA
wrk.headers["authorization"] = "Bearer $token"
LUA
    cat >"$work/report-$i.lua" <<LUA
wrk.headers["authorization"] = "Bearer $manager"
LUA
    curl -fs -o /dev/null -w '%{http_code}' -X POST -H 'content-type: application/json' \
        -H "authorization: Bearer $token" -d "$body" "http://127.0.0.1:$app_port/api/v1/activities" | grep -q 201 \
        || { say "a create failed: $(tail -5 "$work/server.log")"; exit 1; }
    curl -fs -o /dev/null -H "authorization: Bearer $token" "http://127.0.0.1:$app_port$page"

    # The statements the service sends for one create and one page, from
    # the server's log, replayed by pgbench (fresh ids for the create).
    # New connections pick up log_statement: restart the server.
    stop_server
    psql "$url" -qc "ALTER DATABASE $db SET log_statement = 'all'" >/dev/null
    start_server "$i"
    for what in create list report; do
        log="$work/pg/server.log"
        before="$(wc -l <"$log")"
        if [ "$what" = create ]; then
            curl -fs -o /dev/null -X POST -H 'content-type: application/json' -H "authorization: Bearer $token" \
                -d "{\"id\":\"$(python3 -c 'import uuid;print(uuid.uuid4())')\",${body:1}" "http://127.0.0.1:$app_port/api/v1/activities"
        elif [ "$what" = list ]; then
            curl -fs -o /dev/null -H "authorization: Bearer $token" "http://127.0.0.1:$app_port$page"
        else
            curl -fs -o /dev/null -H "authorization: Bearer $manager" "http://127.0.0.1:$app_port$report"
        fi
        sleep 0.3
        tail -n +"$((before + 1))" "$log" | python3 bench/pgbench_script.py "$what" >"$work/$what-$i.sql"
    done
    stop_server
    psql "$url" -qc "ALTER DATABASE $db RESET log_statement" >/dev/null
    if [ -n "${SHOW_SQL:-}" ]; then cat "$work/create-$i.sql" "$work/list-$i.sql" "$work/report-$i.sql" >&2; fi
done

# Two revisions sharing a target dir must not end up with the same binary.
if [ ${#revs[@]} -gt 1 ]; then
    sums="$(for i in "${!revs[@]}"; do (source "$work/rev-$i.env"; sha256sum <"$bin"); done)"
    if [ "$(sort -u <<<"$sums" | wc -l)" -lt "$(printf '%s\n' "${revs[@]}" | sort -u | wc -l)" ]; then
        say "two revisions have the same binary: check the builds"
        exit 1
    fi
fi

results="$work/results"
: >"$results"
for round in $(seq 1 "$ROUNDS"); do
    order=("${!revs[@]}")
    if [ $((round % 2)) -eq 0 ]; then
        mapfile -t order < <(printf '%s\n' "${!revs[@]}" | tac)
    fi
    for i in "${order[@]}"; do
        label="${labels[$i]}"
        say "== round $round/$ROUNDS: $label (load average $(cut -d' ' -f1-3 /proc/loadavg))"
        start_server "$i"
        psql "$url" -qc "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null
        for what in create list report; do
            lua="$work/$what-$i.lua"; path="/api/v1/activities"
            if [ "$what" = list ]; then
                path="$page"
                [ "$SETTLE" = 0 ] || settle
            elif [ "$what" = report ]; then
                path="$report"
            fi
            for c in 1 16; do
                read -r rps p50 p99 bad <<<"$(run_wrk "$lua" "$path" "$c")"
                tps="$(run_pgbench "$work/$what-$i.sql" "$c" "$db")"
                rss="$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status")"
                echo "$label|$what|$c|$rps|$p50|$p99|$bad|$tps|$rss" >>"$results"
                say "$what c=$c: $rps req/s p50 $p50 ms p99 $p99 ms (non-2xx $bad), pgbench $tps tps, peak RSS $((rss / 1024)) MiB"
            done
        done
        stop_server
    done
done

python3 - "$results" "$DURATION" "$ROUNDS" "$SETTLE" <<'PY' | tee bench/api.out
import statistics, sys
rows = [l.strip().split('|') for l in open(sys.argv[1]) if l.strip()]
duration, rounds, settle = sys.argv[2], int(sys.argv[3]), sys.argv[4] != '0'
print(f"bench/api.sh: {duration} s per run, median of {rounds} round(s), revisions interleaved; "
      f"durable cluster (fsync on), ward ADULT-ASH, a manager's year by ward and month, 127.0.0.1; "
      f"{'database settled (compacted, VACUUM ANALYZE, CHECKPOINT) before the pages' if settle else 'pages right after the creates (SETTLE=0)'}")
print()
keys = list(dict.fromkeys((r[0], r[1], r[2]) for r in rows))
agg = {}
for k in keys:
    rs = [r for r in rows if (r[0], r[1], r[2]) == k]
    col = lambda j: [float(r[j]) for r in rs]
    agg[k] = {
        'rps': col(3), 'p50': col(4), 'p99': col(5), 'bad': sum(int(r[6]) for r in rs),
        'tps': col(7), 'rss': max(col(8)) / 1024,
    }
med = statistics.median
def fig(xs, fmt):
    s = fmt.format(med(xs))
    return s if len(xs) < 2 else f"{s} ({fmt.format(min(xs))}–{fmt.format(max(xs))})"
print("| revision | path | conns | req/s | p50 ms | p99 ms | non-2xx | pgbench tps | HTTP/pgbench | peak RSS MiB |")
print("|---|---|---|---|---|---|---|---|---|---|")
for k in keys:
    a = agg[k]
    ratio = med(a['rps']) / med(a['tps']) if med(a['tps']) else float('nan')
    print(f"| {k[0]} | {k[1]} | {k[2]} | {fig(a['rps'], '{:.0f}')} | {fig(a['p50'], '{:.1f}')} | "
          f"{fig(a['p99'], '{:.1f}')} | {a['bad']} | {fig(a['tps'], '{:.0f}')} | {ratio:.2f} | {a['rss']:.1f} |")
if rounds > 1:
    print()
    print("Each figure is the median of the rounds, with (min–max) across them.")
revs = list(dict.fromkeys(k[0] for k in keys))
if len(revs) > 1:
    first, last = revs[0], revs[-1]
    print()
    print(f"ratios {last} / {first} (medians):")
    for what in ("create", "list", "report"):
        for c in ("1", "16"):
            a, b = agg.get((first, what, c)), agg.get((last, what, c))
            if a and b:
                print(f"  {what} c={c}: req/s x{med(b['rps']) / max(med(a['rps']), 1):.2f}, "
                      f"p99 {med(a['p99']):.1f} -> {med(b['p99']):.1f} ms")
for rev in revs:
    a, b = agg.get((rev, 'create', '1')), agg.get((rev, 'create', '16'))
    if a and b:
        print(f"{rev}: create 16 conns / 1 conn = x{med(b['rps']) / max(med(a['rps']), 1):.2f}")
PY
