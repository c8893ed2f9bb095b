package scalekit_test

import (
	"context"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"github.com/authscope/authscope/model"
	clientpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/clients"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/commons"
	orgpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/organizations"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/organizations/organizationsconnect"
	rolepb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/roles"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/tokens"
	userpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/users"
)

// otherOrg is the fixture's second organization.
const otherOrg = "org_59615204871953291"

// memberRoles is the names of the roles user id holds in its first
// membership.
func memberRoles(t *testing.T, p *people, id string) []string {
	t.Helper()
	got, err := p.users.GetUser(context.Background(), req(p, &userpb.GetUserRequest{Identities: &userpb.GetUserRequest_Id{Id: id}}))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range got.Msg.User.Memberships[0].Roles {
		out = append(out, r.Name)
	}
	return out
}

// An environment role may not take a name an organization's own role
// has (as an organization role may not take an environment one's):
// deleting it would otherwise rewrite the members holding the other.
func TestEnvRoleCannotShadowAnOrgRole(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	if _, err := p.roles.CreateOrganizationRole(ctx, req(p, &rolepb.CreateOrganizationRoleRequest{OrgId: model.SandboxOrgID,
		Role: &rolepb.CreateOrganizationRole{Name: "auditor", DisplayName: "Auditor", Permissions: []string{"users:read"}}})); err != nil {
		t.Fatal(err)
	}
	u, err := p.users.CreateUserAndMembership(ctx, req(p, &userpb.CreateUserAndMembershipRequest{OrganizationId: model.SandboxOrgID,
		User: &userpb.CreateUser{Email: "aud@acme.example", Membership: &userpb.CreateMembership{Roles: []*commons.Role{{Name: "auditor"}}}}}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.roles.CreateRole(ctx, req(p, &rolepb.CreateRoleRequest{Role: &rolepb.CreateRole{Name: "auditor", DisplayName: "Env auditor"}}))
	wantCode(t, "an environment role named as an organization's", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
	// Were it created, deleting it must still leave the organization's
	// role to its holders.
	p.roles.DeleteRole(ctx, req(p, &rolepb.DeleteRoleRequest{RoleName: "auditor", ReassignRoleName: ptr("admin")}))
	if got := memberRoles(t, p, u.Msg.User.Id); len(got) != 1 || got[0] != "auditor" {
		t.Errorf("member's roles: %v, want [auditor]", got)
	}
	if _, err := p.roles.GetOrganizationRole(ctx, req(p, &rolepb.GetOrganizationRoleRequest{OrgId: model.SandboxOrgID, RoleName: "auditor"})); err != nil {
		t.Errorf("the organization's role: %v", err)
	}
}

// An organization's own role that members hold is deleted, as the
// environment's, only with a role to move them to.
func TestDeleteOrganizationRoleRefusesAHeldRole(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	for _, name := range []string{"auditor", "reviewer"} {
		if _, err := p.roles.CreateOrganizationRole(ctx, req(p, &rolepb.CreateOrganizationRoleRequest{OrgId: model.SandboxOrgID,
			Role: &rolepb.CreateOrganizationRole{Name: name, DisplayName: name}})); err != nil {
			t.Fatal(err)
		}
	}
	u, err := p.users.CreateUserAndMembership(ctx, req(p, &userpb.CreateUserAndMembershipRequest{OrganizationId: model.SandboxOrgID,
		User: &userpb.CreateUser{Email: "aud@acme.example", Membership: &userpb.CreateMembership{Roles: []*commons.Role{{Name: "auditor"}}}}}))
	if err != nil {
		t.Fatal(err)
	}
	del := func(reassign *string) error {
		_, err := p.roles.DeleteOrganizationRole(ctx, req(p, &rolepb.DeleteOrganizationRoleRequest{OrgId: model.SandboxOrgID, RoleName: "auditor", ReassignRoleName: reassign}))
		return err
	}
	err = del(nil)
	wantCode(t, "held, no reassignment", err, connect.CodeFailedPrecondition, "FAILED_PRECONDITION")
	if err == nil || !strings.Contains(err.Error(), "role cannot be deleted as it is assigned to users") {
		t.Errorf("message: %v", err)
	}
	for _, to := range []string{"nosuch", "auditor"} {
		wantCode(t, "reassignment to "+to, del(&to), connect.CodeInvalidArgument, "INVALID_ARGUMENT")
	}
	if got := memberRoles(t, p, u.Msg.User.Id); len(got) != 1 || got[0] != "auditor" {
		t.Errorf("member's roles after refusals: %v", got)
	}
	if err := del(ptr("reviewer")); err != nil {
		t.Fatal(err)
	}
	if got := memberRoles(t, p, u.Msg.User.Id); len(got) != 1 || got[0] != "reviewer" {
		t.Errorf("member's roles after reassignment: %v, want [reviewer]", got)
	}
	// An environment role is valid in the organization too.
	_, err = p.roles.DeleteOrganizationRole(ctx, req(p, &rolepb.DeleteOrganizationRoleRequest{OrgId: model.SandboxOrgID, RoleName: "reviewer", ReassignRoleName: ptr("admin")}))
	if got := memberRoles(t, p, u.Msg.User.Id); err != nil || len(got) != 1 || got[0] != "admin" {
		t.Errorf("reassignment to an environment role: %v %v", got, err)
	}
}

// An environment role an organization made its default member role is
// refused deletion, as the environment's default is.
func TestEnvRoleThatIsAnOrgDefaultCannotBeDeleted(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	if _, err := p.roles.CreateRole(ctx, req(p, &rolepb.CreateRoleRequest{Role: &rolepb.CreateRole{Name: "greeter", DisplayName: "Greeter"}})); err != nil {
		t.Fatal(err)
	}
	if _, err := p.roles.UpdateDefaultOrganizationRoles(ctx, req(p, &rolepb.UpdateDefaultOrganizationRolesRequest{OrgId: model.SandboxOrgID, DefaultMemberRole: "greeter"})); err != nil {
		t.Fatal(err)
	}
	_, err := p.roles.DeleteRole(ctx, req(p, &rolepb.DeleteRoleRequest{RoleName: "greeter"}))
	wantCode(t, "an organization's default", err, connect.CodeFailedPrecondition, "FAILED_PRECONDITION")
	if err == nil || !strings.Contains(err.Error(), model.SandboxOrgID) {
		t.Errorf("message names no organization: %v", err)
	}
	if _, err := p.roles.GetRole(ctx, req(p, &rolepb.GetRoleRequest{RoleName: "greeter"})); err != nil {
		t.Errorf("the role after the refusal: %v", err)
	}
}

// A new member sent no roles gets the organization's default member
// role, else the environment's.
func TestNewMemberGetsTheDefaultMemberRole(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	if _, err := p.roles.UpdateDefaultOrganizationRoles(ctx, req(p, &rolepb.UpdateDefaultOrganizationRolesRequest{OrgId: model.SandboxOrgID, DefaultMemberRole: "admin"})); err != nil {
		t.Fatal(err)
	}
	u, err := p.users.CreateUserAndMembership(ctx, req(p, &userpb.CreateUserAndMembershipRequest{OrganizationId: model.SandboxOrgID,
		User: &userpb.CreateUser{Email: "newbie@acme.example"}}))
	if err != nil {
		t.Fatal(err)
	}
	if got := memberRoles(t, p, u.Msg.User.Id); len(got) != 1 || got[0] != "admin" {
		t.Errorf("CreateUserAndMembership: %v, want [admin]", got)
	}
	if _, err := p.roles.CreateRole(ctx, req(p, &rolepb.CreateRoleRequest{Role: &rolepb.CreateRole{Name: "viewer", DisplayName: "Viewer"}})); err != nil {
		t.Fatal(err)
	}
	if _, err := p.roles.UpdateDefaultRoles(ctx, req(p, &rolepb.UpdateDefaultRolesRequest{DefaultMemberRole: ptr("viewer")})); err != nil {
		t.Fatal(err)
	}
	// The other organization set none: the environment's default, over
	// the REST face too.
	if status, body := p.rest("POST", "/api/v1/memberships/organizations/"+otherOrg+"/users/"+u.Msg.User.Id, `{}`); status/100 != 2 {
		t.Fatalf("REST CreateMembership: %d %v", status, body)
	}
	got, err := p.users.GetUser(ctx, req(p, &userpb.GetUserRequest{Identities: &userpb.GetUserRequest_Id{Id: u.Msg.User.Id}}))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range got.Msg.User.Memberships {
		if m.OrganizationId == otherOrg && (len(m.Roles) != 1 || m.Roles[0].Name != "viewer") {
			t.Errorf("REST CreateMembership roles: %v, want [viewer]", m.Roles)
		}
	}
}

// A user's API tokens go with the user, and with the membership they
// were made for: adding it again does not revive them, and they neither
// list nor count toward the cap.
func TestAPITokensGoWithTheirMember(t *testing.T) {
	p, tk := newTokens(t)
	ctx := context.Background()
	u, err := p.users.CreateUserAndMembership(ctx, req(p, &userpb.CreateUserAndMembershipRequest{OrganizationId: model.SandboxOrgID,
		User: &userpb.CreateUser{Email: "tok@acme.example"}}))
	if err != nil {
		t.Fatal(err)
	}
	uid := u.Msg.User.Id
	made, err := tk.CreateToken(ctx, req(p, &tokens.CreateTokenRequest{Token: &tokens.CreateToken{OrganizationId: model.SandboxOrgID, UserId: uid}}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.users.DeleteMembership(ctx, req(p, &userpb.DeleteMembershipRequest{OrganizationId: model.SandboxOrgID, Identities: &userpb.DeleteMembershipRequest_Id{Id: uid}})); err != nil {
		t.Fatal(err)
	}
	if _, err := p.users.CreateMembership(ctx, req(p, &userpb.CreateMembershipRequest{OrganizationId: model.SandboxOrgID, Identities: &userpb.CreateMembershipRequest_Id{Id: uid}, Membership: &userpb.CreateMembership{}})); err != nil {
		t.Fatal(err)
	}
	_, err = tk.ValidateToken(ctx, req(p, &tokens.ValidateTokenRequest{Token: made.Msg.Token}))
	if err == nil {
		t.Error("a removed membership's token is valid again once the membership is back")
	}
	if l, err := tk.ListTokens(ctx, req(p, &tokens.ListTokensRequest{OrganizationId: model.SandboxOrgID, UserId: &uid})); err != nil || len(l.Msg.Tokens) != 0 {
		t.Errorf("tokens listed after the membership was removed: %v %v", l, err)
	}
	// Fill the organization's cap with the user's tokens, delete the user:
	// the organization may make tokens again.
	for i := 0; ; i++ {
		_, err := tk.CreateToken(ctx, req(p, &tokens.CreateTokenRequest{Token: &tokens.CreateToken{OrganizationId: model.SandboxOrgID, UserId: uid}}))
		if err != nil {
			break
		}
		if i > 100 {
			t.Fatal("no cap")
		}
	}
	if _, err := p.users.DeleteUser(ctx, req(p, &userpb.DeleteUserRequest{Identities: &userpb.DeleteUserRequest_Id{Id: uid}})); err != nil {
		t.Fatal(err)
	}
	if l, err := tk.ListTokens(ctx, req(p, &tokens.ListTokensRequest{OrganizationId: model.SandboxOrgID})); err != nil || l.Msg.TotalCount != 0 {
		t.Errorf("tokens listed after the user was deleted: %v %v", l.Msg.GetTotalCount(), err)
	}
	if _, err := tk.CreateToken(ctx, req(p, &tokens.CreateTokenRequest{Token: &tokens.CreateToken{OrganizationId: model.SandboxOrgID}})); err != nil {
		t.Errorf("a deleted user's tokens still count toward the cap: %v", err)
	}
}

// logo_url is an http or https URL of plain text, on create and update,
// over gRPC and REST; an empty one on update clears it.
func TestLogoURLIsAnHTTPURL(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	orgs := organizationsconnect.NewOrganizationServiceClient(p.http, p.url+"/scalekit", connect.WithGRPC())
	for _, bad := range []string{"javascript:alert(1)", "https://x.example/\u202e.png", "https://x.example/\n", "https://x.example/\xff", "/relative.png", "https://"} {
		_, err := orgs.CreateOrganization(ctx, req(p, &orgpb.CreateOrganizationRequest{Organization: &orgpb.CreateOrganization{DisplayName: "Logo", LogoUrl: ptr(bad)}}))
		if !strings.Contains(bad, "\xff") { // protobuf itself refuses invalid UTF-8 in a string
			wantCode(t, "create with logo "+bad, err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
		} else if err == nil {
			t.Errorf("create with logo %q accepted", bad)
		}
		_, err = orgs.UpdateOrganization(ctx, req(p, &orgpb.UpdateOrganizationRequest{Identities: &orgpb.UpdateOrganizationRequest_Id{Id: model.SandboxOrgID},
			Organization: &orgpb.UpdateOrganization{LogoUrl: ptr(bad)}}))
		if err == nil {
			t.Errorf("update with logo %q accepted", bad)
		}
	}
	if status, body := p.rest("POST", "/api/v1/organizations", `{"display_name":"Rest Co","logo_url":"javascript:alert(1)"}`); status != 400 {
		t.Errorf("REST create with a script logo: %d %v", status, body)
	}
	up, err := orgs.UpdateOrganization(ctx, req(p, &orgpb.UpdateOrganizationRequest{Identities: &orgpb.UpdateOrganizationRequest_Id{Id: model.SandboxOrgID},
		Organization: &orgpb.UpdateOrganization{LogoUrl: ptr("https://cdn.example/logo.png")}}))
	if err != nil || up.Msg.Organization.GetLogoUrl() != "https://cdn.example/logo.png" {
		t.Fatalf("update with a logo: %v %v", up, err)
	}
	up, err = orgs.UpdateOrganization(ctx, req(p, &orgpb.UpdateOrganizationRequest{Identities: &orgpb.UpdateOrganizationRequest_Id{Id: model.SandboxOrgID},
		Organization: &orgpb.UpdateOrganization{LogoUrl: ptr("")}}))
	if err != nil || up.Msg.Organization.LogoUrl != nil {
		t.Errorf("clear logo: %v %v", up, err)
	}
}

// Organization roles extending an environment role are its dependents,
// listed and counted, as they block its deletion.
func TestOrgRolesExtendingAnEnvRoleAreItsDependents(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	if _, err := p.roles.CreateRole(ctx, req(p, &rolepb.CreateRoleRequest{Role: &rolepb.CreateRole{Name: "base", DisplayName: "Base"}})); err != nil {
		t.Fatal(err)
	}
	if _, err := p.roles.CreateOrganizationRole(ctx, req(p, &rolepb.CreateOrganizationRoleRequest{OrgId: model.SandboxOrgID,
		Role: &rolepb.CreateOrganizationRole{Name: "kid", DisplayName: "Kid", Extends: ptr("base")}})); err != nil {
		t.Fatal(err)
	}
	d, err := p.roles.ListDependentRoles(ctx, req(p, &rolepb.ListDependentRolesRequest{RoleName: "base"}))
	if err != nil || len(d.Msg.Roles) != 1 || d.Msg.Roles[0].Name != "kid" || !d.Msg.Roles[0].IsOrgRole {
		t.Errorf("ListDependentRoles: %v %v", d, err)
	}
	if g, err := p.roles.GetRole(ctx, req(p, &rolepb.GetRoleRequest{RoleName: "base"})); err != nil || g.Msg.Role.DependentRolesCount != 1 {
		t.Errorf("dependent_roles_count: %v %v", g, err)
	}
	_, err = p.roles.DeleteRole(ctx, req(p, &rolepb.DeleteRoleRequest{RoleName: "base"}))
	wantCode(t, "delete an extended role", err, connect.CodeFailedPrecondition, "FAILED_PRECONDITION")
}

// The role deletions check the role's name before looking it up.
func TestRoleDeletionsCheckTheName(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	for _, name := range []string{strings.Repeat("a", 5000), "a/../b\u202e"} {
		_, err := p.roles.DeleteOrganizationRoleBase(ctx, req(p, &rolepb.DeleteOrganizationRoleBaseRequest{OrgId: model.SandboxOrgID, RoleName: name}))
		wantCode(t, "DeleteOrganizationRoleBase", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
		_, err = p.roles.DeleteRole(ctx, req(p, &rolepb.DeleteRoleRequest{RoleName: name}))
		wantCode(t, "DeleteRole", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
		_, err = p.roles.DeleteOrganizationRole(ctx, req(p, &rolepb.DeleteOrganizationRoleRequest{OrgId: model.SandboxOrgID, RoleName: name}))
		wantCode(t, "DeleteOrganizationRole", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
	}
}

// A custom claim key may appear once in an M2M client: each becomes a
// JSON key of its tokens.
func TestDuplicateCustomClaimKeysAreRefused(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	dup := []*clientpb.CustomClaim{{Key: "team", Value: "a"}, {Key: "team", Value: "b"}}
	_, err := p.clients.CreateOrganizationClient(ctx, req(p, &clientpb.CreateOrganizationClientRequest{OrganizationId: model.SandboxOrgID,
		Client: &clientpb.OrganizationClient{Name: "dup", CustomClaims: dup}}))
	wantCode(t, "create", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
	if err == nil || !strings.Contains(err.Error(), "custom claim key team appears twice") {
		t.Errorf("message: %v", err)
	}
	created, err := p.clients.CreateOrganizationClient(ctx, req(p, &clientpb.CreateOrganizationClientRequest{OrganizationId: model.SandboxOrgID,
		Client: &clientpb.OrganizationClient{Name: "one"}}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.clients.UpdateOrganizationClient(ctx, req(p, &clientpb.UpdateOrganizationClientRequest{OrganizationId: model.SandboxOrgID, ClientId: created.Msg.Client.ClientId,
		Client: &clientpb.OrganizationClient{CustomClaims: dup}}))
	wantCode(t, "update", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
}

// REST DeleteRole reads the deprecated reassign_role_id as gRPC does.
func TestRESTDeleteRoleReadsReassignRoleID(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	if _, err := p.roles.CreateRole(ctx, req(p, &rolepb.CreateRoleRequest{Role: &rolepb.CreateRole{Name: "auditor", DisplayName: "Auditor"}})); err != nil {
		t.Fatal(err)
	}
	u, err := p.users.CreateUserAndMembership(ctx, req(p, &userpb.CreateUserAndMembershipRequest{OrganizationId: model.SandboxOrgID,
		User: &userpb.CreateUser{Email: "held@acme.example", Membership: &userpb.CreateMembership{Roles: []*commons.Role{{Name: "auditor"}}}}}))
	if err != nil {
		t.Fatal(err)
	}
	if status, body := p.rest("DELETE", "/api/v1/roles/auditor?reassign_role_id=admin", ""); status != 200 {
		t.Fatalf("REST delete with reassign_role_id: %d %v", status, body)
	}
	if got := memberRoles(t, p, u.Msg.User.Id); len(got) != 1 || got[0] != "admin" {
		t.Errorf("member's roles: %v, want [admin]", got)
	}
}

// ListTokens refuses a negative page size in the words it uses for one
// too large.
func TestListTokensNegativePageSize(t *testing.T) {
	p, tk := newTokens(t)
	_, err := tk.ListTokens(context.Background(), req(p, &tokens.ListTokensRequest{OrganizationId: model.SandboxOrgID, PageSize: -5}))
	wantCode(t, "negative page size", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
	if err == nil || !strings.Contains(err.Error(), "between 1 and 30") {
		t.Errorf("message: %v", err)
	}
}

// A user made on first sign-in (any address at an organization's domain)
// gets the organization's default member role too, as one added over the
// API does.
func TestFirstSignInGetsTheDefaultMemberRole(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	if _, err := p.roles.UpdateDefaultOrganizationRoles(ctx, req(p, &rolepb.UpdateDefaultOrganizationRolesRequest{OrgId: model.SandboxOrgID, DefaultMemberRole: "admin"})); err != nil {
		t.Fatal(err)
	}
	tokens := p.ssoLogin("first.timer@acme.example")
	roles, _ := claimsOf(t, tokens["access_token"].(string))["roles"].([]any)
	if len(roles) != 1 || roles[0] != "admin" {
		t.Errorf("the first sign-in's roles %v, want [admin]", roles)
	}
}
