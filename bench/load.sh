#!/usr/bin/env bash
# Load test: a bounded mixed load of good and bad requests on
# `authscope sandbox`, across its three providers (bench/load.lua lists the
# ten request kinds and their documented answers). Prints total requests,
# req/s, socket errors, mismatched answers per kind and the sandbox's RSS
# at start (idle), peak and end. Fails when there is any socket error or
# any mismatch.
#
#   bench/load.sh                      60 s, 64 connections, 2 threads
#   LOAD_SECONDS=10 bench/load.sh
#   LOAD_CONNS=128 bench/load.sh
#   AUTHSCOPE_BIN=/tmp/authscope bench/load.sh   (measures a built binary)
set -euo pipefail
cd "$(dirname "$0")/.."

LOAD_SECONDS=${LOAD_SECONDS:-60}
LOAD_CONNS=${LOAD_CONNS:-64}
LOAD_THREADS=2
SAMPLE_EVERY=5 # seconds between RSS samples
for v in LOAD_SECONDS LOAD_CONNS; do
  if ! [[ ${!v} =~ ^[1-9][0-9]*$ ]] || [ "${!v}" -gt 3600 ]; then
    echo "bench/load.sh: $v must be a whole number from 1 to 3600, got '${!v}'" >&2
    exit 2
  fi
done
. bench/lib.sh
require wrk wrk
with_workdir

build_authscope

rss_kib() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"; } # rss_kib PID VmRSS|VmHWM

port=$(free_port)
base="http://127.0.0.1:$port"
# --quiet: a log line per request would measure the terminal, not the sandbox.
"$work/authscope" sandbox --quiet --addr "127.0.0.1:$port" >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
pids+=("$sandbox_pid")
for _ in $(seq 100); do curl -s -o /dev/null "$base/" && break; sleep 0.05; done
curl -s -o /dev/null "$base/" || { echo "bench/load.sh: the sandbox did not answer on $base" >&2; cat "$work/sandbox.log" >&2; exit 1; }

# One Scalekit token for the whole run (it lives 24 h), from the demo client
# with client_secret_post. It stays in memory: an environment variable for
# wrk, never printed nor written to disk.
token_json=$(curl -sf "$base/scalekit/oauth/token" \
  -d grant_type=client_credentials -d client_id=skc_sandbox_client -d client_secret=sandbox_client_secret)
token=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])' <<<"$token_json")
unset token_json
# An organization M2M client, made over the REST API; its secret's
# client-credentials form goes to wrk in the environment, never printed.
m2m_json=$(curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"load worker","scopes":["invoices:read"],"audience":["https://api.acme.example"]}' \
  "$base/scalekit/api/v1/organizations/org_59615193906282635/clients")
m2m_form=$(python3 -c 'import json,sys; c=json.load(sys.stdin); print("grant_type=client_credentials&client_id=%s&client_secret=%s" % (c["client"]["client_id"], c["plain_secret"]))' <<<"$m2m_json")
unset m2m_json

rss_start=$(rss_kib "$sandbox_pid" VmRSS)
echo "$rss_start" >"$work/rss"
(
  while sleep "$SAMPLE_EVERY"; do rss_kib "$sandbox_pid" VmRSS >>"$work/rss" || exit 0; done
) &
pids+=("$!")

echo "wrk -t$LOAD_THREADS -c$LOAD_CONNS -d${LOAD_SECONDS}s, mixed load on the sandbox at $base ($(nproc) cores)"
# timeout: a backstop in case wrk itself hangs; --timeout: a slow answer
# counts as a socket error instead of stalling a connection.
LOAD_SCALEKIT_TOKEN=$token LOAD_M2M_FORM=$m2m_form LOAD_CONNS=$LOAD_CONNS \
  timeout $((LOAD_SECONDS + 60)) \
  wrk -t"$LOAD_THREADS" -c"$LOAD_CONNS" -d"${LOAD_SECONDS}s" --timeout 5s -s bench/load.lua "$base" >"$work/wrk.out" 2>&1 || {
  echo "bench/load.sh: wrk failed:" >&2; cat "$work/wrk.out" >&2; exit 1
}
kill -0 "$sandbox_pid" 2>/dev/null || { echo "bench/load.sh: the sandbox died during the run" >&2; cat "$work/sandbox.log" >&2; exit 1; }
rss_kib "$sandbox_pid" VmRSS >>"$work/rss"
rss_end=$(tail -n 1 "$work/rss")
rss_hwm=$(rss_kib "$sandbox_pid" VmHWM)

sed -n '/^kind /,/^load-result/p' "$work/wrk.out" | grep -v '^load-result'
result=$(grep '^load-result ' "$work/wrk.out") || { echo "bench/load.sh: no result from bench/load.lua:" >&2; cat "$work/wrk.out" >&2; exit 1; }
field() { tr ' ' '\n' <<<"$result" | awk -F= -v k="$1" '$1 == k {print $2}'; }
# wrk's own summary line, as a cross-check of the counts from Lua.
grep -E '^ +Socket errors:' "$work/wrk.out" || true

samples=$(paste -sd' ' "$work/rss")
awk -v req="$(field requests)" -v secs="$(field seconds)" -v rps="$(field rps)" \
  -v c="$(field connect)" -v r="$(field read)" -v w="$(field write)" -v t="$(field timeout)" \
  -v mis="$(field mismatched)" -v p50="$(field p50_ms)" -v p99="$(field p99_ms)" \
  -v s="$rss_start" -v e="$rss_end" -v hwm="$rss_hwm" -v samples="$samples" 'BEGIN {
  n = split(samples, kib, " "); peak = 0
  for (i = 1; i <= n; i++) if (kib[i] + 0 > peak) peak = kib[i] + 0
  printf "requests:       %d in %.1f s = %.0f req/s (latency p50 %.2f ms, p99 %.2f ms)\n", req, secs, rps, p50, p99
  printf "socket errors:  %d (connect %d, read %d, write %d, timeout %d)\n", c + r + w + t, c, r, w, t
  printf "mismatched:     %d\n", mis
  printf "sandbox RSS:    start %.1f MiB (idle), peak %.1f MiB (sampled every 5 s; VmHWM %.1f), end %.1f MiB\n", s / 1024, peak / 1024, hwm / 1024, e / 1024
  if (n >= 3) printf "                under load: first sample %.1f MiB, last %.1f MiB\n", kib[2] / 1024, kib[n] / 1024
}'
errors=$(( $(field connect) + $(field read) + $(field write) + $(field timeout) ))
if [ "$errors" -gt 0 ] || [ "$(field mismatched)" -ne 0 ]; then
  echo "FAIL: $errors socket errors, $(field mismatched) mismatched answers" >&2
  exit 1
fi
echo "ok: 0 socket errors, every answer the documented one"
