package scalekit

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/authscope/authscope/model"
	clientpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/clients"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/clients/clientsconnect"
	dirpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/directories"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/directories/directoriesconnect"
	rolepb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/roles"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/roles/rolesconnect"
	sesspb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/sessions"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/sessions/sessionsconnect"
)

// ---- roles and permissions: scalekit.v1.roles.RolesService

type rolesService struct {
	rolesconnect.UnimplementedRolesServiceHandler
	s *Service
}

// roleName is Scalekit's rule for role and permission names.
var roleName = model.LazyRegexp(`^[a-z0-9][a-z0-9_:.-]{0,63}$`)

func checkRoleName(ctx context.Context, field, name string) error {
	if !roleName().MatchString(name) {
		return invalid(ctx, fieldViolation{Field: field, Description: "value must be 1 to 64 characters of a-z 0-9 _ : . - starting with a letter or digit"})
	}
	return nil
}

func roleNotFound(ctx context.Context) error {
	return grpcError(ctx, connect.CodeNotFound, "role not found", "NOT_FOUND")
}

func permNotFound(ctx context.Context) error {
	return grpcError(ctx, connect.CodeNotFound, "permission not found", "NOT_FOUND")
}

func (s *Service) roleToFullProto(r role) *rolepb.Role {
	out := &rolepb.Role{Id: r.ID, Name: r.Name, DisplayName: r.DisplayName, Description: r.Description, DefaultMember: r.DefaultMember,
		DefaultCreator: r.DefaultCreator, IsOrgRole: r.OrgID != "", DependentRolesCount: int32(len(s.dir.dependentRoles(roleKey(r))))}
	if r.Extends != "" {
		out.Extends = &r.Extends
	}
	for _, n := range r.Permissions {
		if p, ok := s.dir.permissionNamed(n); ok {
			out.Permissions = append(out.Permissions, &rolepb.RolePermission{Id: p.ID, Name: p.Name, Description: p.Description,
				CreateTime: timestamppb.New(p.CreateTime), UpdateTime: timestamppb.New(p.UpdateTime), RoleName: r.Name})
		}
	}
	return out
}

func permToProto(p permission) *rolepb.Permission {
	return &rolepb.Permission{Id: p.ID, Name: p.Name, Description: p.Description, CreateTime: timestamppb.New(p.CreateTime), UpdateTime: timestamppb.New(p.UpdateTime)}
}

// roleFields is what a role to create carries, the environment's
// (CreateRole) or an organization's (CreateOrganizationRole).
type roleFields interface {
	GetName() string
	GetDisplayName() string
	GetDescription() string
	GetPermissions() []string
	GetExtends() string
}

// checkNewRole checks a role to create, the environment's or an
// organization's.
func checkNewRole(ctx context.Context, in roleFields) error {
	if err := checkRoleName(ctx, "role.name", in.GetName()); err != nil {
		return err
	}
	if err := checkRoleText(ctx, in); err != nil {
		return err
	}
	if len(in.GetPermissions()) > maxPermissionsOfRole {
		return invalid(ctx, fieldViolation{Field: "role.permissions", Description: "at most 50 permissions"})
	}
	if in.GetExtends() != "" {
		return checkRoleName(ctx, "role.extends", in.GetExtends())
	}
	return nil
}

// checkRoleText checks a role's display name and description, on create
// and on update.
func checkRoleText(ctx context.Context, in interface {
	GetDisplayName() string
	GetDescription() string
}) error {
	if err := checkText(ctx, "role.display_name", in.GetDisplayName(), 100); err != nil {
		return err
	}
	return checkText(ctx, "role.description", in.GetDescription(), 500)
}

// addError is a role's or a permission's creation refused: a clash is
// INVALID_ARGUMENT (Scalekit's Python SDK tests, run against Scalekit,
// expect a bad request for a name taken, not a conflict), any other
// problem FAILED_PRECONDITION; nil when added.
func addError(ctx context.Context, problem string, clash bool) error {
	switch {
	case clash:
		return grpcError(ctx, connect.CodeInvalidArgument, problem, "INVALID_ARGUMENT")
	case problem != "":
		return grpcError(ctx, connect.CodeFailedPrecondition, problem, "FAILED_PRECONDITION")
	}
	return nil
}

// updateRole is the change UpdateRole and UpdateOrganizationRole make:
// each field the request sets replaces the role's.
func updateRole(in *rolepb.UpdateRole) func(*role) string {
	if in == nil {
		in = &rolepb.UpdateRole{} // no role in the request: nothing changes
	}
	return func(x *role) string {
		if in.DisplayName != nil {
			x.DisplayName = in.GetDisplayName()
		}
		if in.Description != nil {
			x.Description = in.GetDescription()
		}
		if len(in.GetPermissions()) > 0 {
			x.Permissions = append([]string(nil), in.GetPermissions()...)
		}
		return ""
	}
}

// changeRoleError is a role's change refused: the role is not there, or
// the change's problem is reported against field; nil when changed.
func changeRoleError(ctx context.Context, field, problem string, found bool) error {
	switch {
	case !found:
		return roleNotFound(ctx)
	case problem != "":
		return invalid(ctx, fieldViolation{Field: field, Description: problem})
	}
	return nil
}

// permissionsOf is the permissions named that exist, in that order.
func (s *Service) permissionsOf(names []string) []*rolepb.Permission {
	var out []*rolepb.Permission
	for _, n := range names {
		if p, ok := s.dir.permissionNamed(n); ok {
			out = append(out, permToProto(p))
		}
	}
	return out
}

func checkText(ctx context.Context, field, v string, max int) error {
	if utf8.RuneCountInString(v) > max || badText(v) || !utf8.ValidString(v) {
		return invalid(ctx, fieldViolation{Field: field, Description: "value must be at most " + strconv.Itoa(max) + " characters, without control or bidi characters"})
	}
	return nil
}

func (r *rolesService) CreateRole(ctx context.Context, req *connect.Request[rolepb.CreateRoleRequest]) (*connect.Response[rolepb.CreateRoleResponse], error) {
	in := req.Msg.GetRole()
	if err := checkNewRole(ctx, in); err != nil {
		return nil, err
	}
	created, problem, clash := r.s.dir.addRole(role{Name: in.GetName(), DisplayName: in.GetDisplayName(), Description: in.GetDescription(),
		Permissions: in.GetPermissions(), Extends: in.GetExtends()}, r.s.now())
	if err := addError(ctx, problem, clash); err != nil {
		return nil, err
	}
	return connect.NewResponse(&rolepb.CreateRoleResponse{Role: r.s.roleToFullProto(created)}), nil
}

