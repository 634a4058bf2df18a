#!/usr/bin/env python3
"""Load for bench/memory.sh and bench/soak.sh, against 127.0.0.1 only.

    load.py abuse --port P --pid PID      hostile bodies, then honest batches
    load.py soak  --port P --pid PID --secs 600 --rate 20

Standard library only. The server's memory is read from /proc/PID/status
(VmRSS now, VmHWM the peak; writing 5 to /proc/PID/clear_refs resets the
peak, so each phase's peak is its own).
"""

import argparse
import collections
import json
import queue
import random
import socket
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

HOST = "127.0.0.1"
PASSWORD = "peerlog-demo"
MAX_BODY = 4 * 1024 * 1024


def mib(kib):
    return f"{kib / 1024:.1f} MiB"


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/{pid}/status")


def reset_peak(pid):
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def request(port, method, path, token=None, body=None, headers=None, timeout=120):
    """One HTTP/1.1 request on its own connection. Returns (status,
    headers, body bytes); status 0 when the connection failed. The body is
    sent after the headers; a server that answers early (413, 503) and
    closes is still heard."""
    data = b""
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
    head = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
    if token:
        head.append(f"Authorization: Bearer {token}")
    if body is not None:
        head.append("Content-Type: application/json")
        head.append(f"Content-Length: {len(data)}")
    for k, v in (headers or {}).items():
        head.append(f"{k}: {v}")
    raw = ("\r\n".join(head) + "\r\n\r\n").encode()
    try:
        sock = socket.create_connection((HOST, port), timeout=timeout)
    except OSError:
        return 0, {}, b""
    try:
        try:
            sock.sendall(raw + data)
        except OSError:
            pass  # answered before the body was read: read the answer
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        reply = b"".join(chunks)
    finally:
        sock.close()
    if not reply.startswith(b"HTTP/1.1 "):
        return 0, {}, b""
    head, _, rest = reply.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    if hdrs.get("transfer-encoding") == "chunked":
        out, buf = [], rest
        while buf:
            size_line, _, buf = buf.partition(b"\r\n")
            size = int(size_line.split(b";")[0] or b"0", 16)
            if size == 0:
                break
            out.append(buf[:size])
            buf = buf[size + 2 :]
        rest = b"".join(out)
    return status, hdrs, rest


def sign_in(port, username):
    status, _, body = request(port, "POST", "/api/v1/auth/token", body={"username": username, "password": PASSWORD})
    if status != 200:
        raise SystemExit(f"cannot sign in as {username}: {status} {body[:200]!r}")
    return json.loads(body)["access_token"]


def get_json(port, path, token):
    status, _, body = request(port, "GET", path, token)
    if status != 200:
        raise SystemExit(f"GET {path}: {status} {body[:200]!r}")
    return json.loads(body)


class Ward:
    """A ward of the demo worker `psw`, with its service users."""

    def __init__(self, port, token):
        me = get_json(port, "/api/v1/me", token)
        self.ward = me["wards"][0]["id"]
        people = get_json(port, f"/api/v1/service-users?ward_id={self.ward}&limit=50", token)["items"]
        self.people = [p["id"] for p in people if not p.get("discharged_on")]
        if not self.people:
            raise SystemExit("the demo ward has no service users")

    def activity(self, rng):
        start = datetime.now(timezone.utc) - timedelta(minutes=rng.randint(180, 20 * 24 * 60))
        return {
            "id": str(uuid.uuid4()),
            "ward_id": self.ward,
            "started_at": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "duration_minutes": rng.randint(10, 90),
            "service_user_ids": [rng.choice(self.people)],
            "note": "Talked through the week ahead.",
            "kind": "one_to_one",
            "details": {"topics": ["listening", "coping_strategies"]},
        }


def filled(prefix, suffix, size=MAX_BODY - 64):
    """`prefix` + `0,0,0,…` + `suffix`, `size` bytes in all (max body)."""
    n = (size - len(prefix) - len(suffix)) // 2
    return (prefix + "0," * n + "0" + suffix).encode()


