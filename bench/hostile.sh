#!/usr/bin/env bash
# Peak memory and wall time of `authscope request` against each hostile
# loopback server of internal/hostile (one bench/hostile process serves
# them all, by path): a 1 GiB body, an endless body, a server that never
# answers, headers a byte at a time, invalid UTF-8 and raw escapes, JSON
# nested 100,000 deep, a 10 MB error. Prints one Markdown table; exits 1
# if any run's exit code is not the expected one or its output holds a
# terminal control.
#
# Peak RSS comes from GNU time (%M); without /usr/bin/time the script
# samples VmHWM from /proc/PID/status instead, every 10 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
srv_pid=""
cleanup() { if [ -n "$srv_pid" ]; then kill "$srv_pid" 2>/dev/null || true; wait "$srv_pid" 2>/dev/null || true; fi; rm -rf "$tmp"; }
trap cleanup EXIT

go build -o "$tmp/authscope" .
go build -o "$tmp/hostile" ./bench/hostile
"$tmp/hostile" >"$tmp/url" &
srv_pid=$!
for _ in $(seq 50); do [ -s "$tmp/url" ] && break; sleep 0.1; done
base=$(head -n 1 "$tmp/url")
[ -n "$base" ] || { echo "hostile server did not start" >&2; exit 1; }

# run OUT ERR CMD...: runs CMD, writes "exit wall_s peak_kib" to $tmp/m.
run() {
  local out=$1 err=$2; shift 2
  if [ -x /usr/bin/time ]; then
    set +e
    /usr/bin/time -f '%x %e %M' -o "$tmp/time" "$@" >"$out" 2>"$err"
    set -e
    tail -n 1 "$tmp/time" >"$tmp/m"
    return
  fi
  local start end pid hwm=0 h
  start=$(date +%s.%N)
  "$@" >"$out" 2>"$err" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    h=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$h" ] && [ "$h" -gt "$hwm" ] && hwm=$h
    sleep 0.01
  done
  set +e; wait "$pid"; local code=$?; set -e
  end=$(date +%s.%N)
  echo "$code $(echo "$end - $start" | bc -l) $hwm" >"$tmp/m"
}

# mode | extra flags | expected exit
runs=(
  "giant-body|--timeout 30s|0"
  "giant-body|--timeout 30s --max-body 1MiB|0"
  "endless-body|--timeout 2s|3"
  "endless-body|--timeout 30s --max-body 64KiB|0"
  "silent|--timeout 2s|3"
  "slow-headers|--timeout 30s|1"
  "invalid-utf8|--timeout 5s|1"
  "raw-escapes|--timeout 5s|1"
  "deep-json|--timeout 10s|1"
  "big-error|--timeout 30s|1"
  "big-error|--timeout 30s --json|1"
)
echo "authscope request --provider scaling --base-url $base/MODE --path /v1/incidents FLAGS; $(nproc) cores, $(go version | awk '{print $3}')"
echo
printf '| server | flags | exit | wall s | peak RSS MiB | output bytes |\n|---|---|---|---|---|---|\n'
status=0
for spec in "${runs[@]}"; do
  IFS='|' read -r mode flags want <<<"$spec"
  # shellcheck disable=SC2086 # flags are words
  run "$tmp/out" "$tmp/err" "$tmp/authscope" request --provider scaling --key scl_live_0123456789abcdef0123456789abcdef \
    --base-url "$base/$mode" --path /v1/incidents $flags
  read -r code wall rss_kib <"$tmp/m"
  bytes=$(( $(wc -c <"$tmp/out") + $(wc -c <"$tmp/err") ))
  note=""
  [ "$code" = "$want" ] || { note=" (want $want)"; status=1; }
  # ESC, BEL, CR or a C1 control (UTF-8 C2 80–9F) in the output.
  if LC_ALL=C grep -qaP '[\x1b\x07\r]|\xc2[\x80-\x9f]' "$tmp/out" "$tmp/err"; then note="$note (control in output)"; status=1; fi
  printf '| %s | %s | %s%s | %.2f | %.1f | %d |\n' "$mode" "$flags" "$code" "$note" "$wall" "$(echo "$rss_kib/1024" | bc -l)" "$bytes"
done
exit "$status"