func (r *rolesService) GetRole(ctx context.Context, req *connect.Request[rolepb.GetRoleRequest]) (*connect.Response[rolepb.GetRoleResponse], error) {
	got, ok := r.s.dir.roleNamed(req.Msg.GetRoleName())
	if !ok {
		return nil, roleNotFound(ctx)
	}
	return connect.NewResponse(&rolepb.GetRoleResponse{Role: r.s.roleToFullProto(got)}), nil
}

func (r *rolesService) ListRoles(ctx context.Context, req *connect.Request[rolepb.ListRolesRequest]) (*connect.Response[rolepb.ListRolesResponse], error) {
	out := &rolepb.ListRolesResponse{}
	for _, x := range r.s.dir.listRoles() {
		out.Roles = append(out.Roles, r.s.roleToFullProto(x))
	}
	return connect.NewResponse(out), nil
}

func (r *rolesService) UpdateRole(ctx context.Context, req *connect.Request[rolepb.UpdateRoleRequest]) (*connect.Response[rolepb.UpdateRoleResponse], error) {
	in := req.Msg.GetRole()
	if err := checkRoleText(ctx, in); err != nil {
		return nil, err
	}
	got, problem, found := r.s.dir.changeRole(req.Msg.GetRoleName(), r.s.now(), updateRole(in))
	if err := changeRoleError(ctx, "role.permissions", problem, found); err != nil {
		return nil, err
	}
	return connect.NewResponse(&rolepb.UpdateRoleResponse{Role: r.s.roleToFullProto(got)}), nil
}

func (r *rolesService) DeleteRole(ctx context.Context, req *connect.Request[rolepb.DeleteRoleRequest]) (*connect.Response[emptypb.Empty], error) {
	if err := checkRoleName(ctx, "role_name", req.Msg.GetRoleName()); err != nil {
		return nil, err
	}
	// reassign_role_id (deprecated) carries a role name too, says Scalekit's schema.
	reassign := firstOf(req.Msg.GetReassignRoleName(), req.Msg.GetReassignRoleId())
	d, orgs := r.s.dir.removeRole(req.Msg.GetRoleName(), reassign)
	return deletedRole(ctx, d, orgs)
}

// deletedRole answers a role's deletion, the environment's or an
// organization's, by what the store did; orgs names the organizations
// whose default member role it is (roleOrgDefault).
func deletedRole(ctx context.Context, d roleDeletion, orgs []string) (*connect.Response[emptypb.Empty], error) {
	switch d {
	case roleUnknown:
		return nil, roleNotFound(ctx)
	case roleDefault:
		return nil, grpcError(ctx, connect.CodeFailedPrecondition, "the default member role cannot be deleted", "FAILED_PRECONDITION")
	case roleOrgDefault:
		return nil, grpcError(ctx, connect.CodeFailedPrecondition, "the role is the default member role of organization "+strings.Join(orgs, ", ")+": set another first", "FAILED_PRECONDITION")
	case roleHeld:
		// Scalekit's words, which its Python SDK's test compares.
		return nil, grpcError(ctx, connect.CodeFailedPrecondition, "role cannot be deleted as it is assigned to users", "FAILED_PRECONDITION")
	case roleReassignUnknown:
		return nil, invalid(ctx, fieldViolation{Field: "reassign_role_name", Description: "must name another existing role the members may hold"})
	case roleExtended:
		return nil, grpcError(ctx, connect.CodeFailedPrecondition, "role cannot be deleted as other roles extend it: delete their base first", "FAILED_PRECONDITION")
	}
	return connect.NewResponse(&emptypb.Empty{}), nil
}

func (r *rolesService) CreatePermission(ctx context.Context, req *connect.Request[rolepb.CreatePermissionRequest]) (*connect.Response[rolepb.CreatePermissionResponse], error) {
	in := req.Msg.GetPermission()
	if err := checkRoleName(ctx, "permission.name", in.GetName()); err != nil {
		return nil, err
	}
	if err := checkText(ctx, "permission.description", in.GetDescription(), 500); err != nil {
		return nil, err
	}
	created, problem, clash := r.s.dir.addPermission(permission{Name: in.GetName(), Description: in.GetDescription()}, r.s.now())
	if err := addError(ctx, problem, clash); err != nil {
		return nil, err
	}
	return connect.NewResponse(&rolepb.CreatePermissionResponse{Permission: permToProto(created)}), nil
}

func (r *rolesService) GetPermission(ctx context.Context, req *connect.Request[rolepb.GetPermissionRequest]) (*connect.Response[rolepb.GetPermissionResponse], error) {
	got, ok := r.s.dir.permissionNamed(req.Msg.GetPermissionName())
	if !ok {
		return nil, permNotFound(ctx)
	}
	return connect.NewResponse(&rolepb.GetPermissionResponse{Permission: permToProto(got)}), nil
}

func (r *rolesService) ListPermissions(ctx context.Context, req *connect.Request[rolepb.ListPermissionsRequest]) (*connect.Response[rolepb.ListPermissionsResponse], error) {
	_, total := r.s.dir.listPermissions(0, 0)
	w, problem := pageWindow(total, int(min(req.Msg.GetPageSize(), 1<<20)), req.Msg.GetPageToken())
	if problem != nil {
		return nil, invalid(ctx, problem.violation)
	}
	page, total := r.s.dir.listPermissions(w.start, w.end)
	out := &rolepb.ListPermissionsResponse{NextPageToken: w.next, PrevPageToken: w.prev, TotalSize: uint32(total)}
	for _, p := range page {
		out.Permissions = append(out.Permissions, permToProto(p))
	}
	return connect.NewResponse(out), nil
}

func (r *rolesService) DeletePermission(ctx context.Context, req *connect.Request[rolepb.DeletePermissionRequest]) (*connect.Response[emptypb.Empty], error) {
	if !r.s.dir.removePermission(req.Msg.GetPermissionName()) {
		return nil, permNotFound(ctx)
	}
	return connect.NewResponse(&emptypb.Empty{}), nil
}

func (r *rolesService) ListRolePermissions(ctx context.Context, req *connect.Request[rolepb.ListRolePermissionsRequest]) (*connect.Response[rolepb.ListRolePermissionsResponse], error) {
	got, ok := r.s.dir.roleNamed(req.Msg.GetRoleName())
	if !ok {
		return nil, roleNotFound(ctx)
	}
	return connect.NewResponse(&rolepb.ListRolePermissionsResponse{Permissions: r.s.permissionsOf(got.Permissions)}), nil
}