def burst(port, token, method, path, body, n, headers=None):
    """n requests at once; returns a Counter of statuses."""
    counts = collections.Counter()
    lock = threading.Lock()
    gate = threading.Barrier(n)

    def one():
        gate.wait()
        status, _, _ = request(port, method, path, token, body, headers)
        with lock:
            counts[status] += 1

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return counts


def abuse(args):
    port, pid = args.port, args.pid
    rng = random.Random(13)
    token = sign_in(port, "psw")
    ward = Ward(port, token)
    # An activity of psw's own to amend.
    status, hdrs, body = request(port, "POST", "/api/v1/activities", token, ward.activity(rng))
    assert status == 201, (status, body[:300])
    amend_id, etag = json.loads(body)["id"], hdrs["etag"]
    for _ in range(20):  # warm the workers and pool
        request(port, "GET", "/api/v1/activities?limit=50", token)
    time.sleep(2)
    baseline = status_kib(pid, "VmRSS")
    print(f"baseline RSS: {mib(baseline)}")
    reset_peak(pid)

    w = ward.ward
    targets = [
        ("POST", "/api/v1/activities/batch", filled('{"items":[', "]}"), None),
        ("POST", "/api/v1/activities/batch", filled('{"items":[', ',"\\u0000"]}'), None),
        ("POST", "/api/v1/activities", filled('{"kind":"one_to_one","details":{"topics":[', "]}}"), None),
        ("POST", "/api/v1/activities", filled('{"note":"\\u0000","x":[', "]}"), None),
        ("PATCH", f"/api/v1/activities/{amend_id}", filled('{"reason":"x","details":{"topics":[', "]}}"), {"If-Match": etag}),
        ("PUT", "/api/v1/service-users/BENCH-1", filled(f'{{"ward_id":"{w}","display_label":"x","x":[', "]}"), None),
        ("POST", "/api/v1/buddy/cohorts", filled('{"name":"x","x":[', "]}"), None),
        ("POST", "/api/v1/buddy/students", filled('{"x":[', "]}"), None),
        ("POST", "/api/v1/buddy/buddies", filled('{"x":[', "]}"), None),
        ("POST", "/api/v1/buddy/pairings", filled('{"x":[', "]}"), None),
    ]
    print(f"\nhostile bodies: {args.concurrency} at once of {mib(MAX_BODY // 1024)} each, {args.rounds} rounds per endpoint")
    started = time.time()
    for method, path, body, headers in targets:
        counts = collections.Counter()
        for _ in range(args.rounds):
            counts += burst(port, token, method, path, body, args.concurrency, headers)
        shown = ", ".join(f"{s or 'no answer'}×{n}" for s, n in sorted(counts.items()))
        print(f"  {method:5} {path.replace(amend_id, '{id}'):40} {shown}")
    peak = status_kib(pid, "VmHWM")
    secs = time.time() - started
    time.sleep(10)
    after = status_kib(pid, "VmRSS")
    print(f"  took {secs:.1f} s; peak RSS {mib(peak)} (baseline + {mib(peak - baseline)}); "
          f"10 s after: {mib(after)} (baseline + {mib(after - baseline)})")
    results = {"baseline": baseline, "abuse_peak": peak, "abuse_after": after}

    reset_peak(pid)
    print(f"\nhonest batches: {args.concurrency} at once of 500 valid items")
    bodies = [json.dumps({"items": [ward.activity(rng) for _ in range(500)]}).encode() for _ in range(args.concurrency)]
    print(f"  body size {len(bodies[0]) / 1024:.0f} KiB")
    outcomes = collections.Counter()
    retries = collections.Counter()
    lock = threading.Lock()
    started = time.time()

    def send(body):
        for _ in range(100):
            status, hdrs, reply = request(port, "POST", "/api/v1/activities/batch", token, body)
            if status == 503:
                try:
                    code = json.loads(reply).get("code", "?")
                except ValueError:
                    code = "?"
                with lock:
                    retries[code] += 1
                time.sleep(float(hdrs.get("retry-after", "1")))
                continue
            with lock:
                if status == 200:
                    for item in json.loads(reply)["items"]:
                        outcomes[item["outcome"]] += 1
                else:
                    outcomes[f"status {status}"] += 1
            return

    threads = [threading.Thread(target=send, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    secs = time.time() - started
    peak = status_kib(pid, "VmHWM")
    time.sleep(10)
    after = status_kib(pid, "VmRSS")
    items = sum(outcomes.values())
    print(f"  {dict(outcomes)}; 503 answers retried after Retry-After: {dict(retries) or 0}; {secs:.1f} s ({items / secs:.0f} items/s)")
    print(f"  peak RSS {mib(peak)} (baseline + {mib(peak - baseline)}); 10 s after: {mib(after)} (baseline + {mib(after - baseline)})")
    results.update(batch_peak=peak, batch_after=after, batch_items_per_sec=items / secs)

    worst_peak = max(results["abuse_peak"], results["batch_peak"])
    worst_after = max(results["abuse_after"], results["batch_after"])
    ok_peak = worst_peak - baseline <= 64 * 1024
    ok_after = worst_after - baseline <= 16 * 1024
    print(f"\ntargets: peak ≤ baseline + 64 MiB: {'met' if ok_peak else 'NOT MET'} (+{mib(worst_peak - baseline)}); "
          f"10 s after within 16 MiB of baseline: {'met' if ok_after else 'NOT MET'} (+{mib(worst_after - baseline)})")
    return 0 if ok_peak and ok_after else 1


def percentile(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def soak(args):
    port, pid = args.port, args.pid
    rng = random.Random(13)
    worker = sign_in(port, "psw")
    manager = sign_in(port, "manager")
    integration = sign_in(port, "integration")
    ward = Ward(port, worker)
    today = datetime.now(timezone.utc).date()
    period = f"from={today - timedelta(days=28)}&to={today + timedelta(days=1)}"
    mine = collections.deque()  # (id, etag) of records free to amend
    mine_lock = threading.Lock()
    cursors = {"sync": None, "events": None, "export": None}

    def create():
        status, hdrs, body = request(port, "POST", "/api/v1/activities", worker, ward.activity(rng))
        if status == 201:
            with mine_lock:
                mine.append((json.loads(body)["id"], hdrs["etag"]))
        return status

    def amend():
        with mine_lock:
            if not mine:
                return None
            id_, etag = mine.popleft()
        status, hdrs, body = request(port, "PATCH", f"/api/v1/activities/{id_}", worker,
                                     {"reason": "Corrected the note", "note": f"Amended {time.time()}"},
                                     {"If-Match": etag})
        if status == 200:
            with mine_lock:
                mine.append((id_, hdrs["etag"]))
        return status

    def feed(name, path, token, key):
        cursor = cursors[name]
        sep = "&" if "?" in path else "?"
        url = path + (f"{sep}{key}={cursor}" if cursor else "")
        status, _, body = request(port, "GET", url, token)
        if status == 200 and name != "export":
            nxt = json.loads(body).get("next_cursor")
            if nxt:
                cursors[name] = nxt
        return status

    ops = [
        (30, "create", create),
        (10, "amend", amend),
        (20, "list", lambda: request(port, "GET", "/api/v1/activities?limit=50", worker)[0]),
        (10, "report", lambda: request(port, "GET", f"/api/v1/reports/activity-summary?{period}&group_by=ward,kind", manager)[0]),
        (10, "sync", lambda: feed("sync", f"/api/v1/sync/activities?ward_id={ward.ward}&limit=100", worker, "cursor")),
        (10, "events", lambda: feed("events", "/api/v1/events?limit=100", manager, "after")),
        (5, "export", lambda: request(port, "GET", "/api/v1/exports/activities?limit=500", integration)[0]),
        (5, "read", lambda: request(port, "GET", "/api/v1/me", worker)[0]),
    ]
    weights = [w for w, _, _ in ops]
    work = queue.Queue()
    lock = threading.Lock()
    minutes = collections.defaultdict(lambda: {"lat": [], "errors": 0, "by_op": collections.Counter()})
    error_samples = []
    started = time.time()

    def runner():
        while True:
            item = work.get()
            if item is None:
                return
            due, name, fn = item
            t0 = time.time()
            status = fn()
            t1 = time.time()
            if status is None:
                continue
            minute = int((due - started) // 60)
            with lock:
                m = minutes[minute]
                m["lat"].append((t1 - t0) * 1000)
                m["by_op"][name] += 1
                if not 200 <= status < 300:
                    m["errors"] += 1
                    if len(error_samples) < 10:
                        error_samples.append(f"{name}: {status}")

    threads = [threading.Thread(target=runner, daemon=True) for _ in range(args.threads)]
    for t in threads:
        t.start()
    rss = {}
    print(f"soak: {args.secs} s at {args.rate} requests/s (creates, amendments, lists, reports, sync and event feeds, export)")
    print(f"{'minute':>6} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p99 ms':>7} {'RSS':>10}")
    interval = 1.0 / args.rate
    n = 0
    last_minute = 0
    while True:
        due = started + n * interval
        now = time.time()
        if due - started >= args.secs:
            break
        if due > now:
            time.sleep(due - now)
        minute = int((due - started) // 60)
        if minute != last_minute:
            rss[last_minute] = status_kib(pid, "VmRSS")
            last_minute = minute
        _, name, fn = rng.choices(ops, weights)[0]
        work.put((due, name, fn))
        n += 1
    for _ in threads:
        work.put(None)
    for t in threads:
        t.join()
    rss[last_minute] = status_kib(pid, "VmRSS")
    total_errors = 0
    rows = []
    for minute in sorted(minutes):
        m = minutes[minute]
        total_errors += m["errors"]
        p50, p99 = percentile(m["lat"], 50), percentile(m["lat"], 99)
        rows.append((minute, p99, rss.get(minute, 0)))
        print(f"{minute + 1:>6} {len(m['lat']):>8} {m['errors']:>6} {p50:>7.1f} {p99:>7.1f} {mib(rss.get(minute, 0)):>10}")
    full = [r for r in rows if (r[0] + 1) * 60 <= args.secs] or rows
    first, last = full[0], full[-1]
    ok_errors = total_errors == 0
    ok_p99 = last[1] <= 1.5 * first[1]
    ok_rss = last[2] - first[2] <= 8 * 1024
    print(f"\nrequests: {sum(len(m['lat']) for m in minutes.values())}, errors: {total_errors}"
          + (f" (e.g. {', '.join(error_samples)})" if error_samples else ""))
    print(f"targets: 0 errors: {'met' if ok_errors else 'NOT MET'}; "
          f"p99 last minute ≤ 1.5× first ({last[1]:.1f} vs {first[1]:.1f} ms): {'met' if ok_p99 else 'NOT MET'}; "
          f"RSS last minute ≤ first + 8 MiB ({mib(last[2])} vs {mib(first[2])}): {'met' if ok_rss else 'NOT MET'}")
    return 0 if ok_errors and ok_p99 and ok_rss else 1


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("abuse")
    a.add_argument("--port", type=int, required=True)
    a.add_argument("--pid", type=int, required=True)
    a.add_argument("--concurrency", type=int, default=32)
    a.add_argument("--rounds", type=int, default=2)
    s = sub.add_parser("soak")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--pid", type=int, required=True)
    s.add_argument("--secs", type=int, default=600)
    s.add_argument("--rate", type=float, default=20)
    s.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    raise SystemExit(abuse(args) if args.command == "abuse" else soak(args))


if __name__ == "__main__":
    main()
