#!/usr/bin/env bash
# Benchmark: the sandbox against a bare net/http handler, in one run.
#
#  1. wrk against `authscope sandbox`'s authorised GET /scaling/v1/incidents
#     and against bench/refserver serving the very same bytes: prints the
#     throughput ratio (target >= 0.7).
#  2. wrk POSTing the demo client's form to /scalekit/oauth/token: prints
#     RS256 tokens per second over HTTP (target >= 1500 on 2 cores), then
#     the handler-only rate from BenchmarkTokenEndpoint.
#  3. the same for an organization's M2M client, created over the REST API:
#     its secret's token rate over HTTP, then BenchmarkTokenEndpointM2M's
#     handler-only rate (target: HTTP >= 0.9 x the handler alone).
#
#   bench/sandbox.sh
#   DURATION=30s THREADS=2 CONNECTIONS=64 bench/sandbox.sh
#
# Installs nothing: wrk is a Debian package that .ci/run installs.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
KEY=scl_live_0123456789abcdef0123456789abcdef # the sandbox's demo key
FORM="grant_type=client_credentials&client_id=skc_sandbox_client&client_secret=sandbox_client_secret"

. bench/lib.sh
require wrk wrk
with_workdir

go build -o "$work/authscope" .
go build -o "$work/refserver" ./bench/refserver

wait_up() { for _ in $(seq 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }

sandbox_port=$(free_port)
"$work/authscope" sandbox --quiet --addr "127.0.0.1:$sandbox_port" >"$work/sandbox.out" 2>&1 &
pids+=($!)
sandbox="http://127.0.0.1:$sandbox_port"
wait_up "$sandbox/"

# The reference serves exactly the bytes the sandbox answers with.
curl -sf -H "Authorization: Bearer $KEY" -o "$work/body.json" "$sandbox/scaling/v1/incidents"
content_type=$(curl -sf -o /dev/null -w '%{content_type}' -H "Authorization: Bearer $KEY" "$sandbox/scaling/v1/incidents")
ref_port=$(free_port)
"$work/refserver" -addr "127.0.0.1:$ref_port" -body "$work/body.json" -content-type "$content_type" &
pids+=($!)
ref="http://127.0.0.1:$ref_port"
wait_up "$ref/"
curl -sf -o "$work/ref.json" "$ref/scaling/v1/incidents"
cmp -s "$work/body.json" "$work/ref.json" || { echo "the reference does not serve the sandbox's bytes" >&2; exit 1; }

# rps URL [wrk args...]: requests per second, refusing runs with errors.
rps() {
  local url=$1; shift
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "$@" "$url")
  echo "$out" >>"$work/wrk.log"
  if grep -q 'Non-2xx or 3xx responses' <<<"$out"; then
    echo "wrk saw error statuses from $url:" >&2; echo "$out" >&2; exit 1
  fi
  awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}

cat >"$work/token.lua" <<EOF
wrk.method = "POST"
wrk.body = "$FORM"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
EOF

# An organization's M2M client, made the way a developer would: a token for
# the demo client, then POST .../clients; its secret is printed once.
demo_token=$(curl -sf -d "$FORM" "$sandbox/scalekit/oauth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
curl -sf -H "Authorization: Bearer $demo_token" -H 'Content-Type: application/json' \
  -d '{"name":"bench worker","scopes":["invoices:read"],"audience":["https://api.acme.example"]}' \
  "$sandbox/scalekit/api/v1/organizations/org_59615193906282635/clients" >"$work/m2m.json"
M2M_FORM=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print("grant_type=client_credentials&client_id=%s&client_secret=%s" % (c["client"]["client_id"], c["plain_secret"]))' "$work/m2m.json")
cat >"$work/m2m.lua" <<EOF
wrk.method = "POST"
wrk.body = "$M2M_FORM"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
EOF

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION on $(nproc) cores; $(wc -c <"$work/body.json") byte body"
sandbox_rps=$(rps "$sandbox/scaling/v1/incidents" -H "Authorization: Bearer $KEY")
ref_rps=$(rps "$ref/scaling/v1/incidents")
token_rps=$(rps "$sandbox/scalekit/oauth/token" -s "$work/token.lua")
m2m_rps=$(rps "$sandbox/scalekit/oauth/token" -s "$work/m2m.lua")

benches=$(go test -run '^$' -bench '^BenchmarkTokenEndpoint(M2M)?$' -benchtime 3s ./sandbox/scalekit/)
ns_per_token=$(awk '/^BenchmarkTokenEndpoint-/ {print $3}' <<<"$benches")
ns_per_m2m=$(awk '/^BenchmarkTokenEndpointM2M-/ {print $3}' <<<"$benches")

awk -v s="$sandbox_rps" -v r="$ref_rps" -v t="$token_rps" -v ns="$ns_per_token" -v m="$m2m_rps" -v mns="$ns_per_m2m" 'BEGIN {
  ratio = s / r
  printf "GET /scaling/v1/incidents  sandbox %.0f req/s, bare net/http %.0f req/s, ratio %.2f (target >= 0.70) %s\n", s, r, ratio, (ratio >= 0.7 ? "ok" : "BELOW TARGET")
  printf "POST /scalekit/oauth/token %.0f RS256 tokens/s over HTTP (target >= 1500) %s\n", t, (t >= 1500 ? "ok" : "BELOW TARGET")
  if (ns > 0) printf "BenchmarkTokenEndpoint     %.0f tokens/s in the handler alone (%.0f ns/op, GOMAXPROCS parallel)\n", 1e9 / ns, ns
  printf "POST /scalekit/oauth/token M2M %.0f tokens/s over HTTP for an organization client secret\n", m
  if (mns > 0) printf "BenchmarkTokenEndpointM2M  %.0f tokens/s in the handler alone (%.0f ns/op), ratio %.2f (target >= 0.90) %s\n", 1e9 / mns, mns, m * mns / 1e9, (m * mns / 1e9 >= 0.9 ? "ok" : "BELOW TARGET")
}'
