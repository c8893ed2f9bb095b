#!/usr/bin/env bash
# Benchmark: `authscope login --login-hint` on a running `authscope
# sandbox` (authorize, its own listener, the code exchange, the JWKS and
# every ID and access token check) against the same flow driven by curl
# in one script (bench/login-curl.sh), whole process each, alternating.
#
#   bench/login.sh            # N=20 runs of each
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-20}
. bench/lib.sh
with_workdir
require curl curl
require openssl openssl
build_authscope
start_sandbox /scalekit/keys
base="http://127.0.0.1:$port/scalekit"

login() { "$work/authscope" login --base-url "$base" --login-hint ada@acme.example --no-browser >/dev/null 2>&1; }
# Both must work before they are timed.
login
bash bench/login-curl.sh "$base"

echo "authscope login vs curl script, $N runs each, alternating, whole process"
login_curl() { bash bench/login-curl.sh "$base"; }
alternate "$N" login login_curl
a=$med_a; c=$med_b
awk -v a="$a" -v c="$c" 'BEGIN {
  printf "median authscope login: %.2f ms\nmedian curl script:     %.2f ms\nratio: %.2f\n", a/1000, c/1000, a/c
}'
