#!/usr/bin/env bash
# Scalekit's official Python SDK (scalekit-sdk-python, from its source) against
# a real `authscope sandbox --tls`, method by method
# (scripts/sdk-python/scalekit_sdk.py): client-credentials token and the bad
# secret; single sign-on (get_authorization_url → the sandbox's headless
# login_hint sign-in → authenticate_with_code with and without a PKCE
# verifier → refresh_access_token → validate_access_token with audiences and
# issuer → get_logout_url); organizations, connections, domains, users and
# memberships, roles and permissions, M2M clients (their token included),
# sessions and directories. The SDK's grpcio calls gRPC at the root of the
# env URL's host over TLS, so only the TLS face is exercised; the CA file
# `--tls` writes is trusted through GRPC_DEFAULT_SSL_ROOTS_FILE_PATH and
# REQUESTS_CA_BUNDLE. ./scripts/test runs it; without SCALEKIT_PY_SDK it
# skips, saying so.
#
# This script installs nothing. It needs:
#   SCALEKIT_PY_SDK     a checkout of github.com/scalekit-inc/scalekit-sdk-python
#                       (PyPI and GitHub are out of reach in CI, so without it
#                       the script skips, even under CI=true)
#   SCALEKIT_PY_PYTHON  the interpreter (default /usr/bin/python3) with grpcio,
#                       protobuf, PyJWT, cryptography, requests: on Debian
#                       bookworm apt-get install python3-grpcio python3-protobuf
#                       python3-jwt python3-cryptography python3-requests
#   SCALEKIT_PY_DEPS    colon-separated extra import paths for what Debian does
#                       not package: google.api (annotations, http,
#                       field_behavior, visibility) and google.rpc.status
#                       modules, protoc_gen_openapiv2.options, grpc_status, and
#                       pydantic 2 (the SDK's client imports its pydantic-2
#                       "actions" models unconditionally). The _pb2 modules can
#                       be generated with Debian's protoc 3.21 from the .proto
#                       files in libgoogle-common-protos-java's jar, grpc-gateway
#                       v2's protoc-gen-openapiv2/options and googleapis'
#                       visibility.proto; the SDK's own _pb2 files (protoc 26)
#                       load unchanged on Debian's protobuf 3.21 (C++ runtime).
# When the SDK is present but an import fails the script skips, unless
# CI=true, where it fails. The driver's lines: works, FAILS (exit status 1),
# unimplemented (the sandbox answers UNIMPLEMENTED; not a failure), sdk-bug
# (an SDK defect that no server answer avoids; not a failure).
# SCALEKIT_PY_SDK_TESTS=1 also runs the SDK's own tests/ (pytest) against the
# sandbox and prints their summary; it does not change the exit status (many
# of them need a real Scalekit environment's data or AgentKit services).
set -euo pipefail
cd "$(dirname "$0")/.."

skip() { echo "sdk-scalekit-python: skipped: $*"; exit 0; }
sdk=${SCALEKIT_PY_SDK:-}
[ -n "$sdk" ] || skip "SCALEKIT_PY_SDK is not set (a checkout of scalekit-inc/scalekit-sdk-python; it cannot be fetched here)"
[ -f "$sdk/scalekit/client.py" ] || skip "SCALEKIT_PY_SDK=$sdk holds no scalekit/client.py"
py=${SCALEKIT_PY_PYTHON:-/usr/bin/python3}
pypath="$(cd "$sdk" && pwd)${SCALEKIT_PY_DEPS:+:$SCALEKIT_PY_DEPS}"

