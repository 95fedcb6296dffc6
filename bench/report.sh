#!/usr/bin/env bash
# Time an annual bulletin (审判质效通报) for a province-sized demo (150+ courts, ~1.35 million
# cases): DOCX and XLSX, and PDF when the binary was built with `--features pdf`.
#   bash bench/report.sh [DB]      (default /tmp/tianping-province.db; generated when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
db="${1:-/tmp/tianping-province.db}"
bin=target/release/tianping
cargo build --release -p tianping ${FEATURES:+--features "$FEATURES"} >/dev/null
if [ ! -f "$db" ]; then
  echo "generating the province demo into $db (takes a while)"
  "$bin" demo --scale province --no-serve --db "$db" >/dev/null
fi
out="$(mktemp -d)"
# The first run builds the snapshot cache beside the database; time the runs after it.
"$bin" report --db "$db" --period 2024 --scope 鲁 --format html -o "$out/warm.html" 2>/dev/null || true
formats="docx xlsx html"
"$bin" report --db "$db" --period 2024 --format pdf -o /dev/null 2>/dev/null && formats="$formats pdf"
for f in $formats; do
  start=$(date +%s.%N)
  "$bin" report --db "$db" --period 2024 --scope 鲁 --format "$f" -o "$out/bulletin.$f" 2>/dev/null
  end=$(date +%s.%N)
  printf "annual bulletin, province, %-4s  %6.2f s  (%s bytes)\n" "$f" "$(echo "$end - $start" | bc)" "$(stat -c %s "$out/bulletin.$f")"
done
rm -rf "$out"
