package requests

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/authscope/authscope/authschemes"
	"github.com/authscope/authscope/model"
)

// Single sign-on's network half: the loopback listener the browser
// comes back to (RFC 8252 §7.3), the sandbox's no-browser sign-in, the
// code exchange and the refresh.

// Steps an SSO failure names.
const (
	StepAuthorize = "authorization request"
	StepCallback  = "callback"
)

// CallbackPath is where the listener takes the callback.
const CallbackPath = "/callback"

// Arrival is the callback as the listener took it.
type Arrival struct {
	Callback authschemes.Callback
	At       time.Time
	From     string // the remote address (always loopback)
}

// Listener is a one-shot loopback HTTP server for the redirect: it
// accepts exactly one callback, answers the browser, and closes.
type Listener struct {
	RedirectURI string
	Port        int
	Fixed       bool // the port was asked for, not picked by the system

	ln      net.Listener
	srv     *http.Server
	arrive  chan Arrival
	mu      sync.Mutex
	taken   bool
	refused int // callbacks turned away after the first
	page    func(authschemes.Callback) (int, string)
}

// Listen opens the listener on 127.0.0.1:port (0: a free port). A
// loopback IP literal rather than localhost, as RFC 8252 §7.3 advises: a
// name could resolve elsewhere, and a firewall prompt never appears.
func Listen(port int) (*Listener, error) {
	if port < 0 || port > 65535 {
		return nil, fmt.Errorf("redirect port %d is not a TCP port (1–65535, or 0 for any free one)", port)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		if port != 0 {
			return nil, fmt.Errorf("cannot listen on 127.0.0.1:%d for the callback (%v): free the port or pick another with --redirect-port", port, err)
		}
		return nil, fmt.Errorf("cannot listen on loopback for the callback: %v", err)
	}
	l := &Listener{ln: ln, Port: ln.Addr().(*net.TCPAddr).Port, Fixed: port != 0, arrive: make(chan Arrival, 1)}
	l.RedirectURI = fmt.Sprintf("http://127.0.0.1:%d%s", l.Port, CallbackPath)
	l.srv = &http.Server{Handler: http.HandlerFunc(l.serve), ReadHeaderTimeout: 5 * time.Second, MaxHeaderBytes: 16 << 10}
	l.srv.SetKeepAlivesEnabled(false)
	go func() { _ = l.srv.Serve(ln) }()
	return l, nil
}

// OnPage sets what the browser is shown after the callback (status and
// HTML); by default a short page that says whether to go back to the
// terminal.
func (l *Listener) OnPage(page func(authschemes.Callback) (int, string)) {
	l.mu.Lock() // the listener is already serving
	l.page = page
	l.mu.Unlock()
}

func (l *Listener) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer") // the code is in this page's URL
	if r.URL.Path != CallbackPath {
		http.Error(w, "authscope is waiting for the sign-in callback at "+CallbackPath, http.StatusNotFound)
		return
	}
	if r.Method != http.MethodGet {
		http.Error(w, "the callback is a GET", http.StatusMethodNotAllowed)
		return
	}
	l.mu.Lock()
	first := !l.taken
	l.taken = true
	if !first {
		l.refused++
	}
	pageOf := l.page
	l.mu.Unlock()
	if !first {
		http.Error(w, "authscope already took this sign-in's callback; start a new sign-in", http.StatusConflict)
		return
	}
	// Stop accepting before answering: a second callback (a prefetch,
	// a reload) finds nothing listening.
	_ = l.ln.Close()
	cb := authschemes.ParseCallback(r.URL.Query())
	l.arrive <- Arrival{Callback: cb, At: time.Now(), From: r.RemoteAddr}
	status, page := http.StatusOK, defaultPage(cb)
	if pageOf != nil {
		status, page = pageOf(cb)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(page))
}

func defaultPage(cb authschemes.Callback) string {
	msg := "authscope got the sign-in callback. You can close this tab and go back to the terminal."
	if cb.Error != "" {
		msg = "The sign-in came back with error " + cb.Error + ". authscope explains it in the terminal."
	}
	return "<!doctype html><title>authscope</title><p>" + html.EscapeString(msg) + "</p>\n"
}

// Refused is how many callbacks came after the first and were turned
// away.
func (l *Listener) Refused() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.refused
}

