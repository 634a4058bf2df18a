#!/usr/bin/env bash
# Benchmarks the API's two hot paths against the database doing the same
# work directly: recording a one-to-one activity, and one ward's first
# page of 50 activities.
#
#   bench/api.sh                 # the working tree
#   bench/api.sh 36eacb3 .       # a revision, then the working tree, same session
#
# For each revision: builds the release binary (a revision other than `.`
# in a worktree under target/bench, sharing one target dir), starts it
# with demo data on a private, durable PostgreSQL cluster (fsync on,
# synchronous_commit on), runs wrk for DURATION seconds at 1 and 16
# connections (creates with a fresh client id each; ward ADULT-ASH's first
# page as its worker), then pgbench with the statements the service sends
# for the same requests (captured from the server's own log with
# log_statement=all), and prints requests/s, p50/p99, the ratio to pgbench
# and the server's peak RSS. Installs wrk and pgbench with apt-get when
# missing. Load goes to 127.0.0.1 only. The last output is kept in
# bench/api.out.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
source scripts/pg.sh

DURATION="${DURATION:-10}"
revs=("$@")
[ ${#revs[@]} -gt 0 ] || revs=(.)
say() { printf '[bench] %s\n' "$*" >&2; }

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

work="$(mktemp -d /tmp/peerlog-apibench.XXXXXX)"
pg_port="$(pg_free_port)"
app_port="$(pg_free_port)"
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
    pg_stop "$work/pg"
    rm -rf "$work"
}
trap cleanup EXIT
pg_start "$work/pg" "$pg_port"   # durable: fsync on, synchronous_commit on
db_url_of() { echo "postgres://postgres@127.0.0.1:$pg_port/$1"; }
psql "$(db_url_of postgres)" -Atc "SELECT 'cluster: fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit')" >&2

# The binary of a revision (`.`: the working tree).
binary_of() {
    local rev="$1"
    if [ "$rev" = "." ]; then
        cargo build --release -q --bin peerlog >&2
        echo "${CARGO_TARGET_DIR:-$root/target}/release/peerlog"
        return
    fi
    local sha src out
    sha="$(git rev-parse --short "$rev")"
    src="$root/target/bench/src-$sha"
    out="$root/target/bench/peerlog-$sha"
    if [ ! -x "$out" ]; then
        [ -d "$src" ] || git worktree add --detach "$src" "$sha" >/dev/null
        (cd "$src" && CARGO_TARGET_DIR="$root/target/bench" cargo build --release -q --bin peerlog >&2)
        cp "$root/target/bench/release/peerlog" "$out"
    fi
    echo "$out"
}

token_of() {
    curl -fs -H 'content-type: application/json' -d "{\"username\":\"$1\",\"password\":\"peerlog-demo\"}" \
        "http://127.0.0.1:$app_port/api/v1/auth/token" | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])'
}

# wrk: "rps p50_ms p99_ms" for a Lua script at C connections.
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

results="$work/results"
: >"$results"
for rev in "${revs[@]}"; do
    label="$rev"
    [ "$rev" = "." ] && label="working tree ($(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src migrations || echo '+'))"
    say "== $label"
    bin="$(binary_of "$rev")"
    db="apibench_$(echo "$rev" | tr -c 'a-zA-Z0-9' '_')"
    psql "$(db_url_of postgres)" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
    DATABASE_URL="$(db_url_of "$db")" PEERLOG_DEMO=1 PEERLOG_BIND="127.0.0.1:$app_port" RUST_LOG=warn \
        PEERLOG_ACCESS_TOKEN_TTL_SECS=3600 "$bin" serve >"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 240); do
        curl -fs "http://127.0.0.1:$app_port/ready" >/dev/null 2>&1 && break
        sleep 0.5
    done
    url="$(db_url_of "$db")"
    ward="$(psql "$url" -Atc "SELECT id FROM wards WHERE code = 'ADULT-ASH'")"
    person="$(psql "$url" -Atc "SELECT id FROM service_users WHERE ward_id = '$ward' ORDER BY reference LIMIT 1")"
    worker_id="$(psql "$url" -Atc "SELECT id FROM users WHERE username = 'psw'")"
    token="$(token_of psw)"
    started="$(python3 -c 'import datetime;print((datetime.datetime.now(datetime.timezone.utc)-datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ"))')"
    body="{\"ward_id\":\"$ward\",\"kind\":\"one_to_one\",\"started_at\":\"$started\",\"duration_minutes\":30,\"service_user_ids\":[\"$person\"],\"details\":{\"topics\":[\"listening\"]}}"
    cat >"$work/create.lua" <<LUA
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
    cat >"$work/list.lua" <<LUA
