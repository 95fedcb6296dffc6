#!/usr/bin/env bash
# The browser test: Debian's Chromium (installed here when missing, as CI runs as root), the
# playwright-core package from npm, and the tianping binary built by cargo.
#   bash tests/browser/run.sh                       # test
#   SCREENSHOTS=docs/screenshots bash tests/browser/run.sh   # and refresh the screenshots
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v chromium >/dev/null || ! command -v node >/dev/null || ! fc-list | grep -q "CJK"; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk nodejs npm >/dev/null
fi
npm ci --no-audit --no-fund --silent
(cd ../.. && cargo build -p tianping --quiet)
export TIANPING_BIN=${TIANPING_BIN:-$(cd ../.. && pwd)/target/debug/tianping}
node browser-test.mjs
