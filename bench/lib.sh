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

# alternate N A B runs the commands A and B N times, alternating, whole
# process each (A and B are given the run number, 1 to N), and sets
# med_a and med_b to their median times in microseconds.
alternate() {
  local n=$1 cmd_a=$2 cmd_b=$3 i t0 t1 t2
  : >"$work/alternate.a"; : >"$work/alternate.b"
  for i in $(seq "$n"); do
    t0=$(date +%s%N)
    "$cmd_a" "$i"
    t1=$(date +%s%N)
    "$cmd_b" "$i"
    t2=$(date +%s%N)
    echo $(( (t1 - t0) / 1000 )) >>"$work/alternate.a"
    echo $(( (t2 - t1) / 1000 )) >>"$work/alternate.b"
  done
  med_a=$(median <"$work/alternate.a"); med_b=$(median <"$work/alternate.b")
}

# free_port prints a free loopback port (the kernel's pick).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# build_authscope puts the binary at $work/authscope: AUTHSCOPE_BIN's, or
# this checkout built.
build_authscope() {
  if [ -n "${AUTHSCOPE_BIN:-}" ]; then cp "$AUTHSCOPE_BIN" "$work/authscope"; else go build -o "$work/authscope" .; fi
}

# start_sandbox PATH: `authscope sandbox` on a free port, stopped on exit
# (with_workdir's pids); sets $port and waits until PATH answers.
start_sandbox() {
  port=$(free_port)
  "$work/authscope" sandbox --addr "127.0.0.1:$port" >"$work/sandbox.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port$1" && break; sleep 0.1; done
}
