package scalekit

import (
	"context"
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"

	"connectrpc.com/connect"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/commons"
	userpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/users"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/users/usersconnect"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// userService is scalekit.v1.users.UserService: users and their
// organization memberships, invitations and roles, on the directory store
// sign-in reads.
type userService struct {
	usersconnect.UnimplementedUserServiceHandler
	s *Service
}

const sandboxEnvironmentID = "env_58345499215790610"

func userNotFound(ctx context.Context) error {
	return grpcError(ctx, connect.CodeNotFound, "user not found", "NOT_FOUND")
}

func (s *Service) roleToProto(orgID, name string) *commons.Role {
	r, ok := s.dir.roleIn(orgID, name)
	if !ok {
		return &commons.Role{Name: name}
	}
	return &commons.Role{Id: r.ID, Name: r.Name, DisplayName: r.DisplayName}
}

func (s *Service) userToProto(u user) *userpb.User {
	out := &userpb.User{Id: u.ID, EnvironmentId: sandboxEnvironmentID, CreateTime: timestamppb.New(u.CreateTime), UpdateTime: timestamppb.New(u.UpdateTime),
		Email: u.Email, Metadata: u.Metadata,
		UserProfile: &commons.UserProfile{Id: u.ID, GivenName: u.GivenName, FamilyName: u.FamilyName, Name: u.name(), Locale: u.Locale, EmailVerified: u.EmailVerified,
			FirstName: u.GivenName, LastName: u.FamilyName}}
	if u.ExternalID != "" {
		ext := u.ExternalID
		out.ExternalId = &ext
	}
	for _, m := range u.Memberships {
		pm := &commons.OrganizationMembership{OrganizationId: m.OrgID, JoinTime: timestamppb.New(m.JoinTime),
			MembershipStatus: commons.MembershipStatus(commons.MembershipStatus_value[m.Status]), Metadata: m.Metadata,
			Permissions: s.dir.permissionsOfRolesIn(m.OrgID, m.Roles)}
		if o, ok := s.orgs.get(orgRef{id: m.OrgID}); ok {
			name := o.DisplayName
			pm.DisplayName, pm.Name = &name, &name
		}
		if m.Inviter != "" {
			inviter := m.Inviter
			pm.InviterEmail = &inviter
		}
		for _, r := range m.Roles {
			pm.Roles = append(pm.Roles, s.roleToProto(m.OrgID, r))
		}
		out.Memberships = append(out.Memberships, pm)
	}
	return out
}

// checkUserFields is the validation shared by create and update.
func checkUserFields(email string, checkEmail bool, names ...string) []fieldViolation {
	var out []fieldViolation
	if checkEmail {
		addr, err := mail.ParseAddress(email)
		if email == "" || err != nil || addr.Address != email || len(email) > maxEmailLen || badText(email) {
			out = append(out, fieldViolation{Field: "user.email", Description: "value must be a valid email address"})
		}
	}
	for _, n := range names {
		if utf8.RuneCountInString(n) > maxNameLen || badText(n) || !utf8.ValidString(n) {
			out = append(out, fieldViolation{Field: "user.user_profile", Description: "names are at most 200 characters, without control or bidi characters"})
			break
		}
	}
	return out
}

func checkMetadata(field string, md map[string]string) []fieldViolation {
	if len(md) > maxMetadataKeys {
		return []fieldViolation{{Field: field, Description: "at most 20 keys"}}
	}
	for k, v := range md {
		if len(k) > 100 || len(v) > 1000 || badText(k) || badText(v) {
			return []fieldViolation{{Field: field, Description: "keys are at most 100 characters and values at most 1000, without control or bidi characters"}}
		}
	}
	return nil
}

func checkExternalID(ext string) []fieldViolation {
	if len(ext) > 200 || badText(ext) {
		return []fieldViolation{{Field: "external_id", Description: "value must be at most 200 characters, without control or bidi characters"}}
	}
	return nil
}

// rolesOf checks role names against the roles a member of orgID may
// hold: the organization's own and the environment's.
func (s *Service) rolesOf(ctx context.Context, orgID string, in []*commons.Role) ([]string, error) {
	if len(in) > maxRolesOfMember {
		return nil, invalid(ctx, fieldViolation{Field: "membership.roles", Description: "at most 10 roles"})
	}
	var names []string
	for _, r := range in {
		if _, ok := s.dir.roleIn(orgID, r.GetName()); !ok {
			return nil, invalid(ctx, fieldViolation{Field: "membership.roles", Description: "role " + sanitizeShort(r.GetName()) + " does not exist"})
		}
		names = append(names, r.GetName())
	}
	return names, nil
}

func sanitizeShort(s string) string {
	if badText(s) {
		return "(unprintable)"
	}
	return truncate(s, 60)
}

func (s *Service) userProblemError(ctx context.Context, p userProblem) error {
	switch p {
	case userExists:
		return grpcError(ctx, connect.CodeAlreadyExists, "user with this email or external_id already exists", "ALREADY_EXISTS")
	case userOrgFull:
		return grpcError(ctx, connect.CodeFailedPrecondition, "the organization has reached the sandbox's cap of 500 users", "FAILED_PRECONDITION")
	}
	return grpcError(ctx, connect.CodeFailedPrecondition, "the sandbox holds at most 2000 created users", "FAILED_PRECONDITION")
}

func (s *Service) memberProblemError(ctx context.Context, p memberProblem) error {
	switch p {
	case memberNoUser:
		return userNotFound(ctx)
	case memberExists:
		return grpcError(ctx, connect.CodeAlreadyExists, "user is already a member of the organization", "ALREADY_EXISTS")
	case memberMissing:
		return grpcError(ctx, connect.CodeNotFound, "user is not a member of the organization", "NOT_FOUND")
	case memberNotInvited:
		return grpcError(ctx, connect.CodeFailedPrecondition, "the membership has no pending invitation", "FAILED_PRECONDITION")
	}
	return grpcError(ctx, connect.CodeFailedPrecondition, "the organization has reached the sandbox's cap of 500 users", "FAILED_PRECONDITION")
}

func (u *userService) CreateUserAndMembership(ctx context.Context, req *connect.Request[userpb.CreateUserAndMembershipRequest]) (*connect.Response[userpb.CreateUserAndMembershipResponse], error) {
	orgID, err := u.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), "")
	if err != nil {
		return nil, err
	}
	in := req.Msg.GetUser()
	p := in.GetUserProfile()
	given, family := firstOf(p.GetGivenName(), p.GetFirstName()), firstOf(p.GetFamilyName(), p.GetLastName())
	v := checkUserFields(in.GetEmail(), true, given, family, p.GetName(), p.GetLocale())
	v = append(v, checkExternalID(in.GetExternalId())...)
	v = append(v, checkMetadata("user.metadata", in.GetMetadata())...)
	if len(v) > 0 {
		return nil, invalid(ctx, v...)
	}
	roles, err := u.s.rolesOf(ctx, orgID, in.GetMembership().GetRoles())
	if err != nil {
		return nil, err
	}
	if len(roles) == 0 {
		roles = []string{u.s.dir.newMemberRole(orgID)}
	}
	status := "ACTIVE"
	if req.Msg.GetSendInvitationEmail() {
		status = "PENDING_INVITE"
	}
	created, problem := u.s.dir.addUser(user{Email: in.GetEmail(), ExternalID: in.GetExternalId(), GivenName: given, FamilyName: family,
		Locale: p.GetLocale(), Metadata: in.GetMetadata(), Memberships: []membership{{OrgID: orgID, Roles: roles, Status: status,
			Metadata: in.GetMembership().GetMetadata(), Inviter: in.GetMembership().GetInviterEmail()}}}, u.s.now())
	if problem != userOK {
		return nil, u.s.userProblemError(ctx, problem)
	}
	return connect.NewResponse(&userpb.CreateUserAndMembershipResponse{User: u.s.userToProto(created)}), nil
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func userRefOf(ctx context.Context, id, externalID string) (userRef, error) {
	if id == "" && externalID == "" {
		return userRef{}, invalid(ctx, fieldViolation{Field: "identities", Description: "id or external_id is required"})
	}
	if bad := checkID(id); bad != "" {
		return userRef{}, invalid(ctx, fieldViolation{Field: "id", Description: bad})
	}
	return userRef{id: id, externalID: externalID}, nil
}

