package scalekit_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox"
	"github.com/authscope/authscope/sandbox/internal/sbtest"
	"github.com/authscope/authscope/sandbox/scalekit"
	connpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/connections"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/errdetails"
	orgpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/organizations"
	userpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/users"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

const listProcedure = "/scalekit.v1.organizations.OrganizationService/ListOrganization"

// TestGRPCAtRootOverTLS calls the sandbox the way grpcio (the Python SDK)
// does: TLS, HTTP/2, at the root of host:port, trusting only the CA the
// sandbox made at start. grpc-go is the client.
func TestGRPCAtRootOverTLS(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{TLS: true})
	if !strings.HasPrefix(srv.URL(), "https://") {
		t.Fatalf("URL %q is not https", srv.URL())
	}
	httpsClient, pool := tlsClient(t, srv)
	token := fetchToken(t, httpsClient, srv.URL())

	conn, err := grpc.NewClient(strings.TrimPrefix(srv.URL(), "https://"),
		grpc.WithTransportCredentials(credentials.NewClientTLSFromCert(pool, "")))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx := context.Background()

	var out orgpb.ListOrganizationsResponse
	var trailer metadata.MD
	err = conn.Invoke(ctx, listProcedure, &orgpb.ListOrganizationsRequest{}, &out, grpc.Trailer(&trailer))
	st := status.Convert(err)
	if st.Code() != codes.Unauthenticated || st.Message() != "Token empty" {
		t.Fatalf("no token: %v, want Unauthenticated \"Token empty\"", err)
	}
	var info *errdetails.ErrorInfo
	for _, d := range st.Details() {
		if e, ok := d.(*errdetails.ErrorInfo); ok {
			info = e
		}
	}
	if info == nil || info.GetErrorCode() != "UNAUTHENTICATED" || info.GetRequestInfo().GetRequestId() == "" {
		t.Errorf("details %v lack Scalekit's ErrorInfo", st.Details())
	}

	authed := metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
	if err := conn.Invoke(authed, listProcedure, &orgpb.ListOrganizationsRequest{PageSize: 20}, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Organizations) != 20 || out.TotalSize != uint32(len(fixtureIDs)) {
		t.Errorf("got %d of %d organizations", len(out.Organizations), out.TotalSize)
	}
	var got orgpb.GetOrganizationResponse
	err = conn.Invoke(authed, "/scalekit.v1.organizations.OrganizationService/GetOrganization",
		&orgpb.GetOrganizationRequest{Identities: &orgpb.GetOrganizationRequest_ExternalId{ExternalId: "globex"}}, &got)
	if err != nil || got.Organization.GetDisplayName() != "Globex Industries" {
		t.Errorf("get by external id: %v %v", got.Organization, err)
	}
	// The services beyond organizations are at the root too.
	var conns connpb.ListConnectionsResponse
	orgID := model.SandboxOrgID
	if err := conn.Invoke(authed, "/scalekit.v1.connections.ConnectionService/ListConnections",
		&connpb.ListConnectionsRequest{OrganizationId: &orgID}, &conns); err != nil || len(conns.Connections) != 1 {
		t.Errorf("ListConnections at the root over TLS: %v %v", conns.Connections, err)
	}
	var users userpb.ListOrganizationUsersResponse
	if err := conn.Invoke(authed, "/scalekit.v1.users.UserService/ListOrganizationUsers",
		&userpb.ListOrganizationUsersRequest{OrganizationId: orgID, PageSize: 1}, &users); err != nil || users.TotalSize != 3 {
		t.Errorf("ListOrganizationUsers at the root over TLS: %v %v", users.TotalSize, err)
	}
	err = conn.Invoke(authed, "/scalekit.v1.auditlogs.AuditLogService/ListAuthLogRequests", &orgpb.ListOrganizationsRequest{}, &out)
	if status.Code(err) != codes.Unimplemented {
		t.Errorf("a service not served: %v, want Unimplemented", err)
	}
	// A token that has expired is 16 as well, with its own message.
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {sbtest.ClientID}, "client_secret": {sbtest.ClientSecret}, scalekit.TTLField: {"1"}}
	res, err := httpsClient.PostForm(srv.URL()+"/scalekit/oauth/token", form)
	if err != nil {
		t.Fatal(err)
	}
	var short scalekit.TokenResponse
	json.NewDecoder(res.Body).Decode(&short)
	res.Body.Close()
	time.Sleep(2100 * time.Millisecond) // exp is whole seconds after iat
	expired := metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+short.AccessToken)
	err = conn.Invoke(expired, listProcedure, &orgpb.ListOrganizationsRequest{}, &out)
	if st := status.Convert(err); st.Code() != codes.Unauthenticated || st.Message() != "Token expired" {
		t.Errorf("expired token: %v, want Unauthenticated \"Token expired\"", err)
	}

	// The same call under /scalekit works over TLS too (the Go and Node SDKs
	// with an https:// environment URL).
	res, err = httpsClient.Get(srv.URL() + "/scalekit/.well-known/openid-configuration")
	if err != nil || res.StatusCode != 200 || res.ProtoMajor != 2 {
		t.Fatalf("discovery over TLS: %v %v", res, err)
	}
	res.Body.Close()
}

// TestGRPCRootNeedsTLS: without --tls the root keeps its 404, so the
// plain-HTTP sandbox serves nothing new outside its provider paths.
func TestGRPCRootNeedsTLS(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{})
	req, _ := http.NewRequest("POST", srv.URL()+listProcedure, strings.NewReader("\x00\x00\x00\x00\x00"))
	req.Header.Set("Content-Type", "application/grpc")
	res, err := http1Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("root gRPC without TLS: %d, want 404", res.StatusCode)
	}
}
