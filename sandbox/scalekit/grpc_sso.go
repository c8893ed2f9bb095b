package scalekit

import (
	"context"
	"slices"
	"strings"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/authscope/authscope/model"
	connpb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/connections"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/connections/connectionsconnect"
	dompb "github.com/authscope/authscope/sandbox/scalekit/scalekitpb/domains"
	"github.com/authscope/authscope/sandbox/scalekit/scalekitpb/domains/domainsconnect"
)

// connService is scalekit.v1.connections.ConnectionService on the
// Service's directory store: the connections authorize routes through.
type connService struct {
	connectionsconnect.UnimplementedConnectionServiceHandler
	s *Service
}

// domainService is scalekit.v1.domains.DomainService on the same store.
type domainService struct {
	domainsconnect.UnimplementedDomainServiceHandler
	s *Service
}

func connNotFound(ctx context.Context) error {
	return grpcError(ctx, connect.CodeNotFound, "connection not found", "NOT_FOUND")
}

// orgIDOf checks that an organization exists, by id or external id.
func (s *Service) orgIDOf(ctx context.Context, id, externalID string) (string, error) {
	if id == "" && externalID == "" {
		return "", invalid(ctx, fieldViolation{Field: "organization_id", Description: "value is required"})
	}
	if bad := checkID(id); bad != "" {
		return "", invalid(ctx, fieldViolation{Field: "organization_id", Description: bad})
	}
	o, ok := s.orgs.get(orgRef{id: id, externalID: externalID})
	if !ok {
		return "", notFound(ctx)
	}
	return o.ID, nil
}

// idShape is what a Scalekit id looks like: a prefix, an underscore and
// digits or letters; nothing that could be a path, a query or bidi text.
var idShape = model.LazyRegexp(`^[a-z]{2,8}_[A-Za-z0-9]{1,40}$`)

// checkID refuses ids no store could hold; "" passes (checked elsewhere).
func checkID(id string) string {
	if id == "" || idShape().MatchString(id) {
		return ""
	}
	return "value must be a Scalekit id: a lower-case prefix, an underscore, then letters or digits (at most 50 characters, no path or control characters)"
}

func connType(t connpb.ConnectionType) string         { return t.String() }
func connProvider(p connpb.ConnectionProvider) string { return p.String() }

func connToProto(c connection, doms []domain) *connpb.Connection {
	out := &connpb.Connection{Id: c.ID, Provider: connpb.ConnectionProvider(connpb.ConnectionProvider_value[c.Provider]),
		Type: connpb.ConnectionType(connpb.ConnectionType_value[c.Type]), Status: connpb.ConnectionStatus(connpb.ConnectionStatus_value[c.Status]),
		Enabled: c.Enabled, OrganizationId: &c.OrgID, UiButtonTitle: "Sign in with " + c.Type,
		ConfigurationType: connpb.ConfigurationType_DISCOVERY, AttributeMapping: map[string]string{},
		CreateTime: timestamppb.New(c.CreateTime), UpdateTime: timestamppb.New(c.UpdateTime)}
	for _, d := range doms {
		out.Domains = append(out.Domains, domainToProto(d))
	}
	return out
}

func domainToProto(d domain) *dompb.Domain {
	return &dompb.Domain{Id: d.ID, Domain: d.Domain, EnvironmentId: "env_58345499215790610", OrganizationId: d.OrgID,
		VerificationStatus: dompb.VerificationStatus(dompb.VerificationStatus_value[d.Status]),
		CreateTime:         timestamppb.New(d.CreateTime), UpdateTime: timestamppb.New(d.UpdateTime),
		DomainType: dompb.DomainType(dompb.DomainType_value[d.Type]), VerificationMethod: dompb.VerificationMethod_DNS}
}

func (c *connService) CreateConnection(ctx context.Context, req *connect.Request[connpb.CreateConnectionRequest]) (*connect.Response[connpb.CreateConnectionResponse], error) {
	orgID, err := c.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), "")
	if err != nil {
		return nil, err
	}
	in := req.Msg.GetConnection()
	if in.GetType() != connpb.ConnectionType_OIDC && in.GetType() != connpb.ConnectionType_SAML {
		return nil, invalid(ctx, fieldViolation{Field: "connection.type", Description: "value must be OIDC or SAML (the sandbox's SSO connection types)"})
	}
	provider := in.GetProvider()
	if provider == connpb.ConnectionProvider_CONNECTION_PROVIDER_UNSPECIFIED {
		provider = connpb.ConnectionProvider_CUSTOM
	}
	created, problem := c.s.dir.addConnection(connection{OrgID: orgID, Type: connType(in.GetType()), Provider: connProvider(provider)}, c.s.now())
	if problem != "" {
		return nil, grpcError(ctx, connect.CodeFailedPrecondition, problem, "FAILED_PRECONDITION")
	}
	return connect.NewResponse(&connpb.CreateConnectionResponse{Connection: connToProto(created, nil)}), nil
}

