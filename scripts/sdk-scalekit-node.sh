#!/usr/bin/env bash
# Scalekit's official Node SDK (@scalekit-sdk/node, pinned in
# scripts/sdk-node/package.json and its lock file) against a real
# `authscope sandbox`: token, list (both directions of paging), create, get,
# get by external id, update, portal link, settings, search, delete, the
# duplicate and bad-secret errors, and the first call made without a token
# (code 16, then a token, then the retry); single sign-on (sso.test.mjs:
# getAuthorizationUrl → the sandbox's headless login_hint sign-in →
# authenticateWithCode with and without PKCE → refreshAccessToken →
# validateAccessToken with an audience → getLogoutUrl), the Connections and
# Domains clients; users and memberships, roles and permissions, M2M
# clients (their token included), sessions and directories
# (people.test.mjs); once over h2c, once over TLS with the CA that `--tls`
# writes. Part of ./scripts/test.
# A missing node or npm fails this script; it never skips.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v node >/dev/null || { echo "sdk-scalekit-node: node is not installed (apt-get install nodejs npm)"; exit 1; }
if [ ! -d scripts/sdk-node/node_modules/@scalekit-sdk/node ]; then
  command -v npm >/dev/null || { echo "sdk-scalekit-node: npm is not installed (apt-get install npm)"; exit 1; }
  echo "sdk-scalekit-node: npm ci in scripts/sdk-node"
  npm ci --prefix scripts/sdk-node --no-audit --no-fund >/dev/null
fi

work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

go build -o "$work/authscope" .

status=0
# run NAME SCHEME [sandbox flags...]: one sandbox, the SDK's tests against
# it, then checks on the sandbox's log, which shows what went over the wire.
run() {
  local name=$1 scheme=$2; shift 2
  local log="$work/$name.log" banner="$work/$name.banner" url=""
  "$work/authscope" sandbox --addr 127.0.0.1:0 "$@" >"$banner" 2>"$log" &
  pid=$!
  for _ in $(seq 100); do
    url=$(sed -n -E "s/^authscope sandbox on ($scheme:\/\/127\.0\.0\.1:[0-9]+) .*/\1/p" "$banner")
    [ -n "$url" ] && grep -q '^Official SDKs' "$banner" && break
    sleep 0.1
  done
  [ -n "$url" ] || { echo "sdk-scalekit-node ($name): the sandbox did not start"; cat "$log"; status=1; return; }
  echo "== @scalekit-sdk/node against $url ($name)"
  # One file at a time: they share the sandbox, and one disables the
  # connection another signs in through.
  SANDBOX_URL="$url" timeout 180 node --test --test-concurrency=1 --test-reporter=spec scripts/sdk-node/scalekit.test.mjs scripts/sdk-node/sso.test.mjs scripts/sdk-node/people.test.mjs || status=1
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""

  check() { if grep -q -E "$1" "$log"; then echo "ok: $2"; else echo "FAILED: $2"; status=1; fi; }
  check '^[0-9:]+ gRPC HTTP/2\.0 /scalekit\.v1\.organizations\.OrganizationService/ListOrganization grpc-status 0$' "($name) the SDK's gRPC calls arrived over HTTP/2 and succeeded"
  check 'ListOrganization grpc-status 16 Token empty' "($name) its first call, without a token, got grpc-status 16"
  if ! awk '/ListOrganization grpc-status 16/ {a=NR} a && !b && /POST \/scalekit\/oauth\/token → 200/ {b=NR} b && /ListOrganization grpc-status 0/ {ok=1; exit} END {exit !ok}' "$log"; then
    echo "FAILED: ($name) 16, then POST /oauth/token, then the retried call with status 0"; status=1
  else
    echo "ok: ($name) 16, then POST /oauth/token → 200, then the retried call answered 0"
  fi
  check 'POST /scalekit/oauth/token → 401' "($name) the bad secret reached the token endpoint and was refused"
  check 'GET /scalekit/oauth/authorize → 302' "($name) the SDK's authorization URL reached the sandbox and was redirected back"
  check 'ConnectionService/ListConnections grpc-status 0' "($name) the Connections client's calls arrived over gRPC"
  check 'UserService/CreateUserAndMembership grpc-status 0' "($name) the Users client's calls arrived over gRPC"
  check 'ClientService/CreateOrganizationClient grpc-status 0' "($name) the M2M client's calls arrived over gRPC"
  # A handler's panic: connect's recover logs "a handler failed on …",
  # net/http "panic serving".
  if grep -q -E 'panic serving|a handler failed on' "$log"; then
    echo "FAILED: ($name) the sandbox panicked serving a request"; status=1
  else
    echo "ok: ($name) no handler panicked"
  fi
  if [ "$status" -ne 0 ]; then echo "sandbox log:"; tail -n 40 "$log"; fi
}

# h2c, as a newcomer runs it; then TLS, trusting the CA file through the
# variable the banner prints for Node.
run h2c http
NODE_EXTRA_CA_CERTS="$work/ca.pem" run tls https --tls --ca-cert "$work/ca.pem"
exit "$status"
