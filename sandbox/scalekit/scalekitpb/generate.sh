#!/usr/bin/env bash
# Regenerates the Go code in this directory from proto/ (run from anywhere):
#   bash sandbox/scalekit/scalekitpb/generate.sh
# Needs protoc and the well-known types (Debian: apt-get install
# protobuf-compiler libprotobuf-dev). The two plugins are built from the
# module versions in go.mod, so the output matches the runtime it links to.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../../.. && pwd)
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
(cd "$root" && go build -o "$bin/protoc-gen-go" google.golang.org/protobuf/cmd/protoc-gen-go &&
  go build -o "$bin/protoc-gen-connect-go" connectrpc.com/connect/cmd/protoc-gen-connect-go)
module=github.com/authscope/authscope/sandbox/scalekit/scalekitpb
protoc -I proto -I /usr/include \
  --plugin=protoc-gen-go="$bin/protoc-gen-go" --go_out=. --go_opt=module="$module" \
  --plugin=protoc-gen-connect-go="$bin/protoc-gen-connect-go" --connect-go_out=. --connect-go_opt=module="$module" \
  $(cd proto && find scalekit -name "*.proto" | sort)
gofmt -l . | xargs -r gofmt -w
