package scalekit

import (
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/authscope/authscope/model"
	"github.com/authscope/authscope/sandbox/wire"
	"github.com/golang-jwt/jwt/v5"
)

// TTLField is the sandbox-only token form field that shortens the access
// token's lifetime (seconds, 1..86400), for the expired-token what-if.
// Real Scalekit never sees it.
const TTLField = "authscope_ttl"

// DefaultTokenTTL is Scalekit's access token lifetime: exp = iat + 86400,
// announced as expires_in 86399.
const DefaultTokenTTL = 86400 * time.Second

// tokenResponse is the token endpoint's success body, in Scalekit's order.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
}

// tokenError is an RFC 6749 §5.2 error body.
type tokenError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

var scalekitClient = sync.OnceValues(func() (string, string) {
	return wire.DemoValue("scalekit", "client_id"), wire.DemoValue("scalekit", "client_secret")
})

// clientCredentials is who the client said it is, and how.
type clientCredentials struct {
	id, secret string
	basic      bool // HTTP Basic (client_secret_basic) rather than the form
}

func tokenHeaders(w http.ResponseWriter) {
	h := w.Header()
	h["Cache-Control"] = []string{"no-store"}
	h["Pragma"] = []string{"no-cache"}
}

func tokenFail(w http.ResponseWriter, status int, code, description string) {
	tokenHeaders(w)
	wire.Write(w, status, wire.JSONBare, wire.Encode(tokenError{Error: code, Description: description}))
}

// serveToken is POST /oauth/token: client credentials, authenticated by
// client_secret_post or HTTP Basic (RFC 6749 §2.3.1 requires both).
func (s *Service) serveToken(w http.ResponseWriter, r *http.Request) {
	form, problem, status := readTokenForm(r)
	if problem != "" {
		tokenFail(w, status, "invalid_request", problem)
		return
	}
	grant := form.Get("grant_type")
	switch {
	case grant == "":
		tokenFail(w, http.StatusBadRequest, "invalid_request", "missing grant_type")
		return
	case grant != "client_credentials" && grant != "authorization_code" && grant != "refresh_token":
		tokenFail(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be client_credentials, authorization_code or refresh_token")
		return
	}
	client, problem := readClient(r, form)
	if problem != "" {
		tokenFail(w, http.StatusBadRequest, "invalid_request", problem)
		return
	}
	ttl, problem := readTTL(form)
	if problem != "" {
		tokenFail(w, http.StatusBadRequest, "invalid_request", problem)
		return
	}
	wantID, wantSecret := scalekitClient()
	// Both compared, always, so the time taken says nothing about which one was wrong.
	idOK, secretOK := wire.SecretEqual(client.id, wantID), wire.SecretEqual(client.secret, wantSecret)
	var m2m *m2mClient
	if !idOK || !secretOK {
		c, ok := s.dir.authenticateClient(client.id, client.secret)
		if !ok {
			if client.basic {
				w.Header().Set("WWW-Authenticate", `Basic realm="scalekit", charset="UTF-8"`)
			}
			tokenFail(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
			return
		}
		m2m = &c
	}
	if m2m != nil && grant != "client_credentials" {
		tokenFail(w, http.StatusBadRequest, "unauthorized_client", "an organization's M2M client may use grant_type=client_credentials only")
		return
	}
	switch grant {
	case "authorization_code":
		s.exchangeCode(w, r, form, client.id, ttl)
		return
	case "refresh_token":
		s.exchangeRefresh(w, r, form, client.id, ttl)
		return
	}
	if m2m != nil {
		s.issueM2M(w, r, form, *m2m)
		return
	}
	if raw := form.Get("scope"); raw != "" {
		// The environment's own client has openid only.
		for _, sc := range strings.Fields(raw) {
			if sc != "openid" {
				tokenFail(w, http.StatusBadRequest, "invalid_scope", "scope "+model.Sanitize(truncate(sc, 80))+" is not granted to this client (it has: openid)")
				return
			}
		}
	}
	now := s.now()
	token, err := s.keys.issue(wire.BaseURL(r, s.base), client.id, now, ttl)
	if err != nil {
		tokenFail(w, http.StatusInternalServerError, "server_error", "could not sign the token")
		return
	}
	tokenHeaders(w)
	wire.Write(w, http.StatusOK, wire.JSONBare, wire.Encode(tokenResponse{
		AccessToken: token, TokenType: "Bearer", ExpiresIn: int64(ttl/time.Second) - 1, Scope: "openid",
	}))
}

// issueM2M answers an organization M2M client's client-credentials
// request: its organization as oid, its audience as aud (only when it has
// one), the requested scopes within its own (all of them when none are
// asked for), its custom claims, and its token lifetime.
func (s *Service) issueM2M(w http.ResponseWriter, r *http.Request, form url.Values, c m2mClient) {
	scopes := c.Scopes
	if raw := form.Get("scope"); raw != "" {
		scopes = nil
		for _, sc := range strings.Fields(raw) {
			if !slices.Contains(c.Scopes, sc) {
				tokenFail(w, http.StatusBadRequest, "invalid_scope", "scope "+model.Sanitize(truncate(sc, 80))+" is not granted to this client")
				return
			}
			if !slices.Contains(scopes, sc) {
				scopes = append(scopes, sc)
			}
		}
	}
	now := s.now()
	iat := now.Truncate(time.Second)
	ttl := time.Duration(c.Expiry) * time.Second
	claims := &m2mClaims{Issuer: wire.BaseURL(r, s.base), Subject: c.ID, Audience: c.Audience, ClientID: c.ID,
		IssuedAt: jwt.NewNumericDate(iat), NotBefore: jwt.NewNumericDate(iat), ExpiresAt: jwt.NewNumericDate(iat.Add(ttl)),
		ID: "tkn_" + wire.RandomDigits(17), OrgID: c.OrgID, Scopes: scopes, Custom: c.CustomClaims}
	if claims.Scopes == nil {
		claims.Scopes = []string{}
	}
	token, err := s.keys.sign(claims)
	if err != nil {
		tokenFail(w, http.StatusInternalServerError, "server_error", "could not sign the token")
		return
	}
	tokenHeaders(w)
	wire.Write(w, http.StatusOK, wire.JSONBare, wire.Encode(tokenResponse{
		AccessToken: token, TokenType: "Bearer", ExpiresIn: c.Expiry - 1, Scope: strings.Join(scopes, " "),
	}))
}

// m2mClaims are an organization client's token claims. Custom claims sit
// in one custom_claims object, where Scalekit's Python SDK tests (run
// against Scalekit) read them, not beside the token's own.
type m2mClaims struct {
	Issuer    string           `json:"iss"`
	Subject   string           `json:"sub"`
	Audience  []string         `json:"aud,omitempty"`
	ClientID  string           `json:"client_id"`
	IssuedAt  *jwt.NumericDate `json:"iat"`
	NotBefore *jwt.NumericDate `json:"nbf"`
	ExpiresAt *jwt.NumericDate `json:"exp"`
	ID        string           `json:"jti"`
	OrgID     string           `json:"oid"`
	Scopes    []string         `json:"scopes"`
	Custom    orderedClaims    `json:"custom_claims,omitempty"`
}

// orderedClaims are key/value claims written in the order they were set.
type orderedClaims [][2]string

func (c orderedClaims) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, kv := range c {
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(kv[0])
		v, _ := json.Marshal(kv[1])
		b = append(append(append(b, k...), ':'), v...)
	}
	return append(b, '}'), nil
}

func (c *m2mClaims) GetExpirationTime() (*jwt.NumericDate, error) { return c.ExpiresAt, nil }
func (c *m2mClaims) GetIssuedAt() (*jwt.NumericDate, error)       { return c.IssuedAt, nil }
func (c *m2mClaims) GetNotBefore() (*jwt.NumericDate, error)      { return c.NotBefore, nil }
func (c *m2mClaims) GetIssuer() (string, error)                   { return c.Issuer, nil }
func (c *m2mClaims) GetSubject() (string, error)                  { return c.Subject, nil }
func (c *m2mClaims) GetAudience() (jwt.ClaimStrings, error)       { return c.Audience, nil }

// readTokenForm reads the form body. Query parameters are not looked at:
// credentials do not belong in a URL (RFC 6749 §2.3.1).
func readTokenForm(r *http.Request) (url.Values, string, int) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" {
		return nil, "the token request must be application/x-www-form-urlencoded", http.StatusBadRequest
	}
	if err := r.ParseForm(); err != nil {
		if wire.TooLarge(err) {
			return nil, "request body too large", http.StatusRequestEntityTooLarge
		}
		return nil, "the form body could not be parsed", http.StatusBadRequest
	}
	for name, values := range r.PostForm {
		if len(values) > 1 {
			// RFC 6749 §3.2: parameters must not be repeated.
			return nil, name + " must appear only once", http.StatusBadRequest
		}
	}
	return r.PostForm, "", 0
}

