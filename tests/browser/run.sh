#!/usr/bin/env bash
# The browser test: Debian's Chromium (installed here when missing, as CI runs as root), the
# playwright-core package from npm, and the tianping binary built by cargo.
#   bash tests/browser/run.sh                       # test
#   SCREENSHOTS=docs/screenshots bash tests/browser/run.sh   # and refresh the screenshots
set -euo pipefail
cd "$(dirname "$0")"
# Install only what is missing (the machine's own Node is kept: Debian's nodejs/npm would
# conflict with it). `grep -c` rather than `grep -q`: under pipefail an early exit of grep
# kills fc-list with SIGPIPE and the test would look like a missing font.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v node >/dev/null || missing+=(nodejs npm)
[ "$(fc-list 2>/dev/null | grep -c CJK || true)" -gt 0 ] || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
npm ci --no-audit --no-fund --silent
(cd ../.. && cargo build -p tianping --quiet)
export TIANPING_BIN=${TIANPING_BIN:-$(cd ../.. && pwd)/target/debug/tianping}
node browser-test.mjs