if ! missing=$(PYTHONPATH="$pypath" "$py" -c '
import importlib, sys
bad = []
for m in ("grpc", "google.protobuf", "jwt", "requests", "cryptography", "google.api.annotations_pb2",
          "google.api.visibility_pb2", "google.rpc.status_pb2", "protoc_gen_openapiv2.options.annotations_pb2",
          "grpc_status.rpc_status", "pydantic", "scalekit"):
    try:
        importlib.import_module(m)
    except Exception as e:
        bad.append(f"{m} ({type(e).__name__}: {e})")
if not bad:
    import pydantic
    if not pydantic.VERSION.startswith("2"):
        bad.append(f"pydantic {pydantic.VERSION} (the SDK needs 2)")
print("; ".join(bad))
sys.exit(1 if bad else 0)' 2>&1); then
  msg="$py cannot load the SDK: ${missing:-the interpreter did not run} (see this script's header for SCALEKIT_PY_DEPS)"
  [ "${CI:-}" = true ] && { echo "sdk-scalekit-python: $msg"; exit 1; }
  skip "$msg"
fi

work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

go build -o "$work/authscope" .

status=0
log="$work/sandbox.log" banner="$work/sandbox.banner" url=""
"$work/authscope" sandbox --addr 127.0.0.1:0 --tls --ca-cert "$work/ca.pem" >"$banner" 2>"$log" &
pid=$!
for _ in $(seq 100); do
  url=$(sed -n -E 's/^authscope sandbox on (https:\/\/127\.0\.0\.1:[0-9]+) .*/\1/p' "$banner")
  [ -n "$url" ] && grep -q '^Official SDKs' "$banner" && break
  sleep 0.1
done
[ -n "$url" ] || { echo "sdk-scalekit-python: the sandbox did not start"; cat "$log"; exit 1; }

echo "== scalekit-sdk-python ($(git -C "$sdk" rev-parse --short HEAD 2>/dev/null || echo "no git")) against $url, $("$py" --version 2>&1)"
export GRPC_DEFAULT_SSL_ROOTS_FILE_PATH="$work/ca.pem" REQUESTS_CA_BUNDLE="$work/ca.pem"
SANDBOX_URL="$url" PYTHONPATH="$pypath" timeout 300 "$py" scripts/sdk-python/scalekit_sdk.py || status=1

check() { if grep -q -E "$1" "$log"; then echo "ok: $2"; else echo "FAILED: $2"; status=1; fi; }
check '^[0-9:]+ gRPC HTTP/2\.0 /scalekit\.v1\.organizations\.OrganizationService/ListOrganization grpc-status 0$' "the SDK's gRPC calls arrived over HTTP/2 (TLS, at the root) and succeeded"
check 'POST /scalekit/oauth/token → 200' "the client-credentials token came from /scalekit/oauth/token"
check 'POST /scalekit/oauth/token → 401' "the bad secret reached the token endpoint and was refused"
check 'GET /scalekit/oauth/authorize → 302' "the SDK's authorization URL reached the sandbox and was redirected back"
check 'GET /scalekit/keys → 200' "the SDK fetched the JWKS"
# A gRPC handler's panic is answered INTERNAL and logged as "a handler
# failed on PROCEDURE" (connect's recover); any other is net/http's.
panicked='http2: panic serving|http: panic serving|a handler failed on'
if grep -q -E "$panicked" "$log"; then
  echo "FAILED: the sandbox panicked serving a request:"; grep -E -A8 "$panicked" "$log" | head -n 9; status=1
else
  echo "ok: no handler panicked"
fi

if [ "$status" -ne 0 ]; then echo "sandbox log (last 40 lines):"; tail -n 40 "$log"; fi

if [ "${SCALEKIT_PY_SDK_TESTS:-}" = 1 ]; then
  echo "== the SDK's own tests/ against $url (informational)"
  (cd "$sdk" && SCALEKIT_ENV_URL="$url/scalekit" SCALEKIT_CLIENT_ID=skc_sandbox_client SCALEKIT_CLIENT_SECRET=sandbox_client_secret \
    PYTHONPATH="$pypath:$OLDPWD/scripts/sdk-python" timeout 900 "$py" -m pytest tests -p no:cacheprovider -p faker_unique -q -rfE --tb=line 2>&1 | tail -n 1) || true
fi

exit "$status"