func (r *rolesService) AddPermissionsToRole(ctx context.Context, req *connect.Request[rolepb.AddPermissionsToRoleRequest]) (*connect.Response[rolepb.AddPermissionsToRoleResponse], error) {
	got, problem, found := r.s.dir.changeRole(req.Msg.GetRoleName(), r.s.now(), func(x *role) string {
		perms := append([]string(nil), x.Permissions...)
		for _, n := range req.Msg.GetPermissionNames() {
			if !slices.Contains(perms, n) {
				perms = append(perms, n)
			}
		}
		x.Permissions = perms
		return ""
	})
	if err := changeRoleError(ctx, "permission_names", problem, found); err != nil {
		return nil, err
	}
	return connect.NewResponse(&rolepb.AddPermissionsToRoleResponse{Permissions: r.s.permissionsOf(got.Permissions)}), nil
}

func (r *rolesService) RemovePermissionFromRole(ctx context.Context, req *connect.Request[rolepb.RemovePermissionFromRoleRequest]) (*connect.Response[emptypb.Empty], error) {
	name := req.Msg.GetPermissionName()
	_, problem, found := r.s.dir.changeRole(req.Msg.GetRoleName(), r.s.now(), func(x *role) string {
		if !slices.Contains(x.Permissions, name) {
			return "the role does not have this permission"
		}
		var keep []string
		for _, p := range x.Permissions {
			if p != name {
				keep = append(keep, p)
			}
		}
		x.Permissions = keep
		return ""
	})
	switch {
	case !found:
		return nil, roleNotFound(ctx)
	case problem != "":
		return nil, grpcError(ctx, connect.CodeNotFound, problem, "NOT_FOUND")
	}
	return connect.NewResponse(&emptypb.Empty{}), nil
}

// ---- M2M clients of organizations: scalekit.v1.clients.ClientService

type clientService struct {
	clientsconnect.UnimplementedClientServiceHandler
	s *Service
}

func clientNotFound(ctx context.Context) error {
	return grpcError(ctx, connect.CodeNotFound, "client not found", "NOT_FOUND")
}

func clientToProto(c m2mClient) *clientpb.M2MClient {
	out := &clientpb.M2MClient{ClientId: c.ID, Name: c.Name, Description: c.Description, OrganizationId: c.OrgID,
		CreateTime: timestamppb.New(c.CreateTime), UpdateTime: timestamppb.New(c.UpdateTime), Scopes: c.Scopes, Audience: c.Audience, Expiry: c.Expiry}
	for _, cc := range c.CustomClaims {
		out.CustomClaims = append(out.CustomClaims, &clientpb.CustomClaim{Key: cc[0], Value: cc[1]})
	}
	for _, s := range c.Secrets {
		out.Secrets = append(out.Secrets, secretToProto(s))
	}
	return out
}

func secretToProto(s m2mSecret) *clientpb.ClientSecret {
	out := &clientpb.ClientSecret{Id: s.ID, CreateTime: timestamppb.New(s.Created), UpdateTime: timestamppb.New(s.Created), SecretSuffix: s.Suffix,
		Status: clientpb.ClientSecretStatus_ACTIVE}
	return out
}

// reservedClaims are the token's own claims, which custom claims may not
// replace.
var reservedClaims = []string{"iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "oid", "scopes", "scope", "sid"}

// checkClient validates an organization client's fields.
func checkClient(ctx context.Context, in *clientpb.OrganizationClient, update bool) error {
	if !update && strings.TrimSpace(in.GetName()) == "" {
		return invalid(ctx, fieldViolation{Field: "client.name", Description: "value is required"})
	}
	if err := checkText(ctx, "client.name", in.GetName(), 200); err != nil {
		return err
	}
	if err := checkText(ctx, "client.description", in.GetDescription(), 1000); err != nil {
		return err
	}
	if len(in.GetScopes()) > maxScopes || len(in.GetAudience()) > maxScopes {
		return invalid(ctx, fieldViolation{Field: "client.scopes", Description: "at most 20 scopes and 20 audiences"})
	}
	for _, sc := range append(append([]string(nil), in.GetScopes()...), in.GetAudience()...) {
		if sc == "" || len(sc) > 200 || strings.ContainsAny(sc, " \t\r\n") || badText(sc) {
			return invalid(ctx, fieldViolation{Field: "client.scopes", Description: "scopes and audiences are 1 to 200 characters without spaces"})
		}
	}
	if len(in.GetCustomClaims()) > maxCustomClaims {
		return invalid(ctx, fieldViolation{Field: "client.custom_claims", Description: "at most 20 custom claims"})
	}
	for i, cc := range in.GetCustomClaims() {
		// The claims become a token's JSON keys, which must not repeat.
		if slices.ContainsFunc(in.GetCustomClaims()[:i], func(x *clientpb.CustomClaim) bool { return x.GetKey() == cc.GetKey() }) {
			return invalid(ctx, fieldViolation{Field: "client.custom_claims", Description: "custom claim key " + cc.GetKey() + " appears twice"})
		}
		if cc.GetKey() == "" || len(cc.GetKey()) > 100 || len(cc.GetValue()) > 1000 || badText(cc.GetKey()) || badText(cc.GetValue()) {
			return invalid(ctx, fieldViolation{Field: "client.custom_claims", Description: "keys are 1 to 100 characters, values at most 1000"})
		}
		if slices.Contains(reservedClaims, cc.GetKey()) {
			return invalid(ctx, fieldViolation{Field: "client.custom_claims", Description: "claim " + cc.GetKey() + " is the token's own and cannot be set"})
		}
	}
	if in.GetExpiry() < 0 || in.GetExpiry() > 86400*30 {
		return invalid(ctx, fieldViolation{Field: "client.expiry", Description: "value must be between 0 (the default, 86400) and 2592000 seconds"})
	}
	return nil
}

func clientFromProto(in *clientpb.OrganizationClient) m2mClient {
	c := m2mClient{Name: strings.TrimSpace(in.GetName()), Description: in.GetDescription(), Scopes: in.GetScopes(), Audience: in.GetAudience(), Expiry: in.GetExpiry()}
	if c.Expiry == 0 {
		c.Expiry = 86400
	}
	for _, cc := range in.GetCustomClaims() {
		c.CustomClaims = append(c.CustomClaims, [2]string{cc.GetKey(), cc.GetValue()})
	}
	return c
}

func (c *clientService) CreateOrganizationClient(ctx context.Context, req *connect.Request[clientpb.CreateOrganizationClientRequest]) (*connect.Response[clientpb.CreateOrganizationClientResponse], error) {
	orgID, err := c.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), "")
	if err != nil {
		return nil, err
	}
	if err := checkClient(ctx, req.Msg.GetClient(), false); err != nil {
		return nil, err
	}
	in := clientFromProto(req.Msg.GetClient())
	in.OrgID = orgID
	created, plain, problem := c.s.dir.addClient(in, c.s.now())
	if problem != "" {
		return nil, grpcError(ctx, connect.CodeFailedPrecondition, problem, "FAILED_PRECONDITION")
	}
	return connect.NewResponse(&clientpb.CreateOrganizationClientResponse{Client: clientToProto(created), PlainSecret: plain}), nil
}