func (u *userService) GetUser(ctx context.Context, req *connect.Request[userpb.GetUserRequest]) (*connect.Response[userpb.GetUserResponse], error) {
	ref, err := userRefOf(ctx, req.Msg.GetId(), req.Msg.GetExternalId())
	if err != nil {
		return nil, err
	}
	got, ok := u.s.dir.userBy(ref)
	if !ok {
		return nil, userNotFound(ctx)
	}
	return connect.NewResponse(&userpb.GetUserResponse{User: u.s.userToProto(got)}), nil
}

func (u *userService) ListUsers(ctx context.Context, req *connect.Request[userpb.ListUsersRequest]) (*connect.Response[userpb.ListUsersResponse], error) {
	w, problem := pageWindow(u.s.dir.countUsers(), int(min(req.Msg.GetPageSize(), 1<<20)), req.Msg.GetPageToken())
	if problem != nil {
		return nil, invalid(ctx, problem.violation)
	}
	page, total := u.s.dir.pageOf(func() []string { return u.s.dir.userOrder }, w.start, w.end)
	out := &userpb.ListUsersResponse{NextPageToken: w.next, PrevPageToken: w.prev, TotalSize: uint32(total)}
	for _, x := range page {
		out.Users = append(out.Users, u.s.userToProto(x))
	}
	return connect.NewResponse(out), nil
}