// Wait returns the callback, or a NoAnswerError when ctx ends first.
func (l *Listener) Wait(ctx context.Context) (Arrival, error) {
	select {
	case a := <-l.arrive:
		return a, nil
	case <-ctx.Done():
		phase := "timeout"
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			phase = "cancelled"
		}
		return Arrival{}, &NoAnswerError{Phase: phase, Host: l.ln.Addr().String(), Stage: "waiting for the browser to come back", Step: StepCallback}
	}
}

// Close stops the listener; safe to call more than once.
func (l *Listener) Close() {
	_ = l.srv.Close()
}

// AuthorizeError is an authorization request the server answered with
// an error page instead of a redirect: a bad client_id or redirect_uri
// (RFC 6749 §4.1.2.1 forbids redirecting those), or a page authscope
// cannot sign in through without a browser.
type AuthorizeError struct {
	Result *Result
	Reason string
}

func (e *AuthorizeError) Error() string { return e.Reason }

// FollowAuthorize is the sandbox's no-browser sign-in: authscope plays
// the browser for one hop, GETs the authorization URL and, when the
// server redirects straight back to the listener (a login_hint naming a
// sandbox user signs in at once), follows that redirect to its own
// listener. It never follows a redirect anywhere else.
func FollowAuthorize(ctx context.Context, authURL, redirectURI string, opts Options) (*Result, error) {
	opts.step, opts.stopAtRedirect = StepAuthorize, true
	res, err := Send(ctx, model.HTTPRequest{Method: http.MethodGet, URL: authURL}, opts)
	if err != nil {
		return nil, err
	}
	switch {
	case res.Status >= 300 && res.Status < 400:
		loc := res.Header.Get("Location")
		base, _ := url.Parse(authURL)
		to, err := base.Parse(loc)
		if loc == "" || err != nil {
			return res, &AuthorizeError{Result: res, Reason: fmt.Sprintf("the authorization endpoint answered %d without a usable Location", res.Status)}
		}
		if !sameCallback(to, redirectURI) {
			return res, &AuthorizeError{Result: res, Reason: "the authorization endpoint sent the browser to " + model.Sanitize(to.Redacted()) + ", not back to authscope: that sign-in needs a browser (drop --no-browser, or give a --login-hint the sandbox signs in at once)"}
		}
		cbOpts := opts
		// The hop back to authscope's own listener is the browser's part,
		// played in-process: it stays out of the history, where its URL
		// would show the live code in plain text (a URL is not a marked
		// model.Text) and a resend could only meet a closed listener.
		cbOpts.step, cbOpts.History = StepCallback, nil
		if _, err := Send(ctx, model.HTTPRequest{Method: http.MethodGet, URL: to.String()}, cbOpts); err != nil {
			return res, err
		}
		return res, nil
	case res.Status >= 400:
		return res, &AuthorizeError{Result: res, Reason: fmt.Sprintf("the authorization endpoint refused the request: HTTP %d (an error page, never a redirect, for a bad client_id or redirect_uri: RFC 6749 §4.1.2.1)", res.Status)}
	}
	return res, &AuthorizeError{Result: res, Reason: fmt.Sprintf("the authorization endpoint answered %d with a login page: that sign-in needs a browser (drop --no-browser, or give a --login-hint the sandbox signs in at once)", res.Status)}
}

// sameCallback reports whether u goes to the redirect URI: same scheme,
// host, port and path (the query is the callback's own).
func sameCallback(u *url.URL, redirectURI string) bool {
	r, err := url.Parse(redirectURI)
	return err == nil && sameOrigin(u, r) && u.Path == r.Path
}

// SSOTarget is what a code exchange needs besides the provider target.
type SSOTarget struct {
	Target model.Target
	Auth   authschemes.ClientAuth
	Expect authschemes.Expect
}

// TokenURL is the target's token endpoint.
func (s SSOTarget) TokenURL() string {
	return strings.TrimRight(s.Target.BaseURL, "/") + s.Target.Provider.TokenPath
}