func (c *clientService) GetOrganizationClient(ctx context.Context, req *connect.Request[clientpb.GetOrganizationClientRequest]) (*connect.Response[clientpb.GetOrganizationClientResponse], error) {
	orgID, err := c.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), "")
	if err != nil {
		return nil, err
	}
	got, ok := c.s.dir.clientOf(orgID, req.Msg.GetClientId())
	if !ok {
		return nil, clientNotFound(ctx)
	}
	return connect.NewResponse(&clientpb.GetOrganizationClientResponse{Client: clientToProto(got)}), nil
}

func (c *clientService) ListOrganizationClients(ctx context.Context, req *connect.Request[clientpb.ListOrganizationClientsRequest]) (*connect.Response[clientpb.ListOrganizationClientsResponse], error) {
	orgID, err := c.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), "")
	if err != nil {
		return nil, err
	}
	_, total := c.s.dir.clientsPage(orgID, 0, 0)
	w, problem := pageWindow(total, int(min(req.Msg.GetPageSize(), 1<<20)), req.Msg.GetPageToken())
	if problem != nil {
		return nil, invalid(ctx, problem.violation)
	}
	page, total := c.s.dir.clientsPage(orgID, w.start, w.end)
	out := &clientpb.ListOrganizationClientsResponse{NextPageToken: w.next, PrevPageToken: w.prev, TotalSize: uint32(total)}
	for _, x := range page {
		out.Clients = append(out.Clients, clientToProto(x))
	}
	return connect.NewResponse(out), nil
}

func (c *clientService) UpdateOrganizationClient(ctx context.Context, req *connect.Request[clientpb.UpdateOrganizationClientRequest]) (*connect.Response[clientpb.UpdateOrganizationClientResponse], error) {
	orgID, err := c.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), "")
	if err != nil {
		return nil, err
	}
	if err := checkClient(ctx, req.Msg.GetClient(), true); err != nil {
		return nil, err
	}
	in := clientFromProto(req.Msg.GetClient())
	// A partial update, as the SDKs' own tests expect: what the request
	// leaves empty keeps its value.
	got, _, found := c.s.dir.changeClient(orgID, req.Msg.GetClientId(), c.s.now(), func(x *m2mClient) string {
		if strings.TrimSpace(in.Name) != "" {
			x.Name = in.Name
		}
		if in.Description != "" {
			x.Description = in.Description
		}
		if len(in.Scopes) > 0 {
			x.Scopes = in.Scopes
		}
		if len(in.Audience) > 0 {
			x.Audience = in.Audience
		}
		if len(in.CustomClaims) > 0 {
			x.CustomClaims = in.CustomClaims
		}
		if req.Msg.GetClient().GetExpiry() > 0 { // in.Expiry holds the default for 0
			x.Expiry = in.Expiry
		}
		return ""
	})
	if !found {
		return nil, clientNotFound(ctx)
	}
	return connect.NewResponse(&clientpb.UpdateOrganizationClientResponse{Client: clientToProto(got)}), nil
}

func (c *clientService) DeleteOrganizationClient(ctx context.Context, req *connect.Request[clientpb.DeleteOrganizationClientRequest]) (*connect.Response[emptypb.Empty], error) {
	orgID, err := c.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), "")
	if err != nil {
		return nil, err
	}
	if !c.s.dir.removeClient(orgID, req.Msg.GetClientId()) {
		return nil, clientNotFound(ctx)
	}
	return connect.NewResponse(&emptypb.Empty{}), nil
}

func (c *clientService) CreateOrganizationClientSecret(ctx context.Context, req *connect.Request[clientpb.CreateOrganizationClientSecretRequest]) (*connect.Response[clientpb.CreateOrganizationClientSecretResponse], error) {
	orgID, err := c.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), "")
	if err != nil {
		return nil, err
	}
	secret, plain, problem, found := c.s.dir.addSecret(orgID, req.Msg.GetClientId(), c.s.now())
	switch {
	case !found:
		return nil, clientNotFound(ctx)
	case problem != "":
		return nil, grpcError(ctx, connect.CodeFailedPrecondition, problem, "FAILED_PRECONDITION")
	}
	return connect.NewResponse(&clientpb.CreateOrganizationClientSecretResponse{PlainSecret: plain, Secret: secretToProto(secret)}), nil
}

func (c *clientService) DeleteOrganizationClientSecret(ctx context.Context, req *connect.Request[clientpb.DeleteOrganizationClientSecretRequest]) (*connect.Response[emptypb.Empty], error) {
	orgID, err := c.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), "")
	if err != nil {
		return nil, err
	}
	_, problem, found := c.s.dir.changeClient(orgID, req.Msg.GetClientId(), c.s.now(), func(x *m2mClient) string {
		for i, s := range x.Secrets {
			if s.ID == req.Msg.GetSecretId() {
				x.Secrets = append(append([]m2mSecret(nil), x.Secrets[:i]...), x.Secrets[i+1:]...)
				return ""
			}
		}
		return "secret not found"
	})
	switch {
	case !found:
		return nil, clientNotFound(ctx)
	case problem != "":
		return nil, grpcError(ctx, connect.CodeNotFound, problem, "NOT_FOUND")
	}
	return connect.NewResponse(&emptypb.Empty{}), nil
}

// ---- sessions: scalekit.v1.sessions.SessionService

type sessionService struct {
	sessionsconnect.UnimplementedSessionServiceHandler
	s *Service
}

func sessionStatus(x session, now time.Time) string {
	switch {
	case x.Revoked:
		return "revoked"
	case !now.Before(x.ExpireTime):
		return "expired"
	}
	return "active"
}

