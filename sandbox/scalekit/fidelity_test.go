package scalekit_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/commons"
	orgpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/organizations"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/organizations/organizationsconnect"
	rolepb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/roles"
	userpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/users"
)

// Behaviour Scalekit's own SDK test suites (run against Scalekit in their
// CI) rely on: what the sandbox answered differently before.

// rest sends a REST request with the environment token and decodes the
// JSON answer.
func (p *people) rest(method, path, body string) (int, map[string]any) {
	p.t.Helper()
	hr, _ := http.NewRequest(method, p.url+"/scalekit"+path, strings.NewReader(body))
	hr.Header.Set("Authorization", "Bearer "+p.token)
	hr.Header.Set("Content-Type", "application/json")
	res, err := p.http.Do(hr)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// An organization's slug (field 9) and logo_url (field 10) are kept and
// returned on both faces; an update with an empty slug clears it.
func TestOrganizationSlugAndLogo(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	orgs := organizationsconnect.NewOrganizationServiceClient(p.http, p.url+"/scalekit", connect.WithGRPC())
	slug, logo := "auth.megasoft.com", "https://cdn.example.com/acme-logo.png"
	created, err := orgs.CreateOrganization(ctx, req(p, &orgpb.CreateOrganizationRequest{Organization: &orgpb.CreateOrganization{
		DisplayName: "Megasoft", Slug: &slug, LogoUrl: &logo}}))
	if err != nil || created.Msg.Organization.GetSlug() != slug || created.Msg.Organization.GetLogoUrl() != logo {
		t.Fatalf("create: %v %v", created, err)
	}
	id := created.Msg.Organization.Id
	if status, body := p.rest("GET", "/api/v1/organizations/"+id, ""); status != 200 ||
		body["organization"].(map[string]any)["slug"] != slug || body["organization"].(map[string]any)["logo_url"] != logo {
		t.Errorf("REST get: %d %v", status, body)
	}
	other := "megasoft"
	up, err := orgs.UpdateOrganization(ctx, req(p, &orgpb.UpdateOrganizationRequest{Identities: &orgpb.UpdateOrganizationRequest_Id{Id: id},
		Organization: &orgpb.UpdateOrganization{Slug: &other}}))
	if err != nil || up.Msg.Organization.GetSlug() != other || up.Msg.Organization.GetLogoUrl() != logo {
		t.Errorf("update slug: %v %v", up, err)
	}
	empty := ""
	up, err = orgs.UpdateOrganization(ctx, req(p, &orgpb.UpdateOrganizationRequest{Identities: &orgpb.UpdateOrganizationRequest_Id{Id: id},
		Organization: &orgpb.UpdateOrganization{Slug: &empty}}))
	if err != nil || up.Msg.Organization.Slug != nil {
		t.Errorf("clear slug: %v %v", up, err)
	}
	bad := "Not A Slug"
	_, err = orgs.CreateOrganization(ctx, req(p, &orgpb.CreateOrganizationRequest{Organization: &orgpb.CreateOrganization{DisplayName: "Bad", Slug: &bad}}))
	wantCode(t, "bad slug", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")

	status, body := p.rest("POST", "/api/v1/organizations", `{"display_name":"Rest Co","slug":"rest-co","logo_url":"`+logo+`"}`)
	if o, _ := body["organization"].(map[string]any); status != 201 || o["slug"] != "rest-co" || o["logo_url"] != logo {
		t.Errorf("REST create: %d %v", status, body)
	}
}

// user_profile.locale is kept on create and update, and returned on both
// faces.
func TestUserLocale(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	created, err := p.users.CreateUserAndMembership(ctx, req(p, &userpb.CreateUserAndMembershipRequest{OrganizationId: model.SandboxOrgID,
		User: &userpb.CreateUser{Email: "locale@acme.example", UserProfile: &userpb.CreateUserProfile{GivenName: "Lo", Locale: "en-US"}}}))
	if err != nil || created.Msg.User.UserProfile.Locale != "en-US" {
		t.Fatalf("create: %v %v", created, err)
	}
	id := created.Msg.User.Id
	fr := "fr-FR"
	up, err := p.users.UpdateUser(ctx, req(p, &userpb.UpdateUserRequest{Identities: &userpb.UpdateUserRequest_Id{Id: id},
		User: &userpb.UpdateUser{UserProfile: &userpb.UpdateUserProfile{Locale: &fr}}}))
	if err != nil || up.Msg.User.UserProfile.Locale != fr || up.Msg.User.UserProfile.GivenName != "Lo" {
		t.Errorf("update: %v %v", up, err)
	}
	status, body := p.rest("GET", "/api/v1/users/"+id, "")
	if u, _ := body["user"].(map[string]any); status != 200 || u["user_profile"].(map[string]any)["locale"] != fr {
		t.Errorf("REST get: %d %v", status, body)
	}
}

// A role members hold is deleted only with a reassignment role (Scalekit's
// DeleteRole: "you must provide a reassign_role_name"); they get that one.
func TestDeleteHeldRole(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	for _, name := range []string{"auditor", "reviewer"} {
		if _, err := p.roles.CreateRole(ctx, req(p, &rolepb.CreateRoleRequest{Role: &rolepb.CreateRole{Name: name, DisplayName: name}})); err != nil {
			t.Fatal(err)
		}
	}
	created, err := p.users.CreateUserAndMembership(ctx, req(p, &userpb.CreateUserAndMembershipRequest{OrganizationId: model.SandboxOrgID,
		User: &userpb.CreateUser{Email: "held@acme.example", Membership: &userpb.CreateMembership{Roles: []*commons.Role{{Name: "auditor"}}}}}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.roles.DeleteRole(ctx, req(p, &rolepb.DeleteRoleRequest{RoleName: "auditor"}))
	wantCode(t, "held, no reassignment", err, connect.CodeFailedPrecondition, "FAILED_PRECONDITION")
	if err == nil || !strings.Contains(err.Error(), "role cannot be deleted as it is assigned to users") {
		t.Errorf("message: %v", err)
	}
	nobody := "nobody"
	_, err = p.roles.DeleteRole(ctx, req(p, &rolepb.DeleteRoleRequest{RoleName: "auditor", ReassignRoleName: &nobody}))
	wantCode(t, "unknown reassignment", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
	if status, body := p.rest("DELETE", "/api/v1/roles/auditor?reassign_role_name=reviewer", ""); status != 200 {
		t.Fatalf("REST delete with reassignment: %d %v", status, body)
	}
	got, err := p.users.GetUser(ctx, req(p, &userpb.GetUserRequest{Identities: &userpb.GetUserRequest_Id{Id: created.Msg.User.Id}}))
	if err != nil || len(got.Msg.User.Memberships[0].Roles) != 1 || got.Msg.User.Memberships[0].Roles[0].Name != "reviewer" {
		t.Errorf("member's roles after reassignment: %v %v", got, err)
	}
	if _, err := p.roles.DeleteRole(ctx, req(p, &rolepb.DeleteRoleRequest{RoleName: "reviewer", ReassignRoleName: ptr("member")})); err != nil {
		t.Errorf("delete with reassignment over gRPC: %v", err)
	}
}

// A role or permission name already taken is a bad request, which is what
// Scalekit's Python SDK tests expect (ScalekitBadRequestException).
func TestDuplicateRoleIsBadRequest(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	_, err := p.roles.CreateRole(ctx, req(p, &rolepb.CreateRoleRequest{Role: &rolepb.CreateRole{Name: "admin", DisplayName: "Admin again"}}))
	wantCode(t, "role twice", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
	if status, _ := p.rest("POST", "/api/v1/roles", `{"name":"admin","display_name":"Admin again"}`); status != 400 {
		t.Errorf("REST role twice: %d, want 400", status)
	}
}