// RedeemCode exchanges the code (RFC 6749 §4.1.3 with RFC 7636's
// verifier), then decodes and checks the ID and access tokens against
// the JWKS. A refusal is in x.TokenError (err nil); err is for no
// answer, a redirect on the token endpoint, or an unusable answer.
func RedeemCode(ctx context.Context, s SSOTarget, code, redirectURI, verifier string, opts Options) (*authschemes.CodeExchange, *Result, error) {
	id, secret := s.Target.Creds["client_id"], s.Target.Creds["client_secret"]
	req := authschemes.CodeRequest(s.TokenURL(), id, secret, code, redirectURI, verifier, s.Auth)
	s.Expect.Code = code // for c_hash
	return grant(ctx, s, "authorization_code", req, opts)
}

// Refresh spends a refresh token for new tokens (RFC 6749 §6).
func Refresh(ctx context.Context, s SSOTarget, refreshToken string, opts Options) (*authschemes.CodeExchange, *Result, error) {
	id, secret := s.Target.Creds["client_id"], s.Target.Creds["client_secret"]
	req := authschemes.RefreshRequest(s.TokenURL(), id, secret, refreshToken, s.Auth)
	return grant(ctx, s, "refresh_token", req, opts)
}

func grant(ctx context.Context, s SSOTarget, kind string, req model.HTTPRequest, opts Options) (*authschemes.CodeExchange, *Result, error) {
	tokenOpts := opts
	tokenOpts.step, tokenOpts.stopAtRedirect = StepToken, true
	res, err := Send(ctx, req, tokenOpts)
	if err != nil {
		return nil, nil, err
	}
	x := &authschemes.CodeExchange{Grant: kind, Request: res.Request, RawResponse: res.RawResponse, Status: res.Status}
	if res.Status >= 300 && res.Status < 400 {
		to := res.Header.Get("Location")
		if u, err := url.Parse(req.URL); err == nil && to != "" {
			if ref, err := u.Parse(to); err == nil {
				to = ref.Redacted()
			}
		}
		if to == "" {
			to = "(no Location header)"
		}
		return x, res, &RedirectError{Status: res.Status, From: req.URL, To: model.Sanitize(to), Reason: "token", Step: StepToken}
	}
	if res.Truncated && res.Status < 400 {
		return x, res, &UnusableAnswerError{What: "the token response from " + s.Target.Provider.Name, Cap: res.MaxBody}
	}
	tok, tokErr, err := authschemes.ParseTokenResponse(res.Status, res.Header, res.Body, res.Ended)
	if err != nil && res.Status >= 400 {
		return x, res, nil // a refusal that is not RFC 6749: the caller decodes the body
	}
	if err != nil {
		return x, res, &UnusableAnswerError{What: "the token response from " + s.Target.Provider.Name, Err: err}
	}
	x.TokenError = tokErr
	if tok == nil {
		return x, res, nil
	}
	x.Tokens = authschemes.ReadTokenSet(tok)
	now := time.Now()
	if x.Tokens.IDToken != "" {
		if j, err := authschemes.DecodeJWT(x.Tokens.IDToken); err == nil {
			x.ID = j
			expect := s.Expect
			expect.AccessToken = tok.AccessToken // for at_hash
			x.IDChecks = authschemes.CheckClaims(j, expect, now, kind == "authorization_code")
		} else {
			x.IDChecks = []authschemes.IDCheck{{Name: "decode", Why: "the id_token is not a JWT: " + err.Error()}}
		}
	}
	if j, err := authschemes.DecodeJWT(tok.AccessToken); err == nil {
		x.Access = j
		x.AccessChecks = authschemes.CheckClaims(j, authschemes.Expect{Issuer: s.Expect.Issuer, ClientID: s.Expect.ClientID}, now, false)
	}
	if x.ID == nil && x.Access == nil || opts.SkipJWKS {
		return x, res, nil
	}
	jwks, jerr := targetJWKS(ctx, s.Target, opts) // once for both tokens
	verify := func(raw string) *authschemes.Verification {
		if jerr != nil {
			return &authschemes.Verification{Err: jerr}
		}
		v := authschemes.VerifyJWKS(raw, jwks, s.Target.BaseURL, now)
		return &v
	}
	if x.ID != nil {
		x.IDSignature = verify(x.Tokens.IDToken)
	}
	if x.Access != nil {
		x.AccessSig = verify(tok.AccessToken)
	}
	if jerr != nil && ctx.Err() != nil {
		return x, res, &NoAnswerError{Phase: "timeout", Host: s.Target.BaseURL, Stage: "fetching the JWKS", Step: StepJWKS, Err: jerr}
	}
	return x, res, nil
}
