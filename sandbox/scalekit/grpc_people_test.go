package scalekit_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"connectrpc.com/connect"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox"
	"github.com/authscope/authscope/sandbox/internal/sbtest"
	clientpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/clients"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/clients/clientsconnect"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/commons"
	dirpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/directories"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/directories/directoriesconnect"
	orgpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/organizations"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/organizations/organizationsconnect"
	rolepb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/roles"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/roles/rolesconnect"
	sesspb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/sessions"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/sessions/sessionsconnect"
	userpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/users"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/users/usersconnect"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// people is a started sandbox with a client per service, authenticated.
type people struct {
	t       *testing.T
	url     string
	http    *http.Client
	token   string
	users   usersconnect.UserServiceClient
	roles   rolesconnect.RolesServiceClient
	clients clientsconnect.ClientServiceClient
	sess    sessionsconnect.SessionServiceClient
	dirs    directoriesconnect.DirectoryServiceClient
}

func newPeople(t *testing.T) *people {
	srv := startSandbox(t, sandbox.Options{})
	c := h2cClient()
	base := srv.URL() + "/scalekit"
	return &people{t: t, url: srv.URL(), http: c, token: fetchToken(t, c, srv.URL()),
		users: usersconnect.NewUserServiceClient(c, base, connect.WithGRPC()), roles: rolesconnect.NewRolesServiceClient(c, base, connect.WithGRPC()),
		clients: clientsconnect.NewClientServiceClient(c, base, connect.WithGRPC()), sess: sessionsconnect.NewSessionServiceClient(c, base, connect.WithGRPC()),
		dirs: directoriesconnect.NewDirectoryServiceClient(c, base, connect.WithGRPC())}
}

func req[T any](p *people, msg *T) *connect.Request[T] {
	r := connect.NewRequest(msg)
	r.Header().Set("Authorization", "Bearer "+p.token)
	return r
}

func wantCode(t *testing.T, what string, err error, code connect.Code, errorCode string) {
	t.Helper()
	if connect.CodeOf(err) != code || errorInfoOf(t, err).GetErrorCode() != errorCode {
		t.Errorf("%s: %v, want %v %s", what, err, code, errorCode)
	}
}

