#!/usr/bin/env bash
# Renders a search report in headless Chromium (Debian's `chromium`) to a PNG, to check it renders.
# Usage: scripts/screenshot-report.sh <report.html> [out.png]
set -euo pipefail
report=$(realpath "$1")
out=${2:-${report%.html}.png}
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
  --window-size=1200,2000 --screenshot="$out" "file://$report" >/dev/null 2>&1
echo "$out"
