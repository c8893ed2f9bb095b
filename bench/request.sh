#!/usr/bin/env bash
# Benchmark: `authscope request` against a running `authscope sandbox`
# versus curl to the same URL with the same header, whole process each,
# alternating in one run. Prints the ratio of the medians (target <= 1.3).
# A second run does the same with curl's habits: `authscope request -X
# POST -H … -d … URL` against `curl -X POST -u … -H … -d … URL` (Scale
# AI's sandbox creates a project), same target.
#
#   bench/request.sh            # N=30 runs of each
#   N=100 bench/request.sh
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-30}
KEY=scl_live_0123456789abcdef0123456789abcdef # the sandbox's demo key
. bench/lib.sh
with_workdir
build_authscope
start_sandbox "/scaling/v1/incidents?limit=10"
base="http://127.0.0.1:$port/scaling"
url="$base/v1/incidents?limit=10"

# Both must work before they are timed.
SCALING_API_KEY=$KEY "$work/authscope" request --provider scaling --base-url "$base" --sample incidents >/dev/null
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "$url")" = 200 ]


# report A_LINE C_LINE RATIO: the medians $a and $c (µs) in ms after their
# labels, and their ratio against the target 1.3.
report() {
  awk -v a="$a" -v c="$c" -v la="$1" -v lc="$2" -v lr="$3" 'BEGIN {
    printf "%s %.2f ms\n%s %.2f ms\n", la, a/1000, lc, c/1000
    r = a / c
    printf "%s %.2f (target <= 1.3) %s\n", lr, r, (r <= 1.3 ? "OK" : "OVER")
  }'
}

echo "authscope request vs curl, $N runs each, alternating, whole process"
# A bash loop (alternate), because the two must alternate (hyperfine runs
# all of one command's runs, then the other's); each command runs
# directly, no extra shell around it, so neither pays for one.
sample_authscope() { SCALING_API_KEY=$KEY "$work/authscope" request --provider scaling --base-url "$base" --sample incidents >/dev/null; }
sample_curl() { curl -s -o /dev/null -H "Authorization: Bearer $KEY" "$url"; }
alternate "$N" sample_authscope sample_curl
a=$med_a; c=$med_b
report "median authscope request:" "median curl:             " "ratio:"

# The same with curl's habits: a POST built from -H and -d, a full URL.
purl="http://127.0.0.1:$port/scale/v1/projects"
"$work/authscope" request -X POST -H 'Content-Type: application/json' -d '{"name":"bench-check","type":"imageannotation"}' "$purl" >/dev/null
# post_* RUN: each run creates its own project.
post_authscope() { "$work/authscope" request -X POST -H 'Content-Type: application/json' -d "{\"name\":\"bench-a-$1\",\"type\":\"imageannotation\"}" "$purl" >/dev/null; }
post_curl() { curl -s -o /dev/null -X POST -u 'live_ScaleRocks:' -H 'Content-Type: application/json' -d "{\"name\":\"bench-c-$1\",\"type\":\"imageannotation\"}" "$purl"; }
alternate "$N" post_authscope post_curl
a=$med_a; c=$med_b
report "median authscope request -X -H -d URL:" "median curl -X -H -d URL:" "ratio -H/-d:"

# Cross-check with hyperfine when it is installed (not alternating).
if command -v hyperfine >/dev/null; then
  echo
  hyperfine -N --warmup 3 --runs "$N" --style basic \
    -n authscope "env SCALING_API_KEY=$KEY $work/authscope request --provider scaling --base-url $base --sample incidents" \
    -n curl "curl -s -o /dev/null -H 'Authorization: Bearer $KEY' $url" 2>&1 | grep -E 'Benchmark|Time|faster|times' || true
fi
