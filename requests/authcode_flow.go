package requests

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
)

// SignInOptions shape one sign-in.
type SignInOptions struct {
	Port       int    // 0: any free loopback port
	Route      string // organization_id, connection_id, domain, login_hint or ""
	RouteValue string
	Scope      string // "" for the provider's default
	Auth       authschemes.ClientAuth
	Random     io.Reader // nil: crypto/rand
}

// SignIn is one authorization-code sign-in under way: its values, the
// URL for the browser and the listener waiting for the callback.
type SignIn struct {
	SSO      SSOTarget
	Request  authschemes.AuthRequest
	Listener *Listener
	Flow     model.SSOFlow
}

// StartSignIn makes the verifier, challenge, state and nonce, opens the
// loopback listener and builds the authorization URL. Close it when done.
func StartSignIn(t model.Target, o SignInOptions) (*SignIn, error) {
	flow, ok := t.Provider.SSO()
	if !ok {
		return nil, fmt.Errorf("%s has no single sign-on flow", t.Provider.Name)
	}
	id := strings.TrimSpace(t.Creds["client_id"])
	if id == "" {
		return nil, fmt.Errorf("no client id")
	}
	pkce, err := authschemes.NewPKCE(o.Random)
	if err != nil {
		return nil, err
	}
	state, err := authschemes.RandomString(o.Random, 16)
	if err != nil {
		return nil, err
	}
	nonce, err := authschemes.RandomString(o.Random, 16)
	if err != nil {
		return nil, err
	}
	l, err := Listen(o.Port)
	if err != nil {
		return nil, err
	}
	scope := o.Scope
	if scope == "" {
		scope = flow.DefaultScope
	}
	base := strings.TrimRight(t.BaseURL, "/")
	req := authschemes.AuthRequest{Endpoint: base + flow.AuthorizePath, ClientID: id, RedirectURI: l.RedirectURI,
		Scope: scope, State: state, Nonce: nonce, PKCE: pkce, Route: o.Route, RouteValue: o.RouteValue}
	auth := o.Auth
	if auth == "" {
		auth = authschemes.ClientSecretPost
	}
	return &SignIn{Flow: flow, Request: req, Listener: l,
		SSO: SSOTarget{Target: t, Auth: auth, Expect: authschemes.Expect{Issuer: base, ClientID: id, Nonce: nonce}}}, nil
}

// URL is the authorization URL for the browser.
func (s *SignIn) URL() string { return s.Request.URL() }

// Steps are the steps before the browser leaves.
func (s *SignIn) Steps() []model.Step {
	return authschemes.AuthorizeSteps(s.Request, s.Listener.Port, s.Listener.Fixed)
}

// Secrets are what this sign-in holds that no output may show.
func (s *SignIn) Secrets() []string {
	return append(s.SSO.Target.Secrets(), s.Request.PKCE.Verifier)
}

// Close stops the listener.
func (s *SignIn) Close() { s.Listener.Close() }

// Await waits for the callback and checks it. The error is a
// NoAnswerError (timeout, cancelled) or an *authschemes.CallbackError.
func (s *SignIn) Await(ctx context.Context) (Arrival, error) {
	a, err := s.Listener.Wait(ctx)
	if err != nil {
		return a, err
	}
	return a, a.Callback.Check(s.Request.State)
}

// Redeem exchanges the callback's code with this sign-in's redirect URI
// and verifier.
func (s *SignIn) Redeem(ctx context.Context, code string, opts Options) (*authschemes.CodeExchange, *Result, error) {
	return RedeemCode(ctx, s.SSO, code, s.Request.RedirectURI, s.Request.PKCE.Verifier, opts)
}

// LogoutURL builds the logout URL for an ID token.
func (s *SignIn) LogoutURL(idToken string) model.Text {
	st, _ := authschemes.RandomString(nil, 12)
	return authschemes.LogoutURL(strings.TrimRight(s.SSO.Target.BaseURL, "/")+s.Flow.LogoutPath, idToken, "", st)
}
