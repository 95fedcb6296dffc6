#!/usr/bin/env bash
# Import benchmark: Tianping importing N cases from CSV into its SQLite store, next to DuckDB
# loading the same CSV into its own database file, on the same machine, in the same run.
#
#   bench/import-vs-duckdb.sh [CASES]        (default 1,000,000)
#   TIANPING_BIN=path/to/tianping bench/import-vs-duckdb.sh   (a binary built before)
#
# Needs: cargo (release build), python3 with duckdb (installed with pip when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-1000000}
OUT=${BENCH_OUT:-bench-out}
mkdir -p "$OUT"

python3 -c "import duckdb" 2>/dev/null || pip install --quiet duckdb
if [ -n "${TIANPING_BIN:-}" ]; then
  # A binary built before (to compare two versions in the same conditions).
  BIN=$TIANPING_BIN
else
  # Without the PDF writer (typst), which an import does not use: the build takes half as long.
  cargo build --release --quiet --no-default-features -p tianping
  # A copy: a shared CARGO_TARGET_DIR's binary may be replaced by another work tree's build.
  BIN="$OUT/tianping"
  cp "${CARGO_TARGET_DIR:-target}/release/tianping" "$BIN"
fi
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
        # Let the writes of the previous run (and the disk's discard of its deleted file) finish
        # first: without this pause, runs differed by a quarter on this virtual machine.
        os.sync()
        time.sleep(3)
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
# The same load into a table whose case_number is the primary key: DuckDB then checks that
# case numbers are unique and keeps an index on them, as Tianping's store must (a re-import
# finds its cases by number; so does every drill-down).
# The column types are those DuckDB detects itself, found before the clock starts.
columns = duckdb.connect().execute(
    f"DESCRIBE SELECT * FROM read_csv('{csv}', header = true)").fetchall()
keyed_ddl = ", ".join(f'"{name}" {kind}' + (" PRIMARY KEY" if name == "case_number" else "")
                      for name, kind, *_ in columns)
def duck_keyed():
    con = duckdb.connect(ddb)
    con.execute(f"CREATE TABLE cases ({keyed_ddl})")
    con.execute(f"INSERT INTO cases SELECT * FROM read_csv('{csv}', header = true)")
    con.close()
dkk = best(duck_keyed, [ddb])
print(f"tianping import (parse + validate + SQLite, whole process): {tp:6.2f} s {rows / tp:12,.0f} cases/s")
print(f"duckdb read_csv into its own database file:                 {dk:6.2f} s {rows / dk:12,.0f} cases/s")
print(f"tianping throughput / duckdb throughput: {dk / tp:.2f}  (>= 1.00: not slower)")
print(f"duckdb, case_number the primary key (unique, indexed):      {dkk:6.2f} s {rows / dkk:12,.0f} cases/s")
print(f"tianping throughput / keyed duckdb throughput: {dkk / tp:.2f}")

# The floor of any SQLite store: SQLite itself copying the rows Tianping stored into a new
# database with the same schema and settings (no CSV, no checks, no binding), in one transaction.
# The columns are named: `SELECT *` between identical tables would let SQLite copy the stored
# records and index entries as they are (its transfer optimization), which no import can do.
import sqlite3
fdb = os.path.join(out, "floor.db")
def floor():
    src = sqlite3.connect(tdb)
    schema = [sql for (sql,) in src.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'cases' AND sql IS NOT NULL "
        "ORDER BY type = 'index'")]
    src.close()
    con = sqlite3.connect(fdb, isolation_level=None)
    for pragma in ("page_size = 16384", "cache_size = -65536", "journal_mode = DELETE",
                   "synchronous = FULL"):
        con.execute(f"PRAGMA {pragma}")
    for sql in schema:
        con.execute(sql)
    con.execute(f"ATTACH '{tdb}' AS src")
    con.execute("BEGIN")
    columns = ", ".join(c[1] for c in con.execute("PRAGMA src.table_info(cases)"))
    con.execute(f"INSERT INTO main.cases ({columns}) SELECT {columns} FROM src.cases")
    con.execute("COMMIT")
    con.close()
fl = best(floor, [fdb])
print(f"sqlite {sqlite3.sqlite_version} copying the stored rows into a new database (no CSV): "
      f"{fl:6.2f} s {rows / fl:12,.0f} cases/s")
print(f"  = the floor of a SQLite store; duckdb / this floor: {dk / fl:.2f}")
PY
