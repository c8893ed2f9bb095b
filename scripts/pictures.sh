#!/usr/bin/env bash
# Makes the README's pictures of the explorer from the real program in a
# real terminal: the binary runs in a 100x30 tmux pane, the journeys are
# played with send-keys, the screen is captured with its colours
# (`capture-pane -e`) and rendered to PNG by charmbracelet/freeze.
#
#   scripts/pictures.sh            # writes docs/pictures/j1-basic.png, j2-token.png, j3-inspector.png
#   OUT=/tmp/pics scripts/pictures.sh
#
# Run it again whenever a screen changes. Needs tmux; freeze is fetched
# through the Go module proxy on first use (go run …@v0.2.2, about a minute
# cold, cached afterwards). The .ans captures are kept beside the PNGs so a
# change in a screen shows in `git diff` as text too.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v tmux >/dev/null || { echo "scripts/pictures.sh: tmux is not installed" >&2; exit 1; }
out=${OUT:-docs/pictures}
mkdir -p "$out"
work=$(mktemp -d)
sock="authscope-pictures-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/authscope" .
freeze=(go run github.com/charmbracelet/freeze@v0.2.2)

start() {
  session=$1
  # A private HOME and no clipboard tools: a picture must not depend on the
  # machine it was made on.
  tmux -L "$sock" new-session -d -s "$session" -x 100 -y 30 \
    "env HOME=$work TERM=xterm-256color COLORTERM=truecolor $work/authscope"
}
keys() { tmux -L "$sock" send-keys -t "$session" "$@"; }
wait_for() {
  for _ in $(seq 200); do
    screen=$(tmux -L "$sock" capture-pane -p -t "$session")
    ok=1
    for want in "$@"; do [[ $screen == *"$want"* ]] || { ok=0; break; }; done
    [ $ok = 1 ] && return 0
    sleep 0.05
  done
  echo "scripts/pictures.sh: the screen never showed: $*" >&2
  tmux -L "$sock" capture-pane -p -t "$session" >&2
  exit 1
}
shoot() {
  sleep 0.3 # let a spinner or countdown settle on a frame
  tmux -L "$sock" capture-pane -e -p -t "$session" >"$out/$1.ans"
  "${freeze[@]}" --language ansi --window --padding 20 --font.size 14 -o "$out/$1.png" <"$out/$1.ans" >/dev/null
  echo "wrote $out/$1.png"
  tmux -L "$sock" kill-session -t "$session"
}

# J1: Scale AI → Sandbox → the docs' demo key → the Basic steps.
start j1
wait_for "Scale AI"
keys 3; keys Enter; wait_for "API key"
keys C-d;           wait_for "demo"
keys Enter;         wait_for "Authorization: Basic"
shoot j1-basic

# J2: Scalekit → Sandbox → demo client → the token exchange and its claims.
start j2
wait_for "Scalekit"
keys 2; keys Enter; wait_for "Client"
keys C-d;           wait_for "demo"
keys Enter;         wait_for "Bearer"
for _ in $(seq 30); do keys Down; done
shoot j2-token

# J3: Scaling → Sandbox → a wrong key → 401 → the inspector, request id highlighted.
start j3
wait_for "Scaling"
keys 1; keys Enter; wait_for "Credentials"
keys -l scl_live_ffffffffffffffffffffffffffffffff; keys Enter; wait_for "Steps"
keys f;             wait_for "invalid_api_key"
shoot j3-inspector