func (u *userService) ListOrganizationUsers(ctx context.Context, req *connect.Request[userpb.ListOrganizationUsersRequest]) (*connect.Response[userpb.ListOrganizationUsersResponse], error) {
	orgID, err := u.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), "")
	if err != nil {
		return nil, err
	}
	w, problem := pageWindow(u.s.dir.countMembers(orgID), int(min(req.Msg.GetPageSize(), 1<<20)), req.Msg.GetPageToken())
	if problem != nil {
		return nil, invalid(ctx, problem.violation)
	}
	page, total := u.s.dir.pageOf(func() []string { return u.s.dir.usersOf[orgID] }, w.start, w.end)
	out := &userpb.ListOrganizationUsersResponse{NextPageToken: w.next, PrevPageToken: w.prev, TotalSize: uint32(total)}
	for _, x := range page {
		out.Users = append(out.Users, u.s.userToProto(x))
	}
	return connect.NewResponse(out), nil
}

func (u *userService) UpdateUser(ctx context.Context, req *connect.Request[userpb.UpdateUserRequest]) (*connect.Response[userpb.UpdateUserResponse], error) {
	ref, err := userRefOf(ctx, req.Msg.GetId(), req.Msg.GetExternalId())
	if err != nil {
		return nil, err
	}
	in := req.Msg.GetUser()
	if in == nil {
		in = &userpb.UpdateUser{} // nothing to change
	}
	p := in.GetUserProfile()
	if p == nil {
		p = &userpb.UpdateUserProfile{} // a metadata-only update
	}
	change := userChange{externalID: in.ExternalId, locale: p.Locale}
	if p.GivenName != nil || p.FirstName != nil {
		g := firstOf(p.GetGivenName(), p.GetFirstName())
		change.givenName = &g
	}
	if p.FamilyName != nil || p.LastName != nil {
		f := firstOf(p.GetFamilyName(), p.GetLastName())
		change.familyName = &f
	}
	if len(in.GetMetadata()) > 0 {
		change.metadata = in.GetMetadata()
	}
	v := checkUserFields("", false, p.GetGivenName(), p.GetFamilyName(), p.GetFirstName(), p.GetLastName(), p.GetLocale())
	v = append(v, checkExternalID(in.GetExternalId())...)
	v = append(v, checkMetadata("user.metadata", in.GetMetadata())...)
	if len(v) > 0 {
		return nil, invalid(ctx, v...)
	}
	got, problem, found := u.s.dir.updateUser(ref, change, u.s.now())
	switch {
	case !found:
		return nil, userNotFound(ctx)
	case problem != userOK:
		return nil, u.s.userProblemError(ctx, problem)
	}
	return connect.NewResponse(&userpb.UpdateUserResponse{User: u.s.userToProto(got)}), nil
}

