#!/usr/bin/env bash
# Peak memory and wall time of `authscope request` against each hostile
# loopback server (internal/hostile): a 1 GiB body, an endless body, a
# server that never answers, headers a byte at a time, invalid UTF-8, JSON
# nested 100,000 deep, a 10 MB error. Prints one Markdown table; exits 1
# if any run's exit code is not the expected one.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
srv_pid=""
cleanup() { [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

go build -o "$tmp/authscope" .
go build -o "$tmp/hostile" ./bench/hostile

# mode:timeout:expected exit
runs="giant-body:20s:0 endless-body:2s:3 silent:2s:3 slow-headers:20s:1 invalid-utf8:5s:1 deep-json:5s:1 big-error:20s:1"
printf '| server | exit | wall s | peak RSS MiB | stdout KiB |\n|---|---|---|---|---|\n'
status=0
for run in $runs; do
  IFS=: read -r mode timeout want <<<"$run"
  "$tmp/hostile" -mode "$mode" >"$tmp/url" &
  srv_pid=$!
  for _ in $(seq 50); do [ -s "$tmp/url" ] && break; sleep 0.1; done
  url=$(cat "$tmp/url")
  set +e
  SCALING_API_KEY=scl_live_0123456789abcdef0123456789abcdef /usr/bin/time -f '%M %e' -o "$tmp/time" \
    "$tmp/authscope" request --provider scaling --base-url "$url" --path /v1/incidents --timeout "$timeout" >"$tmp/out" 2>"$tmp/err"
  code=$?
  set -e
  kill "$srv_pid" 2>/dev/null; wait "$srv_pid" 2>/dev/null || true; srv_pid=""
  read -r rss_kb wall < <(tail -n 1 "$tmp/time")
  [ "$code" = "$want" ] || status=1
  printf '| %s | %s%s | %s | %.1f | %d |\n' "$mode" "$code" "$([ "$code" = "$want" ] || echo " (want $want)")" "$wall" "$(echo "$rss_kb/1024" | bc -l)" "$(( $(wc -c <"$tmp/out") / 1024 ))"
done
exit "$status"