func (c *connService) GetConnection(ctx context.Context, req *connect.Request[connpb.GetConnectionRequest]) (*connect.Response[connpb.GetConnectionResponse], error) {
	orgID, err := c.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), "")
	if err != nil {
		return nil, err
	}
	found, ok := c.s.dir.connection(req.Msg.GetId())
	if !ok || found.OrgID != orgID {
		return nil, connNotFound(ctx)
	}
	return connect.NewResponse(&connpb.GetConnectionResponse{Connection: connToProto(found, c.s.dir.domainsOfOrg(orgID))}), nil
}

// ListConnections lists an organization's connections, or those of the
// organization a domain belongs to; one of the two is required.
func (c *connService) ListConnections(ctx context.Context, req *connect.Request[connpb.ListConnectionsRequest]) (*connect.Response[connpb.ListConnectionsResponse], error) {
	var orgID string
	switch {
	case req.Msg.GetOrganizationId() != "":
		id, err := c.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), "")
		if err != nil {
			return nil, err
		}
		orgID = id
	case req.Msg.GetDomain() != "":
		d, ok := c.s.dir.domainNamed(strings.TrimSpace(req.Msg.GetDomain()))
		if !ok {
			return connect.NewResponse(&connpb.ListConnectionsResponse{}), nil
		}
		orgID = d.OrgID
	default:
		return nil, invalid(ctx, fieldViolation{Field: "organization_id", Description: "organization_id or domain is required"})
	}
	org, _ := c.s.orgs.get(orgRef{id: orgID})
	var names []string
	for _, d := range c.s.dir.domainsOfOrg(orgID) {
		names = append(names, d.Domain)
	}
	out := &connpb.ListConnectionsResponse{}
	for _, conn := range c.s.dir.connectionsOf(orgID) {
		out.Connections = append(out.Connections, &connpb.ListConnection{Id: conn.ID,
			Provider: connpb.ConnectionProvider(connpb.ConnectionProvider_value[conn.Provider]),
			Type:     connpb.ConnectionType(connpb.ConnectionType_value[conn.Type]), Status: connpb.ConnectionStatus(connpb.ConnectionStatus_value[conn.Status]),
			Enabled: conn.Enabled, OrganizationId: orgID, UiButtonTitle: "Sign in with " + conn.Type, Domains: names,
			OrganizationName: org.DisplayName, CreatedAt: timestamppb.New(conn.CreateTime)})
	}
	return connect.NewResponse(out), nil
}

func (c *connService) toggle(ctx context.Context, orgIDIn, id string, on bool) (*connect.Response[connpb.ToggleConnectionResponse], error) {
	orgID, err := c.s.orgIDOf(ctx, orgIDIn, "")
	if err != nil {
		return nil, err
	}
	got, ok := c.s.dir.setEnabled(orgID, id, on, c.s.now())
	if !ok {
		return nil, connNotFound(ctx)
	}
	return connect.NewResponse(&connpb.ToggleConnectionResponse{Enabled: got.Enabled}), nil
}

func (c *connService) EnableConnection(ctx context.Context, req *connect.Request[connpb.ToggleConnectionRequest]) (*connect.Response[connpb.ToggleConnectionResponse], error) {
	return c.toggle(ctx, req.Msg.GetOrganizationId(), req.Msg.GetId(), true)
}

func (c *connService) DisableConnection(ctx context.Context, req *connect.Request[connpb.ToggleConnectionRequest]) (*connect.Response[connpb.ToggleConnectionResponse], error) {
	return c.toggle(ctx, req.Msg.GetOrganizationId(), req.Msg.GetId(), false)
}

func (c *connService) DeleteConnection(ctx context.Context, req *connect.Request[connpb.DeleteConnectionRequest]) (*connect.Response[emptypb.Empty], error) {
	orgID, err := c.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), "")
	if err != nil {
		return nil, err
	}
	if !c.s.dir.removeConnection(orgID, req.Msg.GetId()) {
		return nil, connNotFound(ctx)
	}
	return connect.NewResponse(&emptypb.Empty{}), nil
}

