package requests

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/internal/sandboxtest"
	"github.com/authscope/authscope/model"
)

// The client against the real sandbox: the demo user's no-browser
// sign-in, then each refusal the sandbox gives, decoded with its fix.
func TestSignInOnTheSandbox(t *testing.T) {
	p, _ := model.Lookup("scalekit")
	target := sandboxtest.Target(t, p, sandboxtest.Start(t))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	start := func(route, value string) (*SignIn, Arrival, error) {
		t.Helper()
		s, err := StartSignIn(target, SignInOptions{Route: route, RouteValue: value})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		if _, err := FollowAuthorize(ctx, s.URL(), s.Request.RedirectURI, Options{}); err != nil {
			return s, Arrival{}, err
		}
		a, err := s.Await(ctx)
		return s, a, err
	}
	s, a, err := start("login_hint", model.SandboxSSOUser)
	if err != nil {
		t.Fatal(err)
	}
	x, res, err := s.Redeem(ctx, a.Callback.Code, Options{})
	if err != nil || x.TokenError != nil {
		t.Fatalf("%v %+v", err, x.TokenError)
	}
	if !authschemes.ChecksOK(x.IDChecks) || !x.IDSignature.Valid || !authschemes.ChecksOK(x.AccessChecks) || !x.AccessSig.Valid {
		t.Fatalf("checks %+v %+v %+v", x.IDChecks, x.IDSignature, x.AccessChecks)
	}
	hashes := 0
	for _, c := range x.IDChecks {
		if c.Name == "at_hash" || c.Name == "c_hash" {
			hashes++
		}
	}
	if hashes != 2 {
		t.Errorf("the sandbox's ID token carries at_hash and c_hash: %d of them checked", hashes)
	}
	if c, _ := x.ID.Claim("email"); c.Value != model.SandboxSSOUser {
		t.Fatalf("signed in as %q", c.Value)
	}
	grantFails := func(name string, x *authschemes.CodeExchange, res *Result, want string) {
		t.Helper()
		if x == nil || x.TokenError == nil {
			t.Fatalf("%s: not refused: %+v", name, x)
		}
		d := DecodeGrant(res, "scalekit", x.Grant, authschemes.ClientSecretPost, 0)
		if !strings.Contains(d.Meaning, want) || d.Advice == "" || d.RequestID == "" {
			t.Errorf("%s: %q / %q / id %q", name, d.Meaning, d.Advice, d.RequestID)
		}
	}
	// The same code again.
	x2, res2, _ := s.Redeem(ctx, a.Callback.Code, Options{})
	grantFails("reused code", x2, res2, "already redeemed")
	// A refresh token works once.
	s, a, _ = start("login_hint", model.SandboxSSOUser)
	x, _, _ = s.Redeem(ctx, a.Callback.Code, Options{})
	if r1, _, err := Refresh(ctx, s.SSO, x.Tokens.RefreshToken, Options{}); err != nil || r1.TokenError != nil {
		t.Fatalf("refresh: %v %+v", err, r1)
	}
	r2, rres, _ := Refresh(ctx, s.SSO, x.Tokens.RefreshToken, Options{})
	grantFails("refresh token twice", r2, rres, "works once")
	// Another redirect URI.
	s, a, err = start("login_hint", model.SandboxSSOUser)
	if err != nil {
		t.Fatal(err)
	}
	x, res, _ = RedeemCode(ctx, s.SSO, a.Callback.Code, s.Request.RedirectURI+"/", s.Request.PKCE.Verifier, Options{})
	grantFails("wrong redirect URI", x, res, "redirect_uri")
	// A verifier from elsewhere, and none at all.
	s, a, _ = start("login_hint", model.SandboxSSOUser)
	other, _ := authschemes.NewPKCE(nil)
	x, res, _ = RedeemCode(ctx, s.SSO, a.Callback.Code, s.Request.RedirectURI, other.Verifier, Options{})
	grantFails("bad verifier", x, res, "code_verifier")
	s, a, _ = start("login_hint", model.SandboxSSOUser)
	x, res, _ = RedeemCode(ctx, s.SSO, a.Callback.Code, s.Request.RedirectURI, "", Options{})
	grantFails("no verifier", x, res, "code_verifier")
	// plain is refused at the authorization step, with the reason.
	s, err = StartSignIn(target, SignInOptions{Route: "login_hint", RouteValue: model.SandboxSSOUser})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Request.PKCE.Method, s.Request.PKCE.Challenge = "plain", s.Request.PKCE.Verifier
	authz, _ := FollowAuthorize(ctx, s.URL(), s.Request.RedirectURI, Options{})
	arr, err := s.Await(ctx)
	var ce *authschemes.CallbackError
	if !errors.As(err, &ce) || ce.Code != "invalid_request" {
		t.Fatalf("plain: %v", err)
	}
	if d, ok := DecodeCallback(err, arr.Callback, authz); !ok || d.RequestID == "" {
		t.Errorf("plain decoded %+v", d)
	}
	// A redirect URI that is neither loopback nor https: an error page,
	// never a redirect.
	bad := s.Request
	bad.RedirectURI = "http://example.com/callback"
	_, err = FollowAuthorize(ctx, bad.URL(), bad.RedirectURI, Options{})
	if d, ok := DecodeAuthorize(err, "scalekit"); !ok || d.Status != 400 {
		t.Fatalf("non-loopback http redirect URI: %v %+v", err, d)
	}
}

// The sign-in's requests recorded in a history: the authorization
// request and the exchange, each with the secrets that arrived in its
// answer (the code in the Location, the tokens in the body) on its
// list, since nothing marks them; the hop to authscope's own listener
// (the code in its URL) and the JWKS fetch stay out.
func TestSignInHistoryHoldsTheAnswersSecrets(t *testing.T) {
	p, _ := model.Lookup("scalekit")
	target := sandboxtest.Target(t, p, sandboxtest.Start(t))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := StartSignIn(target, SignInOptions{Route: "login_hint", RouteValue: model.SandboxSSOUser})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h := &History{}
	opts := Options{History: h}
	if _, err := FollowAuthorize(ctx, s.URL(), s.Request.RedirectURI, opts); err != nil {
		t.Fatal(err)
	}
	a, err := s.Await(ctx)
	if err != nil {
		t.Fatal(err)
	}
	x, _, err := s.Redeem(ctx, a.Callback.Code, opts)
	if err != nil || x.Tokens.Token == nil || x.Tokens.IDToken == "" || x.Tokens.RefreshToken == "" {
		t.Fatalf("%v %+v", err, x)
	}
	entries := h.All()
	if len(entries) != 2 || entries[0].Status() != 302 || entries[1].Status() != 200 {
		t.Fatalf("history %d entries: %+v", len(entries), entries)
	}
	holds := func(e *Entry, what, secret string) {
		t.Helper()
		if !slices.Contains(e.Secrets, secret) {
			t.Errorf("#%d (%s) does not list the %s to mask", e.Seq, e.Request.URL, what)
		}
	}
	holds(entries[0], "code", a.Callback.Code)
	holds(entries[1], "access token", x.Tokens.AccessToken)
	holds(entries[1], "ID token", x.Tokens.IDToken)
	holds(entries[1], "refresh token", x.Tokens.RefreshToken)
}