func (ss *sessionService) sessionToProto(x session) *sesspb.SessionDetails {
	out := &sesspb.SessionDetails{SessionId: x.ID, UserId: x.UserID, OrganizationId: x.OrgID, AuthenticatedOrganizations: []string{x.OrgID},
		CreatedAt: timestamppb.New(x.CreateTime), UpdatedAt: timestamppb.New(x.LastActive), LastActiveAt: timestamppb.New(x.LastActive),
		IdleExpiresAt: timestamppb.New(x.ExpireTime), AbsoluteExpiresAt: timestamppb.New(x.ExpireTime), Status: sessionStatus(x, ss.s.now()),
		AuthenticatedClients: []*sesspb.AuthenticatedClients{{ClientId: x.ClientID, OrganizationId: x.OrgID}}}
	if x.Revoked {
		out.LogoutAt = timestamppb.New(x.LastActive)
	}
	return out
}

func revokedToProto(x session, status string) *sesspb.RevokedSessionDetails {
	return &sesspb.RevokedSessionDetails{SessionId: x.ID, UserId: x.UserID, CreatedAt: timestamppb.New(x.CreateTime), UpdatedAt: timestamppb.New(x.LastActive),
		IdleExpiresAt: timestamppb.New(x.ExpireTime), AbsoluteExpiresAt: timestamppb.New(x.ExpireTime), LogoutAt: timestamppb.New(x.LastActive),
		Status: status, LastActiveAt: timestamppb.New(x.LastActive)}
}

func sessionNotFound(ctx context.Context) error {
	return grpcError(ctx, connect.CodeNotFound, "session not found", "NOT_FOUND")
}

func (ss *sessionService) GetSession(ctx context.Context, req *connect.Request[sesspb.SessionDetailsRequest]) (*connect.Response[sesspb.SessionDetails], error) {
	x, ok := ss.s.dir.sessionByID(req.Msg.GetSessionId())
	if !ok {
		return nil, sessionNotFound(ctx)
	}
	return connect.NewResponse(ss.sessionToProto(x)), nil
}

func (ss *sessionService) GetUserSessions(ctx context.Context, req *connect.Request[sesspb.UserSessionDetailsRequest]) (*connect.Response[sesspb.UserSessionDetails], error) {
	ref, err := userRefOf(ctx, req.Msg.GetUserId(), "")
	if err != nil {
		return nil, err
	}
	if _, ok := ss.s.dir.userBy(ref); !ok {
		return nil, userNotFound(ctx)
	}
	all := ss.s.dir.sessionsOfUser(ref.id) // capped: sessions are at most maxSessions
	var keep []session
	now := ss.s.now()
	for _, x := range all {
		if st := req.Msg.GetFilter().GetStatus(); len(st) == 0 || slices.Contains(st, sessionStatus(x, now)) {
			keep = append(keep, x)
		}
	}
	w, problem := pageWindow(len(keep), int(min(req.Msg.GetPageSize(), 1<<20)), req.Msg.GetPageToken())
	if problem != nil {
		return nil, invalid(ctx, problem.violation)
	}
	out := &sesspb.UserSessionDetails{NextPageToken: w.next, PrevPageToken: w.prev, TotalSize: uint32(len(keep))}
	for _, x := range keep[w.start:w.end] {
		out.Sessions = append(out.Sessions, ss.sessionToProto(x))
	}
	return connect.NewResponse(out), nil
}

func (ss *sessionService) RevokeSession(ctx context.Context, req *connect.Request[sesspb.RevokeSessionRequest]) (*connect.Response[sesspb.RevokeSessionResponse], error) {
	x, ok := ss.s.dir.sessionByID(req.Msg.GetSessionId())
	if !ok {
		return nil, sessionNotFound(ctx)
	}
	ss.s.dir.endSession(x.ID)
	x, _ = ss.s.dir.sessionByID(x.ID)
	return connect.NewResponse(&sesspb.RevokeSessionResponse{RevokedSession: revokedToProto(x, "revoked")}), nil
}

func (ss *sessionService) RevokeAllUserSessions(ctx context.Context, req *connect.Request[sesspb.RevokeAllUserSessionsRequest]) (*connect.Response[sesspb.RevokeAllUserSessionsResponse], error) {
	ref, err := userRefOf(ctx, req.Msg.GetUserId(), "")
	if err != nil {
		return nil, err
	}
	if _, ok := ss.s.dir.userBy(ref); !ok {
		return nil, userNotFound(ctx)
	}
	out := &sesspb.RevokeAllUserSessionsResponse{}
	for _, x := range ss.s.dir.sessionsOfUser(ref.id) {
		if ss.s.dir.endSession(x.ID) {
			x, _ = ss.s.dir.sessionByID(x.ID)
			out.RevokedSessions = append(out.RevokedSessions, revokedToProto(x, "revoked"))
		}
	}
	out.TotalRevoked = uint32(len(out.RevokedSessions))
	return connect.NewResponse(out), nil
}

// ---- directories: scalekit.v1.directories.DirectoryService

type directoryService struct {
	directoriesconnect.UnimplementedDirectoryServiceHandler
	s *Service
}

func dirNotFound(ctx context.Context) error {
	return grpcError(ctx, connect.CodeNotFound, "directory not found", "NOT_FOUND")
}

func dirToProto(d directory) *dirpb.Directory {
	return &dirpb.Directory{Id: d.ID, Name: d.Name, DirectoryType: dirpb.DirectoryType(dirpb.DirectoryType_value[d.Type]), OrganizationId: d.OrgID, Enabled: d.Enabled,
		DirectoryProvider: dirpb.DirectoryProvider(dirpb.DirectoryProvider_value[d.Provider]), LastSyncedAt: timestamppb.New(d.LastSynced),
		TotalUsers: int32(len(d.Users)), TotalGroups: int32(len(d.Groups)), Status: "COMPLETED",
		Stats: &dirpb.Stats{TotalUsers: int32(len(d.Users)), TotalGroups: int32(len(d.Groups))}}
}

func (d *directoryService) ListDirectories(ctx context.Context, req *connect.Request[dirpb.ListDirectoriesRequest]) (*connect.Response[dirpb.ListDirectoriesResponse], error) {
	orgID, err := d.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), "")
	if err != nil {
		return nil, err
	}
	out := &dirpb.ListDirectoriesResponse{}
	for _, x := range d.s.dir.directoriesOf(orgID) {
		out.Directories = append(out.Directories, dirToProto(x))
	}
	return connect.NewResponse(out), nil
}

func (d *directoryService) lookup(ctx context.Context, orgIDIn, id string) (directory, error) {
	orgID, err := d.s.orgIDOf(ctx, orgIDIn, "")
	if err != nil {
		return directory{}, err
	}
	got, ok := d.s.dir.directoryOf(orgID, id)
	if !ok {
		return directory{}, dirNotFound(ctx)
	}
	return got, nil
}

