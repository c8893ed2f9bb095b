package scalekit

import (
	"html/template"
	"net/http"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/wire"
)

// GET /oauth/authorize: Scalekit's single sign-on entry (seed 001, "Single
// Sign-on"). The parameters are the SDKs' getAuthorizationUrl's. The
// sandbox routes by organization_id, connection_id, domain_hint (or
// domain), login_hint's domain or provider, shows a small login page
// (links and a form, no script: a browser and curl both work), and
// redirects back with code and state. The documented headless shortcut:
// a login_hint naming a user of a sandbox organization, or any address at
// one of its domains (the user is created on first sign-in), signs in at
// once without the page.

// allowedUserScopes are the scopes the sandbox's client may ask for.
var allowedUserScopes = []string{"openid", "profile", "email", "offline_access"}

// socialProviders are the provider values the sandbox accepts, with the
// social connection each signs in through.
var socialProviders = map[string]connection{
	"google":     {ID: "conn_17000000000000001", Provider: "GOOGLE", Type: "OAUTH", Enabled: true},
	"microsoft":  {ID: "conn_17000000000000002", Provider: "MICROSOFT", Type: "OAUTH", Enabled: true},
	"github":     {ID: "conn_17000000000000003", Provider: "GITHUB", Type: "OAUTH", Enabled: true},
	"gitlab":     {ID: "conn_17000000000000004", Provider: "GITLAB", Type: "OAUTH", Enabled: true},
	"linkedin":   {ID: "conn_17000000000000005", Provider: "LINKEDIN", Type: "OAUTH", Enabled: true},
	"salesforce": {ID: "conn_17000000000000006", Provider: "SALESFORCE", Type: "OAUTH", Enabled: true},
}

// s256Challenge is what an S256 code_challenge looks like: base64url of a
// SHA-256, 43 characters (RFC 7636 §4.2).
var s256Challenge = model.LazyRegexp(`^[A-Za-z0-9_-]{43}$`)

// authorizeParams are the request's parameters, each read once.
type authorizeParams struct {
	q                                url.Values
	clientID, redirectURI, state     string
	responseType, scope, nonce       string
	challenge, method                string
	orgID, connID, domain, loginHint string
	provider, prompt                 string
}

// checkRedirectURI is RFC 8252 §7.3 and Scalekit's rule: a loopback http
// URI on any port, or any https URI; never a fragment or user info.
func checkRedirectURI(raw string) (*url.URL, string) {
	if raw == "" {
		return nil, "redirect_uri is missing"
	}
	if len(raw) > maxRedirectURILen {
		return nil, "redirect_uri is too long"
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return nil, "redirect_uri is not an absolute URL"
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return nil, "redirect_uri must not contain a fragment (RFC 6749 §3.1.2)"
	}
	if u.User != nil {
		return nil, "redirect_uri must not contain user information"
	}
	switch {
	case u.Scheme == "https":
		return u, ""
	case u.Scheme == "http" && model.IsLoopback(u.Hostname()):
		return u, ""
	case u.Scheme == "http":
		return nil, "redirect_uri uses http on a host that is not loopback: use https, or http://127.0.0.1:PORT for a native app (RFC 8252 §7.3)"
	}
	return nil, "redirect_uri must be https, or http on a loopback address"
}