func (u *userService) DeleteUser(ctx context.Context, req *connect.Request[userpb.DeleteUserRequest]) (*connect.Response[emptypb.Empty], error) {
	ref, err := userRefOf(ctx, req.Msg.GetId(), req.Msg.GetExternalId())
	if err != nil {
		return nil, err
	}
	if !u.s.dir.deleteUser(ref) {
		return nil, userNotFound(ctx)
	}
	return connect.NewResponse(&emptypb.Empty{}), nil
}

// memberRef is the organization and the user a request about a
// membership names (the user by id or external id).
func (u *userService) memberRef(ctx context.Context, orgIDIn, id, externalID string) (string, userRef, error) {
	orgID, err := u.s.orgIDOf(ctx, orgIDIn, "")
	if err != nil {
		return "", userRef{}, err
	}
	ref, err := userRefOf(ctx, id, externalID)
	if err != nil {
		return "", userRef{}, err
	}
	return orgID, ref, nil
}

func (u *userService) CreateMembership(ctx context.Context, req *connect.Request[userpb.CreateMembershipRequest]) (*connect.Response[userpb.CreateMembershipResponse], error) {
	orgID, ref, err := u.memberRef(ctx, req.Msg.GetOrganizationId(), req.Msg.GetId(), req.Msg.GetExternalId())
	if err != nil {
		return nil, err
	}
	roles, err := u.s.rolesOf(ctx, orgID, req.Msg.GetMembership().GetRoles())
	if err != nil {
		return nil, err
	}
	if len(roles) == 0 {
		roles = []string{u.s.dir.newMemberRole(orgID)}
	}
	if v := checkMetadata("membership.metadata", req.Msg.GetMembership().GetMetadata()); len(v) > 0 {
		return nil, invalid(ctx, v...)
	}
	status := "ACTIVE"
	if req.Msg.GetSendInvitationEmail() {
		status = "PENDING_INVITE"
	}
	got, problem := u.s.dir.addMembership(orgID, ref, membership{Roles: roles, Status: status, Metadata: req.Msg.GetMembership().GetMetadata(),
		Inviter: req.Msg.GetMembership().GetInviterEmail()}, u.s.now())
	if problem != memberOK {
		return nil, u.s.memberProblemError(ctx, problem)
	}
	return connect.NewResponse(&userpb.CreateMembershipResponse{User: u.s.userToProto(got)}), nil
}

func (u *userService) UpdateMembership(ctx context.Context, req *connect.Request[userpb.UpdateMembershipRequest]) (*connect.Response[userpb.UpdateMembershipResponse], error) {
	orgID, ref, err := u.memberRef(ctx, req.Msg.GetOrganizationId(), req.Msg.GetId(), req.Msg.GetExternalId())
	if err != nil {
		return nil, err
	}
	roles, err := u.s.rolesOf(ctx, orgID, req.Msg.GetMembership().GetRoles())
	if err != nil {
		return nil, err
	}
	md := req.Msg.GetMembership().GetMetadata()
	if v := checkMetadata("membership.metadata", md); len(v) > 0 {
		return nil, invalid(ctx, v...)
	}
	got, problem := u.s.dir.changeMembership(orgID, ref, u.s.now(), func(m *membership) memberProblem {
		if len(roles) > 0 {
			m.Roles = roles
		}
		if len(md) > 0 {
			m.Metadata = md
		}
		return memberOK
	})
	if problem != memberOK {
		return nil, u.s.memberProblemError(ctx, problem)
	}
	return connect.NewResponse(&userpb.UpdateMembershipResponse{User: u.s.userToProto(got)}), nil
}

func (u *userService) DeleteMembership(ctx context.Context, req *connect.Request[userpb.DeleteMembershipRequest]) (*connect.Response[emptypb.Empty], error) {
	orgID, ref, err := u.memberRef(ctx, req.Msg.GetOrganizationId(), req.Msg.GetId(), req.Msg.GetExternalId())
	if err != nil {
		return nil, err
	}
	if p := u.s.dir.removeMembership(orgID, ref, req.Msg.GetCascade()); p != memberOK {
		return nil, u.s.memberProblemError(ctx, p)
	}
	return connect.NewResponse(&emptypb.Empty{}), nil
}

