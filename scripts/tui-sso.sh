#!/usr/bin/env bash
# J7 single sign-on in a real terminal (tmux, default settings), on the
# built-in sandbox, with no browser:
#   - Scalekit → Sandbox → demo client → ctrl+t (SSO login) → enter: the
#     verifier, challenge, state, nonce, the fixed listener port and the
#     URL; y copies the URL (read back with xclip under Xvfb);
#   - s signs in as the sandbox's demo user; r refreshes; l builds the
#     logout URL;
#   - o opens the URL in $BROWSER (here curl, which follows the sandbox's
#     redirect to authscope's listener, as a browser would);
#   - three failed logins, each landing in the inspector: another
#     redirect URI, a wrong verifier, a reused code (x picks the what-if,
#     n starts a new sign-in);
#   - H lists every request of those sign-ins in the session's history;
#   - no secret on any screen; after quitting, the fixed port is free.
#
#   scripts/tui-sso.sh
#   AUTHSCOPE_BIN=/tmp/authscope SSO_CAPTURES=/tmp/captures scripts/tui-sso.sh
#
# SSO_CAPTURES names a directory to keep each screen's capture-pane text.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/lib/tui.sh
tui_require tmux Xvfb xclip curl
tui_setup sso
captures=${SSO_CAPTURES:-$work/captures}
mkdir -p "$captures"
tui_build
tui_xvfb 121 150

# A free port for the fixed-port listener.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')

tui_server -u SSH_CONNECTION -u SSH_TTY -u SSH_CLIENT -u AUTHSCOPE_CLIPBOARD DISPLAY="$display"
wait_polls=300 # wait_for waits up to 15 s here

capture() { t capture-pane -p -t "$session" > "$captures/$1.txt"; }
no_secrets() {
  local all; all=$(t capture-pane -p -S - -t "$session")
  for secret in sandbox_client_secret; do
    [[ $all == *"$secret"* ]] && fail "a secret is on screen"
  done
  # A JWT on screen would read eyJ….eyJ….
  [[ $all =~ eyJ[A-Za-z0-9_-]{10,}\.eyJ ]] && fail "a token is on screen"
  return 0
}

session=sso
t new-session -d -s "$session" -x 100 -y 40 \
  "env DISPLAY=$display BROWSER='curl -s -o /dev/null -L' $work/authscope --provider scalekit --env sandbox --redirect-port $port"
wait_for "Client ID"
keys C-d;   wait_for "demo: demo client"
keys C-t;   wait_for "› SSO login (auth code + PKCE)"
keys Enter; wait_for "listening on 127.0.0.1:$port (fixed)" "1. PKCE verifier" "2. S256 challenge"
capture sso-start
keys y;     wait_for "Copied authorization URL via xclip"
url=$(DISPLAY=$display xclip -o -selection clipboard)
[[ $url == *"redirect_uri=http%3A%2F%2F127.0.0.1%3A$port%2Fcallback"* && $url == *"code_challenge_method=S256"* ]] || fail "clipboard holds '$url'"
echo "ok URL: fixed port $port in redirect_uri, S256, copied via xclip"
sleep 4.2 # the copy toast goes, so the captures below show the screen alone

keys s;     wait_for "signed in as ada@acme.example"
capture sso-success
keys r;     wait_for "Refresh request"
keys l;     wait_for "Logout URL" "id_token_hint=••••"
capture sso-refresh-logout
no_secrets
echo "ok J7: ctrl+d ctrl+t enter s — signed in as the demo user with no browser; r refreshed; l built the logout URL"

# o: the URL in $BROWSER (curl follows the redirect to the listener).
keys n;     wait_for "listening on 127.0.0.1:$port (fixed)"
# m cycles the routing parameter: none, organization_id, connection_id,
# domain, login_hint (the sandbox fills in its own values).
for _ in 1 2 3 4 5; do
  [[ $(t capture-pane -p -t "$session") == *"login_hint=ada@acme.example"* ]] && break
  keys m; sleep 0.2
done
wait_for "login_hint=ada@acme.example"
keys o;     wait_for "signed in as ada@acme.example"
echo "ok o: \$BROWSER opened the URL and came back to the listener"

i=0
for what in "wrong redirect URI" "bad verifier" "reused code"; do
  i=$((i+1))
  keys x; sleep 0.2; keys n
  wait_for "what-if: $what" "listening on 127.0.0.1:$port (fixed)"
  keys s
  wait_for "Inspector" "invalid_grant"
  capture "sso-fail-$i-inspector"
  keys Escape
  wait_for "failed: invalid_grant"
  capture "sso-fail-$i-steps"
  no_secrets
  echo "ok failure $i ($what): invalid_grant in the inspector with its meaning, fix and request id"
done

# A callback this sign-in never asked for (another state): refused before
# any exchange. x twice more: "no verifier", then "forged callback".
keys x; sleep 0.2; keys x; sleep 0.2; keys n
wait_for "what-if: forged callback (state)" "listening on 127.0.0.1:$port (fixed)"
keys s
wait_for "Inspector" "state_mismatch"
capture sso-fail-state-inspector
echo "ok forged callback: state_mismatch in the inspector, no code redeemed"

# H: every request of the sign-ins above is in the session's history:
# 2 + a refresh, the exchange after o, 2 for each of the first two
# what-ifs, 3 for the reused code, the forged callback.
keys Escape; wait_for "SSO login"
keys H
wait_for "12 requests this session" "SSO authorize" "SSO code exchange" "SSO refresh" " 302 " " 400 "
capture sso-history
no_secrets
echo "ok history: the 12 SSO requests listed with their labels and statuses, no secret"

keys q
sleep 0.3
t has-session -t "$session" 2>/dev/null && fail "q did not quit"
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then fail "port $port still listening after quit"; fi
echo "ok quit: the listener on $port is closed"
echo "captures in $captures"
