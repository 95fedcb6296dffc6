#!/usr/bin/env bash
# Import benchmark: Tianping importing N cases from CSV into its SQLite store, next to DuckDB
# loading the same CSV into its own database file, on the same machine, in the same run.
#
#   bench/import-vs-duckdb.sh [CASES]        (default 1,000,000)
#
# Needs: cargo (release build), python3 with duckdb (installed with pip when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-1000000}
OUT=${BENCH_OUT:-bench-out}
mkdir -p "$OUT"

python3 -c "import duckdb" 2>/dev/null || pip install --quiet duckdb
cargo build --release --quiet -p tianping
BIN=target/release/tianping
DATA="$OUT/cases-$CASES"
if [ ! -f "$DATA/cases.csv" ]; then
  "$BIN" synth --scale province --seed 7 --cases "$CASES" --out "$DATA"
fi

python3 - "$BIN" "$DATA/cases.csv" "$OUT" <<'PY'
import os, subprocess, sys, time
import duckdb

binary, csv, out = sys.argv[1:4]
rows = sum(1 for _ in open(csv, encoding="utf-8")) - 1
print(f"data: {rows:,} cases, {os.path.getsize(csv) / 2**20:.0f} MiB CSV; best of 3 runs each")

def clean(*paths):
    for p in paths:
        for suffix in ("", "-wal", "-shm", "-journal", ".wal"):
            if os.path.exists(p + suffix):
                os.remove(p + suffix)

def best(run, files):
    times = []
    for _ in range(3):
        clean(*files)
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return min(times)

tdb = os.path.join(out, "bench.db")
ddb = os.path.join(out, "bench.duckdb")
tp = best(lambda: subprocess.run([binary, "import", "--db", tdb, csv], check=True,
                                 stdout=subprocess.DEVNULL), [tdb])
def duck():
    con = duckdb.connect(ddb)
    con.execute(f"CREATE TABLE cases AS SELECT * FROM read_csv('{csv}', header = true)")
    con.close()
dk = best(duck, [ddb])
print(f"tianping import (parse + validate + SQLite, whole process): {tp:6.2f} s {rows / tp:12,.0f} cases/s")
print(f"duckdb read_csv into its own database file:                 {dk:6.2f} s {rows / dk:12,.0f} cases/s")
print(f"tianping throughput / duckdb throughput: {dk / tp:.2f}  (>= 1.00: not slower)")
PY