func (u *userService) ResendInvite(ctx context.Context, req *connect.Request[userpb.ResendInviteRequest]) (*connect.Response[userpb.ResendInviteResponse], error) {
	orgID, ref, err := u.memberRef(ctx, req.Msg.GetOrganizationId(), req.Msg.GetId(), "")
	if err != nil {
		return nil, err
	}
	now := u.s.now()
	var sent membership
	_, problem := u.s.dir.changeMembership(orgID, ref, now, func(m *membership) memberProblem {
		if m.Status != "PENDING_INVITE" {
			return memberNotInvited
		}
		m.ResentCount++
		m.ResentAt = now.UTC()
		sent = *m
		return memberOK
	})
	if problem != memberOK {
		return nil, u.s.memberProblemError(ctx, problem)
	}
	invite := &userpb.Invite{OrganizationId: orgID, UserId: ref.id, Status: "PENDING_INVITE", CreatedAt: timestamppb.New(sent.JoinTime),
		ExpiresAt: timestamppb.New(now.Add(7 * 24 * 3600 * 1e9)), ResentAt: timestamppb.New(sent.ResentAt), ResentCount: sent.ResentCount}
	if sent.Inviter != "" {
		invite.InviterEmail = &sent.Inviter
	}
	return connect.NewResponse(&userpb.ResendInviteResponse{Invite: invite}), nil
}

func (u *userService) ListUserRoles(ctx context.Context, req *connect.Request[userpb.ListUserRolesRequest]) (*connect.Response[userpb.ListUserRolesResponse], error) {
	m, err := u.memberOf(ctx, req.Msg.GetOrganizationId(), req.Msg.GetUserId())
	if err != nil {
		return nil, err
	}
	out := &userpb.ListUserRolesResponse{}
	for _, r := range m.Roles {
		out.Roles = append(out.Roles, u.s.roleToProto(m.OrgID, r))
	}
	return connect.NewResponse(out), nil
}

func (u *userService) memberOf(ctx context.Context, orgIDIn, userID string) (membership, error) {
	orgID, ref, err := u.memberRef(ctx, orgIDIn, userID, "")
	if err != nil {
		return membership{}, err
	}
	got, ok := u.s.dir.userBy(ref)
	if !ok {
		return membership{}, userNotFound(ctx)
	}
	m, ok := got.membershipIn(orgID)
	if !ok {
		return membership{}, u.s.memberProblemError(ctx, memberMissing)
	}
	return m, nil
}

func (u *userService) ListUserPermissions(ctx context.Context, req *connect.Request[userpb.ListUserPermissionsRequest]) (*connect.Response[userpb.ListUserPermissionsResponse], error) {
	m, err := u.memberOf(ctx, req.Msg.GetOrganizationId(), req.Msg.GetUserId())
	if err != nil {
		return nil, err
	}
	out := &userpb.ListUserPermissionsResponse{}
	for _, name := range u.s.dir.permissionsOfRolesIn(m.OrgID, m.Roles) {
		p, _ := u.s.dir.permissionNamed(name)
		out.Permissions = append(out.Permissions, &userpb.Permission{Id: p.ID, Name: p.Name, Description: p.Description})
	}
	return connect.NewResponse(out), nil
}

func (u *userService) AssignUserRoles(ctx context.Context, req *connect.Request[userpb.AssignUserRolesRequest]) (*connect.Response[userpb.AssignUserRolesResponse], error) {
	orgID, ref, err := u.memberRef(ctx, req.Msg.GetOrganizationId(), req.Msg.GetUserId(), "")
	if err != nil {
		return nil, err
	}
	var asked []*commons.Role
	for _, r := range req.Msg.GetRoles() {
		asked = append(asked, &commons.Role{Name: r.GetRoleName()})
	}
	names, err := u.s.rolesOf(ctx, orgID, asked)
	if err != nil {
		return nil, err
	}
	got, problem := u.s.dir.changeMembership(orgID, ref, u.s.now(), func(m *membership) memberProblem {
		roles := append([]string(nil), m.Roles...)
		for _, n := range names {
			if !slices.Contains(roles, n) {
				roles = append(roles, n)
			}
		}
		if len(roles) > maxRolesOfMember {
			return memberOrgFull
		}
		m.Roles = roles
		return memberOK
	})
	if problem != memberOK {
		if problem == memberOrgFull {
			return nil, invalid(ctx, fieldViolation{Field: "roles", Description: "a member has at most 10 roles"})
		}
		return nil, u.s.memberProblemError(ctx, problem)
	}
	m, _ := got.membershipIn(orgID)
	out := &userpb.AssignUserRolesResponse{}
	for _, r := range m.Roles {
		out.Roles = append(out.Roles, u.s.roleToProto(m.OrgID, r))
	}
	return connect.NewResponse(out), nil
}

