package scalekit_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/authscope/authscope/sandbox"
	"github.com/authscope/authscope/sandbox/internal/sbtest"
	"github.com/authscope/authscope/sandbox/scalekit"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/errdetails"
	orgpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/organizations"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/organizations/organizationsconnect"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// startSandbox runs a real sandbox.Start()ed sandbox (the one that speaks h2c and
// TLS), stopped at the end of the test.
func startSandbox(t *testing.T, opts sandbox.Options) *sandbox.Server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := sandbox.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); srv.Close() })
	return srv
}

// fetchToken gets an access token from the sandbox's token endpoint the
// way the SDKs do (client_secret_post).
func fetchToken(t *testing.T, client *http.Client, base string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {sbtest.ClientID}, "client_secret": {sbtest.ClientSecret}}
	res, err := client.PostForm(base+"/scalekit/oauth/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body scalekit.TokenResponse
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != 200 || body.AccessToken == "" {
		t.Fatalf("token: status %d, err %v", res.StatusCode, err)
	}
	return body.AccessToken
}

func http1Client() *http.Client {
	p := new(http.Protocols)
	p.SetHTTP1(true)
	return &http.Client{Transport: &http.Transport{Protocols: p}, Timeout: 10 * time.Second}
}

func h2cClient() *http.Client {
	p := new(http.Protocols)
	p.SetUnencryptedHTTP2(true) // prior knowledge, as connect-node's gRPC transport does
	return &http.Client{Transport: &http.Transport{Protocols: p}, Timeout: 10 * time.Second}
}

// errorInfoOf is the Scalekit ErrorInfo in a gRPC error's details.
func errorInfoOf(t *testing.T, err error) *errdetails.ErrorInfo {
	t.Helper()
	var cerr *connect.Error
	if !errors.As(err, &cerr) {
		t.Fatalf("not a gRPC status: %v", err)
	}
	for _, d := range cerr.Details() {
		if v, derr := d.Value(); derr == nil {
			if info, ok := v.(*errdetails.ErrorInfo); ok {
				return info
			}
		}
	}
	t.Fatalf("no scalekit.v1.errdetails.ErrorInfo in %v", err)
	return nil
}

func withBearer[T any](msg *T, token string) *connect.Request[T] {
	req := connect.NewRequest(msg)
	if token != "" {
		req.Header().Set("Authorization", "Bearer "+token)
	}
	return req
}

