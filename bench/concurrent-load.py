#!/usr/bin/env python3
"""Concurrent readers and a writer: `tianping serve` on a demo database, API readers on loopback
asking for indicators and deadlines, while another process imports new cases again and again.
Runs for a fixed time and fails on any error response or any inconsistent read (the identity
旧存 + 新收 − 已结 = 未结 in every indicator row, and deadline rows that are pending at their
as-of date).

    python3 bench/concurrent-load.py [--seconds 20] [--readers 8] [--db postgres://...]

Needs a built binary: $TIANPING_BIN, else target/release/tianping, else target/debug/tianping
(under $CARGO_TARGET_DIR when that is set).
"""
import argparse
import http.cookiejar
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("--seconds", type=float, default=20)
ap.add_argument("--readers", type=int, default=8)
ap.add_argument("--db", default=None)
args = ap.parse_args()

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
target = os.environ.get("CARGO_TARGET_DIR", f"{root}/target")
binary = os.environ.get("TIANPING_BIN") or next(
    b for b in (f"{target}/release/tianping", f"{target}/debug/tianping") if os.path.exists(b))
work = tempfile.mkdtemp(prefix="tianping-load-")
db = args.db or os.path.join(work, "load.db")
env = dict(os.environ, TIANPING_DB=db, TIANPING_DEMO_PASSWORD="load-test-pw-1")
env.pop("TIANPING_HOLIDAYS", None)
subprocess.run([binary, "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL)
subprocess.run([binary, "user", "add", "--username", "admin", "--role", "admin"], env=env,
               input=b"load-test-pw-1\n", check=True, stdout=subprocess.DEVNULL)
for seed in range(3):
    subprocess.run([binary, "synth", "--seed", str(100 + seed), "--cases", "4000",
                    "--out", f"{work}/batch{seed}"], check=True, stdout=subprocess.DEVNULL)

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
server = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}"], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
base = f"http://127.0.0.1:{port}"
for _ in range(300):
    try:
        urllib.request.urlopen(f"{base}/login", timeout=1)
        break
    except Exception:
        time.sleep(0.1)

def session():
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    body = json.dumps({"username": "admin", "password": "load-test-pw-1"}).encode()
    req = urllib.request.Request(f"{base}/api/v1/login", data=body,
                                 headers={"Content-Type": "application/json"})
    opener.open(req, timeout=10).read()
    return opener

stop = time.time() + args.seconds
stats = {"requests": 0, "errors": [], "imports": 0}
lock = threading.Lock()

def reader(k):
    opener = session()
    queries = [
        "/api/v1/indicators?from=2024-01-01&to=2025-12-31&by=court",
        "/api/v1/indicators?from=2025-01-01&to=2025-12-31&by=none",
        "/api/v1/deadlines?as_of=2025-06-30&status=overdue",
    ]
    i = k
    while time.time() < stop:
        q = queries[i % len(queries)]
        i += 1
        try:
            doc = json.loads(opener.open(base + q, timeout=30).read())
            problem = None
            if "indicators" in q:
                for row in doc["rows"]:
                    n = row["indicators"]
                    if n["carried_over"] + n["filed"] - n["closed"] != n["pending_end"]:
                        problem = f"identity broken in {row['key']}"
            else:
                for row in doc["rows"]:
                    if row["status"] != "overdue" or row["days_remaining"] >= 0:
                        problem = f"bad deadline row {row['case_number']}"
            with lock:
                stats["requests"] += 1
                if problem:
                    stats["errors"].append(problem)
        except Exception as e:  # an error response or a broken connection
            with lock:
                stats["errors"].append(f"{q}: {e}")

def writer():
    n = 0
    while time.time() < stop:
        batch = f"{work}/batch{n % 3}"
        r = subprocess.run([binary, "import", f"{batch}/courts.csv", f"{batch}/cases.csv",
                            f"{batch}/events.csv"], env=env, capture_output=True)
        with lock:
            if r.returncode != 0:
                stats["errors"].append(f"import: {r.stderr.decode()[-300:]}")
            stats["imports"] += 1
        n += 1

threads = [threading.Thread(target=reader, args=(k,)) for k in range(args.readers)]
threads.append(threading.Thread(target=writer))
for t in threads:
    t.start()
for t in threads:
    t.join()
server.terminate()
server.wait()
print(f"{args.seconds:.0f} s, {args.readers} readers: {stats['requests']} requests, "
      f"{stats['imports']} imports, {len(stats['errors'])} errors")
for e in stats["errors"][:10]:
    print("  ", e)
print(f"{stats['requests']} passed, {len(stats['errors'])} failed")
sys.exit(1 if stats["errors"] else 0)