// readClient finds the client's credentials. A Bearer header is ignored:
// the SDKs send their previous token when they re-authenticate.
func readClient(r *http.Request, form url.Values) (clientCredentials, string) {
	c := clientCredentials{id: form.Get("client_id"), secret: form.Get("client_secret")}
	scheme, payload, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if strings.EqualFold(scheme, "Basic") {
		id, secret, ok := decodeClientBasic(payload)
		if !ok {
			return clientCredentials{basic: true}, "" // undecodable: authentication fails below
		}
		if form.Has("client_secret") {
			// RFC 6749 §2.3: one authentication method per request.
			return c, "use either HTTP Basic or client_secret in the body, not both"
		}
		if form.Has("client_id") && form.Get("client_id") != id {
			return c, "client_id in the body differs from the HTTP Basic user name"
		}
		return clientCredentials{id: id, secret: secret, basic: true}, ""
	}
	var missing []string
	for _, name := range []string{"client_id", "client_secret"} {
		if form.Get(name) == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return c, "missing " + strings.Join(missing, " and ")
	}
	return c, ""
}

// decodeClientBasic undoes RFC 6749 §2.3.1's encoding: base64 of the
// form-urlencoded id and secret joined by a colon.
func decodeClientBasic(payload string) (id, secret string, ok bool) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(payload))
	if err != nil {
		return "", "", false
	}
	rawID, rawSecret, found := strings.Cut(string(raw), ":")
	if !found {
		return "", "", false
	}
	id, err1 := url.QueryUnescape(rawID)
	secret, err2 := url.QueryUnescape(rawSecret)
	return id, secret, err1 == nil && err2 == nil
}

func readTTL(form url.Values) (time.Duration, string) {
	raw := form.Get(TTLField)
	if raw == "" {
		return DefaultTokenTTL, ""
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > 86400 {
		return 0, TTLField + " must be a number of seconds between 1 and 86400"
	}
	return time.Duration(n) * time.Second, ""
}
