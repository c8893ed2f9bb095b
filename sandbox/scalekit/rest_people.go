package scalekit

import (
	"context"
	"net/http"
	"strconv"

	"connectrpc.com/connect"
	clientpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/clients"
	dirpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/directories"
	orgpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/organizations"
	rolepb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/roles"
	sesspb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/sessions"
	userpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/users"
	"google.golang.org/protobuf/proto"
)

// restHandler is one REST route onto a gRPC method: fill reads the path,
// query and body into the request message (false after answering an
// error), then the method's answer or error goes out in the gateway's
// shape.
func restHandler[Req, Res any, PRes interface {
	*Res
	proto.Message
}](s *Service, call func(context.Context, *connect.Request[Req]) (*connect.Response[Res], error), fill func(w http.ResponseWriter, r *http.Request, msg *Req) bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		msg := new(Req)
		if fill != nil && !fill(w, r, msg) {
			return
		}
		res, err := call(s.restCtx(w, r), connect.NewRequest(msg))
		restAnswer[Res, PRes](w, http.StatusOK, res, err)
	}
}

// queryUint32 reads a numeric query parameter; false after answering.
func queryUint32(w http.ResponseWriter, r *http.Request, name string, dst *uint32) bool {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return true
	}
	n, err := strconv.ParseUint(raw, 10, 32)
	if err != nil {
		grpcFail(w, grpcInvalidArgument, "invalid "+name, "INVALID_ARGUMENT", fieldViolation{Field: name, Description: "value must be a number from 0"})
		return false
	}
	*dst = uint32(n)
	return true
}

