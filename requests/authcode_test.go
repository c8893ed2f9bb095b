package requests

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/internal/hostile"
	"github.com/authscope/authscope/internal/ssofake"
	"github.com/authscope/authscope/model"
)

func signIn(t *testing.T, f *ssofake.IdP, route, value string) *SignIn {
	t.Helper()
	s, err := StartSignIn(f.Target(), SignInOptions{Route: route, RouteValue: value})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func TestSignInFromURLToCheckedTokens(t *testing.T) {
	f := ssofake.New(t)
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
	f := ssofake.New(t)
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
	// Two connections open before the first callback (a browser and a
	// prefetch): the listener takes the first callback only.
	addr := strings.TrimSuffix(strings.TrimPrefix(l.RedirectURI, "http://"), CallbackPath)
	c1, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	c2, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	status := func(c net.Conn, code string) string {
		c.SetDeadline(time.Now().Add(5 * time.Second))
		fmt.Fprintf(c, "GET %s?code=%s&state=s HTTP/1.1\r\nHost: %s\r\n\r\n", CallbackPath, code, addr)
		line, _ := bufio.NewReader(c).ReadString('\n')
		return line
	}
	if got := status(c1, "c1"); !strings.Contains(got, " 200 ") {
		t.Fatalf("first callback: %q", got)
	}
	if got := status(c2, "c2"); !strings.Contains(got, " 409 ") {
		t.Fatalf("second callback: %q", got)
	}
	if r, err := http.Get(l.RedirectURI + "?code=c3&state=s"); err == nil {
		r.Body.Close()
		t.Fatalf("a third callback found the listener open: %d", r.StatusCode)
	}
	a, err := l.Wait(context.Background())
	if err != nil || a.Callback.Code != "c1" || l.Refused() != 1 {
		t.Fatalf("%+v %v, refused %d", a, err, l.Refused())
	}
	select {
	case extra := <-l.arrive:
		t.Fatalf("a second callback got through: %+v", extra.Callback.Code)
	default:
	}
}

func TestListenerStateMismatchAndTimeout(t *testing.T) {
	f := ssofake.New(t)
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
	f := ssofake.New(t)
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
	f.Echo = true
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
}

// The no-browser sign-in follows one redirect, and only back to its own
// listener: an authorization endpoint that sends it elsewhere is not
// followed.
func TestFollowAuthorizeGoesNowhereButTheListener(t *testing.T) {
	var hits int
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++ }))
	defer elsewhere.Close()
	authz := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/callback?code=c&state=s", http.StatusFound)
	}))
	defer authz.Close()
	l, err := Listen(0)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, err = FollowAuthorize(context.Background(), authz.URL+"/oauth/authorize", l.RedirectURI, Options{})
	var ae *AuthorizeError
	if !errors.As(err, &ae) || hits != 0 {
		t.Fatalf("%v, %d hits elsewhere", err, hits)
	}
}