func (d *directoryService) GetDirectory(ctx context.Context, req *connect.Request[dirpb.GetDirectoryRequest]) (*connect.Response[dirpb.GetDirectoryResponse], error) {
	got, err := d.lookup(ctx, req.Msg.GetOrganizationId(), req.Msg.GetId())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&dirpb.GetDirectoryResponse{Directory: dirToProto(got)}), nil
}

func (d *directoryService) ListDirectoryUsers(ctx context.Context, req *connect.Request[dirpb.ListDirectoryUsersRequest]) (*connect.Response[dirpb.ListDirectoryUsersResponse], error) {
	got, err := d.lookup(ctx, req.Msg.GetOrganizationId(), req.Msg.GetDirectoryId())
	if err != nil {
		return nil, err
	}
	groups := map[string]dirGroup{}
	for _, g := range got.Groups {
		groups[g.ID] = g
	}
	var users []dirUser
	for _, u := range got.Users {
		if g := req.Msg.GetDirectoryGroupId(); g == "" || slices.Contains(u.Groups, g) {
			users = append(users, u)
		}
	}
	w, problem := pageWindow(len(users), int(min(req.Msg.GetPageSize(), 1<<20)), req.Msg.GetPageToken())
	if problem != nil {
		return nil, invalid(ctx, problem.violation)
	}
	out := &dirpb.ListDirectoryUsersResponse{TotalSize: uint32(len(users)), NextPageToken: w.next, PrevPageToken: w.prev}
	for _, u := range users[w.start:w.end] {
		pu := &dirpb.DirectoryUser{Id: u.ID, Email: u.Email, PreferredUsername: u.Email, GivenName: u.GivenName, FamilyName: u.FamilyName,
			UpdatedAt: timestamppb.New(got.LastSynced), Emails: []string{u.Email}}
		for _, g := range u.Groups {
			pu.Groups = append(pu.Groups, &dirpb.DirectoryGroup{Id: g, DisplayName: groups[g].Name})
		}
		out.Users = append(out.Users, pu)
	}
	return connect.NewResponse(out), nil
}

func (d *directoryService) ListDirectoryGroups(ctx context.Context, req *connect.Request[dirpb.ListDirectoryGroupsRequest]) (*connect.Response[dirpb.ListDirectoryGroupsResponse], error) {
	got, err := d.lookup(ctx, req.Msg.GetOrganizationId(), req.Msg.GetDirectoryId())
	if err != nil {
		return nil, err
	}
	w, problem := pageWindow(len(got.Groups), int(min(req.Msg.GetPageSize(), 1<<20)), req.Msg.GetPageToken())
	if problem != nil {
		return nil, invalid(ctx, problem.violation)
	}
	out := &dirpb.ListDirectoryGroupsResponse{TotalSize: uint32(len(got.Groups)), NextPageToken: w.next, PrevPageToken: w.prev}
	for _, g := range got.Groups[w.start:w.end] {
		n := 0
		for _, u := range got.Users {
			if slices.Contains(u.Groups, g.ID) {
				n++
			}
		}
		out.Groups = append(out.Groups, &dirpb.DirectoryGroup{Id: g.ID, DisplayName: g.Name, TotalUsers: int32(n), UpdatedAt: timestamppb.New(got.LastSynced)})
	}
	return connect.NewResponse(out), nil
}

func (r *rolesService) UpdatePermission(ctx context.Context, req *connect.Request[rolepb.UpdatePermissionRequest]) (*connect.Response[rolepb.UpdatePermissionResponse], error) {
	if err := checkText(ctx, "permission.description", req.Msg.GetPermission().GetDescription(), 500); err != nil {
		return nil, err
	}
	got, ok := r.s.dir.changePermission(req.Msg.GetPermissionName(), req.Msg.GetPermission().GetDescription(), r.s.now())
	if !ok {
		return nil, permNotFound(ctx)
	}
	return connect.NewResponse(&rolepb.UpdatePermissionResponse{Permission: permToProto(got)}), nil
}

// ListEffectiveRolePermissions is the role's own permissions and those of
// the roles it extends.
func (r *rolesService) ListEffectiveRolePermissions(ctx context.Context, req *connect.Request[rolepb.ListEffectiveRolePermissionsRequest]) (*connect.Response[rolepb.ListEffectiveRolePermissionsResponse], error) {
	names, ok := r.s.dir.effectivePermissions(req.Msg.GetRoleName())
	if !ok {
		return nil, roleNotFound(ctx)
	}
	return connect.NewResponse(&rolepb.ListEffectiveRolePermissionsResponse{Permissions: r.s.permissionsOf(names)}), nil
}

func (d *directoryService) toggle(ctx context.Context, orgIDIn, id string, on bool) (*connect.Response[dirpb.ToggleDirectoryResponse], error) {
	orgID, err := d.s.orgIDOf(ctx, orgIDIn, "")
	if err != nil {
		return nil, err
	}
	if !d.s.dir.setDirectoryEnabled(orgID, id, on) {
		return nil, dirNotFound(ctx)
	}
	return connect.NewResponse(&dirpb.ToggleDirectoryResponse{Enabled: on}), nil
}

// CreateDirectory adds a directory to the organization, enabled, that no
// provider has synced users or groups into yet.
func (d *directoryService) CreateDirectory(ctx context.Context, req *connect.Request[dirpb.CreateDirectoryRequest]) (*connect.Response[dirpb.CreateDirectoryResponse], error) {
	orgID, err := d.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), "")
	if err != nil {
		return nil, err
	}
	in := req.Msg.GetDirectory()
	if in.GetDirectoryType() == dirpb.DirectoryType_DIRECTORY_TYPE_UNSPECIFIED || dirpb.DirectoryType_name[int32(in.GetDirectoryType())] == "" {
		return nil, invalid(ctx, fieldViolation{Field: "directory.directory_type", Description: "must be SCIM, LDAP or POLL"})
	}
	if dirpb.DirectoryProvider_name[int32(in.GetDirectoryProvider())] == "" {
		return nil, invalid(ctx, fieldViolation{Field: "directory.directory_provider", Description: "is not a directory provider"})
	}
	created, problem := d.s.dir.addDirectory(directory{OrgID: orgID, Name: in.GetDirectoryType().String() + " directory",
		Type: in.GetDirectoryType().String(), Provider: in.GetDirectoryProvider().String()}, d.s.now())
	if problem != "" {
		return nil, grpcError(ctx, connect.CodeFailedPrecondition, problem, "FAILED_PRECONDITION")
	}
	return connect.NewResponse(&dirpb.CreateDirectoryResponse{Directory: dirToProto(created)}), nil
}