// redirectWith is uri with the parameters added to its query.
func redirectWith(uri *url.URL, params url.Values) string {
	u := *uri
	q := u.Query()
	for k, v := range params {
		for _, x := range v {
			if x != "" {
				q.Add(k, x)
			}
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func (s *Service) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := authorizeParams{q: q}
	for name, values := range q {
		if len(values) > 1 && (name == "client_id" || name == "redirect_uri") {
			s.authorizePage(w, http.StatusBadRequest, name+" must appear only once (RFC 6749 §3.1)")
			return
		}
	}
	get := func(name string) string { return q.Get(name) }
	p.clientID, p.redirectURI, p.state = get("client_id"), get("redirect_uri"), get("state")
	wantID, _ := scalekitClient()
	switch {
	case p.clientID == "":
		s.authorizePage(w, http.StatusBadRequest, "client_id is missing")
		return
	case p.clientID != wantID:
		s.authorizePage(w, http.StatusBadRequest, "client_id "+model.Sanitize(truncate(p.clientID, 80))+" is not a client of this environment")
		return
	}
	redirect, problem := checkRedirectURI(p.redirectURI)
	if problem != "" {
		s.authorizePage(w, http.StatusBadRequest, problem)
		return
	}
	// From here on errors go back to the application (RFC 6749 §4.1.2.1).
	fail := func(code, description string) {
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, redirectWith(redirect, url.Values{"error": {code}, "error_description": {description}, "state": {p.state}}), http.StatusFound)
	}
	for name, values := range q {
		if len(values) > 1 {
			fail("invalid_request", name+" must appear only once (RFC 6749 §3.1)")
			return
		}
		if len(values[0]) > maxAuthorizeValLen {
			fail("invalid_request", name+" is too long")
			return
		}
	}
	p.responseType, p.scope, p.nonce = get("response_type"), get("scope"), get("nonce")
	p.challenge, p.method = get("code_challenge"), get("code_challenge_method")
	p.orgID, p.connID, p.loginHint, p.provider, p.prompt = get("organization_id"), get("connection_id"), get("login_hint"), get("provider"), get("prompt")
	p.domain = get("domain_hint")
	if p.domain == "" {
		p.domain = get("domain")
	}
	switch {
	case p.responseType == "":
		fail("invalid_request", "response_type is missing: send response_type=code")
		return
	case p.responseType != "code":
		fail("unsupported_response_type", "response_type must be code")
		return
	}
	scopes, problem := checkUserScopes(p.scope)
	if problem != "" {
		fail("invalid_scope", problem)
		return
	}
	if problem := checkPKCE(p.challenge, p.method); problem != "" {
		fail("invalid_request", problem)
		return
	}
	switch p.prompt {
	case "", "login", "consent", "select_account", "create":
	case "none":
		fail("login_required", "prompt=none: the sandbox keeps no browser session, so the user must sign in")
		return
	default:
		fail("invalid_request", "prompt must be login, consent, select_account, create or none")
		return
	}
	route, code, problem := s.route(p)
	if problem != "" {
		fail(code, problem)
		return
	}
	if route.user == nil {
		s.loginPage(w, r, p, route)
		return
	}
	u := *route.user
	if u.ID == "" { // an address at the organization's domain: created on first sign-in
		added, why := s.dir.addUser(u, s.now())
		switch why {
		case userOK:
			u = added
		case userExists: // created by a concurrent sign-in: use that one
			if existing, ok := s.dir.userByEmail(u.Email); ok {
				u = existing
			}
		case userOrgFull:
			fail("access_denied", "the organization has reached the sandbox's cap of 500 users")
			return
		default:
			fail("temporarily_unavailable", "the sandbox holds at most 2000 users created by sign-in; restart it")
			return
		}
	}
	sess := s.dir.startSession(u, route.conn.ID, p.clientID, route.social, s.now())
	code = s.dir.addCode(authCode{clientID: p.clientID, redirectURI: p.redirectURI, challenge: p.challenge, nonce: p.nonce,
		scopes: scopes, userID: u.ID, sid: sess.ID, connID: route.conn.ID, orgID: route.conn.OrgID, social: route.social,
		expires: s.now().Add(codeTTL)})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, redirectWith(redirect, url.Values{"code": {code}, "state": {p.state}}), http.StatusFound)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) { // cut at a character boundary
		n--
	}
	return s[:n] + "…"
}

// checkUserScopes refuses a scope set without openid or with a scope the
// client may not have.
func checkUserScopes(scope string) ([]string, string) {
	scopes := strings.Fields(scope)
	if !slices.Contains(scopes, "openid") {
		return nil, "scope must include openid (got " + model.Sanitize(truncate(scope, 80)) + ")"
	}
	for _, sc := range scopes {
		if !slices.Contains(allowedUserScopes, sc) {
			return nil, "scope " + model.Sanitize(truncate(sc, 80)) + " is not allowed for this client (allowed: " + strings.Join(allowedUserScopes, " ") + ")"
		}
	}
	return slices.Compact(scopes), ""
}

// checkPKCE accepts no PKCE at all, or S256 with a well-formed challenge.
func checkPKCE(challenge, method string) string {
	switch {
	case method == "plain":
		return "code_challenge_method plain is not supported: plain sends the verifier itself, so anyone who sees the authorization request can redeem the code; send S256 (RFC 7636 §4.2, §7.2)"
	case challenge == "" && method != "":
		return "code_challenge is missing for code_challenge_method " + model.Sanitize(truncate(method, 20))
	case challenge == "":
		return ""
	case method == "":
		return "code_challenge_method is missing, which means plain (RFC 7636 §4.3); plain is not supported: send code_challenge_method=S256"
	case method != "S256":
		return "code_challenge_method must be S256"
	case !s256Challenge().MatchString(challenge):
		return "code_challenge must be the base64url SHA-256 of the verifier: 43 characters of A-Z a-z 0-9 - _ (RFC 7636 §4.2)"
	}
	return ""
}

