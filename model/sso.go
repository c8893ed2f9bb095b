package model

// SSOFlow is a provider's single sign-on face: OAuth2 authorization code
// with PKCE (RFC 6749 §4.1, RFC 7636) and OpenID Connect ID tokens. It is
// kept beside the provider table rather than in it so a provider without
// SSO needs no empty fields.
type SSOFlow struct {
	AuthorizePath string // GET, the user's browser goes here
	LogoutPath    string // GET, ends the session (OIDC RP-initiated logout)
	DefaultScope  string // what the SDKs ask for when told nothing
	// Routing names the parameters that pick the identity provider, in
	// the order the explorer offers them.
	Routing []SSORoute
}

// SSORoute is one way of telling the authorization server which
// organization's identity provider to send the user to.
type SSORoute struct {
	Param   string // organization_id, connection_id, domain, login_hint
	Flag    string // the login command's flag
	Explain string
}

// SSOFlows is keyed by provider id.
var SSOFlows = map[string]SSOFlow{
	"scalekit": {
		AuthorizePath: "/oauth/authorize",
		LogoutPath:    "/oidc/logout",
		DefaultScope:  "openid profile email",
		Routing: []SSORoute{
			{Param: "organization_id", Flag: "organization-id", Explain: "send the user to this organization's (org_…) SSO connection"},
			{Param: "connection_id", Flag: "connection-id", Explain: "send the user to this SSO connection (conn_…) directly"},
			{Param: "domain", Flag: "domain", Explain: "the organization whose verified domain this is (the SDKs send domain_hint and domain)"},
			{Param: "login_hint", Flag: "login-hint", Explain: "the user's email: routed by its domain, and pre-filled at the identity provider"},
		},
	},
}

// SSO returns the provider's single sign-on flow, if it has one.
func (p Provider) SSO() (SSOFlow, bool) {
	f, ok := SSOFlows[p.ID]
	return f, ok
}