// DeleteDirectory deletes a disabled directory: Scalekit refuses an
// enabled one with a validation error saying "directory is enabled" and
// to disable it (its Go SDK's test of DeleteDirectory checks both words).
func (d *directoryService) DeleteDirectory(ctx context.Context, req *connect.Request[dirpb.DeleteDirectoryRequest]) (*connect.Response[emptypb.Empty], error) {
	orgID, err := d.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), "")
	if err != nil {
		return nil, err
	}
	if bad := checkID(req.Msg.GetId()); bad != "" || req.Msg.GetId() == "" {
		return nil, invalid(ctx, fieldViolation{Field: "id", Description: firstOf(bad, "value is required")})
	}
	switch d.s.dir.removeDirectory(orgID, req.Msg.GetId()) {
	case dirUnknown:
		return nil, dirNotFound(ctx)
	case dirEnabled:
		return nil, grpcError(ctx, connect.CodeInvalidArgument, "directory is enabled: disable it before deleting it", "INVALID_ARGUMENT")
	}
	return connect.NewResponse(&emptypb.Empty{}), nil
}

func (d *directoryService) EnableDirectory(ctx context.Context, req *connect.Request[dirpb.ToggleDirectoryRequest]) (*connect.Response[dirpb.ToggleDirectoryResponse], error) {
	return d.toggle(ctx, req.Msg.GetOrganizationId(), req.Msg.GetId(), true)
}

func (d *directoryService) DisableDirectory(ctx context.Context, req *connect.Request[dirpb.ToggleDirectoryRequest]) (*connect.Response[dirpb.ToggleDirectoryResponse], error) {
	return d.toggle(ctx, req.Msg.GetOrganizationId(), req.Msg.GetId(), false)
}

// GetRoleUsersCount counts the members holding the role in any
// organization; the users are read one at a time, never with the lock
// held across the list.
func (r *rolesService) GetRoleUsersCount(ctx context.Context, req *connect.Request[rolepb.GetRoleUsersCountRequest]) (*connect.Response[rolepb.GetRoleUsersCountResponse], error) {
	name := req.Msg.GetRoleName()
	if _, ok := r.s.dir.roleNamed(name); !ok {
		return nil, roleNotFound(ctx)
	}
	n := int64(len(r.s.dir.usersMatching(r.s.dir.userIDs(""), func(u user) bool {
		for _, m := range u.Memberships {
			if slices.Contains(m.Roles, name) {
				return true
			}
		}
		return false
	})))
	return connect.NewResponse(&rolepb.GetRoleUsersCountResponse{Count: n}), nil
}

// ListDependentRoles is the roles, the environment's and organizations',
// extending the environment role: those that block its deletion.
func (r *rolesService) ListDependentRoles(ctx context.Context, req *connect.Request[rolepb.ListDependentRolesRequest]) (*connect.Response[rolepb.ListDependentRolesResponse], error) {
	if _, ok := r.s.dir.roleNamed(req.Msg.GetRoleName()); !ok {
		return nil, roleNotFound(ctx)
	}
	out := &rolepb.ListDependentRolesResponse{}
	for _, x := range r.s.dir.dependentRoles(req.Msg.GetRoleName()) { // an environment role's key is its name
		out.Roles = append(out.Roles, r.s.roleToFullProto(x))
	}
	return connect.NewResponse(out), nil
}

// DeleteRoleBase ends an environment role extending another; a role that
// extends none is left as it is.
func (r *rolesService) DeleteRoleBase(ctx context.Context, req *connect.Request[rolepb.DeleteRoleBaseRequest]) (*connect.Response[emptypb.Empty], error) {
	name := req.Msg.GetRoleName()
	if err := checkRoleName(ctx, "role_name", name); err != nil {
		return nil, err
	}
	if !r.s.dir.dropBase(name, r.s.now()) {
		return nil, roleNotFound(ctx)
	}
	return connect.NewResponse(&emptypb.Empty{}), nil
}

// UpdateDefaultRoles sets the roles a new organization's creator and its
// other new members get.
func (r *rolesService) UpdateDefaultRoles(ctx context.Context, req *connect.Request[rolepb.UpdateDefaultRolesRequest]) (*connect.Response[rolepb.UpdateDefaultRolesResponse], error) {
	creator := firstOf(req.Msg.GetDefaultCreatorRole(), req.Msg.GetDefaultCreator().GetName())
	member := firstOf(req.Msg.GetDefaultMemberRole(), req.Msg.GetDefaultMember().GetName())
	if creator == "" && member == "" {
		return nil, invalid(ctx, fieldViolation{Field: "default_member_role", Description: "default_creator_role or default_member_role is required"})
	}
	c, m, missing := r.s.dir.setDefaultRoles(creator, member, r.s.now())
	if missing != "" {
		return nil, invalid(ctx, fieldViolation{Field: "default_member_role", Description: "role " + sanitizeShort(missing) + " does not exist"})
	}
	out := &rolepb.UpdateDefaultRolesResponse{}
	if c.Name != "" {
		out.DefaultCreator = r.s.roleToFullProto(c)
	}
	if m.Name != "" {
		out.DefaultMember = r.s.roleToFullProto(m)
	}
	return connect.NewResponse(out), nil
}

// ---- an organization's own roles

func (r *rolesService) CreateOrganizationRole(ctx context.Context, req *connect.Request[rolepb.CreateOrganizationRoleRequest]) (*connect.Response[rolepb.CreateOrganizationRoleResponse], error) {
	orgID, err := r.s.orgIDOf(ctx, req.Msg.GetOrgId(), "")
	if err != nil {
		return nil, err
	}
	in := req.Msg.GetRole()
	if err := checkNewRole(ctx, in); err != nil {
		return nil, err
	}
	created, problem, clash := r.s.dir.addOrgRole(role{OrgID: orgID, Name: in.GetName(), DisplayName: in.GetDisplayName(),
		Description: in.GetDescription(), Permissions: in.GetPermissions(), Extends: in.GetExtends()}, r.s.now())
	if err := addError(ctx, problem, clash); err != nil {
		return nil, err
	}
	return connect.NewResponse(&rolepb.CreateOrganizationRoleResponse{Role: r.s.roleToFullProto(created)}), nil
}

