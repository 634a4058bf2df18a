#!/usr/bin/env python3
"""The drills' load (scripts/drill), against 127.0.0.1 only, standard library.

    drill_load.py write --port P --user psw --name w1 --out DIR --stop FILE [--secs N]
        Records one_to_one activities one after another as a tablet would:
        each has its own UUID and the note "drill <name> #<seq>"; on no
        answer or a 503 the same body (same UUID) is sent again every
        0.25 s until the server acknowledges it (201, or 200: already
        there). Writes DIR/<name>.acks ("<seq>,<uuid>,<ack epoch>") as
        each is acknowledged and DIR/<name>.json (answers by status) at
        the end.
    drill_load.py read --port P --user manager --name r1 --out DIR --stop FILE
        Pulls the activity summary report every 0.25 s; DIR/<name>.json.

Each runs until FILE exists (or --secs pass), and stops by itself after an
hour at most. The retry is faster than Retry-After (1 s) to time the outage
finely.
"""

import argparse
import collections
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bench"))
import load  # noqa: E402  (bench/load.py: the HTTP client, sign-in, the demo ward)

RETRY = 0.25
LONGEST = 3600


def done(args, started):
    return os.path.exists(args.stop) or time.time() - started > min(args.secs, LONGEST)


def write(args):
    token = load.sign_in(args.port, args.user)
    ward = load.Ward(args.port, token)
    rng = random.Random(args.name)
    statuses = collections.Counter()
    started = time.time()
    seq = 0
    with open(os.path.join(args.out, f"{args.name}.acks"), "w") as acks:
        while not done(args, started):
            seq += 1
            body = ward.activity(rng)
            body["note"] = f"drill {args.name} #{seq}"
            while True:
                status, _, _ = load.request(args.port, "POST", "/api/v1/activities", token, body, timeout=30)
                statuses[status] += 1
                if status in (200, 201):
                    acks.write(f"{seq},{body['id']},{time.time():.3f}\n")
                    acks.flush()
                    break
                if status not in (0, 503) or time.time() - started > LONGEST:
                    # Not an outage: the drill reports it; the record is
                    # sent again all the same (creates are idempotent).
                    time.sleep(RETRY)
                    if done(args, started):
                        break
                    continue
                time.sleep(RETRY)
    summary = {"statuses": {str(k): v for k, v in sorted(statuses.items())}}
    with open(os.path.join(args.out, f"{args.name}.json"), "w") as f:
        json.dump(summary, f)


def read(args):
    token = load.sign_in(args.port, args.user)
    statuses = collections.Counter()
    started = time.time()
    month_ago = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 30 * 86400))
    tomorrow = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400))
    path = f"/api/v1/reports/activity-summary?from={month_ago}&to={tomorrow}"
    while not done(args, started):
        status, _, _ = load.request(args.port, "GET", path, token, timeout=30)
        statuses[status] += 1
        time.sleep(RETRY)
    with open(os.path.join(args.out, f"{args.name}.json"), "w") as f:
        json.dump({"statuses": {str(k): v for k, v in sorted(statuses.items())}}, f)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["write", "read"])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--stop", required=True)
    p.add_argument("--secs", type=float, default=LONGEST)
    args = p.parse_args()
    (write if args.mode == "write" else read)(args)


if __name__ == "__main__":
    main()
