#!/usr/bin/env python3
"""The load of bench/capacity.sh: England's peak-hour traffic on peerlog,
at rising multiples, against 127.0.0.1 only. Standard library only.

    capacity.py --port P --estate estate.tsv --server-pid PID --pg-pids 1,2 \
        --multiples 1,2,4,8 --secs 20

The estate file has one line per ward: `ward_id<TAB>tablet_account<TAB>
person_id,person_id,...`. Each multiple m is one stage of `secs` seconds
with every path at m times England's peak rate (ENGLAND below), open loop:
requests are sent at their scheduled instants whatever the server's pace,
and a request's time runs from its scheduled instant, so a server (or a
generator) that falls behind shows it in the percentiles instead of
hiding it. Prints one line per stage and path, and the CPU seconds the
service and PostgreSQL used per second of the stage.
"""

import argparse
import http.client
import json
import queue
import random
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

HOST = "127.0.0.1"
PASSWORD = "peerlog-demo"

# England's peak hour, requests per second at multiple 1 (the arithmetic is
# in bench/README.md, "Capacity"): 1,500 ward tablets polling every 30 s;
# 5,000 workers, a third on the day shift, ten contacts each per 7.5 h
# shift, 30% of a shift's records written in the half hour of handover;
# 5% of tablets an hour coming back online with a 20-record queue; 500
# managers opening five reports each in the hour; 50 trust warehouses
# exporting every five minutes.
ENGLAND = {
    "poll": 1500 / 30,
    "create": 5000 / 3 * 10 * 0.30 / 1800,
    "batch": 1500 * 0.05 / 3600,
    "report": 500 * 5 / 3600,
    "export": 50 / 300,
}
TABLET_PATHS = ("poll", "create", "batch")


def jiffies(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def children(pid):
    """The PostgreSQL backends: every process whose parent is `pid`."""
    import os
    out = [pid]
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(name))
            except OSError:
                pass
    return out


def cpu_seconds(pids):
    total = 0
    for p in pids:
        try:
            total += jiffies(p)
        except OSError:
            pass
    return total / 100.0


