#!/usr/bin/env bash
# Regenerates chromium-sandbox.har: the real sandbox, Debian's chromium
# (headless, under Xvfb as on CI machines), chrome-remote-interface and
# chrome-har from npm (pinned in package.json). Not run by the tests: the
# HAR it writes is a committed fixture, read by doctor's tests.
# Needs: apt-get install chromium xvfb; npm ci in this folder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
(cd "$here" && [ -d node_modules ] || npm ci --silent)
go build -o "$work/authscope" "$root"
"$work/authscope" sandbox --addr 127.0.0.1:0 >"$work/sandbox.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q 'http://' "$work/sandbox.log" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/sandbox.log" | head -n 1)
xvfb-run -a chromium --headless=new --no-sandbox --disable-gpu --remote-debugging-port=9333 \
  --user-data-dir="$work/profile" about:blank >"$work/chromium.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -s http://127.0.0.1:9333/json/version >/dev/null 2>&1 && break; sleep 0.1; done
node "$here/make-har.js" "$url" 9333 >"$here/../chromium-sandbox.har"
echo "wrote $here/../chromium-sandbox.har from $url"
