#!/usr/bin/env bash
# Petitions and judicial suggestions at province scale (issue 18): a synthetic year of about
# 100,000 petitions and 5,000 suggestions over every court of the province demo.
#
#   1. import of petition_matters.csv, petitions.csv and suggestions.csv into a database holding
#      the province's cases (whole process; the cases are imported first, untimed);
#   2. `tianping petitions indicators --period YEAR --by court` and
#      `tianping suggestions indicators --period YEAR --by month`, whole process, three runs each
#      (target: each within 1 s);
#   3. the `/petitions` page at 50 concurrent users (wrk, loopback): p95 for the high court's
#      petition officer (every petition of the province), the 超期 list, a basic court's reception desk; and
#      `/suggestions` for the province (target: p95 under 100 ms), beside the cheapest request.
#
#   bash bench/petitions.sh
#   PETITIONS=100000 SUGGESTIONS=5000 DURATION=20s bash bench/petitions.sh
#
# Needs: wrk (apt-get install wrk), curl, python3. Builds the release binary if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
PETITIONS=${PETITIONS:-100000}
SUGGESTIONS=${SUGGESTIONS:-5000}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
DATA=${DATA:-/tmp/tianping-petitions-bench}
DB=$DATA/bench.db
PASSWORD=bench-password-1
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

if [ -z "${BIN:-}" ]; then
  cargo build --release -p tianping --quiet
  BIN=target/release/tianping
fi
unset TIANPING_HOLIDAYS TIANPING_DB

if [ ! -s "$DATA/petitions.csv" ]; then
  echo "== writing the province's cases, $PETITIONS petitions and $SUGGESTIONS suggestions into $DATA (once)"
  "$BIN" synth --scale province --petitions "$PETITIONS" --suggestions "$SUGGESTIONS" --out "$DATA"
fi
wc -l "$DATA"/petition_matters.csv "$DATA"/petitions.csv "$DATA"/suggestions.csv | sed 's/^/   /'
YEAR=$(python3 -c "import csv; print(max(r['received_date'][:4] for r in csv.DictReader(open('$DATA/petitions.csv'))))")
python3 - "$DATA" "$YEAR" <<'PY'
import csv, sys
d, year = sys.argv[1], sys.argv[2]
p = sum(1 for r in csv.DictReader(open(f"{d}/petitions.csv")) if r["received_date"].startswith(year))
s = sum(1 for r in csv.DictReader(open(f"{d}/suggestions.csv")) if (r["drafted_date"] or "").startswith(year))
print(f"   {p} petitions received and {s} suggestions drafted in {year}")
PY

rm -f "$DB" "$DB"-*
echo "== importing the cases (untimed)"
"$BIN" import --db "$DB" "$DATA/courts.csv" "$DATA/cases.csv" "$DATA/events.csv" >/dev/null
echo "== importing the petition and suggestion files (whole process)"
/usr/bin/time -o "$DATA/import.time" -f "   imported in %e s, peak memory %M KB" \
  "$BIN" import --db "$DB" "$DATA/petition_matters.csv" "$DATA/petitions.csv" \
  "$DATA/suggestions.csv" 2>"$DATA/import.warnings" | tail -n 4 | sed 's/^/   /'
cat "$DATA/import.time"

echo "== petitions indicators --period $YEAR --by court (whole process)"
for run in 1 2 3; do
  /usr/bin/time -f "   run $run: %e s, peak memory %M KB" \
    "$BIN" petitions indicators --db "$DB" --period "$YEAR" --by court --format json >"$DATA/petitions.json"
done
echo "== suggestions indicators --period $YEAR --by month (whole process)"
for run in 1 2 3; do
  /usr/bin/time -f "   run $run: %e s, peak memory %M KB" \
    "$BIN" suggestions indicators --db "$DB" --period "$YEAR" --by month --format json >"$DATA/suggestions.json"
done
python3 - "$DATA" <<'PY'
import json, sys
p = json.load(open(f"{sys.argv[1]}/petitions.json"))["rows"]
s = json.load(open(f"{sys.argv[1]}/suggestions.json"))["rows"]
print(f"   petitions: {len(p)} courts, {sum(r['indicators']['received'] for r in p)} received in the period")
print(f"   suggestions: {len(s)} months, {sum(r['indicators']['issued'] or 0 for r in s)} issued in the period")
PY

BASIC=$(python3 - "$DATA" <<'PY'
import csv, sys
from collections import Counter
c = Counter(r["court_code"] for r in csv.DictReader(open(f"{sys.argv[1]}/petitions.csv")))
print(c.most_common(1)[0][0])
PY
)
HIGH=$(python3 - "$DATA" <<'PY'
import csv, sys
print(next(r["code"] for r in csv.DictReader(open(f"{sys.argv[1]}/courts.csv")) if not r["parent_code"]))
PY
)
echo "$PASSWORD" | "$BIN" user add --db "$DB" --username bench-officer --role staff --court "$HIGH" --duty petition_officer,suggestion_officer >/dev/null
echo "$PASSWORD" | "$BIN" user add --db "$DB" --username bench-desk --role staff --court "$BASIC" --duty petition_officer >/dev/null

LOG=$(mktemp)
"$BIN" serve --db "$DB" --bind 127.0.0.1:0 >"$LOG" 2>&1 &
SERVER=$!
trap 'kill -INT $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -f "$LOG" "$LOG".*' EXIT
for _ in $(seq 1 600); do
  grep -q "http://" "$LOG" && break
  kill -0 $SERVER 2>/dev/null || { cat "$LOG"; exit 1; }
  sleep 0.5
done
ADDR=$(grep -o 'http://[0-9.:]*' "$LOG" | head -1)

cookie_of() {
  curl -s -o /dev/null -c - -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$PASSWORD\"}" "$ADDR/api/v1/login" |
    awk '$6 == "tianping_session" { print $6 "=" $7 }'
}

run() { # name cookie path
  local name=$1 cookie=$2 path=$3 first result
  first=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Cookie: $cookie" "$ADDR$path")
  result=$(TIANPING_COOKIE="$cookie" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" \
    -s bench/wrk-session.lua "$ADDR$path" | grep '^RESULT')
  echo "$name: first request ${first#* } s (status ${first%% *}); $result"
  echo "$result" | sed 's/.*p95_ms=\([0-9.]*\).*/\1/' >"$LOG.$name"
}

OFFICER=$(cookie_of bench-officer)
DESK=$(cookie_of bench-desk)
echo "== $CONNECTIONS connections, $DURATION each, loopback (server RSS $(ps -o rss= -p $SERVER | tr -d ' ') KB)"
run baseline-me "$DESK" /api/v1/me
run petitions-province "$OFFICER" /petitions
run petitions-province-overdue "$OFFICER" "/petitions?status=overdue"
run petitions-desk "$DESK" /petitions
run suggestions-province "$OFFICER" /suggestions
echo "   server RSS after: $(ps -o rss= -p $SERVER | tr -d ' ') KB"

python3 - "$LOG" <<'PY'
import sys
log = sys.argv[1]
names = ["petitions-province", "petitions-province-overdue", "petitions-desk", "suggestions-province"]
p = {n: float(open(f"{log}.{n}").read()) for n in ["baseline-me"] + names}
for n in names:
    verdict = "under" if p[n] < 100 else "OVER"
    print(f"{n}: p95 {p[n]:.2f} ms ({verdict} the 100 ms target), {p[n] / p['baseline-me']:.1f}x the baseline's p95 ({p['baseline-me']:.2f} ms)")
PY