func TestGRPCUsersAndMemberships(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	ext := "ext-user-1"
	created, err := p.users.CreateUserAndMembership(ctx, req(p, &userpb.CreateUserAndMembershipRequest{OrganizationId: model.SandboxOrgID,
		User: &userpb.CreateUser{Email: "new.person@acme.example", ExternalId: &ext, UserProfile: &userpb.CreateUserProfile{GivenName: "New", FamilyName: "Person"},
			Membership: &userpb.CreateMembership{Roles: []*commons.Role{{Name: "admin"}}}}, SendInvitationEmail: ptr(true)}))
	if err != nil {
		t.Fatal(err)
	}
	u := created.Msg.User
	if !strings.HasPrefix(u.Id, "usr_") || u.UserProfile.GivenName != "New" || u.Memberships[0].Roles[0].Name != "admin" ||
		u.Memberships[0].MembershipStatus != commons.MembershipStatus_PENDING_INVITE || len(u.Memberships[0].Permissions) != 4 {
		t.Fatalf("created %v", u)
	}
	// Get by id and by external id; duplicates refused.
	if got, err := p.users.GetUser(ctx, req(p, &userpb.GetUserRequest{Identities: &userpb.GetUserRequest_ExternalId{ExternalId: ext}})); err != nil || got.Msg.User.Id != u.Id {
		t.Errorf("by external id: %v %v", got, err)
	}
	_, err = p.users.CreateUserAndMembership(ctx, req(p, &userpb.CreateUserAndMembershipRequest{OrganizationId: model.SandboxOrgID,
		User: &userpb.CreateUser{Email: "NEW.person@acme.example"}}))
	wantCode(t, "same email", err, connect.CodeAlreadyExists, "ALREADY_EXISTS")

	// Paging: 1 is a page size; the organization's users page through.
	page, err := p.users.ListOrganizationUsers(ctx, req(p, &userpb.ListOrganizationUsersRequest{OrganizationId: model.SandboxOrgID, PageSize: 1}))
	if err != nil || len(page.Msg.Users) != 1 || page.Msg.TotalSize != 4 || page.Msg.NextPageToken == "" {
		t.Fatalf("page of 1: %v %v", page, err)
	}
	var seen []string
	for tok := ""; ; {
		pg, err := p.users.ListOrganizationUsers(ctx, req(p, &userpb.ListOrganizationUsersRequest{OrganizationId: model.SandboxOrgID, PageSize: 3, PageToken: tok}))
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range pg.Msg.Users {
			seen = append(seen, x.Email)
		}
		if tok = pg.Msg.NextPageToken; tok == "" {
			break
		}
	}
	if len(seen) != 4 || seen[0] != model.SandboxSSOUser || seen[3] != "new.person@acme.example" {
		t.Errorf("walked %v", seen)
	}
	all, err := p.users.ListUsers(ctx, req(p, &userpb.ListUsersRequest{PageSize: 100}))
	if err != nil || all.Msg.TotalSize != 70 {
		t.Errorf("ListUsers: %v %v", all.Msg.GetTotalSize(), err)
	}
	_, err = p.users.ListUsers(ctx, req(p, &userpb.ListUsersRequest{PageSize: 101}))
	wantCode(t, "page size 101", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")

	// Membership of a second organization, updated, then removed.
	globex := "org_59615204871953291"
	m, err := p.users.CreateMembership(ctx, req(p, &userpb.CreateMembershipRequest{OrganizationId: globex, Identities: &userpb.CreateMembershipRequest_Id{Id: u.Id},
		Membership: &userpb.CreateMembership{Roles: []*commons.Role{{Name: "member"}}}}))
	if err != nil || len(m.Msg.User.Memberships) != 2 {
		t.Fatalf("CreateMembership: %v %v", m, err)
	}
	_, err = p.users.CreateMembership(ctx, req(p, &userpb.CreateMembershipRequest{OrganizationId: globex, Identities: &userpb.CreateMembershipRequest_Id{Id: u.Id}}))
	wantCode(t, "membership twice", err, connect.CodeAlreadyExists, "ALREADY_EXISTS")
	up, err := p.users.UpdateMembership(ctx, req(p, &userpb.UpdateMembershipRequest{OrganizationId: globex, Identities: &userpb.UpdateMembershipRequest_Id{Id: u.Id},
		Membership: &userpb.UpdateMembership{Roles: []*commons.Role{{Name: "admin"}}}}))
	if err != nil || up.Msg.User.Memberships[1].Roles[0].Name != "admin" {
		t.Errorf("UpdateMembership: %v %v", up, err)
	}
	_, err = p.users.UpdateMembership(ctx, req(p, &userpb.UpdateMembershipRequest{OrganizationId: globex, Identities: &userpb.UpdateMembershipRequest_Id{Id: u.Id},
		Membership: &userpb.UpdateMembership{Roles: []*commons.Role{{Name: "owner"}}}}))
	wantCode(t, "unknown role", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
	if _, err := p.users.DeleteMembership(ctx, req(p, &userpb.DeleteMembershipRequest{OrganizationId: globex, Identities: &userpb.DeleteMembershipRequest_Id{Id: u.Id}})); err != nil {
		t.Error(err)
	}

	// Invite resent; an active member has none to resend.
	inv, err := p.users.ResendInvite(ctx, req(p, &userpb.ResendInviteRequest{OrganizationId: model.SandboxOrgID, Id: u.Id}))
	if err != nil || inv.Msg.Invite.ResentCount != 1 {
		t.Errorf("ResendInvite: %v %v", inv, err)
	}
	_, err = p.users.ResendInvite(ctx, req(p, &userpb.ResendInviteRequest{OrganizationId: model.SandboxOrgID, Id: "usr_59615193906282645"}))
	wantCode(t, "invite of an active member", err, connect.CodeFailedPrecondition, "FAILED_PRECONDITION")

	// Update, then delete.
	name := "Renamed"
	upd, err := p.users.UpdateUser(ctx, req(p, &userpb.UpdateUserRequest{Identities: &userpb.UpdateUserRequest_Id{Id: u.Id},
		User: &userpb.UpdateUser{UserProfile: &userpb.UpdateUserProfile{GivenName: &name}, Metadata: map[string]string{"team": "blue"}}}))
	if err != nil || upd.Msg.User.UserProfile.GivenName != "Renamed" || upd.Msg.User.Metadata["team"] != "blue" {
		t.Errorf("UpdateUser: %v %v", upd, err)
	}
	if _, err := p.users.DeleteUser(ctx, req(p, &userpb.DeleteUserRequest{Identities: &userpb.DeleteUserRequest_Id{Id: u.Id}})); err != nil {
		t.Fatal(err)
	}
	_, err = p.users.GetUser(ctx, req(p, &userpb.GetUserRequest{Identities: &userpb.GetUserRequest_Id{Id: u.Id}}))
	wantCode(t, "deleted user", err, connect.CodeNotFound, "NOT_FOUND")

	// Bad input: ids with path characters, bidi, 5,000-character names.
	for name, r := range map[string]*userpb.CreateUserAndMembershipRequest{
		"bidi name":    {OrganizationId: model.SandboxOrgID, User: &userpb.CreateUser{Email: "b@acme.example", UserProfile: &userpb.CreateUserProfile{GivenName: "evil\u202etxt"}}},
		"long name":    {OrganizationId: model.SandboxOrgID, User: &userpb.CreateUser{Email: "l@acme.example", UserProfile: &userpb.CreateUserProfile{GivenName: strings.Repeat("n", 5000)}}},
		"bad email":    {OrganizationId: model.SandboxOrgID, User: &userpb.CreateUser{Email: "not an address"}},
		"path org id":  {OrganizationId: "org_1/../../x", User: &userpb.CreateUser{Email: "p@acme.example"}},
		"long ext id":  {OrganizationId: model.SandboxOrgID, User: &userpb.CreateUser{Email: "e@acme.example", ExternalId: ptr(strings.Repeat("x", 5000))}},
		"unknown role": {OrganizationId: model.SandboxOrgID, User: &userpb.CreateUser{Email: "r@acme.example", Membership: &userpb.CreateMembership{Roles: []*commons.Role{{Name: "../admin"}}}}},
	} {
		_, err := p.users.CreateUserAndMembership(ctx, req(p, r))
		wantCode(t, name, err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
	}
}

// Concurrent creates of the same user, or the same external id: exactly
// one wins, the others are ALREADY_EXISTS.
func TestGRPCConcurrentUserCreates(t *testing.T) {
	p := newPeople(t)
	for _, c := range []struct {
		name string
		user func(i int) *userpb.CreateUser
	}{
		{"same email", func(int) *userpb.CreateUser { return &userpb.CreateUser{Email: "race@acme.example"} }},
		{"same external id", func(i int) *userpb.CreateUser {
			return &userpb.CreateUser{Email: "race" + string(rune('a'+i)) + "@acme.example", ExternalId: ptr("race-ext")}
		}},
	} {
		var wg sync.WaitGroup
		var mu sync.Mutex
		won, lost := 0, 0
		for i := range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := p.users.CreateUserAndMembership(context.Background(), req(p, &userpb.CreateUserAndMembershipRequest{OrganizationId: model.SandboxOrgID, User: c.user(i)}))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won++
				case connect.CodeOf(err) == connect.CodeAlreadyExists:
					lost++
				default:
					t.Errorf("%s: %v", c.name, err)
				}
			}()
		}
		wg.Wait()
		if won != 1 || lost != 11 {
			t.Errorf("%s: %d won, %d lost, want 1 and 11", c.name, won, lost)
		}
	}
}

