# Shared by the bench scripts; source it after `set -euo pipefail`.

# median reads numbers, one a line, and prints their median.
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# require stops with a one-line hint when a tool is missing: require wrk wrk.
require() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "$(basename "$0"): $1 is not installed; install the Debian package $2 (or run .ci/run)" >&2
  exit 1
}

# with_workdir makes $work and stops every PID added to pids on exit.
with_workdir() {
  work=$(mktemp -d)
  pids=()
  trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; rm -rf "$work"' EXIT
}
