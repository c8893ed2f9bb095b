#!/usr/bin/env bash
# The reference for bench/login.sh: the same single sign-on on the
# sandbox driven by curl in one script — PKCE verifier and S256 challenge
# (openssl), state and nonce, GET /oauth/authorize with login_hint (the
# sandbox redirects at once; the code is read from Location, where a
# browser would carry it to the app), the code exchange, and the JWKS
# fetch. It checks the state and that tokens came back; it cannot check
# a signature (curl has no JWT), which authscope does on top.
#
#   bench/login-curl.sh BASE   (BASE = http://127.0.0.1:PORT/scalekit)
set -euo pipefail
base=$1
id=skc_sandbox_client secret=sandbox_client_secret redirect=http://127.0.0.1:9/callback
b64url() { base64 | tr -d '=\n' | tr '+/' '-_'; }
verifier=$(head -c 32 /dev/urandom | b64url)
challenge=$(printf %s "$verifier" | openssl dgst -sha256 -binary | b64url)
state=$(head -c 16 /dev/urandom | b64url)
nonce=$(head -c 16 /dev/urandom | b64url)
location=$(curl -s -o /dev/null -w '%{redirect_url}' -G "$base/oauth/authorize" \
  --data-urlencode response_type=code --data-urlencode "client_id=$id" --data-urlencode "redirect_uri=$redirect" \
  --data-urlencode "scope=openid profile email" --data-urlencode "state=$state" --data-urlencode "nonce=$nonce" \
  --data-urlencode "code_challenge=$challenge" --data-urlencode code_challenge_method=S256 \
  --data-urlencode login_hint=ada@acme.example)
query=${location#*\?}
code= got_state=
IFS='&' read -ra pairs <<<"$query"
for kv in "${pairs[@]}"; do
  case $kv in code=*) code=${kv#code=} ;; state=*) got_state=${kv#state=} ;; esac
done
[ -n "$code" ] && [ "$got_state" = "$state" ] || { echo "no code or state mismatch: $location" >&2; exit 1; }
tokens=$(curl -s -X POST "$base/oauth/token" --data-urlencode grant_type=authorization_code --data-urlencode "code=$code" \
  --data-urlencode "redirect_uri=$redirect" --data-urlencode "client_id=$id" --data-urlencode "client_secret=$secret" \
  --data-urlencode "code_verifier=$verifier")
case $tokens in *'"id_token"'*) ;; *) echo "no id_token: $tokens" >&2; exit 1 ;; esac
curl -s -o /dev/null "$base/keys"
