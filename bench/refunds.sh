#!/usr/bin/env bash
# Court-fee refunds at province scale (issue 19): the refunds owed on the closed cases of the
# province demo (1.35 million cases over four years), about 200,000 of them due in the last year.
#
#   1. import of fee_refunds.csv into a database holding the province's cases (whole process; the
#      cases are imported first, untimed);
#   2. `tianping refunds indicators --period YEAR` and `--by court`, whole process, three runs each
#      (target: within 1 s).
#
#   bash bench/refunds.sh
#   SHARE=0.6 bash bench/refunds.sh
#
# Needs: python3. Builds the release binary if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARE=${SHARE:-1.0}
DATA=${DATA:-/tmp/tianping-refunds-bench}
DB=$DATA/bench.db

if [ -z "${BIN:-}" ]; then
  cargo build --release -p tianping --quiet
  BIN=target/release/tianping
fi
unset TIANPING_HOLIDAYS TIANPING_DB

if [ ! -s "$DATA/fee_refunds.csv" ]; then
  echo "== writing the province's cases and their refunds (share $SHARE) into $DATA (once)"
  "$BIN" synth --scale province --refunds "$SHARE" --out "$DATA"
fi
YEAR=$(python3 -c "import csv; print(max(r['effective_date'][:4] for r in csv.DictReader(open('$DATA/fee_refunds.csv'))))")
python3 - "$DATA" "$YEAR" <<'PY'
import csv, sys
d, year = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(f"{d}/fee_refunds.csv")))
print(f"   {len(rows)} refunds, {sum(1 for r in rows if r['effective_date'].startswith(year))} effective in {year}")
PY

rm -f "$DB" "$DB"-*
echo "== importing the cases (untimed)"
"$BIN" import --db "$DB" "$DATA/courts.csv" "$DATA/cases.csv" "$DATA/events.csv" >/dev/null
echo "== importing fee_refunds.csv (whole process)"
/usr/bin/time -f "   imported in %e s, peak memory %M KB" \
  "$BIN" import --db "$DB" "$DATA/fee_refunds.csv" 2>"$DATA/import.log" | tail -n 3 | sed 's/^/   /'
grep "imported in" "$DATA/import.log" || tail -3 "$DATA/import.log"
for by in none court; do
  echo "== refunds indicators --period $YEAR --by $by (whole process)"
  for run in 1 2 3; do
    /usr/bin/time -f "   run $run: %e s, peak memory %M KB" \
      "$BIN" refunds indicators --db "$DB" --period "$YEAR" --by "$by" --format json >"$DATA/indicators-$by.json"
  done
done
python3 - "$DATA" <<'PY'
import json, sys
doc = json.load(open(f"{sys.argv[1]}/indicators-none.json"))
i = doc["rows"][0]["indicators"]
print(f"   {i['refunds_due']} refunds due in the period, 退费及时率 {i['on_time_rate']}, {i['overdue_unrefunded']} overdue at its end")
PY
