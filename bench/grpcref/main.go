// Command grpcref is the reference for bench/grpc.sh: a bare connect-go
// handler serving one fixed ListOrganizationsResponse (read from -message,
// the sandbox's own answer) over h2c, with nothing else: no auth, no
// logging, no store. The sandbox's rate is measured against this one's.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	orgpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/organizations"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/organizations/organizationsconnect"
)

type fixed struct {
	organizationsconnect.UnimplementedOrganizationServiceHandler
	msg *orgpb.ListOrganizationsResponse
}

func (f fixed) ListOrganization(context.Context, *connect.Request[orgpb.ListOrganizationsRequest]) (*connect.Response[orgpb.ListOrganizationsResponse], error) {
	return connect.NewResponse(f.msg), nil
}

func main() {
	scalekitpb.Init() // descriptors are registered on first use (generate.sh)
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	message := flag.String("message", "", "file with the binary ListOrganizationsResponse to serve")
	flag.Parse()
	raw, err := os.ReadFile(*message)
	if err != nil {
		fmt.Fprintln(os.Stderr, "grpcref:", err)
		os.Exit(2)
	}
	msg := &orgpb.ListOrganizationsResponse{}
	if err := proto.Unmarshal(raw, msg); err != nil {
		fmt.Fprintln(os.Stderr, "grpcref: -message:", err)
		os.Exit(2)
	}
	mux := http.NewServeMux()
	mux.Handle(organizationsconnect.NewOrganizationServiceHandler(fixed{msg: msg}))
	protocols := new(http.Protocols)
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	srv := &http.Server{Addr: *addr, Handler: mux, Protocols: protocols, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		fmt.Fprintln(os.Stderr, "grpcref:", err)
		os.Exit(1)
	}
}
