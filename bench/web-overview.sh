#!/usr/bin/env bash
# Load test of the web UI's overview page: `tianping serve` on a province-scale demo database
# (about 1.35 million cases), 50 concurrent users (wrk, 50 connections, loopback only), p95
# latency of the overview for the province's administrator and for a basic court's clerk, and as
# the baseline in the same run the cheapest signed-in request (GET /api/v1/me: session and user
# lookup only). Target: overview p95 under 100 ms.
#
#   bash bench/web-overview.sh                 # DB=/tmp/tianping-province.db, 20 s per run
#   DB=path DURATION=30s CONNECTIONS=50 bash bench/web-overview.sh
#
# Needs: wrk (apt-get install wrk), curl, python3. Builds the release binary if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${DB:-/tmp/tianping-province.db}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
PASSWORD=bench-password-1
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

cargo build --release -p tianping --quiet
BIN=target/release/tianping
unset TIANPING_HOLIDAYS TIANPING_DB

if [ ! -s "$DB" ]; then
  echo "== generating the province demo into $DB (once)"
  /usr/bin/time -f "   generated and stored in %e s, peak memory %M KB" \
    "$BIN" demo --scale province --no-serve --db "$DB"
fi

# A basic court of the province: the first court code with four digits.
BASIC=$("$BIN" indicators --db "$DB" --from 2025-01-01 --to 2025-12-31 --by court --format json |
  python3 -c 'import json,sys; print(next(r["key"] for r in json.load(sys.stdin)["rows"] if len(r["key"]) == 5))')
echo "$PASSWORD" | "$BIN" user add --db "$DB" --username bench-admin --role admin >/dev/null
echo "$PASSWORD" | "$BIN" user add --db "$DB" --username bench-clerk --role staff --court "$BASIC" >/dev/null

LOG=$(mktemp)
"$BIN" serve --db "$DB" --bind 127.0.0.1:0 >"$LOG" 2>&1 &
SERVER=$!
trap 'kill -INT $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -f "$LOG"' EXIT
START=$(date +%s.%N)
for _ in $(seq 1 600); do
  grep -q "http://" "$LOG" && break
  kill -0 $SERVER 2>/dev/null || { cat "$LOG"; exit 1; }
  sleep 0.5
done
ADDR=$(grep -o 'http://[0-9.:]*' "$LOG" | head -1)
echo "== server up at $ADDR, data loaded in $(python3 -c "print(round($(date +%s.%N) - $START, 1))") s, RSS $(ps -o rss= -p $SERVER | tr -d ' ') KB"

cookie_of() {
  curl -s -o /dev/null -c - -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$PASSWORD\"}" "$ADDR/api/v1/login" |
    awk '$6 == "tianping_session" { print $6 "=" $7 }'
}

run() { # name cookie path
  local name=$1 cookie=$2 path=$3
  # Warm up: the first overview of a data version computes and caches its figures.
  local first
  first=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Cookie: $cookie" "$ADDR$path")
  local result
  result=$(TIANPING_COOKIE="$cookie" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" \
    -s bench/wrk-session.lua "$ADDR$path" | grep '^RESULT')
  echo "$name: first request ${first#* } s (status ${first%% *}); $result"
  echo "$result" | sed 's/.*p95_ms=\([0-9.]*\).*/\1/' >"$LOG.$name"
}

ADMIN=$(cookie_of bench-admin)
CLERK=$(cookie_of bench-clerk)
echo "== $CONNECTIONS connections, $DURATION each, loopback"
run baseline-me "$CLERK" /api/v1/me
run overview-province "$ADMIN" /
run overview-basic "$CLERK" /
run deadlines-basic "$CLERK" "/deadlines?status=overdue"

python3 - "$LOG" <<'PY'
import sys
log = sys.argv[1]
p = {n: float(open(f"{log}.{n}").read()) for n in ["baseline-me", "overview-province", "overview-basic", "deadlines-basic"]}
for n in ["overview-province", "overview-basic", "deadlines-basic"]:
    verdict = "under" if p[n] < 100 else "OVER"
    print(f"{n}: p95 {p[n]:.2f} ms ({verdict} the 100 ms target), {p[n] / p['baseline-me']:.1f}x the baseline's p95 ({p['baseline-me']:.2f} ms)")
PY
rm -f "$LOG".*