class Client(threading.local):
    """One keep-alive connection per sender thread."""

    def __init__(self, port):
        self.port = port
        self.conn = None

    def send(self, method, path, token, body=None):
        data = None if body is None else json.dumps(body).encode()
        headers = {"Authorization": f"Bearer {token}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (0, 1):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
                self.conn.request(method, path, body=data, headers=headers)
                res = self.conn.getresponse()
                payload = res.read()
                return res.status, payload
            except (OSError, http.client.HTTPException):
                self.conn = None
                if attempt:
                    return 0, b""
        return 0, b""


def sign_in(port, username):
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    conn.request("POST", "/api/v1/auth/token",
                 body=json.dumps({"username": username, "password": PASSWORD}),
                 headers={"Content-Type": "application/json"})
    res = conn.getresponse()
    body = json.loads(res.read())
    if res.status != 200:
        raise SystemExit(f"sign-in of {username}: {res.status} {body}")
    return body["access_token"]


class Estate:
    def __init__(self, port, path):
        self.wards = []
        tablets = {}
        with open(path) as f:
            for line in f:
                ward, tablet, people = line.rstrip("\n").split("\t")
                tablets.setdefault(tablet, None)
                self.wards.append((ward, tablet, people.split(",")))
        for t in tablets:
            tablets[t] = sign_in(port, t)
        self.tokens = tablets
        self.manager = sign_in(port, "manager")
        self.integration = sign_in(port, "integration")
        self.cursors = {}
        self.export_cursor = None
        self.lock = threading.Lock()


def activity(ward, people, rng, late=False):
    ago = rng.randint(24 * 60, 3 * 24 * 60) if late else rng.randint(95, 240)
    start = datetime.now(timezone.utc) - timedelta(minutes=ago)
    return {
        "id": str(uuid.uuid4()),
        "ward_id": ward,
        "started_at": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration_minutes": rng.randint(10, 90),
        "service_user_ids": [rng.choice(people)],
        "note": "Talked through the week ahead.",
        "kind": "one_to_one",
        "details": {"topics": ["listening", "coping_strategies"]},
    }


def request_for(path, estate, rng):
    """(method, url, token, body) of one request of a path."""
    ward, tablet, people = rng.choice(estate.wards)
    token = estate.tokens[tablet]
    if path == "poll":
        with estate.lock:
            cursor = estate.cursors.get(ward)
        url = f"/api/v1/sync/activities?ward_id={ward}&limit=100"
        if cursor:
            url += f"&cursor={cursor}"
        return "GET", url, token, None, ward
    if path == "create":
        return "POST", "/api/v1/activities", token, activity(ward, people, rng), None
    if path == "batch":
        items = [activity(ward, people, rng, late=True) for _ in range(20)]
        return "POST", "/api/v1/activities/batch", token, {"items": items}, None
    if path == "report":
        today = datetime.now(timezone.utc).date()
        if rng.random() < 0.1:
            # A board paper: every ward's year, by ward and month.
            q = f"from={today - timedelta(days=365)}&to={today + timedelta(days=1)}&group_by=ward,month"
        else:
            q = (f"from={today.replace(day=1)}&to={today + timedelta(days=1)}"
                 f"&ward_id={ward}&group_by=kind")
        return "GET", f"/api/v1/reports/activity-summary?{q}", estate.manager, None, None
    with estate.lock:
        cursor = estate.export_cursor
    url = "/api/v1/exports/activities?limit=1000" + (f"&cursor={cursor}" if cursor else "")
    return "GET", url, estate.integration, None, None


def stage(port, estate, multiple, secs, threads, server_pids, pg_pid):
    rng = random.Random(multiple)
    schedule = []
    for path, rate in ENGLAND.items():
        r = rate * multiple
        t = rng.expovariate(r)
        while t < secs:
            schedule.append((t, path))
            t += rng.expovariate(r)
    schedule.sort()
    work = queue.Queue()
    results = {p: [] for p in ENGLAND}
    errors = {p: 0 for p in ENGLAND}
    client = Client(port)
    lock = threading.Lock()

    def sender():
        local = random.Random()
        while True:
            item = work.get()
            if item is None:
                return
            due, path = item
            method, url, token, body, ward = request_for(path, estate, local)
            status, payload = client.send(method, url, token, body)
            done = time.monotonic()
            ok = status in (200, 201)
            if ok and path == "poll":
                with estate.lock:
                    estate.cursors[ward] = json.loads(payload)["next_cursor"]
            if ok and path == "export":
                last = payload.rstrip(b"\n").rsplit(b"\n", 1)[-1]
                with estate.lock:
                    estate.export_cursor = json.loads(last).get("next_cursor")
            with lock:
                results[path].append(done - due)
                if not ok:
                    if not errors[path]:
                        print(f"  first {path} error: {status} {payload[:300]!r}", flush=True)
                    errors[path] += 1

    pool = [threading.Thread(target=sender, daemon=True) for _ in range(threads)]
    for t in pool:
        t.start()
    pg = children(pg_pid)
    cpu0 = (cpu_seconds(server_pids), cpu_seconds(pg))
    start = time.monotonic()
    for offset, path in schedule:
        due = start + offset
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        work.put((due, path))
    for _ in pool:
        work.put(None)
    for t in pool:
        t.join()
    wall = time.monotonic() - start
    pg = children(pg_pid)
    cpu1 = (cpu_seconds(server_pids), cpu_seconds(pg))
    return results, errors, wall, ((cpu1[0] - cpu0[0]) / wall, (cpu1[1] - cpu0[1]) / wall)


def pct(values, p):
    if not values:
        return 0.0
    v = sorted(values)
    return v[min(len(v) - 1, int(p / 100 * len(v)))] * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--estate", required=True)
    ap.add_argument("--server-pid", type=int, required=True)
    ap.add_argument("--pg-pid", type=int, required=True)
    ap.add_argument("--multiples", default="1,2,4,8,16")
    ap.add_argument("--secs", type=float, default=20)
    ap.add_argument("--threads", type=int, default=48)
    args = ap.parse_args()
    estate = Estate(args.port, args.estate)
    total = sum(ENGLAND.values())
    print(f"England's peak hour at x1: {total:.1f} requests/s "
          + ", ".join(f"{p} {r:.2f}/s" for p, r in ENGLAND.items()))
    print(f"{'multiple':>8} {'path':>7} {'target/s':>9} {'done/s':>8} {'p50 ms':>8} "
          f"{'p99 ms':>8} {'errors':>6}")
    best = 0
    for m in [float(x) for x in args.multiples.split(",")]:
        results, errors, wall, (svc_cpu, pg_cpu) = stage(
            args.port, estate, m, args.secs, args.threads, [args.server_pid], args.pg_pid)
        tablet = [x for p in TABLET_PATHS for x in results[p]]
        tablet_errors = sum(errors[p] for p in TABLET_PATHS)
        for p in ENGLAND:
            print(f"{m:>8g} {p:>7} {ENGLAND[p] * m:>9.2f} {len(results[p]) / wall:>8.2f} "
                  f"{pct(results[p], 50):>8.1f} {pct(results[p], 99):>8.1f} {errors[p]:>6}")
        p99 = pct(tablet, 99)
        ok = p99 <= 100 and tablet_errors == 0
        print(f"{m:>8g} {'tablet':>7} {sum(ENGLAND[p] for p in TABLET_PATHS) * m:>9.2f} "
              f"{len(tablet) / wall:>8.2f} {pct(tablet, 50):>8.1f} {p99:>8.1f} {tablet_errors:>6}"
              f"   service CPU {svc_cpu:.2f} cores, PostgreSQL CPU {pg_cpu:.2f} cores"
              f" -> {'within' if ok else 'OVER'} p99 100 ms", flush=True)
        if not ok:
            break
        best = m
    print(f"RESULT: one node sustains x{best:g} England's estimated peak "
          f"({best * total:.0f} requests/s) with tablet p99 <= 100 ms")


if __name__ == "__main__":
    main()
