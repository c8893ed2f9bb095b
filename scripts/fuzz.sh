#!/usr/bin/env bash
# Run every fuzz target for a bounded time and print one table: target,
# executions, new corpus entries, result. Not part of scripts/test (it is
# long); crashes land in <pkg>/testdata/fuzz/<Target>/ and become
# regression seeds that the normal test run replays.
#   FUZZTIME=60s scripts/fuzz.sh        (default 30s per target)
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-30s}
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

targets=(
  "./decode/ FuzzDecodeBytes"          # the decoder, body or whole raw response
  "./decode/ FuzzParseRawResponse"     # raw HTTP response parsing
  "./authschemes/ FuzzDecodeJWT"       # JWT decoding
  "./authschemes/ FuzzParseTokenResponse"
  "./authschemes/ FuzzCheck"           # key-format checks and Basic encoding
  "./model/ FuzzSanitize"              # the terminal-escape sanitiser
)

printf '| target | package | time | executions | new inputs | result |\n|---|---|---|---|---|---|\n'
status=0
for entry in "${targets[@]}"; do
  read -r pkg target <<<"$entry"
  out="$log/$target.txt"
  if go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -parallel 2 >"$out" 2>&1; then
    result=ok
  else
    result="FAILED (see below)"
    status=1
  fi
  # The last progress line holds the totals: "execs: N (...), new interesting: M (total: T)".
  last=$(grep -E 'execs: [0-9]+' "$out" | tail -1 || true)
  execs=$(sed -nE 's/.*execs: ([0-9]+).*/\1/p' <<<"$last")
  fresh=$(sed -nE 's/.*new interesting: ([0-9]+).*/\1/p' <<<"$last")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$target" "$pkg" "$fuzztime" "${execs:-?}" "${fresh:-?}" "$result"
done
if [ "$status" -ne 0 ]; then
  for f in "$log"/*.txt; do
    grep -q -- '--- FAIL' "$f" && { echo; echo "== $(basename "$f" .txt)"; sed -n '/--- FAIL/,$p' "$f" | head -40; }
  done
fi
exit "$status"
