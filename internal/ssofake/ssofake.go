// Package ssofake is a small OAuth2 authorization server for the SSO
// client's tests: one-use codes bound to the redirect URI and the S256
// challenge, rotating refresh tokens, RS256 ID and access tokens with a
// JWKS, access_denied for deny@acme.example, and an echo mode that puts
// the token request's body in its error. It is not the sandbox: it lets
// the client's tests stand alone.
package ssofake

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
)

// IdP is a small authorization server for the client's own tests,
// with the bindings the sandbox has: one-use codes bound to the redirect
// URI and the S256 challenge, rotating refresh tokens, RS256 tokens.
type IdP struct {
	Srv     *httptest.Server
	key     *rsa.PrivateKey
	mu      sync.Mutex
	codes   map[string]codeGrant
	refresh map[string]bool
	// echo puts the token request's body into the error description.
	Echo bool
	// Token, when set, answers the token endpoint instead (a redirect
	// elsewhere, a drip): hostile token endpoints behind a working
	// authorization step.
	Token http.HandlerFunc
}

type codeGrant struct{ redirect, challenge, nonce string }

var (
	idpKeyOnce sync.Once
	idpKey     *rsa.PrivateKey
)

func New(t testing.TB) *IdP {
	idpKeyOnce.Do(func() { idpKey, _ = rsa.GenerateKey(rand.Reader, 2048) })
	f := &IdP{key: idpKey, codes: map[string]codeGrant{}, refresh: map[string]bool{}}
	f.Srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Srv.Close)
	return f
}

// Target is the demo client on this server, as a Scalekit target.
func (f *IdP) Target() model.Target {
	p, _ := model.Lookup("scalekit")
	env, _ := p.Env("sandbox")
	return model.Target{Provider: p, Env: env, BaseURL: f.Srv.URL, Creds: map[string]string{"client_id": "skc_sandbox_client", "client_secret": "sandbox_client_secret"}}
}

func (f *IdP) mint(claims jwt.MapClaims) string {
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = "snk_test"
	s, _ := tok.SignedString(f.key)
	return s
}

func tokenFail(w http.ResponseWriter, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", "req_fake_1")
	w.WriteHeader(400)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

// URL is the server's base URL.
func (f *IdP) URL() string { return f.Srv.URL }

func (f *IdP) serve(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/keys":
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &f.key.PublicKey, KeyID: "snk_test", Algorithm: "RS256", Use: "sig"}}})
	case "/oauth/authorize":
		q := r.URL.Query()
		redirect := q.Get("redirect_uri")
		if authschemes.CheckRedirectURI(redirect) != nil || q.Get("client_id") != "skc_sandbox_client" {
			http.Error(w, "invalid redirect_uri", 400)
			return
		}
		back, _ := url.Parse(redirect)
		v := url.Values{"state": {q.Get("state")}}
		switch {
		case q.Get("code_challenge_method") != "S256":
			v.Set("error", "invalid_request")
			v.Set("error_description", "code_challenge_method must be S256")
		case q.Get("login_hint") == "deny@acme.example":
			v.Set("error", "access_denied")
			v.Set("error_description", "the user refused")
		default:
			code, _ := authschemes.RandomString(nil, 12)
			f.mu.Lock()
			f.codes[code] = codeGrant{redirect: redirect, challenge: q.Get("code_challenge"), nonce: q.Get("nonce")}
			f.mu.Unlock()
			v.Set("code", code)
		}
		back.RawQuery = v.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
	case "/oauth/token":
		if f.Token != nil {
			f.Token(w, r)
			return
		}
		_ = r.ParseForm()
		if f.Echo {
			b, _ := json.Marshal(r.PostForm.Encode())
			tokenFail(w, "invalid_grant", string(b))
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		nonce := ""
		switch r.PostForm.Get("grant_type") {
		case "authorization_code":
			g, ok := f.codes[r.PostForm.Get("code")]
			delete(f.codes, r.PostForm.Get("code"))
			switch {
			case !ok:
				tokenFail(w, "invalid_grant", "authorization code already used or unknown")
				return
			case g.redirect != r.PostForm.Get("redirect_uri"):
				tokenFail(w, "invalid_grant", "redirect_uri does not match the authorization request")
				return
			case authschemes.S256(r.PostForm.Get("code_verifier")) != g.challenge:
				tokenFail(w, "invalid_grant", "code_verifier does not match the code_challenge")
				return
			}
			nonce = g.nonce
		case "refresh_token":
			if !f.refresh[r.PostForm.Get("refresh_token")] {
				tokenFail(w, "invalid_grant", "refresh token already used")
				return
			}
			delete(f.refresh, r.PostForm.Get("refresh_token"))
		default:
			tokenFail(w, "unsupported_grant_type", "")
			return
		}
		now := time.Now()
		base := jwt.MapClaims{"iss": f.Srv.URL, "sub": "usr_1", "aud": []string{"skc_sandbox_client"}, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
		id := jwt.MapClaims{"email": "ada@acme.example", "nonce": nonce}
		for k, v := range base {
			id[k] = v
		}
		rt, _ := authschemes.RandomString(nil, 16)
		f.refresh[rt] = true
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": f.mint(base), "id_token": f.mint(id), "refresh_token": rt, "token_type": "Bearer", "expires_in": 3600})
	default:
		http.NotFound(w, r)
	}
}
