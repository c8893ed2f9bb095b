#!/usr/bin/env bash
# Drives the built binary in a real terminal (tmux with its DEFAULT
# settings: no ~/.tmux.conf, set-clipboard external, allow-passthrough
# off), checking the screen with capture-pane:
#   - J1 and J3, the clipboard read back with xclip under Xvfb;
#   - Esc on every screen goes back one screen and never quits;
#   - J6: a multi-line curl pasted with CR line ends shows the doctor's
#     findings; replay, redacted copy and a HAR opened by path;
#   - a raw HTTP response pasted with CR line ends (tmux paste-buffer,
#     plain and bracketed) is decoded;
#   - without a display, an OSC 52 copy says it cannot be confirmed and
#     how to let it through tmux — and with that setting it arrives;
#   - NO_COLOR: captures with escapes (capture-pane -e) keep reverse video
#     on the selection, the focused field and the request id, and no colour;
#   - 80×24 and 40×12: the response status, the whole request id and the
#     quit key stay on screen.
#
#   scripts/tui-tmux.sh
#   AUTHSCOPE_BIN=/tmp/authscope scripts/tui-tmux.sh
#
# Needs tmux, Xvfb and xclip (Debian packages; .ci/run installs them).
#
# The explorer runs as on a local desktop: DISPLAY points at a private
# Xvfb and no SSH variables are set; TMUX is what tmux itself sets, and
# AUTHSCOPE_CLIPBOARD is not set, so the explorer makes its own choice.
# The tmux server runs on its own socket (-L) and is killed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/lib/tui.sh
tui_require tmux Xvfb xclip
tui_setup test
tui_build
tui_xvfb 90 120

# The server starts once, with default settings (-f /dev/null) and the
# environment of a local desktop session.
tui_server -u SSH_CONNECTION -u SSH_TTY -u SSH_CLIENT -u AUTHSCOPE_CLIPBOARD DISPLAY="$display"
[ "$(t show -gv set-clipboard)" = external ] || fail "tmux is not on its default set-clipboard"

# start SESSION [WxH] [ENV=VALUE...]: the explorer in a fresh terminal.
start() {
  session=$1
  local size=${2:-100x30}
  shift 2 || shift $#
  t new-session -d -s "$session" -x "${size%x*}" -y "${size#*x}" "env $* $work/authscope"
}

no_secrets() {
  screen=$(t capture-pane -p -S - -t "$session")
  for secret in "$@"; do
    [[ $screen == *"$secret"* ]] && fail "a secret is on screen"
  done
  return 0
}

# J1: launch → Scale AI → Sandbox → demo key → steps → fire → copy header.
start j1 100x30 DISPLAY="$display"
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
echo "ok J1: 6 keys (3 Enter C-d Enter f y) inside default tmux; xclip returned exactly: $got"

# ? works while the toast shows; Esc closes the help, not the screen.
keys '?';                 wait_for "Copied header via xclip" "decode a paste"
keys Escape; alive "esc on the help over a toast"; wait_for "GET /v1/projects" "200 OK"
echo "ok ?: the full help opened over the copy toast; esc closed it and stayed"

# Esc on every screen, from J1's answer back to the picker, then more.
keys w;                   wait_for "Request as sent" "Authorization: Basic ••••••••Og==" "User-Agent:"
no_secrets live_ScaleRocks bGl2ZV9TY2FsZVJvY2tzOg==
keys c;                   wait_for "Copy" "curl command"
keys Escape; alive "esc on the copy menu";    wait_for "Request as sent"
keys '?';                 wait_for "decode a paste"
keys Escape; alive "esc on the help";         wait_for "Request as sent"
keys Escape; alive "esc on the answer";       wait_for "Requests · Scale AI"
keys d;                   wait_for "Decode ·"
keys Escape; alive "esc on decode";           wait_for "Requests · Scale AI"
keys Escape; alive "esc on the samples";      wait_for "Steps" "1. Join user-id and password"
keys Escape; alive "esc on the steps";        wait_for "Credentials" "demo: docs' key"
keys Escape; alive "esc on the credentials";  wait_for "Environment for Scale AI"
keys Escape; alive "esc on the environments"
for i in 1 2 3 4 5; do keys Escape; done; alive "five esc on the first screen"
wait_for "Provider"
# What was typed survives: back to Scale AI's sandbox, the key is there.
keys 3; keys Enter;       wait_for "Credentials" "demo: docs' key" "•••••••••••••••"
keys C-c; sleep 0.3; t has-session -t j1 2>/dev/null && fail "ctrl+c did not quit"
echo "ok Esc: copy menu, help, answer, decode, samples, steps, credentials, environments each went back one; 5 more esc on the picker did not quit; the key typed came back; ctrl+c quit"