// routed is where an authorize request goes: the connection (and its
// organization), and the user when the request names one.
type routed struct {
	conn    connection
	orgName string
	social  bool
	domains []string
	user    *user // nil: show the login page; ID "": create on first sign-in
}

// route resolves the routing parameter, in the order Scalekit documents
// precedence: connection_id, organization_id, domain, login_hint; then
// provider for social login. It returns an error code and description
// for the redirect on failure.
func (s *Service) route(p authorizeParams) (routed, string, string) {
	var hintUser *user
	var hintDomain string
	if p.loginHint != "" {
		addr, err := mail.ParseAddress(p.loginHint)
		if err != nil || addr.Address != p.loginHint || len(addr.Address) > maxEmailLen {
			return routed{}, "invalid_request", "login_hint must be an email address"
		}
		if u, ok := s.dir.userByEmail(addr.Address); ok {
			hintUser = &u
		}
		hintDomain = strings.ToLower(addr.Address[strings.LastIndexByte(addr.Address, '@')+1:])
	}
	if p.provider != "" && p.connID == "" && p.orgID == "" && p.domain == "" {
		conn, ok := socialProviders[strings.ToLower(p.provider)]
		if !ok {
			return routed{}, "invalid_request", "provider must be one of google, microsoft, github, gitlab, linkedin, salesforce"
		}
		rt := routed{conn: conn, orgName: conn.Provider, social: true}
		if hintUser != nil {
			u := *hintUser
			rt.user = &u
		} else if p.loginHint != "" {
			return routed{}, "access_denied", "no sandbox user has the address " + model.Sanitize(p.loginHint) + " (social sign-in needs a user of a sandbox organization)"
		}
		return rt, "", ""
	}
	var orgID string
	var conn connection
	switch {
	case p.connID != "":
		c, ok := s.dir.connection(p.connID)
		if !ok {
			return routed{}, "invalid_request", "connection_id " + model.Sanitize(truncate(p.connID, 80)) + " is not a connection of this environment"
		}
		if !c.Enabled {
			return routed{}, "access_denied", "connection " + c.ID + " is disabled: enable it (EnableConnection) before signing in through it"
		}
		conn, orgID = c, c.OrgID
	case p.orgID != "":
		orgID = p.orgID
	case p.domain != "":
		d, ok := s.dir.domainNamed(p.domain)
		if !ok {
			return routed{}, "invalid_request", "no organization has the domain " + model.Sanitize(truncate(p.domain, 80))
		}
		orgID = d.OrgID
	case hintUser != nil:
		orgID = hintUser.OrgID
	case hintDomain != "":
		d, ok := s.dir.domainNamed(hintDomain)
		if !ok {
			return routed{}, "invalid_request", "no organization has the domain " + model.Sanitize(hintDomain) + " of login_hint"
		}
		orgID = d.OrgID
	default:
		return routed{}, "", "" // the login page asks for an address
	}
	org, ok := s.orgs.get(orgRef{id: orgID})
	if !ok {
		return routed{}, "invalid_request", "organization_id " + model.Sanitize(truncate(orgID, 80)) + " is not an organization of this environment"
	}
	if conn.ID == "" {
		c, any := s.dir.enabledConnection(orgID)
		switch {
		case !any:
			return routed{}, "invalid_request", "organization " + orgID + " has no SSO connection: create one (CreateConnection) first"
		case c.ID == "":
			return routed{}, "access_denied", "the SSO connection of organization " + orgID + " is disabled: enable it (EnableConnection) first"
		}
		conn = c
	}
	rt := routed{conn: conn, orgName: org.DisplayName}
	for _, d := range s.dir.domainsOfOrg(orgID) {
		rt.domains = append(rt.domains, d.Domain)
	}
	switch {
	case hintUser != nil && hintUser.OrgID == orgID:
		u := *hintUser
		rt.user = &u
	case hintUser == nil && hintDomain != "" && slices.Contains(rt.domains, hintDomain):
		at := p.loginHint[:strings.LastIndexByte(p.loginHint, '@')]
		rt.user = &user{Email: strings.ToLower(p.loginHint), GivenName: at, EmailVerified: true, OrgID: orgID}
	}
	return rt, "", ""
}

// pageHeaders are the login and error pages' headers: HTML, never cached,
// never framed, no script, forms back to the sandbox only.
func pageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
}