func (u *userService) RemoveUserRole(ctx context.Context, req *connect.Request[userpb.RemoveUserRoleRequest]) (*connect.Response[emptypb.Empty], error) {
	orgID, ref, err := u.memberRef(ctx, req.Msg.GetOrganizationId(), req.Msg.GetUserId(), "")
	if err != nil {
		return nil, err
	}
	name := req.Msg.GetRoleName()
	_, problem := u.s.dir.changeMembership(orgID, ref, u.s.now(), func(m *membership) memberProblem {
		if !slices.Contains(m.Roles, name) {
			return memberMissing
		}
		var keep []string
		for _, r := range m.Roles {
			if r != name {
				keep = append(keep, r)
			}
		}
		m.Roles = keep
		return memberOK
	})
	if problem == memberMissing {
		return nil, grpcError(ctx, connect.CodeNotFound, "the member does not have role "+sanitizeShort(strings.TrimSpace(name)), "NOT_FOUND")
	}
	if problem != memberOK {
		return nil, u.s.memberProblemError(ctx, problem)
	}
	return connect.NewResponse(&emptypb.Empty{}), nil
}

// searchUsers pages through the users of ids whose email, name, id or
// external id contains query (at least 3 characters, any case).
func (u *userService) searchUsers(ctx context.Context, ids []string, query string, size uint32, token string) ([]*userpb.User, window, int, error) {
	q := strings.ToLower(strings.TrimSpace(query))
	if utf8.RuneCountInString(q) < 3 || len(q) > 200 {
		return nil, window{}, 0, invalid(ctx, fieldViolation{Field: "query", Description: "value length must be between 3 and 200 characters"})
	}
	var hits []user
	for _, x := range u.s.dir.usersMatching(ids, func(x user) bool {
		return strings.Contains(strings.ToLower(x.Email), q) || strings.Contains(strings.ToLower(x.name()), q) ||
			strings.Contains(strings.ToLower(x.ID), q) || strings.Contains(strings.ToLower(x.ExternalID), q)
	}) {
		hits = append(hits, x)
	}
	w, problem := pageWindow(len(hits), int(min(size, 1<<20)), token)
	if problem != nil {
		return nil, window{}, 0, invalid(ctx, problem.violation)
	}
	var out []*userpb.User
	for _, x := range hits[w.start:w.end] {
		out = append(out, u.s.userToProto(x))
	}
	return out, w, len(hits), nil
}

func (u *userService) SearchUsers(ctx context.Context, req *connect.Request[userpb.SearchUsersRequest]) (*connect.Response[userpb.SearchUsersResponse], error) {
	users, w, total, err := u.searchUsers(ctx, u.s.dir.userIDs(""), req.Msg.GetQuery(), req.Msg.GetPageSize(), req.Msg.GetPageToken())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&userpb.SearchUsersResponse{Users: users, NextPageToken: w.next, PrevPageToken: w.prev, TotalSize: uint32(total)}), nil
}

func (u *userService) SearchOrganizationUsers(ctx context.Context, req *connect.Request[userpb.SearchOrganizationUsersRequest]) (*connect.Response[userpb.SearchOrganizationUsersResponse], error) {
	orgID, err := u.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), "")
	if err != nil {
		return nil, err
	}
	users, w, total, err := u.searchUsers(ctx, u.s.dir.userIDs(orgID), req.Msg.GetQuery(), req.Msg.GetPageSize(), req.Msg.GetPageToken())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&userpb.SearchOrganizationUsersResponse{Users: users, NextPageToken: w.next, PrevPageToken: w.prev, TotalSize: uint32(total)}), nil
}