# J3: Scaling → Sandbox → a wrong key → 401 → inspector → copy the request id.
start j3 100x30 DISPLAY="$display"
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

# 80×24 and 40×12: the status, the whole request id and the quit key.
keys Escape;              wait_for "401 Unauthorized" "q quit"
for size in 80x24 40x12; do
  t resize-window -t j3 -x "${size%x*}" -y "${size#*x}"
  wait_for "401 Unauthorized" "q quit" "$id"
  screen=$(t capture-pane -p -t j3)
  last=$(printf '%s\n' "$screen" | tail -n 1)
  [[ $last == *"q quit"* ]] || fail "$size: the quit key is not on the last line: $last"
  echo "ok $size: 401 Unauthorized, request id $id whole, '$last'"
done
keys C-c

# No display: OSC 52 is all there is. The toast must not claim a copy,
# and must say how to let it through tmux; with that setting, it arrives.
start osc 100x30 DISPLAY=
wait_for "Provider"
keys 3; keys Enter; keys C-d; keys Enter; wait_for "Steps"
keys y;                   wait_for "cannot be confirmed" "set-clipboard on"
screen=$(t capture-pane -p -t osc)
[[ $screen == *"Copied header"* ]] && fail "an OSC 52 copy was reported as copied"
t set -g set-clipboard on
sleep 4.5 # the first toast goes
keys y;                   wait_for "cannot be confirmed"
sleep 0.3
got=$(t show-buffer)
[ "$got" = "$want" ] || fail "with set-clipboard on, tmux's buffer holds '$got', want '$want'"
t set -g set-clipboard external
echo "ok OSC 52: reported as 'cannot be confirmed' with 'set -g set-clipboard on'; with that set, tmux received exactly the header"
keys C-c

# NO_COLOR: no colour, but reverse video marks the selection, the
# focused field and the request id (capture-pane -e keeps attributes).
colours() { grep -oE $'\e\\[[0-9;]*m' | tr -d '\033[m' | tr ';' '\n' | grep -xE '3[0-8]|4[0-8]|9[0-7]|10[0-7]' || true; }
start nocolor 100x30 DISPLAY="$display" NO_COLOR=1
wait_for "Provider"
screen=$(t capture-pane -e -p -t nocolor)
printf '%s\n' "$screen" | grep '1 Scaling' | grep -q $'\e\\[[0-9;]*7' || fail "NO_COLOR: the selected row is not in reverse video"
[ -z "$(printf '%s' "$screen" | colours)" ] || fail "NO_COLOR: colour on the picker: $(printf '%s' "$screen" | colours | sort -u | tr '\n' ' ')"
keys 1; keys Enter;       wait_for "Credentials"
screen=$(t capture-pane -e -p -t nocolor)
printf '%s\n' "$screen" | grep 'API key' | grep -q $'\e\\[[0-9;]*7' || fail "NO_COLOR: the focused field's label is not in reverse video"
keys -l "$wrong"; keys Enter; wait_for "Steps"
keys f;                   wait_for "Inspector" "Request id"
screen=$(t capture-pane -e -p -t nocolor)
printf '%s\n' "$screen" | grep 'Request id' | grep -q $'\e\\[[0-9;]*7' || fail "NO_COLOR: the request id is not in reverse video"
[ -z "$(printf '%s' "$screen" | colours)" ] || fail "NO_COLOR: colour on the inspector"
echo "ok NO_COLOR: reverse video on the selection, the focused field and the request id; no colour parameters in capture-pane -e"
keys C-c

