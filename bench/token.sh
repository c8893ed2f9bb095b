#!/usr/bin/env bash
# Benchmark: `authscope token` (the client-credentials exchange, the JWT
# parsed and its signature checked against the JWKS) against oauth2c's
# client-credentials run (discovery, then the token request) on the same
# running `authscope sandbox`, whole process each, alternating.
#
#   OAUTH2C=/path/to/oauth2c bench/token.sh     # N=30 runs of each
#
# oauth2c (github.com/cloudentity/oauth2c) is not served by the Go module
# proxy: build it from its source (`go build` in a checkout) and name the
# binary with OAUTH2C, or put it on PATH. Without it the row is skipped,
# saying so.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-30}
. bench/lib.sh
oauth2c=${OAUTH2C:-$(command -v oauth2c || true)}
if [ -z "$oauth2c" ] || [ ! -x "$oauth2c" ]; then
  echo "token vs oauth2c: skipped (no oauth2c: build github.com/cloudentity/oauth2c and set OAUTH2C)"
  exit 0
fi
with_workdir
require curl curl
build_authscope
start_sandbox /scalekit/keys
base="http://127.0.0.1:$port/scalekit"

token() { "$work/authscope" token --provider scalekit --env sandbox --base-url "$base" >/dev/null 2>&1; }
o2c() {
  "$oauth2c" "$base" --client-id skc_sandbox_client --client-secret sandbox_client_secret \
    --grant-type client_credentials --auth-method client_secret_post --silent --no-prompt >/dev/null 2>&1
}
# Both must work before they are timed.
token
o2c

echo "authscope token vs oauth2c client credentials, $N runs each, alternating, whole process"
alternate "$N" token o2c
a=$med_a; o=$med_b
awk -v a="$a" -v o="$o" 'BEGIN {
  printf "median authscope token: %.2f ms\nmedian oauth2c:         %.2f ms\nratio: %.2f\n", a/1000, o/1000, a/o
}'
