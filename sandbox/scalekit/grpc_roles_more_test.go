package scalekit_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"
	"github.com/authscope/authscope/model"
	rolepb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/roles"
)

// A role extending another inherits its permissions until DeleteRoleBase
// ends the link (Scalekit's Go SDK test TestRole_DeleteRoleBase reads
// extends back as unset); a base cannot be deleted while extended.
func TestGRPCDeleteRoleBase(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	if _, err := p.roles.CreateRole(ctx, req(p, &rolepb.CreateRoleRequest{Role: &rolepb.CreateRole{Name: "support", DisplayName: "Support", Extends: ptr("member")}})); err != nil {
		t.Fatal(err)
	}
	got, err := p.roles.GetRole(ctx, req(p, &rolepb.GetRoleRequest{RoleName: "support"}))
	if err != nil || got.Msg.Role.GetExtends() != "member" {
		t.Fatalf("GetRole: %v %v", got, err)
	}
	if eff, err := p.roles.ListEffectiveRolePermissions(ctx, req(p, &rolepb.ListEffectiveRolePermissionsRequest{RoleName: "support"})); err != nil || len(eff.Msg.Permissions) != 2 {
		t.Errorf("ListEffectiveRolePermissions of a role extending member: %v %v", eff, err)
	}
	if deps, err := p.roles.ListDependentRoles(ctx, req(p, &rolepb.ListDependentRolesRequest{RoleName: "member"})); err != nil || len(deps.Msg.Roles) != 1 || deps.Msg.Roles[0].Name != "support" {
		t.Errorf("ListDependentRoles: %v %v", deps, err)
	}
	_, err = p.roles.CreateRole(ctx, req(p, &rolepb.CreateRoleRequest{Role: &rolepb.CreateRole{Name: "orphan", DisplayName: "Orphan", Extends: ptr("nosuchrole")}}))
	wantCode(t, "extending a role that does not exist", err, connect.CodeFailedPrecondition, "FAILED_PRECONDITION")
	if _, err := p.roles.CreateRole(ctx, req(p, &rolepb.CreateRoleRequest{Role: &rolepb.CreateRole{Name: "base2", DisplayName: "Base"}})); err != nil {
		t.Fatal(err)
	}
	if _, err := p.roles.CreateRole(ctx, req(p, &rolepb.CreateRoleRequest{Role: &rolepb.CreateRole{Name: "child2", DisplayName: "Child", Extends: ptr("base2")}})); err != nil {
		t.Fatal(err)
	}
	_, err = p.roles.DeleteRole(ctx, req(p, &rolepb.DeleteRoleRequest{RoleName: "base2"}))
	wantCode(t, "deleting an extended role", err, connect.CodeFailedPrecondition, "FAILED_PRECONDITION")

	if _, err := p.roles.DeleteRoleBase(ctx, req(p, &rolepb.DeleteRoleBaseRequest{RoleName: "child2"})); err != nil {
		t.Fatal(err)
	}
	if got, err := p.roles.GetRole(ctx, req(p, &rolepb.GetRoleRequest{RoleName: "child2"})); err != nil || got.Msg.Role.Extends != nil {
		t.Errorf("after DeleteRoleBase: %v %v", got, err)
	}
	if _, err := p.roles.DeleteRole(ctx, req(p, &rolepb.DeleteRoleRequest{RoleName: "base2"})); err != nil {
		t.Errorf("deleting a base no longer extended: %v", err)
	}
	_, err = p.roles.DeleteRoleBase(ctx, req(p, &rolepb.DeleteRoleBaseRequest{RoleName: "nosuchrole"}))
	wantCode(t, "DeleteRoleBase of an unknown role", err, connect.CodeNotFound, "NOT_FOUND")
	_, err = p.roles.DeleteRoleBase(ctx, req(p, &rolepb.DeleteRoleBaseRequest{RoleName: "Bad Name/.."}))
	wantCode(t, "DeleteRoleBase of a malformed name", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
}

func TestGRPCDeleteOrganizationRoleBase(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	for _, r := range []*rolepb.CreateOrganizationRole{{Name: "auditor", DisplayName: "Auditor", Permissions: []string{"users:read"}},
		{Name: "lead-auditor", DisplayName: "Lead auditor", Extends: ptr("auditor")}} {
		if _, err := p.roles.CreateOrganizationRole(ctx, req(p, &rolepb.CreateOrganizationRoleRequest{OrgId: model.SandboxOrgID, Role: r})); err != nil {
			t.Fatal(err)
		}
	}
	_, err := p.roles.DeleteOrganizationRole(ctx, req(p, &rolepb.DeleteOrganizationRoleRequest{OrgId: model.SandboxOrgID, RoleName: "auditor"}))
	wantCode(t, "deleting an extended organization role", err, connect.CodeFailedPrecondition, "FAILED_PRECONDITION")
	// Another organization's role cannot be a base.
	_, err = p.roles.CreateOrganizationRole(ctx, req(p, &rolepb.CreateOrganizationRoleRequest{OrgId: "org_59615204871953291",
		Role: &rolepb.CreateOrganizationRole{Name: "x-auditor", DisplayName: "X", Extends: ptr("auditor")}}))
	wantCode(t, "extending another organization's role", err, connect.CodeFailedPrecondition, "FAILED_PRECONDITION")

	if _, err := p.roles.DeleteOrganizationRoleBase(ctx, req(p, &rolepb.DeleteOrganizationRoleBaseRequest{OrgId: model.SandboxOrgID, RoleName: "lead-auditor"})); err != nil {
		t.Fatal(err)
	}
	got, err := p.roles.GetOrganizationRole(ctx, req(p, &rolepb.GetOrganizationRoleRequest{OrgId: model.SandboxOrgID, RoleName: "lead-auditor"}))
	if err != nil || got.Msg.Role.Extends != nil {
		t.Errorf("after DeleteOrganizationRoleBase: %v %v", got, err)
	}
	if _, err := p.roles.DeleteOrganizationRole(ctx, req(p, &rolepb.DeleteOrganizationRoleRequest{OrgId: model.SandboxOrgID, RoleName: "auditor"})); err != nil {
		t.Errorf("deleting a base no longer extended: %v", err)
	}
	_, err = p.roles.DeleteOrganizationRoleBase(ctx, req(p, &rolepb.DeleteOrganizationRoleBaseRequest{OrgId: model.SandboxOrgID, RoleName: "admin"}))
	wantCode(t, "DeleteOrganizationRoleBase of an environment role", err, connect.CodeFailedPrecondition, "FAILED_PRECONDITION")
	_, err = p.roles.DeleteOrganizationRoleBase(ctx, req(p, &rolepb.DeleteOrganizationRoleBaseRequest{OrgId: "org_1/..", RoleName: "lead-auditor"}))
	wantCode(t, "DeleteOrganizationRoleBase with a malformed organization id", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
}

// UpdateDefaultOrganizationRoles makes the organization's default member
// role its own choice; other organizations keep the environment's.
func TestGRPCUpdateDefaultOrganizationRoles(t *testing.T) {
	p := newPeople(t)
	ctx := context.Background()
	if _, err := p.roles.CreateOrganizationRole(ctx, req(p, &rolepb.CreateOrganizationRoleRequest{OrgId: model.SandboxOrgID,
		Role: &rolepb.CreateOrganizationRole{Name: "newcomer", DisplayName: "Newcomer"}})); err != nil {
		t.Fatal(err)
	}
	up, err := p.roles.UpdateDefaultOrganizationRoles(ctx, req(p, &rolepb.UpdateDefaultOrganizationRolesRequest{OrgId: model.SandboxOrgID, DefaultMemberRole: "newcomer"}))
	if err != nil || up.Msg.DefaultMember.GetName() != "newcomer" || !up.Msg.DefaultMember.DefaultMember {
		t.Fatalf("UpdateDefaultOrganizationRoles: %v %v", up, err)
	}
	defaults := func(orgID string) (out []string) {
		list, err := p.roles.ListOrganizationRoles(ctx, req(p, &rolepb.ListOrganizationRolesRequest{OrgId: orgID}))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range list.Msg.Roles {
			if r.DefaultMember {
				out = append(out, r.Name)
			}
		}
		return out
	}
	if got := defaults(model.SandboxOrgID); len(got) != 1 || got[0] != "newcomer" {
		t.Errorf("the organization's default member roles: %v", got)
	}
	if got := defaults("org_59615204871953291"); len(got) != 1 || got[0] != "member" {
		t.Errorf("another organization's default member roles: %v", got)
	}
	// Deleting the organization's own default hands the role back to the
	// environment's default, as the Python SDK's tests (run against
	// Scalekit) delete it in their clean-up.
	if _, err := p.roles.DeleteOrganizationRole(ctx, req(p, &rolepb.DeleteOrganizationRoleRequest{OrgId: model.SandboxOrgID, RoleName: "newcomer"})); err != nil {
		t.Fatalf("deleting the organization's default member role: %v", err)
	}
	if got := defaults(model.SandboxOrgID); len(got) != 1 || got[0] != "member" {
		t.Errorf("the organization's default member roles after: %v", got)
	}
	_, err = p.roles.UpdateDefaultOrganizationRoles(ctx, req(p, &rolepb.UpdateDefaultOrganizationRolesRequest{OrgId: model.SandboxOrgID, DefaultMemberRole: "nosuchrole"}))
	wantCode(t, "an unknown default member role", err, connect.CodeNotFound, "NOT_FOUND")
	_, err = p.roles.UpdateDefaultOrganizationRoles(ctx, req(p, &rolepb.UpdateDefaultOrganizationRolesRequest{OrgId: model.SandboxOrgID}))
	wantCode(t, "no default member role", err, connect.CodeInvalidArgument, "INVALID_ARGUMENT")
}