func claimsOf(t *testing.T, jwt string) map[string]any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.Split(jwt, ".")[1])
	var m map[string]any
	if err != nil || json.Unmarshal(b, &m) != nil {
		t.Fatalf("undecodable token %q", jwt)
	}
	return m
}

// tokenFor runs a client-credentials request and returns status and body.
func (p *people) tokenFor(form url.Values) (int, map[string]any) {
	res, err := p.http.PostForm(p.url+"/scalekit/oauth/token", form)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]any
	json.NewDecoder(res.Body).Decode(&body)
	return res.StatusCode, body
}

// An organization's M2M client, its secrets, and the token a secret gets:
// oid, aud (configured), scopes within its own, custom claims, expiry.
func TestGRPCM2MClientsAndTheirTokens(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	created, err := p.clients.CreateOrganizationClient(ctx, req(p, &clientpb.CreateOrganizationClientRequest{OrganizationId: model.SandboxOrgID,
		Client: &clientpb.OrganizationClient{Name: "billing worker", Scopes: []string{"invoices:read", "invoices:write"}, Audience: []string{"https://api.acme.example"},
			CustomClaims: []*clientpb.CustomClaim{{Key: "team", Value: "billing"}}, Expiry: 3600}}))
	if err != nil {
		t.Fatal(err)
	}
	id, secret := created.Msg.Client.ClientId, created.Msg.PlainSecret
	if !strings.HasPrefix(id, "m2morg_") || secret == "" || created.Msg.Client.Secrets[0].SecretSuffix != secret[len(secret)-4:] {
		t.Fatalf("created %v", created.Msg)
	}
	status, body := p.tokenFor(url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}, "scope": {"invoices:read"}})
	if status != 200 || body["scope"] != "invoices:read" || body["expires_in"] != float64(3599) {
		t.Fatalf("token: %d %v", status, body)
	}
	c := claimsOf(t, body["access_token"].(string))
	custom, _ := c["custom_claims"].(map[string]any) // nested, where Scalekit's Python SDK tests read them
	if c["oid"] != model.SandboxOrgID || c["sub"] != id || custom["team"] != "billing" || c["team"] != nil || c["exp"].(float64)-c["iat"].(float64) != 3600 {
		t.Errorf("claims %v", c)
	}
	if aud, _ := c["aud"].([]any); len(aud) != 1 || aud[0] != "https://api.acme.example" {
		t.Errorf("aud %v", c["aud"])
	}
	if status, body := p.tokenFor(url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}, "scope": {"admin"}}); status != 400 || body["error"] != "invalid_scope" {
		t.Errorf("scope beyond the client's: %d %v", status, body)
	}
	if status, body := p.tokenFor(url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret + "x"}}); status != 401 || body["error"] != "invalid_client" {
		t.Errorf("wrong secret: %d %v", status, body)
	}
	// An M2M client cannot redeem codes or refresh tokens.
	if status, body := p.tokenFor(url.Values{"grant_type": {"authorization_code"}, "client_id": {id}, "client_secret": {secret}, "code": {"x"}, "redirect_uri": {"http://127.0.0.1:9/cb"}}); status != 400 || body["error"] != "unauthorized_client" {
		t.Errorf("M2M client with authorization_code: %d %v", status, body)
	}
	// The demo client's token still has no aud; scopes are honoured within its own.
	if _, body := p.tokenFor(url.Values{"grant_type": {"client_credentials"}, "client_id": {sbtest.ClientID}, "client_secret": {sbtest.ClientSecret}}); claimsOf(t, body["access_token"].(string))["aud"] != nil {
		t.Errorf("the demo client's token has aud")
	}
	if status, body := p.tokenFor(url.Values{"grant_type": {"client_credentials"}, "client_id": {sbtest.ClientID}, "client_secret": {sbtest.ClientSecret}, "scope": {"openid users:write"}}); status != 400 || body["error"] != "invalid_scope" {
		t.Errorf("demo client asking beyond openid: %d %v", status, body)
	}

	// A second secret works; deleted, it stops working; the cap is 5.
	second, err := p.clients.CreateOrganizationClientSecret(ctx, req(p, &clientpb.CreateOrganizationClientSecretRequest{OrganizationId: model.SandboxOrgID, ClientId: id}))
	if err != nil {
		t.Fatal(err)
	}
	if status, _ := p.tokenFor(url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {second.Msg.PlainSecret}}); status != 200 {
		t.Errorf("second secret: %d", status)
	}
	if _, err := p.clients.DeleteOrganizationClientSecret(ctx, req(p, &clientpb.DeleteOrganizationClientSecretRequest{OrganizationId: model.SandboxOrgID, ClientId: id, SecretId: second.Msg.Secret.Id})); err != nil {
		t.Fatal(err)
	}
	if status, _ := p.tokenFor(url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {second.Msg.PlainSecret}}); status != 401 {
		t.Errorf("deleted secret: %d", status)
	}
	for range 4 {
		if _, err := p.clients.CreateOrganizationClientSecret(ctx, req(p, &clientpb.CreateOrganizationClientSecretRequest{OrganizationId: model.SandboxOrgID, ClientId: id})); err != nil {
			t.Fatal(err)
		}
	}
	_, err = p.clients.CreateOrganizationClientSecret(ctx, req(p, &clientpb.CreateOrganizationClientSecretRequest{OrganizationId: model.SandboxOrgID, ClientId: id}))
	wantCode(t, "sixth secret", err, connect.CodeFailedPrecondition, "FAILED_PRECONDITION")

	list, err := p.clients.ListOrganizationClients(ctx, req(p, &clientpb.ListOrganizationClientsRequest{OrganizationId: model.SandboxOrgID, PageSize: 1}))
	if err != nil || list.Msg.TotalSize != 1 || list.Msg.Clients[0].ClientId != id {
		t.Errorf("list: %v %v", list, err)
	}
	_, err = p.clients.CreateOrganizationClient(ctx, req(p, &clientpb.CreateOrganizationClientRequest{OrganizationId: model.SandboxOrgID,
		Client: &clientpb.OrganizationClient{Name: "x", CustomClaims: []*clientpb.CustomClaim{{Key: "oid", Value: "org_other"}}}}))
	wantCode(t, "custom claim oid", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
	if _, err := p.clients.DeleteOrganizationClient(ctx, req(p, &clientpb.DeleteOrganizationClientRequest{OrganizationId: model.SandboxOrgID, ClientId: id})); err != nil {
		t.Fatal(err)
	}
	if status, _ := p.tokenFor(url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}); status != 401 {
		t.Errorf("deleted client: %d", status)
	}
}

