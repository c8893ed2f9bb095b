#!/usr/bin/env bash
# Benchmark: Scalekit's gRPC ListOrganization (page_size 10) over h2c,
# `authscope sandbox` (under /scalekit: auth, store, log of nothing with
# --quiet) against bench/grpcref, a bare connect-go handler serving the
# very same message bytes, in one run. bench/grpcload (a connect-go client
# in gRPC mode, as the SDKs are) drives both; the runs alternate, ROUNDS
# of each, and the median of each side is compared (target >= 0.7).
#
#   bench/grpc.sh
#   DURATION=10s ROUNDS=3 WORKERS=32 bench/grpc.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-3}
WORKERS=${WORKERS:-32}

. bench/lib.sh
require curl curl
with_workdir

go build -o "$work/authscope" .
go build -o "$work/grpcref" ./bench/grpcref
go build -o "$work/grpcload" ./bench/grpcload

wait_up() { for _ in $(seq 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }

sandbox_port=$(free_port)
"$work/authscope" sandbox --quiet --addr "127.0.0.1:$sandbox_port" >"$work/sandbox.out" 2>&1 &
pids+=($!)
sandbox="http://127.0.0.1:$sandbox_port"
wait_up "$sandbox/"
token_url="$sandbox/scalekit/oauth/token"

# The reference serves exactly the message the sandbox answers with.
"$work/grpcload" -base "$sandbox/scalekit" -token-url "$token_url" -save "$work/message.bin"
ref_port=$(free_port)
"$work/grpcref" -addr "127.0.0.1:$ref_port" -message "$work/message.bin" &
pids+=($!)
ref="http://127.0.0.1:$ref_port"
wait_up "$ref/"
"$work/grpcload" -base "$ref" -token-url "$token_url" -compare "$work/message.bin"

rate() { "$work/grpcload" -base "$1" -token-url "$token_url" -duration "$DURATION" -workers "$WORKERS" | awk '/calls\/s/ {print $(NF-1)}'; }

echo "grpcload -workers $WORKERS -duration $DURATION x $ROUNDS rounds each, alternating, on $(nproc) cores; $(wc -c <"$work/message.bin") byte message"
: >"$work/sandbox.rates"; : >"$work/ref.rates"
for _ in $(seq "$ROUNDS"); do
  rate "$sandbox/scalekit" >>"$work/sandbox.rates"
  rate "$ref" >>"$work/ref.rates"
done
s=$(median <"$work/sandbox.rates"); r=$(median <"$work/ref.rates")
awk -v s="$s" -v r="$r" 'BEGIN {
  ratio = s / r
  printf "gRPC ListOrganization over h2c  sandbox %.0f calls/s, bare connect-go %.0f calls/s, ratio %.2f (target >= 0.70) %s\n", s, r, ratio, (ratio >= 0.7 ? "ok" : "BELOW TARGET")
}'