// pageTemplate is parsed on first use, not at start-up (see wire.Pattern).
var pageTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}} · Scalekit sandbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em}li{margin:.4em 0}.err{color:#a00}</style></head>
<body><h1>{{.Title}}</h1>
{{if .Error}}<p class="err">{{.Error}}</p>
{{if .NoRedirect}}<p>This is an error of the application's request, so the sandbox does not redirect back to it (RFC 6749 §4.1.2.1).</p>
{{end}}{{end}}{{if .Org}}<p>Organization <b>{{.Org}}</b>, connection {{.Conn}}{{if .Domains}} (domains: {{.Domains}}){{end}}.</p>
{{if .Users}}<p>Sign in as:</p>
<ul>{{range .Users}}<li><a href="{{.Href}}">{{.Name}} &lt;{{.Email}}&gt;</a></li>
{{end}}</ul>{{end}}{{end}}{{if .Form}}<form method="get" action="{{.Action}}">
{{range .Hidden}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<label>{{.Prompt}} <input type="email" name="login_hint" required></label> <button type="submit">Sign in</button>
</form>{{end}}{{if .Note}}<p>{{.Note}}</p>{{end}}
</body></html>
`))
})

type pageUser struct{ Href, Name, Email string }
type pageField struct{ Name, Value string }

type pageData struct {
	Title, Error, Org, Conn, Domains, Note, Action, Prompt string
	Users                                                  []pageUser
	Hidden                                                 []pageField
	Form, NoRedirect                                       bool
}

func writePage(w http.ResponseWriter, status int, data pageData) {
	pageHeaders(w)
	var b strings.Builder
	if err := pageTemplate().Execute(&b, data); err != nil {
		http.Error(w, "page error", http.StatusInternalServerError)
		return
	}
	wire.Write(w, status, "text/html; charset=utf-8", []byte(b.String()))
}

// authorizePage is the error page for a request that cannot be sent back.
func (s *Service) authorizePage(w http.ResponseWriter, status int, problem string) {
	writePage(w, status, pageData{Title: "Sign-in request refused", Error: problem, NoRedirect: true})
}

// loginPage lists the organization's users, each a link that signs in as
// them, and a form for any other address at its domains.
func (s *Service) loginPage(w http.ResponseWriter, r *http.Request, p authorizeParams, rt routed) {
	action := s.base + "/oauth/authorize"
	data := pageData{Title: "Sign in", Action: action, Form: true, Prompt: "Email"}
	keep := url.Values{}
	for k, v := range p.q {
		if k != "login_hint" {
			keep[k] = v
		}
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range keep {
			if !yield(k) {
				return
			}
		}
	}) {
		data.Hidden = append(data.Hidden, pageField{Name: k, Value: keep.Get(k)})
	}
	if rt.conn.ID == "" {
		data.Note = "Sandbox: any address at an organization's domain signs in (e.g. " + model.SandboxSSOUser + ")."
		writePage(w, http.StatusOK, data)
		return
	}
	data.Org, data.Conn = rt.orgName, rt.conn.Type+" ("+rt.conn.Provider+") "+rt.conn.ID
	data.Domains = strings.Join(rt.domains, ", ")
	if !rt.social {
		for _, u := range s.dir.usersOfOrg(rt.conn.OrgID) {
			link := url.Values{}
			for k, v := range keep {
				link[k] = v
			}
			link.Set("login_hint", u.Email)
			data.Users = append(data.Users, pageUser{Href: action + "?" + link.Encode(), Name: u.name(), Email: u.Email})
			if len(data.Users) == 20 {
				break
			}
		}
		data.Prompt = "Or another address at " + data.Domains + ":"
	}
	writePage(w, http.StatusOK, data)
}

// serveLogout is GET /oidc/logout (OIDC RP-Initiated Logout): the
// session named by id_token_hint ends (its refresh tokens stop working),
// then the browser goes to post_logout_redirect_uri with state. Without
// a valid id_token_hint no redirect is made (it would be an open
// redirect): the signed-out page shows instead.
func (s *Service) serveLogout(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var target *url.URL
	if raw := q.Get("post_logout_redirect_uri"); raw != "" {
		u, problem := checkRedirectURI(raw)
		if problem != "" {
			writePage(w, http.StatusBadRequest, pageData{Title: "Sign-out request refused", Error: strings.Replace(problem, "redirect_uri", "post_logout_redirect_uri", 1)})
			return
		}
		target = u
	}
	hint := q.Get("id_token_hint")
	if hint != "" {
		claims, err := s.keys.verifyIDTokenHint(hint, wire.BaseURL(r, s.base))
		if err != nil {
			writePage(w, http.StatusBadRequest, pageData{Title: "Sign-out request refused", Error: "id_token_hint is not an ID token this environment issued: " + tokenProblem(err)})
			return
		}
		s.dir.endSession(claims.SessionID)
	}
	if target == nil || hint == "" {
		writePage(w, http.StatusOK, pageData{Title: "Signed out", Note: "You are signed out of the Scalekit sandbox."})
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, redirectWith(target, url.Values{"state": {q.Get("state")}}), http.StatusFound)
}
