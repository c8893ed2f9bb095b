#!/usr/bin/env bash
# Peak memory and wall time of `authscope doctor` on big HARs: a 50 MB
# browser-like HAR (2,000 entries, most carrying ~25 KB base64 bodies, a
# token refresh and a 401 among them) and a HAR of 10,000 small entries;
# each examined, as --json, and --redact. Prints one Markdown table, then
# the two ratios bench/run reports for the 50 MB HAR (medians of N runs,
# default 3): --redact's peak RSS against the file's size, and its wall
# time against plain `doctor`'s ("ratios rss=… time=…" and their parts).
# Peak RSS from GNU time (%M), else VmHWM sampled from /proc.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
with_workdir
require python3 python3

go build -o "$work/authscope" .

# gen FILE ENTRIES BODY_BYTES: a HAR like a browser's export.
gen() {
  python3 - "$@" <<'PY'
import base64, json, os, sys
path, n, body = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
tok = "eyJhbGciOiJSUzI1NiIsImtpZCI6InNua18xIn0.eyJpc3MiOiJodHRwczovL2FjbWUuc2NhbGVraXQuY29tIiwiZXhwIjoxNzk2MTE1NjAwfQ.c2ln"
blob = base64.b64encode(os.urandom(body * 3 // 4)).decode() if body else ""
with open(path, "w") as f:
    f.write('{"log":{"version":"1.2","creator":{"name":"bench","version":"1"},"entries":[\n')
    for i in range(n):
        api = i % 50 == 0
        e = {"startedDateTime": "2026-11-30T10:%02d:%02d.000Z" % (i // 60 % 60, i % 60), "time": 12,
             "request": {"method": "GET", "url": ("https://acme.scalekit.com/api/v1/organizations" if api else "https://cdn.example.com/img/%d.png" % i),
                         "httpVersion": "HTTP/2", "headers": ([{"name": "authorization", "value": "Bearer " + tok}] if api else [{"name": "cookie", "value": "sid=abcdefgh%d" % i}]),
                         "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
             "response": {"status": 401 if i == n // 2 else 200, "statusText": "", "httpVersion": "HTTP/2",
                          "headers": [{"name": "x-request-id", "value": "req-%06d" % i}, {"name": "date", "value": "Mon, 30 Nov 2026 10:00:00 GMT"}],
                          "cookies": [], "content": ({"size": 120, "mimeType": "application/json", "text": '{"code":16,"message":"Token is invalid"}'} if api else
                                                     {"size": len(blob), "mimeType": "image/png", "encoding": "base64", "text": blob}),
                          "redirectURL": "", "headersSize": -1, "bodySize": -1},
             "cache": {}, "timings": {"send": 0, "wait": 11, "receive": 1}}
        f.write(("," if i else "") + json.dumps(e) + "\n")
    f.write("]}}\n")
PY
}

gen "$work/big.har" 2000 26000
gen "$work/many.har" 10000 0

run() {
  local out=$1; shift
  if [ -x /usr/bin/time ]; then
    set +e; /usr/bin/time -f '%x %e %M' -o "$work/time" "$@" >"$out" 2>"$work/err"; set -e
    tail -n 1 "$work/time"; return
  fi
  local start end pid hwm=0 h
  start=$(date +%s.%N)
  "$@" >"$out" 2>"$work/err" & pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    h=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$h" ] && [ "$h" -gt "$hwm" ] && hwm=$h; sleep 0.01
  done
  set +e; wait "$pid"; local code=$?; set -e
  end=$(date +%s.%N)
  echo "$code $(echo "$end - $start" | bc -l) $hwm"
}

echo "| input | size | command | exit | wall s | peak RSS MiB |"
echo "|---|---|---|---|---|---|"
status=0
for f in big many; do
  size=$(du -m "$work/$f.har" | cut -f1)
  for flags in "" "--json" "--redact"; do
    read -r code wall kib < <(run "$work/out" "$work/authscope" doctor "$work/$f.har" $flags)
    printf '| %s.har | %s MB | doctor %s | %s | %s | %.1f |\n' "$f" "$size" "${flags:-(text)}" "$code" "$wall" "$(echo "$kib / 1024" | bc -l)"
    [ "$code" = 0 ] || { status=1; cat "$work/err" >&2; }
    if [ "$flags" = "--redact" ] && grep -q 'sid=abcdefgh' "$work/out"; then echo "a cookie survived --redact" >&2; status=1; fi
  done
done
# The ratios: N runs of plain doctor and --redact on big.har, alternating.
N=${N:-3}
: >"$work/plain.t"; : >"$work/redact.t"; : >"$work/redact.m"
for _ in $(seq "$N"); do
  read -r code wall kib < <(run "$work/out" "$work/authscope" doctor "$work/big.har")
  [ "$code" = 0 ] || status=1
  echo "$wall" >>"$work/plain.t"
  read -r code wall kib < <(run "$work/out" "$work/authscope" doctor "$work/big.har" --redact)
  [ "$code" = 0 ] || status=1
  echo "$wall" >>"$work/redact.t"; echo "$kib" >>"$work/redact.m"
done
file_kib=$(( $(stat -c %s "$work/big.har") / 1024 ))
plain=$(median <"$work/plain.t"); redact=$(median <"$work/redact.t"); rss=$(median <"$work/redact.m")
echo
echo "redact rss_mib=$(awk -v k="$rss" 'BEGIN{printf "%.1f", k/1024}') file_mib=$(awk -v k="$file_kib" 'BEGIN{printf "%.1f", k/1024}') redact_s=$redact plain_s=$plain"
echo "ratios rss=$(awk -v a="$rss" -v b="$file_kib" 'BEGIN{printf "%.2f", a/b}') time=$(awk -v a="$redact" -v b="$plain" 'BEGIN{printf "%.2f", a/b}')"
exit $status
