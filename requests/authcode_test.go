package requests

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/internal/hostile"
	"github.com/authscope/authscope/model"
)

// fakeIdP is a small authorization server for the client's own tests,
// with the bindings the sandbox has: one-use codes bound to the redirect
// URI and the S256 challenge, rotating refresh tokens, RS256 tokens.
type fakeIdP struct {
	srv     *httptest.Server
	key     *rsa.PrivateKey
	mu      sync.Mutex
	codes   map[string]codeGrant
	refresh map[string]bool
	// echo puts the token request's body into the error description.
	echo bool
}

type codeGrant struct{ redirect, challenge, nonce string }

var (
	idpKeyOnce sync.Once
	idpKey     *rsa.PrivateKey
)

func newFakeIdP(t *testing.T) *fakeIdP {
	idpKeyOnce.Do(func() { idpKey, _ = rsa.GenerateKey(rand.Reader, 2048) })
	f := &fakeIdP{key: idpKey, codes: map[string]codeGrant{}, refresh: map[string]bool{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeIdP) target() model.Target {
	p, _ := model.Lookup("scalekit")
	env, _ := p.Env("sandbox")
	return model.Target{Provider: p, Env: env, BaseURL: f.srv.URL, Creds: map[string]string{"client_id": "skc_sandbox_client", "client_secret": "sandbox_client_secret"}}
}

func (f *fakeIdP) mint(claims jwt.MapClaims) string {
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

func (f *fakeIdP) serve(w http.ResponseWriter, r *http.Request) {
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
		_ = r.ParseForm()
		if f.echo {
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
		base := jwt.MapClaims{"iss": f.srv.URL, "sub": "usr_1", "aud": []string{"skc_sandbox_client"}, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
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

func signIn(t *testing.T, f *fakeIdP, route, value string) *SignIn {
	t.Helper()
	s, err := StartSignIn(f.target(), SignInOptions{Route: route, RouteValue: value})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func TestSignInFromURLToCheckedTokens(t *testing.T) {
	f := newFakeIdP(t)
	s := signIn(t, f, "login_hint", "ada@acme.example")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := FollowAuthorize(ctx, s.URL(), s.Request.RedirectURI, Options{}); err != nil {
		t.Fatal(err)
	}
	a, err := s.Await(ctx)
	if err != nil {
		t.Fatal(err)
	}
	x, _, err := s.Redeem(ctx, a.Callback.Code, Options{})
	if err != nil || x.TokenError != nil {
		t.Fatalf("%v %+v", err, x.TokenError)
	}
	if !authschemes.ChecksOK(x.IDChecks) || x.IDSignature == nil || !x.IDSignature.Valid || !x.AccessSig.Valid || !authschemes.ChecksOK(x.AccessChecks) {
		t.Fatalf("checks: %+v %+v %+v", x.IDChecks, x.IDSignature, x.AccessChecks)
	}
	secrets := append(x.Secrets(), a.Callback.Code, s.Request.PKCE.Verifier)
	steps := append(s.Steps(), authschemes.CallbackStep(a.Callback, s.Request.State, nil))
	steps = append(steps, authschemes.CodeExchangeSteps(*x)...)
	for _, st := range steps {
		shown := st.Input.Masked() + st.Output.Masked() + st.Explain
		for _, sec := range secrets {
			if len(sec) > 8 && strings.Contains(shown, sec) {
				t.Errorf("step %q shows a secret", st.Title)
			}
		}
	}
	// The refresh token works once: it rotates.
	r1, _, err := Refresh(ctx, s.SSO, x.Tokens.RefreshToken, Options{})
	if err != nil || r1.TokenError != nil || r1.Tokens.RefreshToken == "" {
		t.Fatalf("refresh: %v %+v", err, r1.TokenError)
	}
	r2, _, _ := Refresh(ctx, s.SSO, x.Tokens.RefreshToken, Options{})
	if r2.TokenError == nil || r2.TokenError.Code != "invalid_grant" || !strings.Contains(authschemes.GrantErrorMeaning("refresh_token", r2.TokenError), "works once") {
		t.Fatalf("a spent refresh token: %+v", r2.TokenError)
	}
}

func TestSignInRefusals(t *testing.T) {
	f := newFakeIdP(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	callback := func(s *SignIn) Arrival {
		if _, err := FollowAuthorize(ctx, s.URL(), s.Request.RedirectURI, Options{}); err != nil {
			t.Fatal(err)
		}
		a, err := s.Await(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	want := func(name string, x *authschemes.CodeExchange, meaning string) {
		t.Helper()
		if x == nil || x.TokenError == nil || x.TokenError.Code != "invalid_grant" {
			t.Fatalf("%s: %+v", name, x)
		}
		if m := authschemes.GrantErrorMeaning("authorization_code", x.TokenError); !strings.Contains(m, meaning) {
			t.Errorf("%s: %s", name, m)
		}
	}
	s := signIn(t, f, "", "")
	a := callback(s)
	if x, _, _ := s.Redeem(ctx, a.Callback.Code, Options{}); x.TokenError != nil {
		t.Fatal(x.TokenError)
	}
	x, _, _ := s.Redeem(ctx, a.Callback.Code, Options{})
	want("reused code", x, "already redeemed")

	s = signIn(t, f, "", "")
	a = callback(s)
	x, _, _ = RedeemCode(ctx, s.SSO, a.Callback.Code, s.Request.RedirectURI+"/", s.Request.PKCE.Verifier, Options{})
	want("wrong redirect URI", x, "redirect_uri")

	s = signIn(t, f, "", "")
	a = callback(s)
	other, _ := authschemes.NewPKCE(nil)
	x, _, _ = RedeemCode(ctx, s.SSO, a.Callback.Code, s.Request.RedirectURI, other.Verifier, Options{})
	want("bad verifier", x, "verifier")

	s = signIn(t, f, "login_hint", "deny@acme.example")
	_, _ = FollowAuthorize(ctx, s.URL(), s.Request.RedirectURI, Options{})
	_, err := s.Await(ctx)
	var ce *authschemes.CallbackError
	if !errors.As(err, &ce) || ce.Code != "access_denied" || ce.Fix == "" {
		t.Fatalf("access_denied: %v", err)
	}

	s = signIn(t, f, "", "")
	s.Request.PKCE.Method = "plain"
	_, _ = FollowAuthorize(ctx, s.URL(), s.Request.RedirectURI, Options{})
	if _, err := s.Await(ctx); !errors.As(err, &ce) || ce.Code != "invalid_request" {
		t.Fatalf("plain: %v", err)
	}
}

func TestListenerTakesOneCallbackThenCloses(t *testing.T) {
	l, err := Listen(0)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if r, err := http.Get(strings.Replace(l.RedirectURI, CallbackPath, "/favicon.ico", 1)); err != nil || r.StatusCode != 404 {
		t.Fatalf("another path must not count: %v %v", r, err)
	}
	r, err := http.Get(l.RedirectURI + "?code=c1&state=s")
	if err != nil || r.StatusCode != 200 {
		t.Fatalf("first: %v %v", r, err)
	}
	io.Copy(io.Discard, r.Body)
	r.Body.Close()
	if r, err := http.Get(l.RedirectURI + "?code=c2&state=s"); err == nil {
		r.Body.Close()
		if r.StatusCode != http.StatusConflict {
			t.Fatalf("second callback answered %d", r.StatusCode)
		}
	}
	a, err := l.Wait(context.Background())
	if err != nil || a.Callback.Code != "c1" {
		t.Fatalf("%+v %v", a, err)
	}
	select {
	case extra := <-l.arrive:
		t.Fatalf("a second callback got through: %+v", extra)
	default:
	}
}

func TestListenerStateMismatchAndTimeout(t *testing.T) {
	f := newFakeIdP(t)
	s := signIn(t, f, "", "")
	go http.Get(s.Request.RedirectURI + "?code=x&state=forged")
	_, err := s.Await(context.Background())
	var ce *authschemes.CallbackError
	if !errors.As(err, &ce) || ce.Kind != "state" {
		t.Fatalf("%v", err)
	}
	s = signIn(t, f, "", "")
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = s.Await(ctx)
	var na *NoAnswerError
	if !errors.As(err, &na) || na.Phase != "timeout" || na.Step != StepCallback || time.Since(start) > 2*time.Second {
		t.Fatalf("%v after %s", err, time.Since(start))
	}
	if _, err := Listen(70000); err == nil {
		t.Fatal("port 70000 accepted")
	}
}

func TestTokenEndpointHostile(t *testing.T) {
	f := newFakeIdP(t)
	s := signIn(t, f, "", "")
	ctx := context.Background()

	// Redirecting: the code and secret are never re-sent elsewhere.
	var hits int
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++ }))
	defer other.Close()
	redir := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
	}))
	defer redir.Close()
	ssoR := s.SSO
	ssoR.Target.BaseURL = redir.URL
	_, _, err := RedeemCode(ctx, ssoR, "code_secret_123", s.Request.RedirectURI, s.Request.PKCE.Verifier, Options{})
	var re *RedirectError
	if !errors.As(err, &re) || hits != 0 {
		t.Fatalf("redirect: %v, %d hits", err, hits)
	}

	// Dripping: bounded by the deadline.
	drip, stop, err := hostile.Serve(hostile.SlowHeaders)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ssoD := s.SSO
	ssoD.Target.BaseURL = drip
	dctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err = RedeemCode(dctx, ssoD, "c", s.Request.RedirectURI, s.Request.PKCE.Verifier, Options{})
	var na *NoAnswerError
	if !errors.As(err, &na) || time.Since(start) > 3*time.Second {
		t.Fatalf("drip: %v after %s", err, time.Since(start))
	}

	// Echoing: what the server echoes of the code, verifier and secret
	// is masked in the steps.
	f.echo = true
	x, _, err := RedeemCode(ctx, s.SSO, "code_secret_123", s.Request.RedirectURI, s.Request.PKCE.Verifier, Options{})
	if err != nil || x.TokenError == nil {
		t.Fatalf("echo: %v", err)
	}
	secrets := append(s.Secrets(), "code_secret_123")
	for _, st := range authschemes.CodeExchangeSteps(*x) {
		shown := model.Scrub(st.Output.Masked(), secrets...)
		for _, sec := range []string{"code_secret_123", s.Request.PKCE.Verifier, "sandbox_client_secret"} {
			if strings.Contains(shown, sec) {
				t.Errorf("%s shows %s", st.Title, sec)
			}
		}
	}
	_ = fmt.Sprint
}
