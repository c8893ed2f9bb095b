# Shared by scripts/tui-*.sh: source it after `set -euo pipefail` and the
# cd to the repository. It is not a tui-*.sh itself, so scripts/test does
# not run it.
#
#   tui_require TOOL...   stop with a one-line hint when a tool is missing
#   tui_setup NAME        $work, the tmux socket authscope-NAME-PID, and a
#                         trap that kills the tmux server, Xvfb and the
#                         sandbox this script started, then removes $work
#   tui_build             $bin: the binary built into $work (or AUTHSCOPE_BIN)
#   tui_xvfb FROM TO      $display: a private Xvfb on the first free :FROM..:TO
#   tui_server [ENV...]   the tmux server, default settings (-f /dev/null),
#                         TMUX and NO_COLOR unset; ENV is passed to env(1)
#   tui_sandbox           $base: `authscope sandbox` on a free loopback port
#   t, fail, wait_for, keys, alive: drive and check the pane of $session.

# tui_require TOOL...: each tool is on PATH, or the script stops.
tui_require() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "scripts/$(basename "$0"): $tool is not installed" >&2; exit 1; }
  done
}

# tui_setup NAME: $work, $sock and the cleanup trap.
tui_setup() {
  work=$(mktemp -d)
  sock="authscope-$1-$$"
  session=""
  xvfb_pid=""
  sandbox_pid=""
  trap tui_cleanup EXIT
}

tui_cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  [ -n "$sandbox_pid" ] && { kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; }
  rm -rf "$work"
}

# tui_build: AUTHSCOPE_BIN=path tests an already built binary instead.
tui_build() {
  if [ -n "${AUTHSCOPE_BIN:-}" ]; then cp "$AUTHSCOPE_BIN" "$work/authscope"; else go build -o "$work/authscope" .; fi
  bin="$work/authscope"
}

# tui_xvfb FROM TO: a private X display for the clipboard.
tui_xvfb() {
  local n
  for n in $(seq "$1" "$2"); do
    [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { display=":$n"; break; }
  done
  Xvfb "$display" -screen 0 640x480x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
}

# tui_server [ENV...]: the tmux server with default settings, its idle
# session keeping it up; ENV (-u NAME, NAME=VALUE) shapes its environment.
tui_server() {
  env -u TMUX -u NO_COLOR "$@" tmux -L "$sock" -f /dev/null new-session -d -s idle -x 80 -y 24 "sleep 600"
}

# tui_sandbox: a sandbox of its own on a free loopback port; $base is its URL.
tui_sandbox() {
  "$bin" sandbox --addr 127.0.0.1:0 --quiet >"$work/sandbox.log" 2>&1 &
  sandbox_pid=$!
  base=""
  for _ in $(seq 100); do
    base=$(sed -n 's/^authscope sandbox on \(http:[^ ]*\).*/\1/p' "$work/sandbox.log" | head -1)
    [ -n "$base" ] && break
    sleep 0.05
  done
  [ -n "$base" ] || { echo "FAIL: the sandbox did not start" >&2; cat "$work/sandbox.log" >&2; exit 1; }
}

t() { tmux -L "$sock" "$@"; }

fail() { echo "FAIL: $*" >&2; echo "--- screen:" >&2; t capture-pane -p -t "$session" >&2 || true; exit 1; }

# wait_for TEXT...: poll the screen until it shows every TEXT (200 polls,
# 10 s; wait_polls=N changes the bound).
wait_for() {
  for _ in $(seq "${wait_polls:-200}"); do
    screen=$(t capture-pane -p -t "$session" 2>/dev/null) || fail "the explorer is gone (it quit)"
    ok=1
    local text; for text in "$@"; do [[ $screen == *"$text"* ]] || { ok=0; break; }; done
    [ $ok = 1 ] && return 0
    sleep 0.05
  done
  fail "the screen never showed: $*"
}

keys() { t send-keys -t "$session" "$@"; }

# alive: the explorer still runs (tmux closes the session when it exits).
alive() { sleep 0.3; t has-session -t "$session" 2>/dev/null || fail "the explorer quit after: $*"; }
