package scalekit_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox"
	"github.com/authscope/authscope/sandbox/internal/sbtest"
	connpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/connections"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/connections/connectionsconnect"
	dompb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/domains"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/domains/domainsconnect"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// authorizeStatus is where GET /oauth/authorize sends the demo user:
// the callback's error, "" when it got a code.
func authorizeError(t *testing.T, base string, extra url.Values) string {
	t.Helper()
	q := url.Values{"response_type": {"code"}, "client_id": {sbtest.ClientID}, "redirect_uri": {"http://127.0.0.1:9/cb"},
		"scope": {"openid"}, "state": {"s"}}
	for k, v := range extra {
		q[k] = v
	}
	c := http1Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := c.Get(base + "/scalekit/oauth/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil || res.StatusCode != 302 {
		t.Fatalf("authorize: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if loc.Query().Get("code") != "" {
		return ""
	}
	return loc.Query().Get("error")
}

// Connections and domains over gRPC, from one store with authorize: a
// disabled connection or a deleted domain makes sign-in fail.
func TestGRPCConnectionsAndDomains(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{})
	client := h2cClient()
	token := fetchToken(t, client, srv.URL())
	auth := func(r connect.AnyRequest) { r.Header().Set("Authorization", "Bearer "+token) }
	conns := connectionsconnect.NewConnectionServiceClient(client, srv.URL()+"/scalekit", connect.WithGRPC())
	doms := domainsconnect.NewDomainServiceClient(client, srv.URL()+"/scalekit", connect.WithGRPC())
	ctx := context.Background()

	listReq := connect.NewRequest(&connpb.ListConnectionsRequest{OrganizationId: ptr(model.SandboxOrgID)})
	auth(listReq)
	list, err := conns.ListConnections(ctx, listReq)
	if err != nil || len(list.Msg.Connections) != 1 || list.Msg.Connections[0].Id != model.SandboxSSOConnectionID ||
		!list.Msg.Connections[0].Enabled || list.Msg.Connections[0].Domains[0] != model.SandboxSSODomain {
		t.Fatalf("ListConnections: %v %v", list, err)
	}
	byDomain := connect.NewRequest(&connpb.ListConnectionsRequest{Domain: ptr(model.SandboxSSODomain)})
	auth(byDomain)
	if got, err := conns.ListConnections(ctx, byDomain); err != nil || len(got.Msg.Connections) != 1 {
		t.Fatalf("ListConnections by domain: %v %v", got, err)
	}

	// A connection is found under its own organization only.
	other := connect.NewRequest(&connpb.GetConnectionRequest{OrganizationId: "org_59615204871953291", Id: model.SandboxSSOConnectionID})
	auth(other)
	if _, err := conns.GetConnection(ctx, other); connect.CodeOf(err) != connect.CodeNotFound {
		t.Errorf("another organization's connection: %v", err)
	}

	// Disable: authorize refuses; enable again: it signs in.
	toggle := connect.NewRequest(&connpb.ToggleConnectionRequest{OrganizationId: model.SandboxOrgID, Id: model.SandboxSSOConnectionID})
	auth(toggle)
	if res, err := conns.DisableConnection(ctx, toggle); err != nil || res.Msg.Enabled {
		t.Fatalf("DisableConnection: %v %v", res, err)
	}
	if got := authorizeError(t, srv.URL(), url.Values{"login_hint": {model.SandboxSSOUser}}); got != "access_denied" {
		t.Errorf("sign-in through a disabled connection: error %q", got)
	}
	if res, err := conns.EnableConnection(ctx, toggle); err != nil || !res.Msg.Enabled {
		t.Fatalf("EnableConnection: %v %v", res, err)
	}
	if got := authorizeError(t, srv.URL(), url.Values{"login_hint": {model.SandboxSSOUser}}); got != "" {
		t.Errorf("sign-in after enabling: error %q", got)
	}

	// A new domain routes; deleted, it no longer does.
	create := connect.NewRequest(&dompb.CreateDomainRequest{Identities: &dompb.CreateDomainRequest_OrganizationId{OrganizationId: model.SandboxOrgID},
		Domain: &dompb.CreateDomain{Domain: "Acme-Labs.example"}})
	auth(create)
	dom, err := doms.CreateDomain(ctx, create)
	if err != nil || dom.Msg.Domain.Domain != "acme-labs.example" || dom.Msg.Domain.DomainType != dompb.DomainType_ORGANIZATION_DOMAIN {
		t.Fatalf("CreateDomain: %v %v", dom, err)
	}
	if got := authorizeError(t, srv.URL(), url.Values{"login_hint": {"new@acme-labs.example"}}); got != "" {
		t.Errorf("sign-in at the new domain: %q", got)
	}
	if _, err := doms.CreateDomain(ctx, create); connect.CodeOf(err) != connect.CodeAlreadyExists || errorInfoOf(t, err).ErrorCode != "ALREADY_EXISTS" {
		t.Errorf("duplicate domain: %v", err)
	}
	page := connect.NewRequest(&dompb.ListDomainRequest{Identities: &dompb.ListDomainRequest_OrganizationId{OrganizationId: model.SandboxOrgID},
		PageSize: wrapperspb.Int32(1), PageNumber: wrapperspb.Int32(2)})
	auth(page)
	if got, err := doms.ListDomains(ctx, page); err != nil || len(got.Msg.Domains) != 1 || got.Msg.Domains[0].Id != dom.Msg.Domain.Id {
		t.Errorf("ListDomains page 2 of size 1: %v %v", got, err)
	}
	del := connect.NewRequest(&dompb.DeleteDomainRequest{Id: dom.Msg.Domain.Id, Identities: &dompb.DeleteDomainRequest_OrganizationId{OrganizationId: model.SandboxOrgID}})
	auth(del)
	if _, err := doms.DeleteDomain(ctx, del); err != nil {
		t.Fatal(err)
	}
	if got := authorizeError(t, srv.URL(), url.Values{"login_hint": {"new2@acme-labs.example"}}); got != "invalid_request" {
		t.Errorf("sign-in at a deleted domain: %q", got)
	}

	for name, bad := range map[string]string{"path": "org_1/../x", "bidi": "org_1\u202e", "long": "org_" + strings.Repeat("9", 5000)} {
		req := connect.NewRequest(&connpb.GetConnectionRequest{OrganizationId: bad, Id: "conn_1"})
		auth(req)
		if _, err := conns.GetConnection(ctx, req); connect.CodeOf(err) != connect.CodeInvalidArgument {
			t.Errorf("%s id: %v", name, err)
		}
	}
	// A method the .proto leaves out is UNIMPLEMENTED, naming it.
	res, err := client.Post(srv.URL()+"/scalekit/scalekit.v1.connections.ConnectionService/GetConnectionTestResult", "application/grpc", strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	status, message := res.Header.Get("Grpc-Status"), res.Header.Get("Grpc-Message")
	if status == "" {
		status, message = res.Trailer.Get("Grpc-Status"), res.Trailer.Get("Grpc-Message")
	}
	if status != "12" || !strings.Contains(message, "GetConnectionTestResult") {
		t.Errorf("unserved method: grpc-status %q %q", status, message)
	}
}

func ptr[T any](v T) *T { return &v }
