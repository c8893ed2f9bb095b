#!/usr/bin/env bash
# J8 in a real terminal: a sandbox token, an Authorization: Bearer line,
# a Basic header and a bare key, each written to a file with every line
# ending (LF, CRLF, CR, CR CR), loaded with tmux load-buffer and pasted
# into the explorer's decode screen both ways: paste-buffer (the keys an
# unbracketed terminal paste sends: each CR an Enter, CRLF turned into
# CR CR) and paste-buffer -p (bracketed). Each is read for what it is,
# and the secret is on no screen (the pane's whole history checked, raw
# and Base64). The same files piped to `authscope decode` and `doctor`
# give the same first line.
#
#   scripts/tui-credentials.sh
#   AUTHSCOPE_BIN=/tmp/authscope scripts/tui-credentials.sh
#
# Needs tmux and curl. The tmux server runs on its own socket (-L) with
# default settings (-f /dev/null) and is killed at the end, with the
# sandbox this script starts.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/lib/tui.sh
tui_require tmux curl
tui_setup cred
tui_build

# A sandbox of its own, on a free loopback port: the token's issuer.
tui_sandbox
token=$(curl -fsS "$base/scalekit/oauth/token" -d grant_type=client_credentials \
  -d client_id=skc_sandbox_client -d client_secret=sandbox_client_secret | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "FAIL: no token from the sandbox" >&2; exit 1; }
key=scl_live_0123456789abcdef0123456789abcdef

tui_server

no_secrets() {
  local screen; screen=$(t capture-pane -p -S - -t "$session")
  for secret in "$@"; do
    [[ $screen == *"$secret"* ]] && fail "a secret is on screen (${secret:0:12}…)"
  done
  return 0
}

# write NAME TEXT: the text (lines joined by LF) once per line ending.
write() {
  local name=$1 text=$2
  printf '%s\n' "$text" >"$work/$name.lf"
  printf '%s\r\n' "$text" | sed 's/$//' >"$work/$name.crlf"
  printf '%s\n' "$text" | tr '\n' '\r' >"$work/$name.cr"
  printf '%s\n' "$text" | sed 's/$/\r\r/' | tr -d '\n' >"$work/$name.crcr"
}
write token "$token"
write bearer "Authorization: Bearer $token"
write basic "Authorization: Basic bGl2ZV9TY2FsZVJvY2tzOg=="
write key "$key"

# The same files through the commands: the first line says what was read.
for f in "$work"/token.* "$work"/bearer.* "$work"/basic.* "$work"/key.*; do
  for cmd in decode doctor; do
    first=$("$bin" "$cmd" <"$f" | head -1)
    case $first in "Read as "*) ;; *) echo "FAIL: $cmd < ${f##*/}: first line '$first'" >&2; exit 1 ;; esac
    out=$("$bin" "$cmd" --json <"$f")
    [[ $out == *"$token"* || $out == *"$key"* ]] && { echo "FAIL: $cmd --json < ${f##*/} shows the secret" >&2; exit 1; }
  done
done
echo "ok decode and doctor: 16 files (4 credentials × LF, CRLF, CR, CR CR) read as credentials, the secret masked"

session=paste
t new-session -d -s "$session" -x 120 -y 40 "$bin --provider scale --env sandbox"
wait_for "API key"
keys C-o; wait_for "Decode ·"
count=0
for name in token bearer basic key; do
  case $name in
    token)  want=("a JWT" "Scalekit, sandbox" "signature verified"); status="Scalekit"; secrets=("$token" "${token: -40}") ;;
    bearer) want=("an Authorization header line" "Scalekit, sandbox" "signature verified"); status="Scalekit"; secrets=("$token" "${token: -40}") ;;
    basic)  want=("an Authorization header line" "Scale AI, live" "':' present"); status="Scale AI"; secrets=(live_ScaleRocks bGl2ZV9TY2FsZVJvY2tzOg==) ;;
    key)    want=("an API key" "Scaling, production" "A well-formed Scaling key"); status="Scaling"; secrets=("$key") ;;
  esac
  for end in lf crlf cr crcr; do
    for how in plain bracketed; do
      t load-buffer -b cred "$work/$name.$end"
      if [ $how = plain ]; then t paste-buffer -b cred -t "$session"; keys C-s
      else t paste-buffer -p -b cred -t "$session"; fi
      wait_for "Credential" "${want[@]}"
      no_secrets "${secrets[@]}"
      # The status line names the paste's provider, not Scale AI's screen.
      line=$(t capture-pane -p -t "$session" | grep '^ Findings ' || true)
      [[ $line == *" $status "* ]] || fail "$name.$end ($how): status line '$line', want $status"
      keys Escape; wait_for "Decode ·"
      keys C-l
      count=$((count + 1))
    done
  done
done
no_secrets "$token" "$key" live_ScaleRocks
echo "ok explorer: $count pastes (4 credentials × 4 line endings × paste-buffer with and without -p, each load-buffer'd from a file) read for what they are; no secret in the pane's history"

# A raw response with CRLF line ends (curl -si's), loaded from a file and
# pasted both ways from the Scale AI screen: without -p tmux sends each
# CRLF as CR CR, two Enters. It decodes as Scaling's error (detected from
# the body, not the screen), its request id kept.
printf 'HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nX-Request-Id: 9b1c0d7e-0000-4000-8000-000000000001\r\n\r\n{"statusCode":401,"type":"not_authorized_error","code":"invalid_api_key","requestId":"550e8400-e29b-41d4-a716-446655440000"}\r\n' >"$work/response.crlf"
printf 'HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n' >"$work/plain401.crlf"
for how in plain bracketed; do
  t load-buffer -b cred "$work/response.crlf"
  if [ $how = plain ]; then t paste-buffer -b cred -t "$session"; keys C-s
  else t paste-buffer -p -b cred -t "$session"; fi
  wait_for "Inspector" "Scaling API error" "invalid_api_key" "550e8400-e29b-41d4-a716-446655440000" "detected from the body's shape (Scaling)"
  keys Escape; wait_for "Decode ·"; keys C-l
  # A plain 401 names no provider: from Scale AI's screen it is not blamed on Scale.
  t load-buffer -b cred "$work/plain401.crlf"
  if [ $how = plain ]; then t paste-buffer -b cred -t "$session"; keys C-s
  else t paste-buffer -p -b cred -t "$session"; fi
  wait_for "Inspector" "Read as: no provider"
  screen=$(t capture-pane -p -t "$session")
  [[ $screen == *"Scale AI"* ]] && fail "a plain 401 pasted $how is blamed on Scale AI"
  keys p; wait_for "assumed: Scaling"
  keys Escape; wait_for "Decode ·"; keys C-l
done
echo "ok explorer: a CRLF response pasted with and without -p (CR CR) decoded as Scaling's, its request id kept; a plain 401 read as no provider's, p assumed one"
