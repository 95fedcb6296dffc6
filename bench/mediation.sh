#!/usr/bin/env bash
# The mediation module at province scale (issue 17): a synthetic year of about 300,000
# mediations and 20,000 mediators over the basic courts of the province demo's cases.
#
#   1. import of the four mediation files into a database holding the province's cases
#      (whole process; the cases are imported first, untimed);
#   2. `tianping mediation indicators --period YEAR --by court`, whole process, first run after
#      the import and two more (target: within 1 s);
#   3. the `/mediation` page at 50 concurrent users (wrk, loopback), p95 for the province
#      administrator (every mediation), a basic court's mediation desk and a mediator's
#      "我的调解" (target: p95 under 100 ms), beside the cheapest signed-in request.
#
#   bash bench/mediation.sh
#   MEDIATIONS=300000 MEDIATORS=20000 DURATION=20s bash bench/mediation.sh
#
# Needs: wrk (apt-get install wrk), curl, python3. Builds the release binary if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
# A few 委托 draws find no case to mediate: 310,000 asked gives about 300,000.
MEDIATIONS=${MEDIATIONS:-310000}
MEDIATORS=${MEDIATORS:-20000}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
DATA=${DATA:-/tmp/tianping-mediation-bench}
DB=$DATA/bench.db
PASSWORD=bench-password-1
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

# BIN=path uses a binary built before (a copy of target/release/tianping).
if [ -z "${BIN:-}" ]; then
  cargo build --release -p tianping --quiet
  BIN=target/release/tianping
fi
unset TIANPING_HOLIDAYS TIANPING_DB

if [ ! -s "$DATA/mediations.csv" ]; then
  echo "== writing the province's cases and $MEDIATIONS mediations into $DATA (once)"
  "$BIN" synth --scale province --mediations "$MEDIATIONS" --mediators "$MEDIATORS" --out "$DATA"
fi
wc -l "$DATA"/mediation_orgs.csv "$DATA"/mediators.csv "$DATA"/mediations.csv "$DATA"/mediation_events.csv | sed 's/^/   /'
YEAR=$(python3 -c "import csv; print(max(r['registered_date'][:4] for r in csv.DictReader(open('$DATA/mediations.csv'))))")

rm -f "$DB" "$DB"-*
echo "== importing the cases (untimed)"
"$BIN" import --db "$DB" "$DATA/courts.csv" "$DATA/cases.csv" "$DATA/events.csv" >/dev/null
echo "== importing the mediation files (whole process)"
/usr/bin/time -o "$DATA/import.time" -f "   imported in %e s, peak memory %M KB" \
  "$BIN" import --db "$DB" "$DATA/mediation_orgs.csv" "$DATA/mediators.csv" \
  "$DATA/mediations.csv" "$DATA/mediation_events.csv" 2>"$DATA/import.warnings" | tail -n 6 | sed 's/^/   /'
cat "$DATA/import.time"
echo "   $(grep -c '^warning' "$DATA/import.warnings" || true) warnings (2025 委派/申请 registrations, unlinked filings), in $DATA/import.warnings"

echo "== mediation indicators --period $YEAR --by court (whole process)"
for run in 1 2 3; do
  /usr/bin/time -f "   run $run: %e s, peak memory %M KB" \
    "$BIN" mediation indicators --db "$DB" --period "$YEAR" --by court --format json >"$DATA/indicators.json"
done
python3 - "$DATA/indicators.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
rows = doc["rows"]
total = sum(r["indicators"]["registered"] for r in rows)
print(f"   {len(rows)} courts, {total} mediations registered in the period")
PY

# A basic court and one of its mediators, from the files.
read -r BASIC MEDIATOR < <(python3 - "$DATA" <<'PY'
import csv, sys
rows = csv.DictReader(open(f"{sys.argv[1]}/mediations.csv"))
first = next(r for r in rows if r["mediator_id"])
print(first["court_code"], first["mediator_id"])
PY
)
echo "$PASSWORD" | "$BIN" user add --db "$DB" --username bench-admin --role admin >/dev/null
echo "$PASSWORD" | "$BIN" user add --db "$DB" --username bench-desk --role staff --court "$BASIC" --duty mediation_clerk >/dev/null
echo "$PASSWORD" | "$BIN" user add --db "$DB" --username bench-mediator --role staff --court "$BASIC" --duty mediator --mediator "$MEDIATOR" >/dev/null

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
  # The first request reads the mediation records and judges them for the day.
  first=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Cookie: $cookie" "$ADDR$path")
  result=$(TIANPING_COOKIE="$cookie" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" \
    -s bench/wrk-session.lua "$ADDR$path" | grep '^RESULT')
  echo "$name: first request ${first#* } s (status ${first%% *}); $result"
  echo "$result" | sed 's/.*p95_ms=\([0-9.]*\).*/\1/' >"$LOG.$name"
}

ADMIN=$(cookie_of bench-admin)
DESK=$(cookie_of bench-desk)
OWN=$(cookie_of bench-mediator)
echo "== $CONNECTIONS connections, $DURATION each, loopback (server RSS $(ps -o rss= -p $SERVER | tr -d ' ') KB)"
run baseline-me "$DESK" /api/v1/me
run mediation-province "$ADMIN" /mediation
run mediation-province-overdue "$ADMIN" "/mediation?state=overdue"
run mediation-desk "$DESK" /mediation
run mediation-mine "$OWN" /mediation
echo "   server RSS after: $(ps -o rss= -p $SERVER | tr -d ' ') KB"

python3 - "$LOG" <<'PY'
import sys
log = sys.argv[1]
names = ["mediation-province", "mediation-province-overdue", "mediation-desk", "mediation-mine"]
p = {n: float(open(f"{log}.{n}").read()) for n in ["baseline-me"] + names}
for n in names:
    verdict = "under" if p[n] < 100 else "OVER"
    print(f"{n}: p95 {p[n]:.2f} ms ({verdict} the 100 ms target), {p[n] / p['baseline-me']:.1f}x the baseline's p95 ({p['baseline-me']:.2f} ms)")
PY
