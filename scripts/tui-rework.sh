#!/usr/bin/env bash
# Drives the built binary in a real terminal (tmux, default settings)
# through J9, the issue's "done when": a customer's curl pasted into the
# doctor, resent as pasted, edited twice and resent, the three answers
# in the history, two of them compared, the session exported as a HAR
# that `authscope doctor` reads back; the command line's curl habits;
# Esc never quits; no key on any screen once sent.
#
#   scripts/tui-rework.sh
#   AUTHSCOPE_BIN=/tmp/authscope scripts/tui-rework.sh
#
# Needs tmux. The tmux server runs on its own socket (-L) and is killed
# at the end, with the sandbox this script starts.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/tui.sh
tui_require tmux
tui_setup rework
tui_build
A="$bin"
tui_sandbox

CUSTOMER=scl_live_ffffffffffffffffffffffffffffffff
DEMO=scl_live_0123456789abcdef0123456789abcdef

typed() { t send-keys -t "$session" -l "$1"; }
show() { echo "--- $1"; t capture-pane -p -t "$session" | sed -n "1,${2:-8}p" | sed 's/[[:space:]]*$//'; }

tui_server
session=j9
t new-session -d -s j9 -x 120 -y 36 "cd $work && env AUTHSCOPE_EXPORT_DIR=$work $A"
wait_for "Provider"

# d, paste the customer's curl (tmux paste-buffer, bracketed).
keys d; wait_for "Decode"
t set-buffer -b curl "curl -H 'Authorization: Bearer $CUSTOMER' '$base/scaling/v1/incidents?limit=10'"
t paste-buffer -p -b curl -t j9
wait_for "Findings" "e edit and resend"
show "d, paste: the findings" 6
keys e; wait_for "Edit and resend" "Authorization: as pasted" "ready: ctrl+s sends GET /scaling/v1/incidents?limit=10"
show "e: the editor" 9

keys C-s; wait_for "401 Unauthorized" "invalid_api_key"
show "ctrl+s: the answer as pasted (inspector on top)" 6
keys Escape; alive "esc on the inspector"; keys Escape; alive "esc on the answer"; wait_for "Edit and resend"

keys Up Up C-a C-k; typed "Authorization: Bearer $DEMO"; wait_for "1 change(s)"
keys C-s; wait_for "200 OK" "Changed: header Authorization replaced"
show "edit 1 (the key retyped), ctrl+s" 4
keys Escape; alive "esc on the answer"; wait_for "Edit and resend"

keys Enter; typed "X-Debug: 1"; keys Up Up C-e BSpace BSpace; typed "5"; wait_for "3 change(s)"
keys C-s; wait_for "200 OK" "limit=5"
show "edit 2 (a header added, the query changed), ctrl+s" 5

keys H; wait_for "3 requests this session" "#3" "#2" "#1"
show "H: the history" 5
keys m Down Down v; wait_for "Compare" "≠ status: 401 Unauthorized" "status: 200 OK"
show "m ↓ ↓ v: #1 and #3 compared" 12
keys Escape; alive "esc on the compare"; wait_for "History"
keys x; wait_for "exported 3 requests"
show "x: exported" 6

for _ in $(seq 12); do keys Escape; done; alive "twelve esc"; wait_for "Provider"
screen=$(t capture-pane -p -S - -t j9)
[[ $screen == *"$CUSTOMER"* ]] && fail "the customer's key is on screen"
keys C-c; sleep 0.3

har=$(ls "$work"/authscope-session-*.har)
grep -q -e "$CUSTOMER" -e "$DEMO" "$har" && fail "the HAR holds a key"
echo "--- authscope doctor $(basename "$har")"
"$A" doctor "$har" | head -4
"$A" doctor --json "$har" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("read back:", r["input"], len(r["requests"]), "requests, statuses", [q.get("status") for q in r["requests"]], "ids", r["request_ids"][:3])'

echo "--- the command line with curl's habits"
echo '{"name":"tmux-demo","type":"imageannotation"}' | "$A" request -X POST -H 'Content-Type: application/json' -d @- -o "$work/p.json" -v "$base/scale/v1/projects" 2>"$work/wire" | grep -E "Changed|Status|written"
grep -E '^> (POST|Content-Type)|^< HTTP' "$work/wire"
echo "ok J9: paste → e → ctrl+s (401) → edit → ctrl+s (200) → edit → ctrl+s (200) → H → m ↓ ↓ v → x → doctor read the HAR back; esc never quit"