wrk.headers["authorization"] = "Bearer $token"
LUA
    page="/api/v1/activities?ward_id=$ward&limit=50"
    curl -fs -o /dev/null -w '%{http_code}' -X POST -H 'content-type: application/json' \
        -H "authorization: Bearer $token" -d "$body" "http://127.0.0.1:$app_port/api/v1/activities" | grep -q 201 \
        || { say "a create failed: $(tail -5 "$work/server.log")"; exit 1; }
    curl -fs -o /dev/null -H "authorization: Bearer $token" "http://127.0.0.1:$app_port$page"

    # The statements the service sends for one create and one page, from
    # the server's log, replayed by pgbench (fresh ids for the create).
    # New connections pick up log_statement: restart the server's pool by
    # restarting the server.
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
    psql "$url" -qc "ALTER DATABASE $db SET log_statement = 'all'" >/dev/null
    DATABASE_URL="$url" PEERLOG_BIND="127.0.0.1:$app_port" RUST_LOG=warn PEERLOG_ACCESS_TOKEN_TTL_SECS=3600 \
        "$bin" serve >"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$app_port/ready" >/dev/null 2>&1 && break; sleep 0.25; done
    for what in create list; do
        log="$work/pg/server.log"
        before="$(wc -l <"$log")"
        if [ "$what" = create ]; then
            curl -fs -o /dev/null -X POST -H 'content-type: application/json' -H "authorization: Bearer $token" \
                -d "{\"id\":\"$(python3 -c 'import uuid;print(uuid.uuid4())')\",${body:1}" "http://127.0.0.1:$app_port/api/v1/activities"
        else
            curl -fs -o /dev/null -H "authorization: Bearer $token" "http://127.0.0.1:$app_port$page"
        fi
        sleep 0.3
        tail -n +"$((before + 1))" "$log" | python3 bench/pgbench_script.py "$what" >"$work/$what.sql"
    done
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
    psql "$url" -qc "ALTER DATABASE $db RESET log_statement" >/dev/null
    DATABASE_URL="$url" PEERLOG_BIND="127.0.0.1:$app_port" RUST_LOG=warn PEERLOG_ACCESS_TOKEN_TTL_SECS=3600 \
        "$bin" serve >"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$app_port/ready" >/dev/null 2>&1 && break; sleep 0.25; done
    psql "$url" -qc "VACUUM ANALYZE" >/dev/null

    for what in create list; do
        lua="$work/$what.lua"; path="/api/v1/activities"
        [ "$what" = list ] && path="$page"
        for c in 1 16; do
            read -r rps p50 p99 bad <<<"$(run_wrk "$lua" "$path" "$c")"
            tps="$(run_pgbench "$work/$what.sql" "$c" "$db")"
            rss="$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status")"
            echo "$label|$what|$c|$rps|$p50|$p99|$bad|$tps|$rss" >>"$results"
            say "$what c=$c: $rps req/s p50 $p50 ms p99 $p99 ms (non-2xx $bad), pgbench $tps tps, peak RSS $((rss / 1024)) MiB"
        done
    done
    if [ -n "${SHOW_SQL:-}" ]; then cat "$work/create.sql" "$work/list.sql" >&2; fi
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
    server_pid=""
done

python3 - "$results" "$DURATION" <<'PY' | tee bench/api.out
import sys
rows = [l.strip().split('|') for l in open(sys.argv[1]) if l.strip()]
print(f"bench/api.sh: {sys.argv[2]} s per run, durable cluster (fsync on), ward ADULT-ASH, 127.0.0.1")
print()
print("| revision | path | conns | req/s | p50 ms | p99 ms | non-2xx | pgbench tps | HTTP/pgbench | peak RSS MiB |")
print("|---|---|---|---|---|---|---|---|---|---|")
for rev, what, c, rps, p50, p99, bad, tps, rss in rows:
    ratio = float(rps) / float(tps) if tps and float(tps) else float('nan')
    print(f"| {rev} | {what} | {c} | {rps} | {p50} | {p99} | {bad} | {tps} | {ratio:.2f} | {int(rss)/1024:.1f} |")
revs = list(dict.fromkeys(r[0] for r in rows))
if len(revs) > 1:
    first, last = revs[0], revs[-1]
    print()
    print(f"ratios {last} / {first}:")
    get = {(r[0], r[1], r[2]): r for r in rows}
    for what in ("create", "list"):
        for c in ("1", "16"):
            a, b = get.get((first, what, c)), get.get((last, what, c))
            if a and b:
                print(f"  {what} c={c}: req/s x{float(b[3]) / max(float(a[3]), 1):.2f}, p99 {a[5]} -> {b[5]} ms")
for rev in revs:
    get = {(r[1], r[2]): r for r in rows if r[0] == rev}
    if ("create", "1") in get and ("create", "16") in get:
        print(f"{rev}: create 16 conns / 1 conn = x{float(get[('create','16')][3]) / max(float(get[('create','1')][3]), 1):.2f}")
PY
