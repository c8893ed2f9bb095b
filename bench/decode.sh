#!/usr/bin/env bash
# Benchmark: `authscope decode` of a 10 MiB JSON error body versus `jq .`
# on the same file, whole process each, alternating in one run. The body
# is Scaling's validation error with a details array padded to 10 MiB,
# generated into a temporary directory. Prints the medians and the ratio
# authscope/jq (lower is better; no target is set, jq is the yardstick).
#
#   bench/decode.sh            N=10 runs of each
#   N=30 bench/decode.sh
#   AUTHSCOPE_BIN=/tmp/authscope bench/decode.sh
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-10}
SIZE=$((10 << 20))
if ! [[ $N =~ ^[1-9][0-9]*$ ]] || [ "$N" -gt 1000 ]; then
  echo "bench/decode.sh: N must be a whole number from 1 to 1000, got '$N'" >&2
  exit 2
fi
if ! command -v jq >/dev/null 2>&1; then
  echo "bench/decode.sh: jq is not installed (apt-get install jq)" >&2
  exit 1
fi

. bench/lib.sh
with_workdir
build_authscope

# Exactly SIZE bytes: the head and tail of a Scaling error around
# details entries, the last one padded to the byte.
python3 - "$work/body.json" "$SIZE" <<'PY'
import sys
path, size = sys.argv[1], int(sys.argv[2])
head = ('{"statusCode":422,"type":"validation_error","code":"invalid_parameter",'
        '"requestId":"0b6c3a4e-5f21-4d8a-9c1e-7a2b3c4d5e6f",'
        '"message":"The request has 1 or more invalid parameters.","details":[')
tail = ']}'
item = '{"field":"incidents[%d].service","issue":"must be an existing service id","value":"svc_%08d"}'
pad_item = '{"pad":"%s"}'
parts, n, i = [], len(head) + len(tail), 0
while True:
    s = item % (i, i)
    if n + len(s) + 1 + len(pad_item % "") + 1 > size:  # keep room for the pad
        break
    parts.append(s); n += len(s) + (1 if i else 0); i += 1
parts.append(pad_item % ("x" * (size - n - len(pad_item % "") - 1)))
with open(path, "w") as f:
    f.write(head + ",".join(parts) + tail)
PY
body="$work/body.json"
[ "$(wc -c <"$body")" -eq "$SIZE" ] || { echo "bench/decode.sh: the generated body is not $SIZE bytes" >&2; exit 1; }

# Both must succeed, and decode must recognise the shape, before timing.
"$work/authscope" decode "$body" >"$work/report.txt"
grep -q '^Scaling API error' "$work/report.txt" || { echo "bench/decode.sh: decode did not recognise the body:" >&2; head -5 "$work/report.txt" >&2; exit 1; }
jq . "$body" >/dev/null


echo "authscope decode vs jq . on a $(wc -c <"$body") byte JSON error body, $N runs each, alternating"
decode_authscope() { "$work/authscope" decode "$body" >/dev/null; }
decode_jq() { jq . "$body" >/dev/null; }
alternate "$N" decode_authscope decode_jq
a=$med_a; j=$med_b
awk -v a="$a" -v j="$j" 'BEGIN {
  printf "median authscope decode: %.2f ms\nmedian jq .:             %.2f ms\n", a / 1000, j / 1000
  printf "ratio: %.2f (authscope/jq; below 1 is faster than jq)\n", a / j
}'
