#!/usr/bin/env bash
# Indicator benchmark: `tianping indicators --by court` for a year over ~1,000,000 cases, next to
# DuckDB running the equivalent SQL over the same data, on the same machine, in the same run.
#
#   bench/indicators-vs-duckdb.sh [CASES] [YEAR]      (defaults 1,000,000 and 2024)
#
# Prints: (1) the whole Tianping process, cold (a new process; its snapshot cache beside the
# database, and once without it), against a whole DuckDB process and DuckDB's query alone;
# (2) the computation with the snapshot already in memory against DuckDB's warm query; and the
# memory the snapshot takes per case. Needs cargo and python3 (duckdb is installed with pip).
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-1000000}
YEAR=${2:-2024}
OUT=${BENCH_OUT:-bench-out}
mkdir -p "$OUT"
python3 -c "import duckdb" 2>/dev/null || pip install --quiet duckdb
cargo build --release --quiet -p tianping
BIN=target/release/tianping
DATA="$OUT/cases-$CASES"
[ -f "$DATA/cases.csv" ] || "$BIN" synth --scale province --seed 7 --cases "$CASES" --out "$DATA"
DB="$OUT/indicators-$CASES.db"
if [ ! -f "$DB" ]; then
  "$BIN" import --db "$DB" "$DATA/courts.csv" "$DATA/cases.csv" "$DATA/events.csv" >/dev/null
fi
DUCK="$OUT/indicators-$CASES.duckdb"

python3 - "$BIN" "$DB" "$DATA" "$DUCK" "$YEAR" <<'PY'
import json, os, subprocess, sys, time
binary, db, data, duck, year = sys.argv[1:6]
args = [binary, "indicators", "--db", db, "--from", f"{year}-01-01", "--to", f"{year}-12-31",
        "--by", "court", "--format", "json"]

def run(cmd):
    t = time.perf_counter()
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE).stdout
    return time.perf_counter() - t, out

# Tianping, no snapshot cache: the first question after an import.
if os.path.exists(db + ".snapshot"):
    os.remove(db + ".snapshot")
first, _ = run(args)
cold = min(run(args)[0] for _ in range(5))
bench = json.loads(run([binary, "bench-indicators", "--db", db, "--from", f"{year}-01-01",
                        "--to", f"{year}-12-31", "--repeat", "30"])[1])
run([sys.executable, "bench/indicators_duckdb.py", data, duck, year])  # creates the DuckDB file once
duck_process = min(run([sys.executable, "bench/indicators_duckdb.py", data, duck, year])[0]
                   for _ in range(3))
duck_query = json.loads(run([sys.executable, "bench/indicators_duckdb.py", data, duck, year])[1])
cases = bench["cases"]
warm_ms = bench["compute_ms_median"]
print(f"data: {cases:,} cases, indicators by court for {year} ({bench['rows']} courts)")
print(f"(1) cold, whole process")
print(f"    tianping, snapshot cache present:     {cold * 1000:8.0f} ms")
print(f"    tianping, first run after an import:  {first * 1000:8.0f} ms (builds and caches the snapshot)")
print(f"    duckdb, whole python process:         {duck_process * 1000:8.0f} ms")
print(f"    duckdb, connect + query only:         {duck_query['cold_s'] * 1000:8.0f} ms")
print(f"    ratio duckdb query / tianping process: {duck_query['cold_s'] / cold:.2f} (>= 1.00: not slower)")
print(f"(2) warm, snapshot in memory")
print(f"    tianping compute (median of 30):      {warm_ms:8.1f} ms")
print(f"    duckdb warm query (median of 5):      {duck_query['warm_s_median'] * 1000:8.1f} ms")
print(f"    speed-up: {duck_query['warm_s_median'] * 1000 / warm_ms:.1f}x (target >= 10x)")
print(f"snapshot memory: {bench['bytes_per_case']:.0f} bytes per case "
      f"({bench['snapshot_bytes'] / 2**20:.0f} MiB)")
PY