// orgRole is an organization's own role (not an environment one).
func (r *rolesService) orgRole(ctx context.Context, orgIDIn, name string) (string, role, error) {
	orgID, err := r.s.orgIDOf(ctx, orgIDIn, "")
	if err != nil {
		return "", role{}, err
	}
	got, ok := r.s.dir.roleIn(orgID, name)
	if !ok {
		return "", role{}, roleNotFound(ctx)
	}
	return orgID, got, nil
}

func (r *rolesService) GetOrganizationRole(ctx context.Context, req *connect.Request[rolepb.GetOrganizationRoleRequest]) (*connect.Response[rolepb.GetOrganizationRoleResponse], error) {
	_, got, err := r.orgRole(ctx, req.Msg.GetOrgId(), req.Msg.GetRoleName())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&rolepb.GetOrganizationRoleResponse{Role: r.s.roleToFullProto(got)}), nil
}

// ListOrganizationRoles lists the roles a member of the organization may
// hold: the environment's, then the organization's own.
func (r *rolesService) ListOrganizationRoles(ctx context.Context, req *connect.Request[rolepb.ListOrganizationRolesRequest]) (*connect.Response[rolepb.ListOrganizationRolesResponse], error) {
	orgID, err := r.s.orgIDOf(ctx, req.Msg.GetOrgId(), "")
	if err != nil {
		return nil, err
	}
	out := &rolepb.ListOrganizationRolesResponse{}
	for _, x := range r.s.dir.orgRolesOf(orgID) {
		out.Roles = append(out.Roles, r.s.roleToFullProto(x))
	}
	return connect.NewResponse(out), nil
}

func (r *rolesService) UpdateOrganizationRole(ctx context.Context, req *connect.Request[rolepb.UpdateOrganizationRoleRequest]) (*connect.Response[rolepb.UpdateOrganizationRoleResponse], error) {
	orgID, got, err := r.ownOrgRole(ctx, req.Msg.GetOrgId(), req.Msg.GetRoleName(), "UpdateRole")
	if err != nil {
		return nil, err
	}
	in := req.Msg.GetRole()
	if err := checkRoleText(ctx, in); err != nil {
		return nil, err
	}
	updated, problem, found := r.s.dir.changeRole(orgRoleKey(orgID, got.Name), r.s.now(), updateRole(in))
	if err := changeRoleError(ctx, "role.permissions", problem, found); err != nil {
		return nil, err
	}
	return connect.NewResponse(&rolepb.UpdateOrganizationRoleResponse{Role: r.s.roleToFullProto(updated)}), nil
}

func (r *rolesService) DeleteOrganizationRole(ctx context.Context, req *connect.Request[rolepb.DeleteOrganizationRoleRequest]) (*connect.Response[emptypb.Empty], error) {
	orgID, err := r.s.orgIDOf(ctx, req.Msg.GetOrgId(), "")
	if err != nil {
		return nil, err
	}
	if err := checkRoleName(ctx, "role_name", req.Msg.GetRoleName()); err != nil {
		return nil, err
	}
	return deletedRole(ctx, r.s.dir.removeOrgRole(orgID, req.Msg.GetRoleName(), req.Msg.GetReassignRoleName()), nil)
}

// ownOrgRole is an organization's own role, refused when the name is the
// environment's role: that one changes through the environment's methods.
func (r *rolesService) ownOrgRole(ctx context.Context, orgIDIn, name, envMethod string) (string, role, error) {
	orgID, got, err := r.orgRole(ctx, orgIDIn, name)
	if err == nil && got.OrgID == "" {
		err = grpcError(ctx, connect.CodeFailedPrecondition, "role "+got.Name+" is the environment's: change it with "+envMethod, "FAILED_PRECONDITION")
	}
	return orgID, got, err
}

// DeleteOrganizationRoleBase ends an organization's own role extending
// another; a role that extends none is left as it is.
func (r *rolesService) DeleteOrganizationRoleBase(ctx context.Context, req *connect.Request[rolepb.DeleteOrganizationRoleBaseRequest]) (*connect.Response[emptypb.Empty], error) {
	if err := checkRoleName(ctx, "role_name", req.Msg.GetRoleName()); err != nil {
		return nil, err
	}
	orgID, got, err := r.ownOrgRole(ctx, req.Msg.GetOrgId(), req.Msg.GetRoleName(), "DeleteRoleBase")
	if err != nil {
		return nil, err
	}
	if !r.s.dir.dropBase(orgRoleKey(orgID, got.Name), r.s.now()) {
		return nil, roleNotFound(ctx) // deleted meanwhile
	}
	return connect.NewResponse(&emptypb.Empty{}), nil
}

// UpdateDefaultOrganizationRoles sets the role the organization's new
// members get, its own or an environment one; the organization then
// shows it, not the environment's, as its default member role.
func (r *rolesService) UpdateDefaultOrganizationRoles(ctx context.Context, req *connect.Request[rolepb.UpdateDefaultOrganizationRolesRequest]) (*connect.Response[rolepb.UpdateDefaultOrganizationRolesResponse], error) {
	orgID, err := r.s.orgIDOf(ctx, req.Msg.GetOrgId(), "")
	if err != nil {
		return nil, err
	}
	name := req.Msg.GetDefaultMemberRole()
	if err := checkRoleName(ctx, "default_member_role", name); err != nil {
		return nil, err
	}
	got, ok := r.s.dir.setOrgDefaultMember(orgID, name, r.s.now())
	if !ok {
		return nil, roleNotFound(ctx)
	}
	return connect.NewResponse(&rolepb.UpdateDefaultOrganizationRolesResponse{DefaultMember: r.s.roleToFullProto(got)}), nil
}

// GetOrganizationRoleUsersCount counts the organization's members holding
// the role (members read one at a time).
func (r *rolesService) GetOrganizationRoleUsersCount(ctx context.Context, req *connect.Request[rolepb.GetOrganizationRoleUsersCountRequest]) (*connect.Response[rolepb.GetOrganizationRoleUsersCountResponse], error) {
	orgID, _, err := r.orgRole(ctx, req.Msg.GetOrgId(), req.Msg.GetRoleName())
	if err != nil {
		return nil, err
	}
	name := req.Msg.GetRoleName()
	n := int64(len(r.s.dir.usersMatching(r.s.dir.userIDs(orgID), func(u user) bool {
		m, ok := u.membershipIn(orgID)
		return ok && slices.Contains(m.Roles, name)
	})))
	return connect.NewResponse(&rolepb.GetOrganizationRoleUsersCountResponse{Count: n}), nil
}
