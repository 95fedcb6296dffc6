#!/usr/bin/env python3
"""Record what the server answers on the demo data, to compare two builds byte for byte.

    python3 scripts/api-answers.py BIN DB OUT_DIR

Generates the small demo into DB when it does not exist (seed 2024, password fixed), serves it
with BIN, signs in as the demo's administrator, clerk and judge, and writes every answer of a
fixed list of API calls and pages to OUT_DIR (one file per request; per-session tokens removed).
Two builds agree when `diff -r OUT_A OUT_B` prints nothing. Used for the renovation's promise
that the API answers stay byte-identical (docs/architecture.md).
"""

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

PASSWORD = "answers-password-1"


def main():
    binary, db, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    env = dict(os.environ)
    env.pop("TIANPING_HOLIDAYS", None)
    env.pop("TIANPING_DB", None)
    if not os.path.exists(db):
        subprocess.run(
            [binary, "demo", "--no-serve", "--db", db, "--password", PASSWORD],
            check=True, env=env, stdout=subprocess.DEVNULL)
    by_court = json.loads(subprocess.run(
        [binary, "indicators", "--db", db, "--from", "2025-01-01", "--to", "2025-12-31",
         "--by", "court", "--format", "json"],
        check=True, env=env, capture_output=True).stdout)
    codes = [r["key"] for r in by_court["rows"]]
    basic = min(c for c in codes if len(c) == 5)
    middle = min(c for c in codes if len(c) == 3)
    deadlines = json.loads(subprocess.run(
        [binary, "deadlines", "--db", db, "--as-of", "2025-06-30", "--scope", basic,
         "--status", "all", "--format", "json"],
        check=True, env=env, capture_output=True).stdout)
    numbers = [r["case_number"] for r in deadlines["rows"][:3]]
    by_judge = json.loads(subprocess.run(
        [binary, "indicators", "--db", db, "--from", "2025-01-01", "--to", "2025-12-31",
         "--scope", basic, "--by", "judge", "--format", "json"],
        check=True, env=env, capture_output=True).stdout)
    busiest = max(by_judge["rows"], key=lambda r: (r["indicators"]["filed"], r["key"]))
    judge = busiest["key"].split("/", 1)[1]
    for user, extra in [("admin", ["--role", "admin"]),
                        ("clerk", ["--role", "staff", "--court", basic]),
                        ("judge", ["--role", "judge", "--court", basic, "--judge", judge])]:
        # An account that exists already is kept (a second run on the same database).
        subprocess.run([binary, "user", "add", "--db", db, "--username", user] + extra,
                       input=PASSWORD.encode(), env=env, capture_output=True)

    log = open(os.path.join(out, "..", os.path.basename(out) + ".server.log"), "w")
    server = subprocess.Popen([binary, "serve", "--db", db, "--bind", "127.0.0.1:0"],
                              stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        address = None
        for _ in range(600):
            text = open(log.name).read()
            m = re.search(r"http://[0-9.:]+", text)
            if m:
                address = m.group(0)
                break
            if server.poll() is not None:
                sys.exit("server stopped:\n" + text)
            time.sleep(0.2)
        record(address, out, basic, middle, numbers)
    finally:
        server.terminate()
        server.wait()


def record(address, out, basic, middle, numbers):
    q = urllib.parse.quote
    api = [
        "/api/v1/me",
        "/api/v1/indicators?from=2025-01-01&to=2025-12-31",
        "/api/v1/indicators?from=2025-01-01&to=2025-12-31&by=court",
        "/api/v1/indicators?from=2025-01-01&to=2025-06-30&as_of=2025-09-30&by=division",
        f"/api/v1/indicators?from=2024-01-01&to=2024-12-31&by=judge&scope={q(basic)}",
        f"/api/v1/indicators?from=2025-01-01&to=2025-12-31&by=type_code&scope={q(middle)}",
        "/api/v1/indicators?from=2025-12-31&to=2025-01-01",
        "/api/v1/deadlines?as_of=2025-06-30",
        "/api/v1/deadlines?as_of=2025-06-30&status=all",
        f"/api/v1/deadlines?as_of=2025-11-30&status=overdue&scope={q(basic)}",
        f"/api/v1/deadlines?as_of=2025-11-30&status=due_soon&scope={q(middle)}",
        "/api/v1/signals?year=2024",
        f"/api/v1/signals?year=2025&scope={q(middle)}",
        "/api/v1/case-numbers/parse?q=" + q("（2021）最高法知民终892号"),
    ]
    pages = [
        "/",
        f"/courts/{q(basic)}",
        f"/courts/{q(middle)}",
        "/cases",
        f"/cases?court={q(basic)}&status=pending&page=2",
        f"/cases?court={q(basic)}&status=closed&as_of=2025-06-30",
        "/deadlines",
        "/deadlines?as_of=2025-06-30&status=all",
        f"/deadlines?court={q(basic)}&status=overdue",
        "/long-pending",
        "/long-pending?months=18&as_of=2025-06-30",
        "/signals?year=2024",
    ] + [f"/cases/{q(n)}" for n in numbers] + [f"/cases/{q(n)}?as_of=2025-03-01" for n in numbers]
    for user in ["admin", "clerk", "judge"]:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        body = json.dumps({"username": user, "password": PASSWORD}).encode()
        opener.open(urllib.request.Request(address + "/api/v1/login", data=body,
                                           headers={"content-type": "application/json"}))
        for i, path in enumerate(api + pages):
            try:
                response = opener.open(address + path)
                status, data = response.status, response.read()
            except urllib.error.HTTPError as e:
                status, data = e.code, e.read()
            data = re.sub(rb'name="csrf[^"]*" value="[^"]*"', b'name="csrf" value=""', data)
            data = re.sub(rb'<meta name="csrf[^>]*>', b'', data)
            data = re.sub(rb'"csrf_token":"[0-9a-f]*"', b'"csrf_token":""', data)
            with open(os.path.join(out, f"{user}-{i:02}.txt"), "wb") as f:
                f.write(f"GET {path}\nstatus {status}\n\n".encode() + data)


if __name__ == "__main__":
    main()