// ssoLogin signs the demo user in headless and returns the token answer.
func (p *people) ssoLogin(loginHint string) map[string]any {
	p.t.Helper()
	c := *p.http
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	q := url.Values{"response_type": {"code"}, "client_id": {sbtest.ClientID}, "redirect_uri": {"http://127.0.0.1:9/cb"}, "scope": {"openid email"}, "login_hint": {loginHint}}
	res, err := c.Get(p.url + "/scalekit/oauth/authorize?" + q.Encode())
	if err != nil {
		p.t.Fatal(err)
	}
	res.Body.Close()
	loc, _ := url.Parse(res.Header.Get("Location"))
	status, body := p.tokenFor(url.Values{"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}, "redirect_uri": {"http://127.0.0.1:9/cb"},
		"client_id": {sbtest.ClientID}, "client_secret": {sbtest.ClientSecret}})
	if status != 200 {
		p.t.Fatalf("sign-in: %d %v", status, body)
	}
	return body
}

// Roles and permissions made over the API appear in users' access tokens
// from SSO; sessions are listed and revoked; directories list their
// users and groups.
func TestGRPCRolesSessionsDirectories(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	if _, err := p.roles.CreatePermission(ctx, req(p, &rolepb.CreatePermissionRequest{Permission: &rolepb.CreatePermission{Name: "reports:export", Description: "Export reports"}})); err != nil {
		t.Fatal(err)
	}
	_, err := p.roles.CreatePermission(ctx, req(p, &rolepb.CreatePermissionRequest{Permission: &rolepb.CreatePermission{Name: "reports:export"}}))
	wantCode(t, "permission twice", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
	if _, err := p.roles.CreateRole(ctx, req(p, &rolepb.CreateRoleRequest{Role: &rolepb.CreateRole{Name: "analyst", DisplayName: "Analyst", Permissions: []string{"reports:export"}}})); err != nil {
		t.Fatal(err)
	}
	_, err = p.roles.CreateRole(ctx, req(p, &rolepb.CreateRoleRequest{Role: &rolepb.CreateRole{Name: "bad role/x"}}))
	wantCode(t, "role name with a slash", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
	_, err = p.roles.CreateRole(ctx, req(p, &rolepb.CreateRoleRequest{Role: &rolepb.CreateRole{Name: "ghost", Permissions: []string{"nothing:here"}}}))
	wantCode(t, "role with an unknown permission", err, connect.CodeFailedPrecondition, "FAILED_PRECONDITION")
	roles, err := p.roles.ListRoles(ctx, req(p, &rolepb.ListRolesRequest{}))
	if err != nil || len(roles.Msg.Roles) != 3 {
		t.Fatalf("ListRoles: %v %v", roles, err)
	}
	if _, err := p.users.AssignUserRoles(ctx, req(p, &userpb.AssignUserRolesRequest{OrganizationId: model.SandboxOrgID, UserId: "usr_59615193906282645",
		Roles: []*userpb.AssignRoleRequest{{RoleName: "analyst"}}})); err != nil {
		t.Fatal(err)
	}
	if n, err := p.roles.GetRoleUsersCount(ctx, req(p, &rolepb.GetRoleUsersCountRequest{RoleName: "analyst"})); err != nil || n.Msg.Count != 1 {
		t.Errorf("GetRoleUsersCount analyst: %v %v", n, err)
	}
	if n, err := p.roles.GetRoleUsersCount(ctx, req(p, &rolepb.GetRoleUsersCountRequest{RoleName: "admin"})); err != nil || n.Msg.Count != int64(len(fixtureIDs)) {
		t.Errorf("GetRoleUsersCount admin: %v %v", n, err)
	}
	if dep, err := p.roles.ListDependentRoles(ctx, req(p, &rolepb.ListDependentRolesRequest{RoleName: "admin"})); err != nil || len(dep.Msg.Roles) != 0 {
		t.Errorf("ListDependentRoles: %v %v", dep, err)
	}
	member := "analyst"
	if def, err := p.roles.UpdateDefaultRoles(ctx, req(p, &rolepb.UpdateDefaultRolesRequest{DefaultMemberRole: &member})); err != nil || def.Msg.DefaultMember.Name != "analyst" || !def.Msg.DefaultMember.DefaultMember {
		t.Errorf("UpdateDefaultRoles: %v %v", def, err)
	}
	ghost := "ghost"
	_, err = p.roles.UpdateDefaultRoles(ctx, req(p, &rolepb.UpdateDefaultRolesRequest{DefaultMemberRole: &ghost}))
	wantCode(t, "an unknown default role", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
	perms, err := p.users.ListUserPermissions(ctx, req(p, &userpb.ListUserPermissionsRequest{OrganizationId: model.SandboxOrgID, UserId: "usr_59615193906282645"}))
	if err != nil || len(perms.Msg.Permissions) != 5 {
		t.Errorf("ListUserPermissions: %v %v", perms, err)
	}

	tok := p.ssoLogin(model.SandboxSSOUser)
	c := claimsOf(t, tok["access_token"].(string))
	roleClaim, _ := c["roles"].([]any)
	permClaim, _ := c["permissions"].([]any)
	if len(roleClaim) != 2 || roleClaim[1] != "analyst" || len(permClaim) != 5 || c["oid"] != model.SandboxOrgID {
		t.Errorf("access token roles %v permissions %v oid %v", c["roles"], c["permissions"], c["oid"])
	}
	if aud, _ := c["aud"].([]any); len(aud) != 1 || aud[0] != sbtest.ClientID {
		t.Errorf("user access token aud %v", c["aud"])
	}
	sid := c["sid"].(string)

	sessions, err := p.sess.GetUserSessions(ctx, req(p, &sesspb.UserSessionDetailsRequest{UserId: "usr_59615193906282645", PageSize: 1}))
	if err != nil || len(sessions.Msg.Sessions) != 1 || sessions.Msg.Sessions[0].SessionId != sid || sessions.Msg.Sessions[0].Status != "active" {
		t.Fatalf("GetUserSessions: %v %v", sessions, err)
	}
	if _, err := p.sess.RevokeSession(ctx, req(p, &sesspb.RevokeSessionRequest{SessionId: sid})); err != nil {
		t.Fatal(err)
	}
	if status, body := p.tokenFor(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)},
		"client_id": {sbtest.ClientID}, "client_secret": {sbtest.ClientSecret}}); status != 400 || body["error"] != "invalid_grant" {
		t.Errorf("refresh after RevokeSession: %d %v", status, body)
	}
	got, err := p.sess.GetSession(ctx, req(p, &sesspb.SessionDetailsRequest{SessionId: sid}))
	if err != nil || got.Msg.Status != "revoked" {
		t.Errorf("GetSession after revoke: %v %v", got, err)
	}
	p.ssoLogin(model.SandboxSSOUser)
	all, err := p.sess.RevokeAllUserSessions(ctx, req(p, &sesspb.RevokeAllUserSessionsRequest{UserId: "usr_59615193906282645"}))
	if err != nil || all.Msg.TotalRevoked != 1 {
		t.Errorf("RevokeAllUserSessions: %v %v", all, err)
	}
	_, err = p.sess.GetSession(ctx, req(p, &sesspb.SessionDetailsRequest{SessionId: "ses_1"}))
	wantCode(t, "unknown session", err, connect.CodeNotFound, "NOT_FOUND")

	dirs, err := p.dirs.ListDirectories(ctx, req(p, &dirpb.ListDirectoriesRequest{OrganizationId: model.SandboxOrgID}))
	if err != nil || len(dirs.Msg.Directories) != 1 || dirs.Msg.Directories[0].TotalUsers != 3 {
		t.Fatalf("ListDirectories: %v %v", dirs, err)
	}
	dirID := dirs.Msg.Directories[0].Id
	users, err := p.dirs.ListDirectoryUsers(ctx, req(p, &dirpb.ListDirectoryUsersRequest{OrganizationId: model.SandboxOrgID, DirectoryId: dirID, PageSize: 2}))
	if err != nil || len(users.Msg.Users) != 2 || users.Msg.TotalSize != 3 || users.Msg.Users[0].Email != model.SandboxSSOUser {
		t.Errorf("ListDirectoryUsers: %v %v", users, err)
	}
	groups, err := p.dirs.ListDirectoryGroups(ctx, req(p, &dirpb.ListDirectoryGroupsRequest{OrganizationId: model.SandboxOrgID, DirectoryId: dirID}))
	if err != nil || len(groups.Msg.Groups) != 2 || groups.Msg.Groups[1].TotalUsers != 3 {
		t.Errorf("ListDirectoryGroups: %v %v", groups, err)
	}
	_, err = p.dirs.GetDirectory(ctx, req(p, &dirpb.GetDirectoryRequest{OrganizationId: "org_59615204871953291", Id: dirID}))
	wantCode(t, "another organization's directory", err, connect.CodeNotFound, "NOT_FOUND")
	if off, err := p.dirs.DisableDirectory(ctx, req(p, &dirpb.ToggleDirectoryRequest{OrganizationId: model.SandboxOrgID, Id: dirID})); err != nil || off.Msg.Enabled {
		t.Errorf("DisableDirectory: %v %v", off, err)
	}
	if got, _ := p.dirs.GetDirectory(ctx, req(p, &dirpb.GetDirectoryRequest{OrganizationId: model.SandboxOrgID, Id: dirID})); got.Msg.GetDirectory().GetEnabled() {
		t.Error("the directory is still enabled")
	}

	// Search, by name or address, across the environment or in one organization.
	found, err := p.users.SearchUsers(ctx, req(p, &userpb.SearchUsersRequest{Query: "ADA@acme"}))
	if err != nil || found.Msg.TotalSize != 1 || found.Msg.Users[0].Email != model.SandboxSSOUser {
		t.Errorf("SearchUsers: %v %v", found, err)
	}
	inOrg, err := p.users.SearchOrganizationUsers(ctx, req(p, &userpb.SearchOrganizationUsersRequest{OrganizationId: model.SandboxOrgID, Query: "@acme.example", PageSize: 2}))
	if err != nil || inOrg.Msg.TotalSize != 3 || len(inOrg.Msg.Users) != 2 || inOrg.Msg.NextPageToken == "" {
		t.Errorf("SearchOrganizationUsers: %v %v", inOrg, err)
	}
	_, err = p.users.SearchUsers(ctx, req(p, &userpb.SearchUsersRequest{Query: "ab"}))
	wantCode(t, "a 2-character search", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")

	upd, err := p.roles.UpdatePermission(ctx, req(p, &rolepb.UpdatePermissionRequest{PermissionName: "reports:export", Permission: &rolepb.CreatePermission{Name: "reports:export", Description: "Export every report"}}))
	if err != nil || upd.Msg.Permission.Description != "Export every report" {
		t.Errorf("UpdatePermission: %v %v", upd, err)
	}
	eff, err := p.roles.ListEffectiveRolePermissions(ctx, req(p, &rolepb.ListEffectiveRolePermissionsRequest{RoleName: "analyst"}))
	if err != nil || len(eff.Msg.Permissions) != 1 || eff.Msg.Permissions[0].Name != "reports:export" {
		t.Errorf("ListEffectiveRolePermissions: %v %v", eff, err)
	}
}

// An organization follows the application's session policy until it sets
// its own; a bad one is INVALID_ARGUMENT.
func TestGRPCOrganizationSessionPolicy(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	orgs := organizationsconnect.NewOrganizationServiceClient(p.http, p.url+"/scalekit", connect.WithGRPC())
	got, err := orgs.GetOrganizationSessionPolicy(ctx, req(p, &orgpb.GetOrganizationSessionPolicyRequest{OrganizationId: model.SandboxOrgID}))
	if err != nil || got.Msg.Policy.PolicySource != orgpb.SessionPolicyType_APPLICATION || got.Msg.Policy.AbsoluteSessionTimeout.GetValue() != 7 {
		t.Fatalf("default policy: %v %v", got, err)
	}
	hours, minutes := commons.TimeUnit_HOURS, commons.TimeUnit_MINUTES
	set, err := orgs.UpdateOrganizationSessionPolicy(ctx, req(p, &orgpb.UpdateOrganizationSessionPolicyRequest{OrganizationId: model.SandboxOrgID,
		PolicySource: orgpb.SessionPolicyType_CUSTOM, AbsoluteSessionTimeout: wrapperspb.Int32(12), AbsoluteSessionTimeoutUnit: &hours,
		IdleSessionTimeoutEnabled: wrapperspb.Bool(true), IdleSessionTimeout: wrapperspb.Int32(30), IdleSessionTimeoutUnit: &minutes}))
	if err != nil || set.Msg.Policy.PolicySource != orgpb.SessionPolicyType_CUSTOM || set.Msg.Policy.IdleSessionTimeout.GetValue() != 30 {
		t.Fatalf("custom policy: %v %v", set, err)
	}
	_, err = orgs.UpdateOrganizationSessionPolicy(ctx, req(p, &orgpb.UpdateOrganizationSessionPolicyRequest{OrganizationId: model.SandboxOrgID,
		PolicySource: orgpb.SessionPolicyType_CUSTOM, AbsoluteSessionTimeout: wrapperspb.Int32(1), AbsoluteSessionTimeoutUnit: &hours,
		IdleSessionTimeoutEnabled: wrapperspb.Bool(true), IdleSessionTimeout: wrapperspb.Int32(2), IdleSessionTimeoutUnit: &hours}))
	wantCode(t, "idle longer than absolute", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
	_, err = orgs.GetOrganizationSessionPolicy(ctx, req(p, &orgpb.GetOrganizationSessionPolicyRequest{OrganizationId: "org_1"}))
	wantCode(t, "unknown organization", err, connect.CodeNotFound, "NOT_FOUND")
}

// An organization's own roles: listed with the environment's, assignable
// to its members only, seen in their SSO access tokens.
func TestGRPCOrganizationRoles(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	created, err := p.roles.CreateOrganizationRole(ctx, req(p, &rolepb.CreateOrganizationRoleRequest{OrgId: model.SandboxOrgID,
		Role: &rolepb.CreateOrganizationRole{Name: "billing-admin", DisplayName: "Billing admin", Permissions: []string{"users:read"}}}))
	if err != nil || !created.Msg.Role.IsOrgRole {
		t.Fatalf("CreateOrganizationRole: %v %v", created, err)
	}
	_, err = p.roles.CreateOrganizationRole(ctx, req(p, &rolepb.CreateOrganizationRoleRequest{OrgId: model.SandboxOrgID, Role: &rolepb.CreateOrganizationRole{Name: "admin"}}))
	wantCode(t, "an organization role named as an environment one", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
	list, err := p.roles.ListOrganizationRoles(ctx, req(p, &rolepb.ListOrganizationRolesRequest{OrgId: model.SandboxOrgID}))
	if err != nil || len(list.Msg.Roles) != 3 || list.Msg.Roles[2].Name != "billing-admin" {
		t.Fatalf("ListOrganizationRoles: %v %v", list, err)
	}
	if other, err := p.roles.ListOrganizationRoles(ctx, req(p, &rolepb.ListOrganizationRolesRequest{OrgId: "org_59615204871953291"})); err != nil || len(other.Msg.Roles) != 2 {
		t.Errorf("another organization sees %v %v", other, err)
	}
	dn := "Billing administrator"
	if up, err := p.roles.UpdateOrganizationRole(ctx, req(p, &rolepb.UpdateOrganizationRoleRequest{OrgId: model.SandboxOrgID, RoleName: "billing-admin",
		Role: &rolepb.UpdateRole{DisplayName: &dn, Permissions: []string{"users:read", "users:invite"}}})); err != nil || up.Msg.Role.DisplayName != dn {
		t.Errorf("UpdateOrganizationRole: %v %v", up, err)
	}
	if _, err := p.users.AssignUserRoles(ctx, req(p, &userpb.AssignUserRolesRequest{OrganizationId: model.SandboxOrgID, UserId: "usr_59615193906282646",
		Roles: []*userpb.AssignRoleRequest{{RoleName: "billing-admin"}}})); err != nil {
		t.Fatal(err)
	}
	_, err = p.users.CreateUserAndMembership(ctx, req(p, &userpb.CreateUserAndMembershipRequest{OrganizationId: "org_59615204871953291",
		User: &userpb.CreateUser{Email: "x@globex.example", Membership: &userpb.CreateMembership{Roles: []*commons.Role{{Name: "billing-admin"}}}}}))
	wantCode(t, "another organization's role", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")

	if n, err := p.roles.GetOrganizationRoleUsersCount(ctx, req(p, &rolepb.GetOrganizationRoleUsersCountRequest{OrgId: model.SandboxOrgID, RoleName: "billing-admin"})); err != nil || n.Msg.Count != 1 {
		t.Errorf("GetOrganizationRoleUsersCount: %v %v", n, err)
	}
	if n, err := p.roles.GetOrganizationRoleUsersCount(ctx, req(p, &rolepb.GetOrganizationRoleUsersCountRequest{OrgId: model.SandboxOrgID, RoleName: "member"})); err != nil || n.Msg.Count != 2 {
		t.Errorf("GetOrganizationRoleUsersCount member: %v %v", n, err)
	}
	c := claimsOf(t, p.ssoLogin("grace@acme.example")["access_token"].(string))
	if roles, _ := c["roles"].([]any); len(roles) != 2 || roles[1] != "billing-admin" {
		t.Errorf("access token roles %v", c["roles"])
	}
	if perms, _ := c["permissions"].([]any); len(perms) != 3 {
		t.Errorf("access token permissions %v", c["permissions"])
	}
	if got, err := p.roles.GetOrganizationRole(ctx, req(p, &rolepb.GetOrganizationRoleRequest{OrgId: model.SandboxOrgID, RoleName: "billing-admin"})); err != nil || len(got.Msg.Role.Permissions) != 2 {
		t.Errorf("GetOrganizationRole: %v %v", got, err)
	}
	// Grace holds it: refused, as the environment's DeleteRole does, until
	// a role to move her to is named.
	_, err = p.roles.DeleteOrganizationRole(ctx, req(p, &rolepb.DeleteOrganizationRoleRequest{OrgId: model.SandboxOrgID, RoleName: "billing-admin"}))
	wantCode(t, "a held organization role", err, connect.CodeFailedPrecondition, "FAILED_PRECONDITION")
	if _, err := p.roles.DeleteOrganizationRole(ctx, req(p, &rolepb.DeleteOrganizationRoleRequest{OrgId: model.SandboxOrgID, RoleName: "billing-admin", ReassignRoleName: ptr("member")})); err != nil {
		t.Fatal(err)
	}
	_, err = p.roles.GetOrganizationRole(ctx, req(p, &rolepb.GetOrganizationRoleRequest{OrgId: model.SandboxOrgID, RoleName: "billing-admin"}))
	wantCode(t, "a deleted organization role", err, connect.CodeNotFound, "NOT_FOUND")
}

// The management API takes the environment client's token only: a
// user's access token from a sign-in and an organization M2M client's
// token are signed by the same key, and refused over gRPC and REST alike.
func TestManagementAPITakesOnlyTheEnvironmentClientsToken(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	created, err := p.clients.CreateOrganizationClient(ctx, req(p, &clientpb.CreateOrganizationClientRequest{OrganizationId: model.SandboxOrgID,
		Client: &clientpb.OrganizationClient{Name: "worker", Scopes: []string{"jobs:run"}}}))
	if err != nil {
		t.Fatal(err)
	}
	_, m2m := p.tokenFor(url.Values{"grant_type": {"client_credentials"}, "client_id": {created.Msg.Client.ClientId}, "client_secret": {created.Msg.PlainSecret}})
	user := p.ssoLogin(model.SandboxSSOUser)
	for _, c := range []struct {
		name, token, want string
	}{
		{"environment client", p.token, ""},
		{"user's access token", user["access_token"].(string), "a user's access token cannot call the management API"},
		{"organization M2M client", m2m["access_token"].(string), "an organization M2M client's token is for your own APIs"},
	} {
		r := connect.NewRequest(&userpb.ListUsersRequest{})
		r.Header().Set("Authorization", "Bearer "+c.token)
		_, err := p.users.ListUsers(ctx, r)
		if c.want == "" {
			if err != nil {
				t.Errorf("gRPC with the %s: %v", c.name, err)
			}
		} else if connect.CodeOf(err) != connect.CodeUnauthenticated || !strings.Contains(err.Error(), c.want) {
			t.Errorf("gRPC with the %s: %v, want UNAUTHENTICATED saying %q", c.name, err, c.want)
		}

		hr, _ := http.NewRequest("GET", p.url+"/scalekit/api/v1/organizations/"+model.SandboxOrgID, nil)
		hr.Header.Set("Authorization", "Bearer "+c.token)
		res, err := p.http.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		_ = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		msg, _ := body["message"].(string)
		if c.want == "" && res.StatusCode != 200 || c.want != "" && (res.StatusCode != 401 || !strings.Contains(msg, c.want)) {
			t.Errorf("REST with the %s: %d %v", c.name, res.StatusCode, body)
		}
	}
}

// An update that leaves its sub-message out, or a metadata-only user
// update without a profile, changes nothing it does not name and never
// crashes the handler (it did: a nil profile was read, and the client saw
// the stream reset with no status). An M2M client's update is partial, as
// the SDKs' own tests expect.
func TestGRPCUpdatesWithPartsLeftOut(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	const adaID = "usr_59615193906282645"
	if _, err := p.users.UpdateUser(ctx, req(p, &userpb.UpdateUserRequest{Identities: &userpb.UpdateUserRequest_Id{Id: adaID}})); err != nil {
		t.Errorf("UpdateUser without a user: %v", err)
	}
	got, err := p.users.UpdateUser(ctx, req(p, &userpb.UpdateUserRequest{Identities: &userpb.UpdateUserRequest_Id{Id: adaID},
		User: &userpb.UpdateUser{Metadata: map[string]string{"plan": "pro"}}}))
	if err != nil || got.Msg.GetUser().GetMetadata()["plan"] != "pro" || got.Msg.GetUser().GetUserProfile().GetGivenName() != "Ada" {
		t.Errorf("metadata-only UpdateUser: %v %v", got, err)
	}
	if _, err := p.roles.UpdateRole(ctx, req(p, &rolepb.UpdateRoleRequest{RoleName: "admin"})); err != nil {
		t.Errorf("UpdateRole without a role: %v", err)
	}
	created, err := p.clients.CreateOrganizationClient(ctx, req(p, &clientpb.CreateOrganizationClientRequest{OrganizationId: model.SandboxOrgID,
		Client: &clientpb.OrganizationClient{Name: "worker", Scopes: []string{"jobs:run"}, Expiry: 600}}))
	if err != nil {
		t.Fatal(err)
	}
	up, err := p.clients.UpdateOrganizationClient(ctx, req(p, &clientpb.UpdateOrganizationClientRequest{OrganizationId: model.SandboxOrgID,
		ClientId: created.Msg.Client.ClientId, Client: &clientpb.OrganizationClient{Description: "runs jobs"}}))
	if err != nil {
		t.Fatalf("UpdateOrganizationClient with a description only: %v", err)
	}
	if c := up.Msg.Client; c.Name != "worker" || c.Description != "runs jobs" || len(c.Scopes) != 1 || c.Expiry != 600 {
		t.Errorf("partial update changed what it did not name: %v", c)
	}
}