# ctrl+v in decode pastes the system clipboard (filled here with xclip).
printf '%s' '{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","requestId":"0b9a8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d"}' |
  DISPLAY=$display xclip -i -selection clipboard
start ctrlv 100x30 DISPLAY="$display"
wait_for "Provider"
keys 1; keys Enter;       wait_for "Credentials"
keys C-o;                 wait_for "Decode ·"
keys C-v;                 wait_for "Inspector" "invalid_api_key" "0b9a8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d"
echo "ok decode: opened with ctrl+o from the credentials field; ctrl+v pasted the X clipboard and it was decoded"
keys C-c

# J6: a customer's multi-line curl put in a tmux buffer and pasted into
# decode (tmux turns each LF into CR), bracketed (decodes at once) and
# plain (the keys a terminal sends, then ctrl+s): the doctor's findings.
# Then r replays on the sandbox, x copies the redacted curl, and a HAR
# opened by its path shows findings across its entries; y copies an id.
key6=scl_live_9Qx7RkT2mWcY4bN8pLs1Vd6Hf3Jg0Aze
t set-buffer -b curl "curl --request GET \\
  --url 'https://api.scaling.cloud/v1/incidents?limit=10' \\
  --header 'Authorization: Bearer Bearer $key6'"
t show-buffer -b curl | grep -q $'\\\\$' || fail "the curl buffer lost its continuations"
for how in bracketed plain; do
  start "j6-$how" 120x40 DISPLAY="$display"
  wait_for "Provider"
  keys d;                 wait_for "Decode ·"
  if [ $how = plain ]; then t paste-buffer -b curl -t "$session"; keys C-s
  else t paste-buffer -p -b curl -t "$session"; fi
  wait_for "Findings, most likely cause first" "curl command line" "scaling, production" '"Bearer Bearer" is pasted twice'
  no_secrets "$key6"
  # Back on decode the paste reads as doctor --redact writes it.
  keys Escape;            wait_for "Decode ·" "Bearer Bearer scl_live_••••••••0Aze"
  no_secrets "$key6"
  keys C-s;               wait_for "Findings, most likely cause first"
  echo "ok J6: a multi-line curl pasted $how with CR line ends showed the findings (keys: d, paste$([ $how = plain ] && echo ", ctrl+s"))"
  [ $how = plain ] && { keys C-c; continue; }
  keys r;                 wait_for "Replay on the sandbox" "keep one scheme word" "invalid_api_key id" "200 id "
  echo "ok J6: r replayed on the sandbox: before 401, after 'keep one scheme word' 200"
  keys x;                 wait_for "Copied redacted copy via xclip"
  got=$(DISPLAY=$display xclip -o -selection clipboard)
  [[ $got == *"Bearer Bearer scl_live_"*"0Aze"* && $got != *"$key6"* ]] || fail "the redacted copy is '$got'"
  [[ $got != *$'\r'* ]] || fail "the redacted copy keeps the paste's CR line ends"
  bash -n <<<"$got" || fail "the redacted curl is not a valid shell command"
  echo "ok J6: x copied the redacted curl via xclip, key masked: $(printf '%s' "$got" | tail -n 1 | tr -d '\r')"
  keys Escape;            wait_for "Decode ·"
  keys C-l; keys -l "$PWD/doctor/testdata/chromium-sandbox.har"; keys C-s
  wait_for "HAR file" "10 request(s)" "A stale token" "Request id"
  keys y;                 wait_for "Copied request id via xclip"
  id=$(DISPLAY=$display xclip -o -selection clipboard)
  [[ $id =~ ^[0-9a-f-]{36}$ ]] || fail "copied request id '$id' is not a uuid"
  echo "ok J6: a HAR opened by path showed its findings; y copied request id $id via xclip"
  keys C-c
done