// TestGRPCFaceOverHTTP1AndH2C drives every served method with a connect-go
// client in gRPC mode, as the Go SDK (HTTP/1.1) and the Node SDK (h2c) do,
// and checks the REST face sees the same organizations.
func TestGRPCFaceOverHTTP1AndH2C(t *testing.T) {
	for name, client := range map[string]*http.Client{"http1": http1Client(), "h2c": h2cClient()} {
		t.Run(name, func(t *testing.T) {
			srv := startSandbox(t, sandbox.Options{})
			if res, err := client.Get(srv.URL() + "/"); err != nil || (name == "h2c") != (res.ProtoMajor == 2) {
				t.Fatalf("%s client: %v, got HTTP/%d", name, err, res.ProtoMajor)
			}
			orgs := organizationsconnect.NewOrganizationServiceClient(client, srv.URL()+"/scalekit", connect.WithGRPC())
			ctx := context.Background()

			// First call without a token, as the Node SDK makes it: 16 with ErrorInfo.
			_, err := orgs.ListOrganization(ctx, withBearer(&orgpb.ListOrganizationsRequest{}, ""))
			if connect.CodeOf(err) != connect.CodeUnauthenticated {
				t.Fatalf("no token: %v, want unauthenticated", err)
			}
			if info := errorInfoOf(t, err); info.GetErrorCode() != "UNAUTHENTICATED" || !sbtest.UUIDv4.MatchString(info.GetRequestInfo().GetRequestId()) {
				t.Errorf("ErrorInfo = %v", info)
			}
			_, err = orgs.ListOrganization(ctx, withBearer(&orgpb.ListOrganizationsRequest{}, "not.a.jwt"))
			if connect.CodeOf(err) != connect.CodeUnauthenticated {
				t.Fatalf("bad token: %v, want unauthenticated", err)
			}

			token := fetchToken(t, http1Client(), srv.URL())
			list, err := orgs.ListOrganization(ctx, withBearer(&orgpb.ListOrganizationsRequest{PageSize: 10}, token))
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Msg.Organizations) != 10 || list.Msg.TotalSize != uint32(len(fixtureIDs)) || list.Msg.NextPageToken == "" {
				t.Fatalf("first page: %d orgs, total %d, next %q", len(list.Msg.Organizations), list.Msg.TotalSize, list.Msg.NextPageToken)
			}
			first := list.Msg.Organizations[0]
			if first.Id != fixtureIDs[0] || first.GetExternalId() != "acme-corp" || first.RegionCode.String() != "US" ||
				first.CreateTime.AsTime().Format(scalekit.OrgTime) != fixtureCreated[0] || first.Metadata["plan"] != "enterprise" {
				t.Errorf("first organization = %v", first)
			}
			next, err := orgs.ListOrganization(ctx, withBearer(&orgpb.ListOrganizationsRequest{PageSize: 10, PageToken: list.Msg.NextPageToken}, token))
			if err != nil || next.Msg.Organizations[0].Id != fixtureIDs[10] || next.Msg.PrevPageToken == "" {
				t.Fatalf("second page: %v %v", next, err)
			}
			// 1 is a page size the real API accepts (the SDKs' own tests use it); 101 is not.
			one, err := orgs.ListOrganization(ctx, withBearer(&orgpb.ListOrganizationsRequest{PageSize: 1}, token))
			if err != nil || len(one.Msg.Organizations) != 1 || one.Msg.NextPageToken == "" {
				t.Errorf("page_size 1: %v %v", one, err)
			}
			_, err = orgs.ListOrganization(ctx, withBearer(&orgpb.ListOrganizationsRequest{PageSize: 101}, token))
			if connect.CodeOf(err) != connect.CodeInvalidArgument || errorInfoOf(t, err).GetValidationErrorInfo().GetFieldViolations()[0].GetField() != "page_size" {
				t.Errorf("page_size 101: %v", err)
			}

			// Create over gRPC, seen over REST.
			ext := "ext-" + name
			created, err := orgs.CreateOrganization(ctx, withBearer(&orgpb.CreateOrganizationRequest{Organization: &orgpb.CreateOrganization{
				DisplayName: "Grpc Co", ExternalId: &ext, Metadata: map[string]string{"k": "v"}}}, token))
			if err != nil {
				t.Fatal(err)
			}
			id := created.Msg.Organization.Id
			if !strings.HasPrefix(id, "org_") || created.Msg.Organization.DisplayName != "Grpc Co" {
				t.Fatalf("created %v", created.Msg.Organization)
			}
			if body := restGet(t, srv.URL()+"/scalekit/api/v1/organizations?external_id="+ext, token); !strings.Contains(body, `"id":"`+id+`"`) {
				t.Errorf("REST list does not show the gRPC-created organization: %s", body)
			}
			_, err = orgs.CreateOrganization(ctx, withBearer(&orgpb.CreateOrganizationRequest{Organization: &orgpb.CreateOrganization{
				DisplayName: "Again", ExternalId: &ext}}, token))
			if connect.CodeOf(err) != connect.CodeAlreadyExists {
				t.Errorf("duplicate external id: %v", err)
			}
			_, err = orgs.CreateOrganization(ctx, withBearer(&orgpb.CreateOrganizationRequest{Organization: &orgpb.CreateOrganization{}}, token))
			if connect.CodeOf(err) != connect.CodeInvalidArgument {
				t.Errorf("no display name: %v", err)
			}

			// Create over REST, seen over gRPC.
			res := restPost(t, srv.URL()+"/scalekit/api/v1/organizations", token, `{"display_name":"Rest Co","external_id":"rest-`+name+`"}`)
			if res != http.StatusCreated {
				t.Fatalf("REST create: %d", res)
			}
			byExt, err := orgs.GetOrganizationByExternalId(ctx, withBearer(&orgpb.GetOrganizationRequest{
				Identities: &orgpb.GetOrganizationRequest_ExternalId{ExternalId: "rest-" + name}}, token))
			if err != nil || byExt.Msg.Organization.DisplayName != "Rest Co" {
				t.Fatalf("REST-created organization over gRPC: %v %v", byExt, err)
			}

			newName := "Grpc Co Renamed"
			upd, err := orgs.UpdateOrganization(ctx, withBearer(&orgpb.UpdateOrganizationRequest{
				Identities: &orgpb.UpdateOrganizationRequest_Id{Id: id}, Organization: &orgpb.UpdateOrganization{DisplayName: &newName}}, token))
			if err != nil || upd.Msg.Organization.DisplayName != newName || upd.Msg.Organization.Metadata["k"] != "v" {
				t.Fatalf("update: %v %v", upd, err)
			}
			got, err := orgs.GetOrganization(ctx, withBearer(&orgpb.GetOrganizationRequest{Identities: &orgpb.GetOrganizationRequest_Id{Id: id}}, token))
			if err != nil || got.Msg.Organization.DisplayName != newName {
				t.Fatalf("get after update: %v %v", got, err)
			}

			link, err := orgs.GeneratePortalLink(ctx, withBearer(&orgpb.GeneratePortalLinkRequest{Id: id}, token))
			if err != nil || !strings.HasPrefix(link.Msg.Link.Location, srv.URL()+"/scalekit/magicLink/") {
				t.Fatalf("portal link: %v %v", link, err)
			}
			links, err := orgs.GetPortalLinks(ctx, withBearer(&orgpb.GetPortalLinkRequest{Id: id}, token))
			if err != nil || len(links.Msg.Links) != 1 || links.Msg.Links[0].Id != link.Msg.Link.Id {
				t.Fatalf("portal links: %v %v", links, err)
			}
			if _, err := orgs.DeletePortalLinkByID(ctx, withBearer(&orgpb.DeletePortalLinkByIdRequest{Id: id, LinkId: link.Msg.Link.Id}, token)); err != nil {
				t.Fatal(err)
			}
			if _, err := orgs.DeletePortalLink(ctx, withBearer(&orgpb.DeletePortalLinkRequest{Id: id}, token)); err != nil {
				t.Fatal(err)
			}

			settings, err := orgs.UpdateOrganizationSettings(ctx, withBearer(&orgpb.UpdateOrganizationSettingsRequest{Id: id,
				Settings: &orgpb.OrganizationSettings{Features: []*orgpb.OrganizationSettingsFeature{{Name: "sso", Enabled: true}}}}, token))
			if err != nil || settings.Msg.Organization.Settings.Features[0].Name != "sso" || !settings.Msg.Organization.Settings.Features[0].Enabled {
				t.Fatalf("settings: %v %v", settings, err)
			}
			if _, err := orgs.UpsertUserManagementSettings(ctx, withBearer(&orgpb.UpsertUserManagementSettingsRequest{OrganizationId: id,
				Settings: &orgpb.OrganizationUserManagementSettings{MaxAllowedUsers: wrapperspb.Int32(42)}}, token)); err != nil {
				t.Fatal(err)
			}
			um, err := orgs.GetOrganizationUserManagementSetting(ctx, withBearer(&orgpb.GetOrganizationUserManagementSettingsRequest{OrganizationId: id}, token))
			if err != nil || um.Msg.Settings.GetMaxAllowedUsers().GetValue() != 42 {
				t.Fatalf("user management: %v %v", um, err)
			}

			search, err := orgs.SearchOrganization(ctx, withBearer(&orgpb.SearchOrganizationsRequest{Query: "renamed"}, token))
			if err != nil || len(search.Msg.Organizations) != 1 || search.Msg.Organizations[0].Id != id {
				t.Fatalf("search: %v %v", search, err)
			}

			if _, err := orgs.DeleteOrganization(ctx, withBearer(&orgpb.DeleteOrganizationRequest{Identities: &orgpb.DeleteOrganizationRequest_Id{Id: id}}, token)); err != nil {
				t.Fatal(err)
			}
			_, err = orgs.GetOrganization(ctx, withBearer(&orgpb.GetOrganizationRequest{Identities: &orgpb.GetOrganizationRequest_Id{Id: id}}, token))
			if connect.CodeOf(err) != connect.CodeNotFound || errorInfoOf(t, err).GetErrorCode() != "NOT_FOUND" {
				t.Errorf("get after delete: %v", err)
			}
			if body := restGet(t, srv.URL()+"/scalekit/api/v1/organizations/"+id, token); !strings.Contains(body, `"code":5`) {
				t.Errorf("REST still shows the deleted organization: %s", body)
			}
		})
	}
}

func restGet(t *testing.T, url, token string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http1Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func restPost(t *testing.T, url, token, body string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http1Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// tlsClient trusts only the sandbox's CA.
func tlsClient(t *testing.T, srv *sandbox.Server) (*http.Client, *x509.CertPool) {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(srv.CACertPEM()) {
		t.Fatal("CACertPEM is not a PEM certificate")
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}, Timeout: 10 * time.Second}, pool
}

// The fixture organizations' ids and creation times, in list order.
var fixtureIDs, fixtureCreated = scalekit.FixtureOrgs()