// domainName is a DNS name with at least two labels, lower case.
var domainName = model.LazyRegexp(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

// publicEmailDomains are refused as organization domains: anyone can
// have an address there, so they cannot route to one organization.
var publicEmailDomains = []string{"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com", "icloud.com", "proton.me", "protonmail.com", "aol.com"}

func domainNotFound(ctx context.Context) error {
	return grpcError(ctx, connect.CodeNotFound, "domain not found", "NOT_FOUND")
}

func (d *domainService) CreateDomain(ctx context.Context, req *connect.Request[dompb.CreateDomainRequest]) (*connect.Response[dompb.CreateDomainResponse], error) {
	orgID, err := d.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), req.Msg.GetExternalId())
	if err != nil {
		return nil, err
	}
	name := strings.ToLower(strings.TrimSpace(req.Msg.GetDomain().GetDomain()))
	switch {
	case len(name) > 253 || !domainName().MatchString(name):
		return nil, invalid(ctx, fieldViolation{Field: "domain.domain", Description: "value must be a domain name such as example.com"})
	case slices.Contains(publicEmailDomains, name):
		return nil, invalid(ctx, fieldViolation{Field: "domain.domain", Description: "public email domains cannot belong to an organization"})
	}
	typ := req.Msg.GetDomain().GetDomainType()
	if typ == dompb.DomainType_DOMAIN_TYPE_UNSPECIFIED {
		typ = dompb.DomainType_ORGANIZATION_DOMAIN
	}
	created, problem, clash := d.s.dir.addDomain(domain{Domain: name, OrgID: orgID, Type: typ.String()}, d.s.now())
	switch {
	case clash:
		return nil, grpcError(ctx, connect.CodeAlreadyExists, problem, "ALREADY_EXISTS")
	case problem != "":
		return nil, grpcError(ctx, connect.CodeFailedPrecondition, problem, "FAILED_PRECONDITION")
	}
	return connect.NewResponse(&dompb.CreateDomainResponse{Domain: domainToProto(created)}), nil
}

func (d *domainService) GetDomain(ctx context.Context, req *connect.Request[dompb.GetDomainRequest]) (*connect.Response[dompb.GetDomainResponse], error) {
	orgID, err := d.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), req.Msg.GetExternalId())
	if err != nil {
		return nil, err
	}
	got, ok := d.s.dir.domain(orgID, req.Msg.GetId())
	if !ok {
		return nil, domainNotFound(ctx)
	}
	return connect.NewResponse(&dompb.GetDomainResponse{Domain: domainToProto(got)}), nil
}

func (d *domainService) DeleteDomain(ctx context.Context, req *connect.Request[dompb.DeleteDomainRequest]) (*connect.Response[emptypb.Empty], error) {
	orgID, err := d.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), req.Msg.GetExternalId())
	if err != nil {
		return nil, err
	}
	if !d.s.dir.removeDomain(orgID, req.Msg.GetId()) {
		return nil, domainNotFound(ctx)
	}
	return connect.NewResponse(&emptypb.Empty{}), nil
}

// ListDomains pages by page_number (1-based) and page_size (1–100,
// default 10), as Scalekit's domain list does.
func (d *domainService) ListDomains(ctx context.Context, req *connect.Request[dompb.ListDomainRequest]) (*connect.Response[dompb.ListDomainResponse], error) {
	orgID, err := d.s.orgIDOf(ctx, req.Msg.GetOrganizationId(), req.Msg.GetExternalId())
	if err != nil {
		return nil, err
	}
	size, number := int32(10), int32(1)
	if req.Msg.PageSize != nil {
		size = req.Msg.GetPageSize().GetValue()
	}
	if req.Msg.PageNumber != nil {
		number = req.Msg.GetPageNumber().GetValue()
	}
	if size < 1 || size > 100 {
		return nil, invalid(ctx, fieldViolation{Field: "page_size", Description: "value must be between 1 and 100"})
	}
	if number < 1 || number > 1<<20 {
		return nil, invalid(ctx, fieldViolation{Field: "page_number", Description: "value must be 1 or more"})
	}
	var all []domain
	for _, dom := range d.s.dir.domainsOfOrg(orgID) {
		if t := req.Msg.GetDomainType(); t == dompb.DomainType_DOMAIN_TYPE_UNSPECIFIED || dom.Type == t.String() {
			all = append(all, dom)
		}
	}
	out := &dompb.ListDomainResponse{PageSize: size, PageNumber: number}
	start := int(size) * int(number-1)
	for i := start; i < len(all) && i < start+int(size); i++ {
		out.Domains = append(out.Domains, domainToProto(all[i]))
	}
	return connect.NewResponse(out), nil
}