# Last, a raw response pasted with CR line ends, plain (the keys a terminal
# sends) and bracketed (paste-buffer -p): tmux turns each LF into CR.
raw=$'HTTP/1.1 401 Unauthorized\nContent-Type: application/json\nX-Request-Id: 7d0c8f3a-1b2c-4d5e-8f90-a1b2c3d4e5f6\n\n{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","requestId":"7d0c8f3a-1b2c-4d5e-8f90-a1b2c3d4e5f6"}'
t set-buffer -b raw "$raw"
for how in plain bracketed; do
  start "paste-$how" 100x30 DISPLAY="$display"
  wait_for "Provider"
  keys d;                 wait_for "Decode ·"
  if [ $how = plain ]; then t paste-buffer -b raw -t "$session"; keys C-s
  else t paste-buffer -p -b raw -t "$session"; fi
  wait_for "Inspector" "invalid_api_key" "7d0c8f3a-1b2c-4d5e-8f90-a1b2c3d4e5f6" "401 Unauthorized"
  echo "ok decode: a CR-only raw response pasted $how was decoded (401, invalid_api_key, its request id)"
  keys C-c
done


# One credential everywhere: a key typed with a trailing space, fired (200),
# then every copy kind taken from the copy menu, read back with xclip and
# run for real while the explorer (and its sandbox) runs: each must carry
# the trimmed key and get the explorer's own 200.
start copies 100x30 DISPLAY="$display"
wait_for "Provider" "Scale AI"
keys 3; keys Enter;                 wait_for "Credentials" "API key"
keys -l 'live_ScaleRocks '; keys Enter; wait_for "Steps" "Authorization: Basic ••••••••Og=="
keys f;                             wait_for "GET /v1/projects" "200 OK"
keys c;                             wait_for "curl command"
clip() { DISPLAY=$display xclip -o -selection clipboard 2>/dev/null || true; }
# copy N: take menu item N and wait until the clipboard holds it.
copy() {
  printf '' | DISPLAY=$display xclip -i -selection clipboard
  keys "$1"
  for _ in $(seq 100); do [ -n "$(clip)" ] && return 0; sleep 0.05; done
  fail "copy menu item $1 never reached the clipboard"
}
run=$work/run; mkdir -p "$run"
copy 2; clip >"$run/curl.sh"
base=""; [[ $(<"$run/curl.sh") =~ (http://127\.0\.0\.1:[0-9]+/scale) ]] && base=${BASH_REMATCH[1]}
[ -n "$base" ] || fail "the curl snippet names no sandbox URL: $(cat "$run/curl.sh")"
grep -q "live_ScaleRocks:'" "$run/curl.sh" || fail "the curl snippet does not carry the trimmed key"
bash "$run/curl.sh" >"$run/curl.out" && head -1 "$run/curl.out" | grep -q " 200" || fail "the copied curl did not get 200"
copy 1; header=$(clip)
[ "$header" = "Authorization: Basic bGl2ZV9TY2FsZVJvY2tzOg==" ] || fail "copied header '$header' is not the trimmed key's"
[ "$(curl -sS -o /dev/null -w '%{http_code}' -H "$header" "$base/v1/projects")" = 200 ] || fail "the copied header did not get 200"
copy 3; clip >"$run/env.sh"
got=$(bash -c ". '$run/env.sh'; printf '%s' \"\$SCALE_API_KEY\"")
[ "$got" = live_ScaleRocks ] || fail "the env exports set SCALE_API_KEY='$got'"
copy 4; clip >"$run/main.go"
(cd "$run" && GOFLAGS= go run main.go >"$run/go.out") && head -1 "$run/go.out" | grep -q "^200" || fail "the copied Go program did not get 200"
copy 5; clip >"$run/call.py"
py=$(for p in python3 /usr/bin/python3; do "$p" -c 'import requests' 2>/dev/null && { echo "$p"; break; }; done)
[ -n "$py" ] || fail "no python3 with requests (Debian: python3-requests)"
"$py" "$run/call.py" >"$run/py.out" && head -1 "$run/py.out" | grep -qx 200 || fail "the copied Python script did not get 200"
copy 6; clip >"$run/call.mjs"
node "$run/call.mjs" >"$run/node.out" && head -1 "$run/node.out" | grep -qx 200 || fail "the copied Node script did not get 200"
echo "ok copies: key typed as 'live_ScaleRocks ' (trailing space); header, curl, env, Go, Python and Node copied via xclip each carried the trimmed key and got 200 from $base"
keys C-c
