package scalekit

import (
	"context"
	"strings"

	"connectrpc.com/connect"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/commons"
	orgpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/organizations"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/organizations/organizationsconnect"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/timestamppb"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// orgService implements scalekit.v1.organizations.OrganizationService on
// the Server's one organization store. Methods not listed in the .proto
// (session policies) are UNIMPLEMENTED.
type orgService struct {
	organizationsconnect.UnimplementedOrganizationServiceHandler
	s *Service
}

func notFound(ctx context.Context) error {
	return grpcError(ctx, connect.CodeNotFound, "organization not found", "NOT_FOUND")
}

func invalid(ctx context.Context, v ...fieldViolation) error {
	return grpcError(ctx, connect.CodeInvalidArgument, "invalid request: "+v[0].Field+" "+v[0].Description, "INVALID_ARGUMENT", v...)
}

// identity is the oneof {id, external_id} most requests carry.
type identity interface {
	GetId() string
	GetExternalId() string
}

func refOf(ctx context.Context, req identity) (orgRef, error) {
	ref := orgRef{id: req.GetId(), externalID: req.GetExternalId()}
	if ref.id == "" && ref.externalID == "" {
		return ref, invalid(ctx, fieldViolation{Field: "identities", Description: "id or external_id is required"})
	}
	return ref, nil
}

func (o *orgService) CreateOrganization(ctx context.Context, req *connect.Request[orgpb.CreateOrganizationRequest]) (*connect.Response[orgpb.CreateOrganizationResponse], error) {
	in := req.Msg.GetOrganization()
	if v := append(checkNewOrg(in.GetDisplayName(), in.GetExternalId(), in.GetMetadata()), checkSlugLogo(in.Slug, in.LogoUrl, false)...); len(v) > 0 {
		return nil, invalid(ctx, v...)
	}
	created, ok := o.s.orgs.add(organization{DisplayName: strings.TrimSpace(in.GetDisplayName()),
		RegionCode: regionFromProto(in.GetRegionCode()), ExternalID: in.GetExternalId(), Metadata: in.GetMetadata(),
		Slug: in.GetSlug(), LogoURL: in.GetLogoUrl()}, o.s.now())
	if !ok {
		return nil, grpcError(ctx, connect.CodeAlreadyExists, "organization with this external_id already exists", "ALREADY_EXISTS")
	}
	return connect.NewResponse(&orgpb.CreateOrganizationResponse{Organization: orgToProto(created)}), nil
}

func (o *orgService) UpdateOrganization(ctx context.Context, req *connect.Request[orgpb.UpdateOrganizationRequest]) (*connect.Response[orgpb.UpdateOrganizationResponse], error) {
	ref, err := refOf(ctx, req.Msg)
	if err != nil {
		return nil, err
	}
	in := req.Msg.GetOrganization()
	if in == nil {
		in = &orgpb.UpdateOrganization{} // nothing to change
	}
	if v := checkSlugLogo(in.Slug, in.LogoUrl, true); len(v) > 0 {
		return nil, invalid(ctx, v...)
	}
	change := orgChange{displayName: in.DisplayName, externalID: in.ExternalId, slug: in.Slug, logoURL: in.LogoUrl}
	if len(in.GetMetadata()) > 0 {
		change.metadata = in.GetMetadata()
	}
	if in.DisplayName != nil {
		name := strings.TrimSpace(*in.DisplayName)
		if v := checkNewOrg(name, in.GetExternalId(), in.GetMetadata()); len(v) > 0 {
			return nil, invalid(ctx, v...)
		}
		change.displayName = &name
	}
	updated, found, clash := o.s.orgs.update(ref, change, o.s.now())
	switch {
	case !found:
		return nil, notFound(ctx)
	case clash:
		return nil, grpcError(ctx, connect.CodeAlreadyExists, "organization with this external_id already exists", "ALREADY_EXISTS")
	}
	return connect.NewResponse(&orgpb.UpdateOrganizationResponse{Organization: orgToProto(updated)}), nil
}

func (o *orgService) GetOrganization(ctx context.Context, req *connect.Request[orgpb.GetOrganizationRequest]) (*connect.Response[orgpb.GetOrganizationResponse], error) {
	ref, err := refOf(ctx, req.Msg)
	if err != nil {
		return nil, err
	}
	found, ok := o.s.orgs.get(ref)
	if !ok {
		return nil, notFound(ctx)
	}
	return connect.NewResponse(&orgpb.GetOrganizationResponse{Organization: orgToProto(found)}), nil
}

func (o *orgService) GetOrganizationByExternalId(ctx context.Context, req *connect.Request[orgpb.GetOrganizationRequest]) (*connect.Response[orgpb.GetOrganizationResponse], error) {
	return o.GetOrganization(ctx, req)
}

func (o *orgService) ListOrganization(ctx context.Context, req *connect.Request[orgpb.ListOrganizationsRequest]) (*connect.Response[orgpb.ListOrganizationsResponse], error) {
	var keep func(organization) bool
	if req.Msg.ExternalId != nil {
		ext := req.Msg.GetExternalId()
		keep = func(o organization) bool { return o.ExternalID == ext }
	}
	page, problem := pageOrganizations(o.s.orgs.matching(keep), int(min(req.Msg.GetPageSize(), 1<<20)), req.Msg.GetPageToken())
	if problem != nil {
		return nil, invalid(ctx, problem.violation)
	}
	return connect.NewResponse(&orgpb.ListOrganizationsResponse{NextPageToken: page.NextPageToken, TotalSize: uint32(page.TotalSize),
		Organizations: orgsToProto(page.Organizations), PrevPageToken: page.PrevPageToken}), nil
}

func (o *orgService) SearchOrganization(ctx context.Context, req *connect.Request[orgpb.SearchOrganizationsRequest]) (*connect.Response[orgpb.SearchOrganizationsResponse], error) {
	if len(strings.TrimSpace(req.Msg.GetQuery())) < 3 {
		return nil, invalid(ctx, fieldViolation{Field: "query", Description: "value length must be at least 3 characters"})
	}
	page, problem := pageOrganizations(o.s.orgs.matching(searchMatch(strings.TrimSpace(req.Msg.GetQuery()))),
		int(min(req.Msg.GetPageSize(), 1<<20)), req.Msg.GetPageToken())
	if problem != nil {
		return nil, invalid(ctx, problem.violation)
	}
	return connect.NewResponse(&orgpb.SearchOrganizationsResponse{NextPageToken: page.NextPageToken, TotalSize: uint32(page.TotalSize),
		Organizations: orgsToProto(page.Organizations), PrevPageToken: page.PrevPageToken}), nil
}

func (o *orgService) DeleteOrganization(ctx context.Context, req *connect.Request[orgpb.DeleteOrganizationRequest]) (*connect.Response[emptypb.Empty], error) {
	ref, err := refOf(ctx, req.Msg)
	if err != nil {
		return nil, err
	}
	if !o.s.orgs.remove(ref) {
		return nil, notFound(ctx)
	}
	return connect.NewResponse(&emptypb.Empty{}), nil
}

func (o *orgService) GeneratePortalLink(ctx context.Context, req *connect.Request[orgpb.GeneratePortalLinkRequest]) (*connect.Response[orgpb.GeneratePortalLinkResponse], error) {
	link, ok := o.s.orgs.addLink(req.Msg.GetId(), callOf(ctx).issuer, o.s.now())
	if !ok {
		return nil, notFound(ctx)
	}
	return connect.NewResponse(&orgpb.GeneratePortalLinkResponse{Link: linkToProto(link)}), nil
}

func linkToProto(l portalLink) *orgpb.Link {
	return &orgpb.Link{Id: l.id, Location: l.location, ExpireTime: timestamppb.New(l.expires)}
}

func (o *orgService) GetPortalLinks(ctx context.Context, req *connect.Request[orgpb.GetPortalLinkRequest]) (*connect.Response[orgpb.GetPortalLinksResponse], error) {
	links, ok := o.s.orgs.linksOf(req.Msg.GetId())
	if !ok {
		return nil, notFound(ctx)
	}
	out := &orgpb.GetPortalLinksResponse{}
	for _, l := range links {
		out.Links = append(out.Links, linkToProto(l))
	}
	return connect.NewResponse(out), nil
}

func (o *orgService) DeletePortalLink(ctx context.Context, req *connect.Request[orgpb.DeletePortalLinkRequest]) (*connect.Response[emptypb.Empty], error) {
	if !o.s.orgs.dropLinks(req.Msg.GetId(), "") {
		return nil, notFound(ctx)
	}
	return connect.NewResponse(&emptypb.Empty{}), nil
}

func (o *orgService) DeletePortalLinkByID(ctx context.Context, req *connect.Request[orgpb.DeletePortalLinkByIdRequest]) (*connect.Response[emptypb.Empty], error) {
	if req.Msg.GetLinkId() == "" {
		return nil, invalid(ctx, fieldViolation{Field: "link_id", Description: "value is required"})
	}
	if !o.s.orgs.dropLinks(req.Msg.GetId(), req.Msg.GetLinkId()) {
		return nil, grpcError(ctx, connect.CodeNotFound, "portal link not found", "NOT_FOUND")
	}
	return connect.NewResponse(&emptypb.Empty{}), nil
}

func (o *orgService) UpdateOrganizationSettings(ctx context.Context, req *connect.Request[orgpb.UpdateOrganizationSettingsRequest]) (*connect.Response[orgpb.GetOrganizationResponse], error) {
	var features []orgFeature
	for _, f := range req.Msg.GetSettings().GetFeatures() {
		if f.GetName() != "sso" && f.GetName() != "dir_sync" {
			return nil, invalid(ctx, fieldViolation{Field: "settings.features.name", Description: "must be sso or dir_sync"})
		}
		features = append(features, orgFeature{Name: f.GetName(), Enabled: f.GetEnabled()})
	}
	updated, found, _ := o.s.orgs.update(orgRef{id: req.Msg.GetId()}, orgChange{features: features}, o.s.now())
	if !found {
		return nil, notFound(ctx)
	}
	return connect.NewResponse(&orgpb.GetOrganizationResponse{Organization: orgToProto(updated)}), nil
}

func (o *orgService) UpsertUserManagementSettings(ctx context.Context, req *connect.Request[orgpb.UpsertUserManagementSettingsRequest]) (*connect.Response[orgpb.UpsertUserManagementSettingsResponse], error) {
	maxUsers := req.Msg.GetSettings().GetMaxAllowedUsers()
	if maxUsers == nil || maxUsers.GetValue() < 0 {
		return nil, invalid(ctx, fieldViolation{Field: "settings.max_allowed_users", Description: "a value of 0 or more is required"})
	}
	if !o.s.orgs.setMaxUsers(req.Msg.GetOrganizationId(), maxUsers.GetValue()) {
		return nil, notFound(ctx)
	}
	return connect.NewResponse(&orgpb.UpsertUserManagementSettingsResponse{Settings: &orgpb.OrganizationUserManagementSettings{
		MaxAllowedUsers: wrapperspb.Int32(maxUsers.GetValue())}}), nil
}

func (o *orgService) GetOrganizationUserManagementSetting(ctx context.Context, req *connect.Request[orgpb.GetOrganizationUserManagementSettingsRequest]) (*connect.Response[orgpb.GetOrganizationUserManagementSettingsResponse], error) {
	n, set, found := o.s.orgs.maxUsersOf(req.Msg.GetOrganizationId())
	if !found {
		return nil, notFound(ctx)
	}
	settings := &orgpb.OrganizationUserManagementSettings{}
	if set {
		settings.MaxAllowedUsers = wrapperspb.Int32(n)
	}
	return connect.NewResponse(&orgpb.GetOrganizationUserManagementSettingsResponse{Settings: settings}), nil
}

// The application's session policy, which an organization follows until
// it sets its own: sessions end after 7 days, no idle timeout.
var applicationPolicy = sessionPolicy{absolute: 7, absoluteUnit: int32(commons.TimeUnit_DAYS)}

func policyToProto(p sessionPolicy, custom bool) *orgpb.OrganizationSessionPolicySettings {
	out := &orgpb.OrganizationSessionPolicySettings{PolicySource: orgpb.SessionPolicyType_APPLICATION,
		AbsoluteSessionTimeout: wrapperspb.Int32(p.absolute), IdleSessionTimeoutEnabled: wrapperspb.Bool(p.idleEnabled)}
	if custom {
		out.PolicySource = orgpb.SessionPolicyType_CUSTOM
	}
	au := commons.TimeUnit(p.absoluteUnit)
	out.AbsoluteSessionTimeoutUnit = &au
	if p.idleEnabled {
		iu := commons.TimeUnit(p.idleUnit)
		out.IdleSessionTimeout, out.IdleSessionTimeoutUnit = wrapperspb.Int32(p.idle), &iu
	}
	return out
}

func (o *orgService) GetOrganizationSessionPolicy(ctx context.Context, req *connect.Request[orgpb.GetOrganizationSessionPolicyRequest]) (*connect.Response[orgpb.GetOrganizationSessionPolicyResponse], error) {
	p, custom, found := o.s.orgs.policyOf(req.Msg.GetOrganizationId())
	if !found {
		return nil, notFound(ctx)
	}
	if !custom {
		p = applicationPolicy
	}
	return connect.NewResponse(&orgpb.GetOrganizationSessionPolicyResponse{Policy: policyToProto(p, custom)}), nil
}

// maxMinutes is the longest session the sandbox accepts: 90 days.
const maxPolicyMinutes = 90 * 24 * 60

func policyMinutes(n int32, unit commons.TimeUnit) (int64, bool) {
	per := map[commons.TimeUnit]int64{commons.TimeUnit_MINUTES: 1, commons.TimeUnit_HOURS: 60, commons.TimeUnit_DAYS: 24 * 60}[unit]
	if per == 0 || n < 1 {
		return 0, false
	}
	return int64(n) * per, int64(n)*per <= maxPolicyMinutes
}

func (o *orgService) UpdateOrganizationSessionPolicy(ctx context.Context, req *connect.Request[orgpb.UpdateOrganizationSessionPolicyRequest]) (*connect.Response[orgpb.UpdateOrganizationSessionPolicyResponse], error) {
	m := req.Msg
	var set *sessionPolicy
	switch m.GetPolicySource() {
	case orgpb.SessionPolicyType_APPLICATION:
	case orgpb.SessionPolicyType_CUSTOM:
		p := sessionPolicy{absolute: m.GetAbsoluteSessionTimeout().GetValue(), absoluteUnit: int32(m.GetAbsoluteSessionTimeoutUnit()),
			idleEnabled: m.GetIdleSessionTimeoutEnabled().GetValue(), idle: m.GetIdleSessionTimeout().GetValue(), idleUnit: int32(m.GetIdleSessionTimeoutUnit())}
		absolute, ok := policyMinutes(p.absolute, m.GetAbsoluteSessionTimeoutUnit())
		if !ok {
			return nil, invalid(ctx, fieldViolation{Field: "absolute_session_timeout", Description: "a timeout of 1 or more with a unit (MINUTES, HOURS, DAYS) is required, at most 90 days"})
		}
		if p.idleEnabled {
			idle, ok := policyMinutes(p.idle, m.GetIdleSessionTimeoutUnit())
			if !ok || idle > absolute {
				return nil, invalid(ctx, fieldViolation{Field: "idle_session_timeout", Description: "an idle timeout of 1 or more with a unit is required, at most the absolute timeout"})
			}
		}
		set = &p
	default:
		return nil, invalid(ctx, fieldViolation{Field: "policy_source", Description: "value must be APPLICATION or CUSTOM"})
	}
	if !o.s.orgs.setPolicy(m.GetOrganizationId(), set) {
		return nil, notFound(ctx)
	}
	p := applicationPolicy
	if set != nil {
		p = *set
	}
	return connect.NewResponse(&orgpb.UpdateOrganizationSessionPolicyResponse{Policy: policyToProto(p, set != nil)}), nil
}