// routePeopleREST mounts the REST routes of users, memberships, roles and
// permissions, M2M clients, sessions and directories.
func (s *Service) routePeopleREST(base string) {
	users, roles, clients := &userService{s: s}, &rolesService{s: s}, &clientService{s: s}
	sessions, dirs := &sessionService{s: s}, &directoryService{s: s}
	route := func(pattern string, m map[string]http.HandlerFunc) {
		for k, h := range m {
			m[k] = s.scalekitAuth(h)
		}
		s.mux.Handle(base+pattern, wireMethods(m))
	}
	org := func(r *http.Request) string { return r.PathValue("organization_id") }

	route("/api/v1/users", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, users.ListUsers, func(w http.ResponseWriter, r *http.Request, m *userpb.ListUsersRequest) bool {
			m.PageToken = r.URL.Query().Get("page_token")
			return queryUint32(w, r, "page_size", &m.PageSize)
		}),
	})
	route("/api/v1/users:search", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, users.SearchUsers, func(w http.ResponseWriter, r *http.Request, m *userpb.SearchUsersRequest) bool {
			m.Query, m.PageToken = r.URL.Query().Get("query"), r.URL.Query().Get("page_token")
			return queryUint32(w, r, "page_size", &m.PageSize)
		}),
	})
	route("/api/v1/organizations/{organization_id}/users:search", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, users.SearchOrganizationUsers, func(w http.ResponseWriter, r *http.Request, m *userpb.SearchOrganizationUsersRequest) bool {
			m.OrganizationId, m.Query, m.PageToken = org(r), r.URL.Query().Get("query"), r.URL.Query().Get("page_token")
			return queryUint32(w, r, "page_size", &m.PageSize)
		}),
	})
	route("/api/v1/users/{id}", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, users.GetUser, func(w http.ResponseWriter, r *http.Request, m *userpb.GetUserRequest) bool {
			m.Identities = &userpb.GetUserRequest_Id{Id: r.PathValue("id")}
			return true
		}),
		http.MethodPatch: restHandler(s, users.UpdateUser, func(w http.ResponseWriter, r *http.Request, m *userpb.UpdateUserRequest) bool {
			m.Identities, m.User = &userpb.UpdateUserRequest_Id{Id: r.PathValue("id")}, &userpb.UpdateUser{}
			return readBody(w, r, m.User)
		}),
		http.MethodDelete: restHandler(s, users.DeleteUser, func(w http.ResponseWriter, r *http.Request, m *userpb.DeleteUserRequest) bool {
			m.Identities = &userpb.DeleteUserRequest_Id{Id: r.PathValue("id")}
			return true
		}),
	})
	route("/api/v1/organizations/{organization_id}/users", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, users.ListOrganizationUsers, func(w http.ResponseWriter, r *http.Request, m *userpb.ListOrganizationUsersRequest) bool {
			m.OrganizationId, m.PageToken = org(r), r.URL.Query().Get("page_token")
			return queryUint32(w, r, "page_size", &m.PageSize)
		}),
		http.MethodPost: restHandler(s, users.CreateUserAndMembership, func(w http.ResponseWriter, r *http.Request, m *userpb.CreateUserAndMembershipRequest) bool {
			m.OrganizationId, m.User = org(r), &userpb.CreateUser{}
			if v := r.URL.Query().Get("send_invitation_email"); v != "" {
				b := v == "true"
				m.SendInvitationEmail = &b
			}
			return readBody(w, r, m.User)
		}),
	})
	memberRef := func(r *http.Request) string { return r.PathValue("id") }
	route("/api/v1/memberships/organizations/{organization_id}/users/{id}", map[string]http.HandlerFunc{
		http.MethodPost: restHandler(s, users.CreateMembership, func(w http.ResponseWriter, r *http.Request, m *userpb.CreateMembershipRequest) bool {
			m.OrganizationId, m.Identities, m.Membership = org(r), &userpb.CreateMembershipRequest_Id{Id: memberRef(r)}, &userpb.CreateMembership{}
			return readBody(w, r, m.Membership)
		}),
		http.MethodPatch: restHandler(s, users.UpdateMembership, func(w http.ResponseWriter, r *http.Request, m *userpb.UpdateMembershipRequest) bool {
			m.OrganizationId, m.Identities, m.Membership = org(r), &userpb.UpdateMembershipRequest_Id{Id: memberRef(r)}, &userpb.UpdateMembership{}
			return readBody(w, r, m.Membership)
		}),
		http.MethodDelete: restHandler(s, users.DeleteMembership, func(w http.ResponseWriter, r *http.Request, m *userpb.DeleteMembershipRequest) bool {
			m.OrganizationId, m.Identities = org(r), &userpb.DeleteMembershipRequest_Id{Id: memberRef(r)}
			if r.URL.Query().Get("cascade") == "true" {
				b := true
				m.Cascade = &b
			}
			return true
		}),
	})
	route("/api/v1/invites/organizations/{organization_id}/users/{id}/resend", map[string]http.HandlerFunc{
		http.MethodPatch: restHandler(s, users.ResendInvite, func(w http.ResponseWriter, r *http.Request, m *userpb.ResendInviteRequest) bool {
			m.OrganizationId, m.Id = org(r), r.PathValue("id")
			return true
		}),
	})
	route("/api/v1/organizations/{organization_id}/users/{user_id}/roles", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, users.ListUserRoles, func(w http.ResponseWriter, r *http.Request, m *userpb.ListUserRolesRequest) bool {
			m.OrganizationId, m.UserId = org(r), r.PathValue("user_id")
			return true
		}),
		http.MethodPost: restHandler(s, users.AssignUserRoles, func(w http.ResponseWriter, r *http.Request, m *userpb.AssignUserRolesRequest) bool {
			if !readBody(w, r, m) {
				return false
			}
			m.OrganizationId, m.UserId = org(r), r.PathValue("user_id")
			return true
		}),
	})
	route("/api/v1/organizations/{organization_id}/users/{user_id}/roles/{role_name}", map[string]http.HandlerFunc{
		http.MethodDelete: restHandler(s, users.RemoveUserRole, func(w http.ResponseWriter, r *http.Request, m *userpb.RemoveUserRoleRequest) bool {
			m.OrganizationId, m.UserId, m.RoleName = org(r), r.PathValue("user_id"), r.PathValue("role_name")
			return true
		}),
	})
	route("/api/v1/organizations/{organization_id}/users/{user_id}/permissions", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, users.ListUserPermissions, func(w http.ResponseWriter, r *http.Request, m *userpb.ListUserPermissionsRequest) bool {
			m.OrganizationId, m.UserId = org(r), r.PathValue("user_id")
			return true
		}),
	})

	route("/api/v1/roles", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, roles.ListRoles, nil),
		http.MethodPost: restHandler(s, roles.CreateRole, func(w http.ResponseWriter, r *http.Request, m *rolepb.CreateRoleRequest) bool {
			m.Role = &rolepb.CreateRole{}
			return readBody(w, r, m.Role)
		}),
	})
	route("/api/v1/roles/{role_name}", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, roles.GetRole, func(w http.ResponseWriter, r *http.Request, m *rolepb.GetRoleRequest) bool {
			m.RoleName = r.PathValue("role_name")
			return true
		}),
		http.MethodPut: restHandler(s, roles.UpdateRole, func(w http.ResponseWriter, r *http.Request, m *rolepb.UpdateRoleRequest) bool {
			m.RoleName, m.Role = r.PathValue("role_name"), &rolepb.UpdateRole{}
			return readBody(w, r, m.Role)
		}),
		http.MethodDelete: restHandler(s, roles.DeleteRole, func(w http.ResponseWriter, r *http.Request, m *rolepb.DeleteRoleRequest) bool {
			m.RoleName = r.PathValue("role_name")
			// reassign_role_id (deprecated) is read too, as the gRPC face does.
			if to := firstOf(r.URL.Query().Get("reassign_role_name"), r.URL.Query().Get("reassign_role_id")); to != "" {
				m.ReassignRoleName = &to
			}
			return true
		}),
	})
	route("/api/v1/roles/{role_name}/permissions", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, roles.ListRolePermissions, func(w http.ResponseWriter, r *http.Request, m *rolepb.ListRolePermissionsRequest) bool {
			m.RoleName = r.PathValue("role_name")
			return true
		}),
		http.MethodPost: restHandler(s, roles.AddPermissionsToRole, func(w http.ResponseWriter, r *http.Request, m *rolepb.AddPermissionsToRoleRequest) bool {
			if !readBody(w, r, m) {
				return false
			}
			m.RoleName = r.PathValue("role_name")
			return true
		}),
	})
	route("/api/v1/roles/{role_name}/permissions/{permission_name}", map[string]http.HandlerFunc{
		http.MethodDelete: restHandler(s, roles.RemovePermissionFromRole, func(w http.ResponseWriter, r *http.Request, m *rolepb.RemovePermissionFromRoleRequest) bool {
			m.RoleName, m.PermissionName = r.PathValue("role_name"), r.PathValue("permission_name")
			return true
		}),
	})
	route("/api/v1/organizations/{organization_id}/roles", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, roles.ListOrganizationRoles, func(w http.ResponseWriter, r *http.Request, m *rolepb.ListOrganizationRolesRequest) bool {
			m.OrgId = org(r)
			return true
		}),
		http.MethodPost: restHandler(s, roles.CreateOrganizationRole, func(w http.ResponseWriter, r *http.Request, m *rolepb.CreateOrganizationRoleRequest) bool {
			m.OrgId, m.Role = org(r), &rolepb.CreateOrganizationRole{}
			return readBody(w, r, m.Role)
		}),
	})
	route("/api/v1/organizations/{organization_id}/roles/{role_name}", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, roles.GetOrganizationRole, func(w http.ResponseWriter, r *http.Request, m *rolepb.GetOrganizationRoleRequest) bool {
			m.OrgId, m.RoleName = org(r), r.PathValue("role_name")
			return true
		}),
		http.MethodPut: restHandler(s, roles.UpdateOrganizationRole, func(w http.ResponseWriter, r *http.Request, m *rolepb.UpdateOrganizationRoleRequest) bool {
			m.OrgId, m.RoleName, m.Role = org(r), r.PathValue("role_name"), &rolepb.UpdateRole{}
			return readBody(w, r, m.Role)
		}),
		http.MethodDelete: restHandler(s, roles.DeleteOrganizationRole, func(w http.ResponseWriter, r *http.Request, m *rolepb.DeleteOrganizationRoleRequest) bool {
			m.OrgId, m.RoleName = org(r), r.PathValue("role_name")
			return true
		}),
	})
	route("/api/v1/permissions", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, roles.ListPermissions, func(w http.ResponseWriter, r *http.Request, m *rolepb.ListPermissionsRequest) bool {
			if tok := r.URL.Query().Get("page_token"); tok != "" {
				m.PageToken = &tok
			}
			var size uint32
			if !queryUint32(w, r, "page_size", &size) {
				return false
			}
			m.PageSize = &size
			return true
		}),
		http.MethodPost: restHandler(s, roles.CreatePermission, func(w http.ResponseWriter, r *http.Request, m *rolepb.CreatePermissionRequest) bool {
			m.Permission = &rolepb.CreatePermission{}
			return readBody(w, r, m.Permission)
		}),
	})
	route("/api/v1/permissions/{permission_name}", map[string]http.HandlerFunc{
		http.MethodPut: restHandler(s, roles.UpdatePermission, func(w http.ResponseWriter, r *http.Request, m *rolepb.UpdatePermissionRequest) bool {
			m.PermissionName, m.Permission = r.PathValue("permission_name"), &rolepb.CreatePermission{}
			return readBody(w, r, m.Permission)
		}),
		http.MethodGet: restHandler(s, roles.GetPermission, func(w http.ResponseWriter, r *http.Request, m *rolepb.GetPermissionRequest) bool {
			m.PermissionName = r.PathValue("permission_name")
			return true
		}),
		http.MethodDelete: restHandler(s, roles.DeletePermission, func(w http.ResponseWriter, r *http.Request, m *rolepb.DeletePermissionRequest) bool {
			m.PermissionName = r.PathValue("permission_name")
			return true
		}),
	})

	route("/api/v1/organizations/{organization_id}/clients", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, clients.ListOrganizationClients, func(w http.ResponseWriter, r *http.Request, m *clientpb.ListOrganizationClientsRequest) bool {
			m.OrganizationId, m.PageToken = org(r), r.URL.Query().Get("page_token")
			return queryUint32(w, r, "page_size", &m.PageSize)
		}),
		http.MethodPost: restHandler(s, clients.CreateOrganizationClient, func(w http.ResponseWriter, r *http.Request, m *clientpb.CreateOrganizationClientRequest) bool {
			m.OrganizationId, m.Client = org(r), &clientpb.OrganizationClient{}
			return readBody(w, r, m.Client)
		}),
	})
	route("/api/v1/organizations/{organization_id}/clients/{client_id}", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, clients.GetOrganizationClient, func(w http.ResponseWriter, r *http.Request, m *clientpb.GetOrganizationClientRequest) bool {
			m.OrganizationId, m.ClientId = org(r), r.PathValue("client_id")
			return true
		}),
		http.MethodPatch: restHandler(s, clients.UpdateOrganizationClient, func(w http.ResponseWriter, r *http.Request, m *clientpb.UpdateOrganizationClientRequest) bool {
			m.OrganizationId, m.ClientId, m.Client = org(r), r.PathValue("client_id"), &clientpb.OrganizationClient{}
			return readBody(w, r, m.Client)
		}),
		http.MethodDelete: restHandler(s, clients.DeleteOrganizationClient, func(w http.ResponseWriter, r *http.Request, m *clientpb.DeleteOrganizationClientRequest) bool {
			m.OrganizationId, m.ClientId = org(r), r.PathValue("client_id")
			return true
		}),
	})
	route("/api/v1/organizations/{organization_id}/clients/{client_id}/secrets", map[string]http.HandlerFunc{
		http.MethodPost: restHandler(s, clients.CreateOrganizationClientSecret, func(w http.ResponseWriter, r *http.Request, m *clientpb.CreateOrganizationClientSecretRequest) bool {
			m.OrganizationId, m.ClientId = org(r), r.PathValue("client_id")
			return true
		}),
	})
	route("/api/v1/organizations/{organization_id}/clients/{client_id}/secrets/{secret_id}", map[string]http.HandlerFunc{
		http.MethodDelete: restHandler(s, clients.DeleteOrganizationClientSecret, func(w http.ResponseWriter, r *http.Request, m *clientpb.DeleteOrganizationClientSecretRequest) bool {
			m.OrganizationId, m.ClientId, m.SecretId = org(r), r.PathValue("client_id"), r.PathValue("secret_id")
			return true
		}),
	})

	route("/api/v1/sessions/{session_id}", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, sessions.GetSession, func(w http.ResponseWriter, r *http.Request, m *sesspb.SessionDetailsRequest) bool {
			m.SessionId = r.PathValue("session_id")
			return true
		}),
	})
	route("/api/v1/sessions/{session_id}/revoke", map[string]http.HandlerFunc{
		http.MethodPost: restHandler(s, sessions.RevokeSession, func(w http.ResponseWriter, r *http.Request, m *sesspb.RevokeSessionRequest) bool {
			m.SessionId = r.PathValue("session_id")
			return true
		}),
	})
	route("/api/v1/users/{user_id}/sessions", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, sessions.GetUserSessions, func(w http.ResponseWriter, r *http.Request, m *sesspb.UserSessionDetailsRequest) bool {
			m.UserId, m.PageToken = r.PathValue("user_id"), r.URL.Query().Get("page_token")
			if st := r.URL.Query()["filter.status"]; len(st) > 0 {
				m.Filter = &sesspb.UserSessionFilter{Status: st}
			}
			return queryUint32(w, r, "page_size", &m.PageSize)
		}),
	})
	route("/api/v1/users/{user_id}/sessions/revoke", map[string]http.HandlerFunc{
		http.MethodPost: restHandler(s, sessions.RevokeAllUserSessions, func(w http.ResponseWriter, r *http.Request, m *sesspb.RevokeAllUserSessionsRequest) bool {
			m.UserId = r.PathValue("user_id")
			return true
		}),
	})

	orgs := &orgService{s: s}
	route("/api/v1/organizations/{organization_id}/session-policy", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, orgs.GetOrganizationSessionPolicy, func(w http.ResponseWriter, r *http.Request, m *orgpb.GetOrganizationSessionPolicyRequest) bool {
			m.OrganizationId = org(r)
			return true
		}),
		http.MethodPatch: restHandler(s, orgs.UpdateOrganizationSessionPolicy, func(w http.ResponseWriter, r *http.Request, m *orgpb.UpdateOrganizationSessionPolicyRequest) bool {
			if !readBody(w, r, m) {
				return false
			}
			m.OrganizationId = org(r)
			return true
		}),
	})
	route("/api/v1/organizations/{organization_id}/directories", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, dirs.ListDirectories, func(w http.ResponseWriter, r *http.Request, m *dirpb.ListDirectoriesRequest) bool {
			m.OrganizationId = org(r)
			return true
		}),
	})
	route("/api/v1/organizations/{organization_id}/directories/{id}", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, dirs.GetDirectory, func(w http.ResponseWriter, r *http.Request, m *dirpb.GetDirectoryRequest) bool {
			m.OrganizationId, m.Id = org(r), r.PathValue("id")
			return true
		}),
		http.MethodPatch: restToggle(s, dirs.EnableDirectory, dirs.DisableDirectory, func(r *http.Request, id string) *dirpb.ToggleDirectoryRequest {
			return &dirpb.ToggleDirectoryRequest{OrganizationId: org(r), Id: id}
		}),
	})
	route("/api/v1/organizations/{organization_id}/directories/{id}/users", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, dirs.ListDirectoryUsers, func(w http.ResponseWriter, r *http.Request, m *dirpb.ListDirectoryUsersRequest) bool {
			m.OrganizationId, m.DirectoryId, m.PageToken = org(r), r.PathValue("id"), r.URL.Query().Get("page_token")
			if g := r.URL.Query().Get("directory_group_id"); g != "" {
				m.DirectoryGroupId = &g
			}
			return queryUint32(w, r, "page_size", &m.PageSize)
		}),
	})
	route("/api/v1/organizations/{organization_id}/directories/{id}/groups", map[string]http.HandlerFunc{
		http.MethodGet: restHandler(s, dirs.ListDirectoryGroups, func(w http.ResponseWriter, r *http.Request, m *dirpb.ListDirectoryGroupsRequest) bool {
			m.OrganizationId, m.DirectoryId, m.PageToken = org(r), r.PathValue("id"), r.URL.Query().Get("page_token")
			return queryUint32(w, r, "page_size", &m.PageSize)
		}),
	})
}
