package scalekit

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/internal/sbtest"
)

const (
	redirectURI = "http://127.0.0.1:53682/callback"
	verifier    = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" // RFC 7636 appendix B
	challenge   = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
)

// authorizeQuery is what the SDKs' getAuthorizationUrl sends, with PKCE;
// extra pairs are added or (with an empty value) removed.
func authorizeQuery(extra ...string) url.Values {
	q := url.Values{"response_type": {"code"}, "client_id": {sbtest.ClientID}, "redirect_uri": {redirectURI},
		"scope": {"openid profile email"}, "state": {"st-123"}, "nonce": {"n-456"},
		"code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "" {
			q.Del(extra[i])
		} else {
			q.Set(extra[i], extra[i+1])
		}
	}
	return q
}

// authorize sends GET /oauth/authorize without following the redirect.
func (sb *sandbox) authorize(q url.Values) sbtest.Answer {
	sb.T.Helper()
	return sb.getNoFollow("/scalekit/oauth/authorize?" + q.Encode())
}

func (sb *sandbox) getNoFollow(path string) sbtest.Answer {
	sb.T.Helper()
	c := *sb.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(sb.URL + path)
	if err != nil {
		sb.T.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return sbtest.Answer{Status: resp.StatusCode, Header: resp.Header, Body: b.String()}
}

// callback reads the redirect's Location: its query, checked to go back
// to redirectURI.
func callback(t *testing.T, a sbtest.Answer) url.Values {
	t.Helper()
	if a.Status != http.StatusFound {
		t.Fatalf("authorize: %d %s", a.Status, a.Body)
	}
	loc, err := url.Parse(a.Header.Get("Location"))
	if err != nil || loc.Scheme+"://"+loc.Host+loc.Path != redirectURI {
		t.Fatalf("redirected to %q, want %s", a.Header.Get("Location"), redirectURI)
	}
	return loc.Query()
}

// signIn runs the headless shortcut and returns the code.
func (sb *sandbox) signIn(extra ...string) string {
	sb.T.Helper()
	q := callback(sb.T, sb.authorize(authorizeQuery(append([]string{"login_hint", model.SandboxSSOUser}, extra...)...)))
	if q.Get("state") != "st-123" || len(q.Get("code")) != 43 {
		sb.T.Fatalf("callback %v", q)
	}
	return q.Get("code")
}

func (sb *sandbox) exchange(form string, headers ...string) sbtest.Answer {
	sb.T.Helper()
	return sb.Do("POST", "/scalekit/oauth/token", form, append([]string{"Content-Type", sbtest.FormType}, headers...)...)
}

func codeForm(code string, extra string) string {
	return "grant_type=authorization_code&code=" + url.QueryEscape(code) + "&redirect_uri=" + url.QueryEscape(redirectURI) +
		"&client_id=" + sbtest.ClientID + "&client_secret=" + sbtest.ClientSecret + extra
}

type ssoTokens struct {
	AccessToken  string `json:"access_token"`
	IDToken      string `json:"id_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int    `json:"expires_in"`
	TokenType    string `json:"token_type"`
}

func decodeTokens(t *testing.T, a sbtest.Answer) ssoTokens {
	t.Helper()
	var tok ssoTokens
	if a.Status != 200 || json.Unmarshal([]byte(a.Body), &tok) != nil {
		t.Fatalf("token: %d %s", a.Status, a.Body)
	}
	return tok
}

// verifyWithJWKS checks raw against the sandbox's published keys, as a
// client does, and returns its claims.
func (sb *sandbox) verifyWithJWKS(raw string) jwt.MapClaims {
	sb.T.Helper()
	var set jose.JSONWebKeySet
	if err := json.Unmarshal([]byte(sb.Get("/scalekit/keys").Body), &set); err != nil {
		sb.T.Fatal(err)
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(tok *jwt.Token) (any, error) {
		kid, _ := tok.Header["kid"].(string)
		return set.Key(kid)[0].Key, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(sb.URL+"/scalekit"), jwt.WithAudience(sbtest.ClientID),
		jwt.WithTimeFunc(func() time.Time { return sbtest.FixedNow.Add(time.Minute) }))
	if err != nil {
		sb.T.Fatalf("token does not verify: %v", err)
	}
	return claims
}

// leftHalfSHA256 is OIDC Core §3.1.3.6's at_hash / c_hash for RS256,
// computed here apart from the sandbox's own.
func leftHalfSHA256(v string) string {
	h := sha256.New()
	h.Write([]byte(v))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:16])
}

func payloadOf(t *testing.T, raw string) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.Split(raw, ".")[1])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The whole flow the SDKs drive: authorize (headless) → code → tokens →
// refresh (rotated; the old one refused) → logout (the newest one refused).
func TestSSOHeadlessFlow(t *testing.T) {
	sb := newSandbox(t)
	code := sb.signIn()
	a := sb.exchange(codeForm(code, "&code_verifier="+verifier))
	tok := decodeTokens(t, a)
	sb.ExpectGolden("sso_token_ok", a, tok.AccessToken, "<access-jwt>", tok.IDToken, "<id-jwt>", tok.RefreshToken, "<refresh-token>")

	id := sb.verifyWithJWKS(tok.IDToken)
	sid, _ := id["sid"].(string)
	if !regexp.MustCompile(`^ses_[0-9]{17}$`).MatchString(sid) {
		t.Fatalf("sid %q", sid)
	}
	wantID := `{"iss":"` + sb.URL + `/scalekit","sub":"usr_59615193906282645","aud":["` + sbtest.ClientID + `"],"exp":` + itoa(sbtest.FixedNow.Unix()+86400) +
		`,"iat":` + itoa(sbtest.FixedNow.Unix()) + `,"nonce":"n-456","amr":["` + model.SandboxSSOConnectionID + `"],"azp":"` + sbtest.ClientID +
		`","at_hash":"` + leftHalfSHA256(tok.AccessToken) + `","c_hash":"` + leftHalfSHA256(code) + `","sid":"` + sid + `","oid":"` + model.SandboxOrgID +
		`","email":"ada@acme.example","email_verified":true,"name":"Ada Lovelace","given_name":"Ada","family_name":"Lovelace",` +
		`"identities":[{"connection_id":"` + model.SandboxSSOConnectionID + `","organization_id":"` + model.SandboxOrgID +
		`","connection_type":"OIDC","provider_name":"OKTA","social":false}]}`
	if got := payloadOf(t, tok.IDToken); got != wantID {
		t.Errorf("ID token claims\n got %s\nwant %s", got, wantID)
	}
	access := sb.verifyWithJWKS(tok.AccessToken)
	if access["sid"] != sid || access["oid"] != model.SandboxOrgID || access["sub"] != "usr_59615193906282645" {
		t.Errorf("access token claims %v", access)
	}

	// Refresh with HTTP Basic client auth: a new refresh token each time.
	refresh := "grant_type=refresh_token&refresh_token=" + url.QueryEscape(tok.RefreshToken)
	next := decodeTokens(t, sb.exchange(refresh, "Authorization", basicClient(sbtest.ClientID, sbtest.ClientSecret)))
	if next.RefreshToken == tok.RefreshToken || next.AccessToken == "" || next.IDToken == "" {
		t.Fatalf("refresh did not rotate: %+v", next)
	}
	if c := sb.verifyWithJWKS(next.IDToken); c["at_hash"] != leftHalfSHA256(next.AccessToken) || c["c_hash"] != nil {
		t.Errorf("refreshed ID token: at_hash %v (want the new access token's), c_hash %v (want none: no code)", c["at_hash"], c["c_hash"])
	}
	a = sb.exchange(refresh, "Authorization", basicClient(sbtest.ClientID, sbtest.ClientSecret))
	sb.ExpectGolden("sso_refresh_reused", a)

	// The replay revoked the session: the newest refresh token fails too.
	newest := "grant_type=refresh_token&client_id=" + sbtest.ClientID + "&client_secret=" + sbtest.ClientSecret + "&refresh_token=" + url.QueryEscape(next.RefreshToken)
	if a := sb.exchange(newest); a.Status != 400 || !strings.Contains(a.Body, "invalid_grant") {
		t.Errorf("refresh after a replay: %d %s", a.Status, a.Body)
	}
}

func itoa(n int64) string { return strings.TrimSpace(strings.Replace(jsonNum(n), "\n", "", 1)) }

func jsonNum(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestSSOLogout(t *testing.T) {
	sb := newSandbox(t)
	tok := decodeTokens(t, sb.exchange(codeForm(sb.signIn("code_challenge", "", "code_challenge_method", ""), "")))
	a := sb.getNoFollow("/scalekit/oidc/logout?" + url.Values{"id_token_hint": {tok.IDToken},
		"post_logout_redirect_uri": {"http://localhost:3000/bye"}, "state": {"s1"}}.Encode())
	sb.ExpectGolden("sso_logout_redirect", a)
	a = sb.exchange("grant_type=refresh_token&client_id=" + sbtest.ClientID + "&client_secret=" + sbtest.ClientSecret + "&refresh_token=" + url.QueryEscape(tok.RefreshToken))
	sb.ExpectGolden("sso_refresh_after_logout", a)

	for name, q := range map[string]url.Values{
		"sso_logout_bad_hint":     {"id_token_hint": {"eyJhbGciOiJSUzI1NiJ9.e30.bad"}},
		"sso_logout_bad_redirect": {"post_logout_redirect_uri": {"http://evil.example/"}},
		"sso_logout_page":         {},
	} {
		t.Run(name, func(t *testing.T) {
			sb := sb.with(t)
			sb.ExpectGolden(name, sb.getNoFollow("/scalekit/oidc/logout?"+q.Encode()))
		})
	}
}

// Each binding of the code fails on its own, with invalid_grant saying
// which one.
func TestSSOCodeBindings(t *testing.T) {
	sb := newSandbox(t)
	cases := []struct {
		name, golden string
		pkce         bool
		form         func(code string) string
	}{
		{"wrong redirect_uri", "sso_code_wrong_redirect", true, func(c string) string {
			return strings.Replace(codeForm(c, "&code_verifier="+verifier), url.QueryEscape(redirectURI), url.QueryEscape(redirectURI+"/"), 1)
		}},
		{"wrong verifier", "sso_code_wrong_verifier", true, func(c string) string {
			return codeForm(c, "&code_verifier="+strings.Repeat("x", 43))
		}},
		{"missing verifier", "sso_code_missing_verifier", true, func(c string) string { return codeForm(c, "") }},
		{"verifier without challenge", "sso_code_unexpected_verifier", false, func(c string) string {
			return codeForm(c, "&code_verifier="+verifier)
		}},
		{"unknown code", "sso_code_unknown", true, func(string) string { return codeForm("not-a-code", "&code_verifier="+verifier) }},
		{"missing redirect_uri", "sso_code_missing_redirect", true, func(c string) string {
			return "grant_type=authorization_code&code=" + c + "&client_id=" + sbtest.ClientID + "&client_secret=" + sbtest.ClientSecret
		}},
		{"bad client secret", "sso_code_bad_secret", true, func(c string) string {
			return strings.Replace(codeForm(c, ""), sbtest.ClientSecret, "wrong", 1)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sb := sb.with(t)
			var code string
			if c.pkce {
				code = sb.signIn()
			} else {
				code = sb.signIn("code_challenge", "", "code_challenge_method", "")
			}
			sb.ExpectGolden(c.golden, sb.exchange(c.form(code)))
		})
	}

	t.Run("replayed code", func(t *testing.T) {
		sb := sb.with(t)
		code := sb.signIn()
		first := decodeTokens(t, sb.exchange(codeForm(code, "&code_verifier="+verifier)))
		sb.ExpectGolden("sso_code_replayed", sb.exchange(codeForm(code, "&code_verifier="+verifier)))
		// RFC 6749 §4.1.2: what the code gave is revoked.
		a := sb.exchange("grant_type=refresh_token&client_id=" + sbtest.ClientID + "&client_secret=" + sbtest.ClientSecret + "&refresh_token=" + url.QueryEscape(first.RefreshToken))
		if a.Status != 400 {
			t.Errorf("refresh token of a replayed code still works: %d %s", a.Status, a.Body)
		}
	})
	t.Run("expired code", func(t *testing.T) {
		sb := sb.with(t)
		code := sb.signIn()
		sb.Clock.Set(sbtest.FixedNow.Add(codeTTL))
		defer sb.Clock.Set(sbtest.FixedNow)
		sb.ExpectGolden("sso_code_expired", sb.exchange(codeForm(code, "&code_verifier="+verifier)))
	})
}

// RFC 6749 §4.1.2.1: a bad client or redirect URI is a page, never a
// redirect; the rest goes back to the application with error and state.
func TestSSOAuthorizeErrors(t *testing.T) {
	sb := newSandbox(t)
	for _, c := range []struct {
		name  string
		extra []string
	}{
		{"sso_authorize_unknown_client", []string{"client_id", "skc_nobody"}},
		{"sso_authorize_missing_client", []string{"client_id", ""}},
		{"sso_authorize_http_redirect", []string{"redirect_uri", "http://app.example.com/callback"}},
		{"sso_authorize_fragment_redirect", []string{"redirect_uri", "https://app.example.com/cb#x"}},
		{"sso_authorize_relative_redirect", []string{"redirect_uri", "/callback"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			sb := sb.with(t)
			a := sb.authorize(authorizeQuery(append([]string{"login_hint", model.SandboxSSOUser}, c.extra...)...))
			if a.Header.Get("Location") != "" {
				t.Fatalf("redirected to %s", a.Header.Get("Location"))
			}
			sb.ExpectGolden(c.name, a)
		})
	}

	disabled := sb.svc.dir.connectionsOf("org_59615204871953291")[0].ID
	sb.svc.dir.setEnabled("org_59615204871953291", disabled, false, sbtest.FixedNow)
	for _, c := range []struct {
		name  string
		extra []string
		error string
	}{
		{"plain", []string{"code_challenge_method", "plain"}, "invalid_request"},
		{"challenge without method", []string{"code_challenge_method", ""}, "invalid_request"},
		{"malformed challenge", []string{"code_challenge", "short"}, "invalid_request"},
		{"response_type token", []string{"response_type", "token"}, "unsupported_response_type"},
		{"no openid", []string{"scope", "profile email"}, "invalid_scope"},
		{"unknown scope", []string{"scope", "openid admin"}, "invalid_scope"},
		{"unknown organization", []string{"login_hint", "", "organization_id", "org_1"}, "invalid_request"},
		{"unknown connection", []string{"login_hint", "", "connection_id", "conn_1"}, "invalid_request"},
		{"disabled connection", []string{"login_hint", "", "connection_id", disabled}, "access_denied"},
		{"disabled connection by organization", []string{"login_hint", "", "organization_id", "org_59615204871953291"}, "access_denied"},
		{"unknown domain", []string{"login_hint", "", "domain_hint", "nowhere.example"}, "invalid_request"},
		{"login_hint at an unknown domain", []string{"login_hint", "someone@nowhere.example"}, "invalid_request"},
		{"login_hint not an address", []string{"login_hint", "ada"}, "invalid_request"},
		{"prompt none", []string{"prompt", "none"}, "login_required"},
		{"repeated state", nil, "invalid_request"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sb := sb.with(t)
			q := authorizeQuery(append([]string{"login_hint", model.SandboxSSOUser}, c.extra...)...)
			if c.name == "repeated state" {
				q.Add("state", "again")
			}
			back := callback(t, sb.authorize(q))
			if back.Get("error") != c.error || back.Get("error_description") == "" || back.Has("code") {
				t.Fatalf("callback %v, want error %s", back, c.error)
			}
			if c.name != "repeated state" && back.Get("state") != "st-123" {
				t.Errorf("state %q did not come back", back.Get("state"))
			}
		})
	}
	t.Run("plain golden", func(t *testing.T) {
		sb := sb.with(t)
		sb.ExpectGolden("sso_authorize_plain", sb.authorize(authorizeQuery("login_hint", model.SandboxSSOUser, "code_challenge_method", "plain")))
	})
}

// Routing by organization, connection, domain and login_hint's domain;
// the login page lists the organization's users as links that sign in.
func TestSSORoutingAndLoginPage(t *testing.T) {
	sb := newSandbox(t)
	a := sb.authorize(authorizeQuery("organization_id", model.SandboxOrgID))
	sb.ExpectGolden("sso_login_page", a)
	link := regexp.MustCompile(`href="([^"]+)"`).FindStringSubmatch(a.Body)
	if link == nil {
		t.Fatal("no link on the login page")
	}
	back := callback(t, sb.getNoFollow(html.UnescapeString(link[1])))
	if back.Get("code") == "" || back.Get("state") != "st-123" {
		t.Fatalf("the page's link did not sign in: %v", back)
	}

	for _, extra := range [][]string{
		{"connection_id", model.SandboxSSOConnectionID},
		{"domain_hint", model.SandboxSSODomain},
		{"domain", model.SandboxSSODomain},
	} {
		a := sb.authorize(authorizeQuery(extra...))
		if a.Status != 200 || !strings.Contains(a.Body, "Acme Corporation") || !strings.Contains(a.Body, model.SandboxSSOUser) {
			t.Errorf("%v: %d, not Acme's login page", extra, a.Status)
		}
	}
	if a := sb.authorize(authorizeQuery()); a.Status != 200 || !strings.Contains(a.Body, `name="login_hint"`) {
		t.Errorf("no routing parameter: %d %s", a.Status, a.Body)
	}

	// Any address at an organization's domain signs in; the user is made
	// once, on first sign-in.
	subs := map[string]bool{}
	for range 2 {
		code := callback(t, sb.authorize(authorizeQuery("login_hint", "newcomer@globex.example", "code_challenge", "", "code_challenge_method", ""))).Get("code")
		tok := decodeTokens(t, sb.exchange(codeForm(code, "")))
		claims := sb.verifyWithJWKS(tok.IDToken)
		subs[claims["sub"].(string)] = true
		if claims["oid"] != "org_59615204871953291" {
			t.Errorf("oid %v", claims["oid"])
		}
	}
	if len(subs) != 1 {
		t.Errorf("two sign-ins of a new address made %d users", len(subs))
	}
}

// Bytes the page shows come from the request and the store: escaped.
func TestSSOLoginPageEscapes(t *testing.T) {
	sb := newSandbox(t)
	org, _ := sb.svc.orgs.add(organization{DisplayName: `<script>alert(1)</script>`}, sbtest.FixedNow)
	c, _ := sb.svc.dir.addConnection(connection{OrgID: org.ID, Type: "OIDC", Provider: "OKTA"}, sbtest.FixedNow)
	sb.svc.dir.setEnabled(org.ID, c.ID, true, sbtest.FixedNow)
	a := sb.authorize(authorizeQuery("organization_id", org.ID, "state", `"><img src=x>`))
	if a.Status != 200 || strings.Contains(a.Body, "<script>alert") || strings.Contains(a.Body, `"><img`) {
		t.Fatalf("unescaped bytes on the page: %s", a.Body)
	}
	if !strings.Contains(a.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the organization's name is missing: %s", a.Body)
	}
	if csp := a.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
}

// Concurrent first sign-ins of the same new address make one user.
func TestSSOConcurrentFirstSignIn(t *testing.T) {
	sb := newSandbox(t)
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sb.svc.dir.addUser(user{Email: "race@initech.example", OrgID: "org_59615218824126537"}, sbtest.FixedNow)
		}()
	}
	wg.Wait()
	n := 0
	for _, u := range sb.svc.dir.usersOfOrg("org_59615218824126537") {
		if u.Email == "race@initech.example" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d users with the same address", n)
	}
}

