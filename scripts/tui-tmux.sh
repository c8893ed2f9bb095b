#!/usr/bin/env bash
# Plays journeys J1 and J3 on the built binary in a real terminal (tmux),
# checking the screen with capture-pane, and checks the clipboard for
# real: under Xvfb, after J1's copy key, `xclip -o -selection clipboard`
# must return exactly the header.
#
#   scripts/tui-tmux.sh
#   AUTHSCOPE_BIN=/tmp/authscope scripts/tui-tmux.sh
#
# Needs tmux, Xvfb and xclip (Debian packages; .ci/run installs them).
#
# The clipboard path: inside tmux the explorer would choose OSC 52 (tmux
# is a multiplexer and may be attached from another machine). This script
# runs it with AUTHSCOPE_CLIPBOARD=system, the documented switch that
# forces the local tool, so the xclip path is what gets exercised. The
# tmux server runs on its own socket (-L) and is killed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in tmux Xvfb xclip; do
  command -v "$tool" >/dev/null || { echo "scripts/tui-tmux.sh: $tool is not installed" >&2; exit 1; }
done

work=$(mktemp -d)
sock="authscope-test-$$"
xvfb_pid=""
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# AUTHSCOPE_BIN=path tests an already built binary instead.
if [ -n "${AUTHSCOPE_BIN:-}" ]; then cp "$AUTHSCOPE_BIN" "$work/authscope"; else go build -o "$work/authscope" .; fi

# A private X display for the clipboard.
for n in $(seq 90 120); do
  [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { display=":$n"; break; }
done
Xvfb "$display" -screen 0 640x480x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do DISPLAY=$display xclip -o -selection clipboard >/dev/null 2>&1 && break; [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done

fail() { echo "FAIL: $*" >&2; echo "--- screen:" >&2; tmux -L "$sock" capture-pane -p -t "$session" >&2 || true; exit 1; }

# start SESSION: the explorer in a fresh 100x30 terminal.
start() {
  session=$1
  tmux -L "$sock" new-session -d -s "$session" -x 100 -y 30 \
    "env -u TMUX DISPLAY=$display AUTHSCOPE_CLIPBOARD=system TERM=xterm-256color $work/authscope"
}

# wait_for TEXT...: poll the screen until it shows every TEXT (10 s bound).
wait_for() {
  for _ in $(seq 200); do
    screen=$(tmux -L "$sock" capture-pane -p -t "$session")
    ok=1
    for want in "$@"; do [[ $screen == *"$want"* ]] || { ok=0; break; }; done
    [ $ok = 1 ] && return 0
    sleep 0.05
  done
  fail "the screen never showed: $*"
}

keys() { tmux -L "$sock" send-keys -t "$session" "$@"; }

no_secrets() {
  screen=$(tmux -L "$sock" capture-pane -p -S - -t "$session")
  for secret in "$@"; do
    [[ $screen == *"$secret"* ]] && fail "a secret is on screen"
  done
  return 0
}

# J1: launch → Scale AI → Sandbox → demo key → steps → fire → copy header.
start j1
wait_for "Provider" "Scale AI"
keys 3; keys Enter;       wait_for "Credentials" "API key"
keys C-d;                 wait_for "demo: docs' key"
keys Enter;               wait_for "Steps" "Authorization: Basic ••••••••Og=="
keys f;                   wait_for "GET /v1/projects" "200 OK"
keys y;                   wait_for "Copied header via xclip"
got=$(DISPLAY=$display xclip -o -selection clipboard)
want="Authorization: Basic bGl2ZV9TY2FsZVJvY2tzOg=="
[ "$got" = "$want" ] || fail "clipboard holds '$got', want '$want'"
no_secrets live_ScaleRocks bGl2ZV9TY2FsZVJvY2tzOg==
echo "ok J1: 6 keys (3 Enter C-d Enter f y); xclip returned exactly: $got"

# J3: Scaling → Sandbox → a wrong key → 401 → inspector → copy the request id.
start j3
wait_for "Provider"
keys 1; keys Enter;       wait_for "Credentials" "Scaling"
wrong=scl_live_ffffffffffffffffffffffffffffffff
keys -l "$wrong"; keys Enter; wait_for "Steps"
keys f;                   wait_for "Inspector" "invalid_api_key" "Request id"
keys y;                   wait_for "Copied request id via xclip"
id=$(DISPLAY=$display xclip -o -selection clipboard)
[[ $id =~ ^[0-9a-f-]{36}$ ]] || fail "copied request id '$id' is not a uuid"
wait_for "$id"
no_secrets "$wrong"
echo "ok J3: the inspector showed invalid_api_key; request id $id copied via xclip"
