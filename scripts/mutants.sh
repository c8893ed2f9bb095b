#!/usr/bin/env bash
# Mutation testing with gremlins (github.com/go-gremlins/gremlins, from the
# Go module proxy): each mutant is a small change to the code (a condition
# negated, a boundary moved, an arithmetic operator swapped); the package's
# tests must fail on it ("killed"). Efficacy = killed / (killed + lived).
# Not part of ./scripts/test: it builds and tests the package once per
# mutant, minutes to an hour on two cores.
#
#   scripts/mutants.sh                 every scope below
#   scripts/mutants.sh redirect        one or more of: model redirect redact
#   WORKERS=1 scripts/mutants.sh ...   gremlins' parallelism (default 1)
#
# Scopes: model/ (the domain: masking, Scrub, Sanitize, targets), the
# sender's redirect policy (requests/send_redirect.go) and the redaction
# (doctor/redact*.go). Prints gremlins' report per scope, then one line
# per scope: "efficacy SCOPE killed lived efficacy%".
set -euo pipefail
cd "$(dirname "$0")/.."
GREMLINS=${GREMLINS:-github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0}
WORKERS=${WORKERS:-1}

# except DIR KEEP: -E arguments excluding every Go file of DIR (and its
# subdirectories) whose path relative to DIR does not match KEEP.
except() {
  local dir=$1 keep=$2 f rel
  while IFS= read -r f; do
    rel=${f#"$dir"/}
    [[ $rel =~ $keep ]] || printf '%s\n' -E "^$(sed 's/[.]/\\./g' <<<"$rel")\$"
  done < <(find "$dir" -name '*.go' ! -name '*_test.go' | sort)
}

run_scope() {
  local name=$1 dir=$2 keep=$3 log
  log=$(mktemp)
  mapfile -t excl < <(except "$dir" "$keep")
  echo "== $name: $dir ($keep)" >&2
  go run "$GREMLINS" unleash --workers "$WORKERS" --test-cpu 1 --timeout-coefficient 10 "${excl[@]}" "./$dir" 2>&1 | tee "$log" >&2 || true
  local killed lived
  killed=$(sed -n -E 's/.*Killed: ([0-9]+).*/\1/p' "$log" | tail -n 1)
  lived=$(sed -n -E 's/.*Lived: ([0-9]+).*/\1/p' "$log" | tail -n 1)
  rm -f "$log"
  if [ -n "$killed" ] && [ -n "$lived" ] && [ $((killed + lived)) -gt 0 ]; then
    echo "efficacy $name $killed $lived $(awk -v k="$killed" -v l="$lived" 'BEGIN{printf "%.1f", 100*k/(k+l)}')%"
  else
    echo "efficacy $name n/a (no result)"
  fi
}

scopes=("$@")
[ ${#scopes[@]} -gt 0 ] || scopes=(model redirect redact)
for s in "${scopes[@]}"; do
  case $s in
  model) run_scope model model '^[^/]+\.go$' ;;
  redirect) run_scope redirect requests '^send_redirect\.go$' ;;
  redact) run_scope redact doctor '^redact[^/]*\.go$' ;;
  *) echo "mutants.sh: unknown scope $s (model, redirect, redact)" >&2; exit 2 ;;
  esac
done