// The demo user model names is the first user of the first organization,
// and the connection and domain it names are that organization's.
func TestSSODemoUser(t *testing.T) {
	sb := newSandbox(t)
	u, ok := sb.svc.dir.userByEmail(model.SandboxSSOUser)
	if !ok || u.OrgID != model.SandboxOrgID {
		t.Fatalf("demo user %s: %+v %v", model.SandboxSSOUser, u, ok)
	}
	if c, ok := sb.svc.dir.connection(model.SandboxSSOConnectionID); !ok || c.OrgID != model.SandboxOrgID || !c.Enabled {
		t.Errorf("demo connection %+v %v", c, ok)
	}
	if d, ok := sb.svc.dir.domainNamed(model.SandboxSSODomain); !ok || d.OrgID != model.SandboxOrgID {
		t.Errorf("demo domain %+v %v", d, ok)
	}
}

// A session refreshed many times keeps its last refresh tokens only.
func TestSSORefreshBounded(t *testing.T) {
	sb := newSandbox(t)
	tok := decodeTokens(t, sb.exchange(codeForm(sb.signIn("code_challenge", "", "code_challenge_method", ""), "")))
	for range 3 * maxRefreshPerSession {
		tok = decodeTokens(t, sb.exchange("grant_type=refresh_token&client_id="+sbtest.ClientID+"&client_secret="+sbtest.ClientSecret+"&refresh_token="+url.QueryEscape(tok.RefreshToken)))
	}
	sb.svc.dir.mu.RLock()
	defer sb.svc.dir.mu.RUnlock()
	for sid, held := range sb.svc.dir.issuedBySid {
		if len(held) > maxRefreshPerSession {
			t.Errorf("session %s holds %d refresh tokens, cap %d", sid, len(held), maxRefreshPerSession)
		}
	}
	if len(sb.svc.dir.refresh) > maxRefreshPerSession {
		t.Errorf("%d refresh tokens kept for one session", len(sb.svc.dir.refresh))
	}
}

// An organization without a connection cannot be signed in to: the
// application hears why, with its state.
func TestSSOOrganizationWithoutConnection(t *testing.T) {
	sb := newSandbox(t)
	org, _ := sb.svc.orgs.add(organization{DisplayName: "No SSO Yet"}, sbtest.FixedNow)
	back := callback(t, sb.authorize(authorizeQuery("organization_id", org.ID)))
	if back.Get("error") != "invalid_request" || !strings.Contains(back.Get("error_description"), "has no SSO connection") || back.Get("state") != "st-123" {
		t.Errorf("callback %v", back)
	}
}
