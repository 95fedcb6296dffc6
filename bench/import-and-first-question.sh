#!/usr/bin/env bash
# The import and the first question after it, for two builds side by side: alternating rounds of
# `tianping import` of the million-case CSV into a new database, then `tianping indicators --by
# court` for a year (a new process, as a user would run it). `sync` between runs, so that one
# run's writes do not slow the next.
#
#   bash bench/import-and-first-question.sh OLD_BIN NEW_BIN [ROUNDS]
#
# The CSV is made by `tianping synth` once (DATA=dir; default bench-out/cases-1000000, the same
# as bench/import-vs-duckdb.sh).
set -euo pipefail
A=$1; B=$2; N=${3:-4}
DATA=${DATA:-bench-out/cases-1000000}
if [ ! -f "$DATA/cases.csv" ]; then
  "$B" synth --scale province --seed 7 --cases 1000000 --out "$DATA"
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); python3 -c "print(f'{$e-$s:.2f}')"; }
for i in $(seq 1 "$N"); do
  for name in A B; do
    bin=${!name}; db="$WORK/$name.db"
    rm -f "$db" "$db.snapshot" "$db-journal"; sync; sleep 1
    imp=$(t "$bin" import --db "$db" "$DATA/cases.csv")
    first=$(t "$bin" indicators --db "$db" --from 2024-01-01 --to 2024-12-31 --by court --format json)
    echo "round $i $name ($bin): import $imp s, first indicators $first s"
  done
done
